"""hr.north@demo.cartera, on every report and export, sees Norte's managers and nobody else."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from app.domain.framework import COMPETENCY_CODES
from app.extensions import db
from app.models import OrgUnit, User
from app.services import content_loader, synthetic_bank
from tests.conftest import login

PAGES = ["/hr/", "/hr/heatmap", "/hr/heatmap?sort=risk&dir=desc", "/hr/training-needs", "/hr/calibration", "/hr/people"]
EXPORTS = [f"/hr/exports/{name}.csv" for name in ("heatmap", "scores", "attempts")]


@pytest.fixture
def regions(client, content_bank):
    levels = ", ".join(f"{code}: 3" for code in COMPETENCY_CODES)
    (content_bank / "rubrics" / "targets.yaml").write_text(
        f"kind: targets\ntargets:\n  junior: {{{levels}}}\n  mid: {{{levels}}}\n  senior: {{{levels}}}\n"
    )
    content_loader.sync(root=content_bank)
    synthetic_bank.generate(managers=90, months=12, seed=8)  # Norte, Centro, Sur, Este and Oeste
    managers = db.session.scalars(select(User).where(User.role_rows.any(role="manager"))).all()
    north = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "Norte"))
    inside = {u.id: u for u in managers if u.org_unit and u.org_unit.path.startswith(north.path)}
    outside = {u.id: u for u in managers if u.id not in inside}
    assert len(inside) >= 15 and len(outside) >= 60
    login(client, db.session.scalar(select(User).where(User.email == "hr.north@demo.cartera")))
    return inside, outside


@pytest.mark.parametrize("url", PAGES)
def test_no_page_links_to_a_manager_outside_the_region(client, regions, url):
    inside, outside = regions
    page = client.get(url).data.decode()
    linked = {int(i) for i in re.findall(r'href="/hr/people/(\d+)"', page)}
    assert linked.isdisjoint(outside)
    assert linked <= set(inside)
    assert linked or url == "/hr/"


def test_the_dashboard_counts_only_the_region(client, regions):
    inside, _outside = regions
    active = [u for u in inside.values() if u.active]
    assert f"{len(active)} managers" in client.get("/hr/").data.decode()


@pytest.mark.parametrize("url", EXPORTS)
def test_no_export_holds_a_manager_outside_the_region(client, regions, url):
    inside, outside = regions
    rows = list(csv.DictReader(io.StringIO(client.get(url).data.decode("utf-8-sig"))))
    emails = {row["email"] for row in rows}
    assert emails and emails <= {u.email for u in inside.values()}
    assert emails.isdisjoint(u.email for u in outside.values())


def test_a_unit_outside_the_scope_given_as_a_filter_shows_nobody(client, regions):
    south = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "Sur"))
    assert "0 managers" in client.get(f"/hr/?unit={south.id}").data.decode()
    rows = client.get(f"/hr/exports/scores.csv?unit={south.id}").data.decode("utf-8-sig").splitlines()
    assert len(rows) == 1  # the header alone
