"""hr.north@demo.cartera, on every report and export, sees Norte's managers and nobody else."""

import csv
import io
import re
import shutil

import pytest
from sqlalchemy import select

from app.domain.framework import COMPETENCY_CODES
from app.extensions import db
from app.models import OrgUnit, User
from app.services import content_loader, synthetic_bank
from tests.conftest import VALID_BANK, login, rolled_back, session_on, shared_data
from tests.html import texts_of

PAGES = ["/hr/", "/hr/heatmap", "/hr/heatmap?sort=risk&dir=desc", "/hr/training-needs", "/hr/calibration", "/people/"]
EXPORTS = [f"/hr/exports/{name}.csv" for name in ("heatmap", "scores", "attempts", "training-needs")]


@pytest.fixture(scope="module")
def synthetic(app, tmp_path_factory):
    """The content bank and a synthetic bank, built once for this module and rolled back after it."""
    root = tmp_path_factory.mktemp("scope") / "bank"
    shutil.copytree(VALID_BANK, root)
    levels = ", ".join(f"{code}: 3" for code in COMPETENCY_CODES)
    (root / "rubrics" / "targets.yaml").write_text(
        f"kind: targets\ntargets:\n  junior: {{{levels}}}\n  mid: {{{levels}}}\n  senior: {{{levels}}}\n"
    )
    with shared_data(app) as connection:
        with app.app_context(), session_on(connection):
            content_loader.sync(root=root)
            synthetic_bank.generate(managers=90, months=12, seed=8)  # Norte, Centro, Sur, Este and Oeste
            db.session.commit()
        yield connection


@pytest.fixture
def database(app, synthetic):
    """Each test in a savepoint of the module's transaction: what one test writes, the next does not see."""
    with rolled_back(app, synthetic):
        yield


@pytest.fixture
def regions(client):
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
    linked = {int(i) for i in re.findall(r'href="/people/(\d+)"', page)}
    assert linked.isdisjoint(outside)
    assert linked <= set(inside)
    assert linked or url == "/hr/"


def test_the_dashboard_counts_only_the_region(client, regions):
    inside, _outside = regions
    active = [u for u in inside.values() if u.active]
    assert f"{len(active)} managers" in texts_of(client.get("/hr/").data, "main p")  # a whole paragraph: 117 is not 17


@pytest.mark.parametrize("url", EXPORTS)
def test_no_export_holds_a_manager_outside_the_region(client, regions, url):
    inside, outside = regions
    rows = list(csv.DictReader(io.StringIO(client.get(url).data.decode("utf-8-sig"))))
    emails = {row["Email"] for row in rows}
    assert emails and emails <= {u.email for u in inside.values()}
    assert emails.isdisjoint(u.email for u in outside.values())


def test_a_unit_outside_the_scope_given_as_a_filter_shows_nobody(client, regions):
    south = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "Sur"))
    assert "No managers match these filters." in texts_of(
        client.get(f"/hr/?unit={south.id}").data, "main p"
    )  # not "10 managers"
    rows = client.get(f"/hr/exports/scores.csv?unit={south.id}").data.decode("utf-8-sig").splitlines()
    assert len(rows) == 1  # the header alone
