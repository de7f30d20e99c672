"""The trainers' view of the content bank."""

import shutil
from pathlib import Path

from app.services import content_loader
from tests.conftest import login

VALID = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "valid"


def test_trainers_see_coverage_and_thin_spots(client, make_user, tmp_path):
    shutil.copytree(VALID, tmp_path / "bank")
    content_loader.sync(root=tmp_path / "bank")
    login(client, make_user("trainer"))
    page = client.get("/train/content").data.decode()
    assert 'id="coverage"' in page and "fixture-scenario" in page
    assert page.count("table-warning") == 14  # the small bank is thin everywhere
    assert "Branching scenario" in page


def test_hr_may_read_it_too_and_an_empty_bank_says_what_to_do(client, make_user):
    login(client, make_user("hr"))
    page = client.get("/train/content").data.decode()
    assert "flask content sync" in page
