"""The trainers' grading pages and the manager's graded result, through the test client (no JavaScript)."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Grading, GradingTask
from app.services import attempts, grading
from tests.conftest import login
from tests.html import rows_of, text_of, texts_of


@pytest.fixture
def people(content_bank, bank, make_user):
    return {
        "ana": make_user("manager", name="Ana Norte", unit=bank["bilbao"]),
        "carmen": make_user("trainer", name="Carmen Formadora", scope=(bank["bank"],)),
        "pablo": make_user("trainer", name="Pablo Moderador", scope=(bank["bank"],)),
        "sur": make_user("trainer", name="Sara Sur", scope=(bank["south"],)),
    }


def submitted(manager, text="Visitaré al cliente el martes.", **settings):
    attempt = attempts.start(manager, "fixture-quiz")
    if settings:
        attempt.exercise_version.body["settings"] = {**attempt.exercise_version.body["settings"], **settings}
        flag_modified(attempt.exercise_version, "body")
    attempts.save_answers(attempt, MultiDict({"answer-fx-open": text}), "es", ["fx-open"])
    attempts.submit(attempt)
    db.session.commit()
    return attempt


def open_first(client):
    """Press the queue's 'Grade the oldest response' button; returns the grading page's URL."""
    response = client.post("/train/grading/next")
    assert response.status_code == 302 and "/train/grading/tasks/" in response.headers["Location"]
    return response.headers["Location"]


def test_the_queue_lists_waiting_answers_oldest_first_with_counts(client, people):
    first = submitted(people["ana"])
    submitted(people["ana"], "Otro plan")
    login(client, people["carmen"])
    page = client.get("/train/grading/").data.decode()
    assert text_of(page, "#queue-summary") == "2 written answers wait for you."
    rows = rows_of(page, "#queue")
    assert [r[2] for r in rows] == ["Ana Norte Bilbao", "Ana Norte Bilbao"]
    assert rows[0][3] == "First grade"
    assert "Test (2)" in text_of(page, "#per-exercise")
    first_task = db.session.scalar(select(GradingTask.id).join(Grading).where(Grading.attempt_id == first.id))
    assert f"/train/grading/tasks/{first_task}/claim" in page  # the oldest first
    home = client.get("/train/").data.decode()
    assert text_of(home, "#grading-summary").startswith("Grading 2 written answers wait for you.")
    assert "You have not assigned anything yet." in text_of(home, "#my-assignments")


def test_a_trainer_of_another_region_sees_nothing_and_cannot_open_it(client, people):
    attempt = submitted(people["ana"])
    task_id = db.session.scalar(select(GradingTask.id).join(Grading).where(Grading.attempt_id == attempt.id))
    login(client, people["sur"])
    assert text_of(client.get("/train/grading/").data.decode(), "#queue-summary") == "No written answer waits for you."
    assert client.post(f"/train/grading/tasks/{task_id}/claim").status_code == 404
    assert client.get(f"/train/grading/tasks/{task_id}").status_code == 404


def test_grading_on_the_rubric_draft_then_submit_reaches_the_managers_result(client, people, make_user, bank):
    attempt = submitted(people["ana"])
    login(client, people["carmen"])
    url = open_first(client)
    page = client.get(url).data.decode()
    assert text_of(page, "#answer-text") == "Visitaré al cliente el martes."
    assert texts_of(page, "#grade-form legend")[0].startswith("1. Goals")
    # a draft with one criterion, then a submission missing the other: refused, nothing lost
    client.post(url, data={"points-goals": "2", "comment-goals": "Claro", "action": "save"})
    refused = client.post(url, data={"points-goals": "2", "comment-goals": "Claro", "action": "submit"})
    assert refused.status_code == 200
    text = refused.data.decode()
    assert "Choose a level for this criterion." in text_of(text, "#criterion-tone")
    assert (
        text_of(text, "#grade-problems") == "Go to the criteria to complete: Tone: Choose a level for this criterion."
    )
    assert 'value="2" checked' in text and ">Claro</textarea>" in text
    done = client.post(
        url,
        data={
            "points-goals": "2",
            "points-tone": "1",
            "comment-tone": "Más cercano",
            "overall_comment": "Bien",
            "action": "submit",
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(attempt), attempt.id).status == "scored"

    login(client, make_user("hr", scope=(bank["bank"],)))  # the grade reaches HR's individual report
    report = {
        cells[0]: cells[1:]
        for cells in rows_of(client.get(f"/people/{people['ana'].id}").data.decode(), "#profile-table")
    }
    assert report["visits"][0] == "100"  # goals at its top level is the only evidence for visits

    login(client, people["ana"])
    result = client.get(f"/learn/attempts/{attempt.id}/result").data.decode()
    grade_rows = rows_of(result, "#grade-fx-open")
    assert grade_rows[0][0] == "Goals" and grade_rows[0][1].startswith("2 of 2")
    assert grade_rows[1][1].startswith("1 of 3") and grade_rows[1][2] == "Más cercano"
    assert "Bien" in text_of(result, "#graded-fx-open")
    index = client.get("/learn/").data.decode()
    assert "Your written answer in Test has been graded" in text_of(index, "#notices")
    assert "Graded" in text_of(index, "#completed")


def test_submit_and_next_moves_through_the_queue(client, people):
    submitted(people["ana"], "Primero")
    submitted(people["ana"], "Segundo")
    login(client, people["carmen"])
    url = open_first(client)
    response = client.post(url, data={"points-goals": "2", "points-tone": "3", "action": "submit_next"})
    following = response.headers["Location"]
    assert following != url and "/train/grading/tasks/" in following
    assert text_of(client.get(following).data.decode(), "#answer-text") == "Segundo"


def test_a_claimed_response_is_refused_to_another_trainer_with_who_has_it(client, people):
    submitted(people["ana"])
    login(client, people["carmen"])
    url = open_first(client)
    task_id = int(re.search(r"/tasks/(\d+)", url).group(1))
    login(client, people["pablo"])
    assert "Carmen Formadora is grading it" in text_of(client.get("/train/grading/").data.decode(), "#queue")
    page = client.post(f"/train/grading/tasks/{task_id}/claim", follow_redirects=True).data.decode()
    assert "Carmen Formadora opened this response" in page


def test_anonymous_grading_hides_the_name_until_release(client, people):
    submitted(people["ana"], anonymous_grading=True)
    login(client, people["carmen"])
    page = client.get("/train/grading/").data.decode()
    assert "Ana Norte" not in text_of(page, "#queue") and "Anonymous until released" in text_of(page, "#queue")
    grading_page = client.get(open_first(client)).data.decode()
    assert "Ana Norte" not in text_of(grading_page, "#response-meta")


def test_release_by_the_trainer_in_one_action(client, people):
    attempt = submitted(people["ana"], release_grades="by_trainer")
    login(client, people["carmen"])
    client.post(open_first(client), data={"points-goals": "2", "points-tone": "3", "action": "submit"})
    page = client.get("/train/grading/").data.decode()
    assert "Test: 1 grade" in text_of(page, "#to-release")
    client.post(f"/train/grading/release/{attempt.exercise_id}")
    db.session.expire_all()
    assert db.session.get(type(attempt), attempt.id).status == "scored"


def test_moderation_then_agreement_page(client, people):
    submitted(people["ana"], moderation_percent=100)
    login(client, people["carmen"])
    client.post(open_first(client), data={"points-goals": "2", "points-tone": "3", "action": "submit"})
    assert client.post("/train/grading/next").headers["Location"].endswith("/train/grading/")  # not to herself
    login(client, people["pablo"])
    second = client.get(open_first(client)).data.decode()
    assert "Moderation" in text_of(second, "#response-meta") and "earlier-grades" not in second  # blind
    client.post(open_first(client), data={"points-goals": "2", "points-tone": "1", "action": "submit"})
    page = client.get("/train/grading/agreement").data.decode()
    rows = rows_of(page, "#agreement-fixture-rubric")
    assert rows[0] == ["Goals", "1", "100%", "100%", "—"] and rows[1][:4] == ["Tone", "1", "0%", "100%"]


def test_regrade_with_a_reason_from_the_graded_responses(client, people):
    attempt = submitted(people["ana"])
    login(client, people["carmen"])
    client.post(open_first(client), data={"points-goals": "0", "points-tone": "0", "action": "submit"})
    listed = client.get("/train/grading/responses").data.decode()
    grading_id = db.session.scalar(select(Grading.id).where(Grading.attempt_id == attempt.id))
    assert f"/train/grading/responses/{grading_id}" in listed
    url = f"/train/grading/responses/{grading_id}"
    no_reason = client.post(url, data={"points-goals": "2", "points-tone": "3"}).data.decode()
    assert "Say why you are changing the grade" in no_reason
    client.post(url, data={"points-goals": "2", "points-tone": "3", "reason": "Releído"})
    page = client.get(url).data.decode()
    assert len(texts_of(page, "#grade-history li")) == 2 and "Releído" in text_of(page, "#grade-history")
    login(client, people["ana"])
    result = client.get(f"/learn/attempts/{attempt.id}/result").data.decode()
    assert "changed" in text_of(result, "#graded-fx-open")
    assert grading.released_grades(attempt)["fx-open"].grade.points == {"goals": 2, "tone": 3}


def test_what_a_trainer_sees_of_a_manager(client, people, bank, make_user):
    """Trainers coach the managers of their scope: their reports and PDFs, nobody else's; an
    answer under anonymous grading is not in its author's report before release."""
    submitted(people["ana"], "Texto secreto del plan", anonymous_grading=True)
    south = make_user("manager", unit=bank["sevilla"])
    login(client, make_user("trainer", scope=(bank["north"],)))
    report = client.get(f"/people/{people['ana'].id}")
    assert report.status_code == 200 and "Texto secreto" not in report.data.decode()
    assert client.get(f"/people/{people['ana'].id}.pdf").status_code == 200
    assert client.get(f"/people/{south.id}").status_code == 404
    assert client.get(f"/people/{south.id}.pdf").status_code == 404


def test_odd_queue_filters_are_ignored_not_a_server_error(client, people):
    submitted(people["ana"])
    login(client, people["carmen"])
    odd = "?org_unit=99999999999999999999&exercise=abc&career_level=boss&mine="
    page = client.get(f"/train/grading/{odd}")
    assert page.status_code == 200
    assert text_of(page.data.decode(), "#queue-summary") == "1 written answer waits for you."
    assert client.post(f"/train/grading/next{odd}").status_code == 302


def test_a_manager_dismisses_a_notice(client, people):
    submitted(people["ana"])
    login(client, people["carmen"])
    client.post(open_first(client), data={"points-goals": "2", "points-tone": "3", "action": "submit"})
    login(client, people["ana"])
    page = client.get("/learn/").data.decode()
    notice_id = int(re.search(r"/learn/notices/(\d+)/dismiss", page).group(1))
    assert client.post(f"/learn/notices/{notice_id}/dismiss").status_code == 302
    assert 'id="notices"' not in client.get("/learn/").data.decode()
