"""The manager's profile: scores, levels, targets and gaps, self-view, evidence, practise next."""

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from werkzeug.datastructures import MultiDict

from app.domain.framework import COMPETENCY_CODES
from app.extensions import db
from app.services import attempts, content_loader
from tests.conftest import login
from tests.html import rows_of, texts_of
from tests.html import select as select_all

VALID = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "valid"


@pytest.fixture
def bank(tmp_path):
    root = tmp_path / "bank"
    shutil.copytree(VALID, root)
    levels = ", ".join(f"{code}: 3" for code in COMPETENCY_CODES)
    (root / "rubrics" / "targets.yaml").write_text(
        f"kind: targets\ntargets:\n  junior: {{{levels}}}\n  mid: {{{levels}}}\n"
    )
    content_loader.sync(root=root)


def answer(user, attempt, key, **fields):
    data = MultiDict([(f"answer-{key}" + (f"-{k}" if k != "value" else ""), v) for k, v in fields.items()])
    assert attempts.save_answers(attempt, data, "en", [key]) == {}


def test_the_profile_shows_scores_levels_gaps_and_self_view(client, make_user, bank):
    manager = make_user("manager", career_level="junior")
    quiz = attempts.start(manager, "fixture-quiz")
    answer(manager, quiz, "fx-single", value="a")  # ethics 2 + communication 1, score 1
    answer(manager, quiz, "fx-best-worst", best="b", worst="c")  # risk 1: (2 − 0 + 3) / 6
    attempts.submit(quiz)
    scenario = attempts.start(manager, "fixture-scenario")
    attempts.decide(scenario, "s1", "a")
    attempts.decide(scenario, "s2", "a")  # the best path: ethics 1 with weight 2
    self_check = attempts.start(manager, "fixture-self")
    answer(manager, self_check, "fx-likert-1", value="5")
    answer(manager, self_check, "fx-likert-2", value="1")  # reversed: planning self-view 100
    attempts.submit(self_check)

    login(client, manager)
    page = client.get("/learn/profile").data.decode()
    # competency → [score, level, target, gap, self-view], as the table shows them
    rows = {cells[0]: cells[1:] for cells in rows_of(page, "#profile-table")}
    assert rows["ethics"] == ["100", "Advanced", "Proficient", "-1", "—"]  # evidence 2 + 2 = 4; target 3, level 4
    assert rows["risk"][1] == "insufficient evidence"  # weight 1 < 3
    # planning: the unanswered ranking item (weight 1.5) and the blank written plan (its rubric's
    # goals criterion, weight 2) count as 0, evidence 3.5: level Foundation, against a self-view
    # of 100 (a blind spot).
    assert rows["planning"][:2] == ["0", "Foundation"] and rows["planning"][4] == "Advanced blind spot"
    assert rows["visits"][:2] == ["0", "insufficient evidence"]  # the blank plan's goals criterion, weight 1
    assert rows["segmentation"][:2] == ["—", "not measured yet"]
    assert 'id="practise-next"' in page and "<svg" in page


def test_the_evidence_page_lists_each_answer_behind_a_competency(client, make_user, bank):
    manager = make_user("manager")
    quiz = attempts.start(manager, "fixture-quiz")
    answer(manager, quiz, "fx-single", value="b")
    attempts.submit(quiz)
    login(client, manager)
    page = client.get("/learn/profile/ethics").data.decode()
    assert "What do you do?" in page and '<td class="text-end">33</td>' in page
    assert client.get("/learn/profile/charisma").status_code == 404


def test_an_empty_profile_invites_practice(client, make_user, bank):
    login(client, make_user("manager"))
    page = client.get("/learn/profile").data.decode()
    assert page.count("not measured yet") == 14
    assert "/learn/exercises/fixture-quiz" in page or "/learn/exercises/fixture-scenario" in page


def test_the_profile_is_rendered_again_exactly_when_what_it_shows_changes(client, make_user, bank):
    manager = make_user("manager", career_level="junior")
    login(client, manager)
    empty = client.get("/learn/profile").data.decode()
    assert client.get("/learn/profile").data.decode() == empty  # kept, not rendered again
    assert page_rows(empty)["ethics"][:3] == ["—", "not measured yet", "Proficient"]

    quiz = attempts.start(manager, "fixture-quiz")
    answer(manager, quiz, "fx-single", value="a")
    version = manager.profile_version
    attempts.submit(quiz)  # scoring refreshes the stored profile, and bumps its version
    db.session.commit()
    assert manager.profile_version == version + 1
    scored = page_rows(client.get("/learn/profile").data.decode())
    assert scored["ethics"][:3] == ["100", "insufficient evidence", "Proficient"]

    manager.career_level = "mid"  # targets follow the career level
    manager.locale = "es"  # and the page its reader's language
    db.session.commit()
    spanish = client.get("/learn/profile").data.decode()
    assert "Mi perfil de competencias" in spanish and "(Intermedio)" in spanish


def page_rows(page: str) -> dict[str, list[str]]:
    return {cells[0]: cells[1:] for cells in rows_of(page, "#profile-table")}


def test_hr_reads_the_individual_report_of_a_manager_in_scope(client, make_user, bank):
    from app.services import assignments

    unit_manager = make_user("manager", name="Ana Report")
    trainer = make_user("admin")
    assignments.assign(trainer, "fixture-diagnostic", "users", {unit_manager.id})
    quiz = attempts.start(unit_manager, "fixture-quiz")
    answer(unit_manager, quiz, "fx-single", value="a")
    attempts.submit(quiz)
    login(client, make_user("hr", scope=()))
    assert client.get(f"/people/{unit_manager.id}").status_code == 404  # no scope, no report
    login(client, make_user("admin", "hr"))
    page = client.get(f"/people/{unit_manager.id}").data.decode()
    assert "Individual report: Ana Report" in page
    assert 'id="profile-table"' in page and 'id="assignment-history"' in page and "Diagnostic" in page
    assert "/learn/profile/" not in page  # no links into the manager's own pages


def test_the_individual_report_downloads_as_a_pdf_within_scope(client, make_user, make_unit, bank):
    from tests.conftest import login as sign_in

    person = make_user("manager", name="Íñigo Peña · «Ñ» — 10 000 €", unit=make_unit("Bilbao"), career_level="mid")
    quiz = attempts.start(person, "fixture-quiz")
    answer(person, quiz, "fx-single", value="a")
    attempts.submit(quiz)
    sign_in(client, make_user("admin", "hr"))
    page = client.get(f"/people/{person.id}").data.decode()
    assert f'href="/people/{person.id}.pdf"' in page
    response = client.get(f"/people/{person.id}.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    assert response.headers["Cache-Control"] == "no-store"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Individual report: Íñigo Peña · «Ñ» — 10 000 €" in text  # an embedded Unicode font: € and all
    assert "Career level: Mid-level" in text and "Org unit: Bilbao" in text
    assert "the manager's own view" in text and "your own view" not in text
    assert "Duties:" in text and "Practise next" in text and "Month by month" in text
    assert "insufficient evidence" in text and "Assignment history" in text
    sign_in(client, make_user("trainer", scope=()))
    assert client.get(f"/people/{person.id}.pdf").status_code == 404


def test_the_monthly_history_draws_a_line_per_competency_beside_its_numbers(client, make_user, bank):
    manager = make_user("manager", career_level="junior")
    quiz = attempts.start(manager, "fixture-quiz")
    answer(manager, quiz, "fx-single", value="a")
    attempts.submit(quiz)
    login(client, manager)
    page = client.get("/learn/profile").data.decode()
    row = next(cells for cells in rows_of(page, "table#history") if cells[0] == "ethics")
    assert row[2:] == [""] * 11 + ["100"]  # a value for the current month only, after the name and the line
    history = page.split('id="history"')[1].split("</table>")[0]
    ethics = history.split(">ethics<")[1].split("</tr>")[0]
    points = ethics.split('class="sparkline-line" points="')[1].split('"')[0].split()
    assert points == ["120.0,0.0"]  # one month with data, the current one: score 100 at the top
    assert '<circle class="sparkline-dot" cx="120.0" cy="0.0"' in ethics  # a line of one point shows as its dot
    assert history.count('class="sparkline"') == len(COMPETENCY_CODES)


def test_a_new_manager_is_told_what_to_do_first_not_shown_an_empty_grid(client, make_user, bank):
    login(client, make_user("manager"))
    page = client.get("/learn/profile").data
    steps = texts_of(page, "#first-steps li")
    assert steps[0].startswith("Take the self-assessment") and steps[0].endswith("Self-assessment")
    assert not select_all(page, "#history")
