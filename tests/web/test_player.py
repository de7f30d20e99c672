"""The manager's player through the test client: every item type, without JavaScript."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Attempt
from app.services import assignments
from tests.conftest import login
from tests.html import rows_of, text_of, texts_of
from tests.html import select as elements


@pytest.fixture
def manager(client, make_user, content_bank):
    user = make_user("manager", name="Lucía Test")
    login(client, user)
    return user


def start(client, key):
    response = client.post(f"/learn/exercises/{key}/start")
    assert response.status_code == 302, response.data
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    return attempt_id


ANSWERS = {
    "fx-single": {"answer-fx-single": "a"},
    "fx-best-worst": {"answer-fx-best-worst-best": "a", "answer-fx-best-worst-worst": "c"},
    "fx-rank": {"answer-fx-rank-a": "2", "answer-fx-rank-b": "1", "answer-fx-rank-c": "3"},
    "fx-rating": {"answer-fx-rating-a": "5", "answer-fx-rating-b": "2"},
    "fx-multi": {"answer-fx-multi": ["a", "c"]},
    "fx-numeric": {"answer-fx-numeric": "1,5"},
    "fx-open": {"answer-fx-open": "Visitaré al cliente el martes con su balance."},
}


def test_my_exercises_lists_practice_and_assignments(client, manager, make_user):
    assignments.assign(make_user("admin"), "fixture-diagnostic", "users", {manager.id})
    page = client.get("/learn/").data.decode()
    assert "Diagnóstico" not in page  # English interface
    # By region: the header's "Lucía Test" would satisfy a look for "Test" anywhere on the page.
    assert [row[0] for row in rows_of(page, "table#assigned")] == ["Diagnostic"]
    # Practice, grouped by kind, each with its length, what it measures and whether it was done.
    assert texts_of(page, "#practice h3") == [
        "Quizzes: situations to judge",
        "Branching scenarios: decisions that stick",
        "Self-assessment",
    ]
    assert texts_of(page, "#practice li") == [
        "Test 7 items · not done yet Measures: planning, communication, ethics and 5 more",
        "Scenario up to 2 decisions · not done yet Measures: relationship, ethics, communication",
        "Self-assessment 2 statements · not done yet",
    ]


def test_a_quiz_from_start_to_result_without_javascript(client, manager):
    attempt_id = start(client, "fixture-quiz")
    attempt = db.session.get(Attempt, attempt_id)
    order = [e["key"] for e in attempt.plan]
    first = client.get(f"/learn/attempts/{attempt_id}/items/1")
    assert first.status_code == 200 and "Item 1 of 7" in first.data.decode()
    for number, key in enumerate(order, start=1):
        page = client.get(f"/learn/attempts/{attempt_id}/items/{number}")
        assert page.status_code == 200, (key, page.data[:300])
        saved = client.post(f"/learn/attempts/{attempt_id}/items/{number}", data={**ANSWERS[key], "go": "next"})
        assert saved.status_code == 302, (key, saved.data[:500])
    review = client.get(f"/learn/attempts/{attempt_id}/submit").data.decode()
    assert "Every item is answered" in review
    done = client.post(f"/learn/attempts/{attempt_id}/submit")
    assert done.headers["Location"].endswith(f"/learn/attempts/{attempt_id}/result")
    result = client.get(done.headers["Location"]).data.decode()
    assert 'id="awaiting-grading"' in result  # the open response waits for a trainer


def test_a_bad_answer_is_explained_and_keeps_what_was_typed(client, manager):
    attempt_id = start(client, "fixture-quiz")
    attempt = db.session.get(Attempt, attempt_id)
    number = [e["key"] for e in attempt.plan].index("fx-best-worst") + 1
    response = client.post(
        f"/learn/attempts/{attempt_id}/items/{number}",
        data={"answer-fx-best-worst-best": "a", "answer-fx-best-worst-worst": "a"},
    )
    assert response.status_code == 422
    assert "cannot be both" in response.data.decode()


def test_the_confirmation_lists_unanswered_items(client, manager):
    attempt_id = start(client, "fixture-quiz")
    page = client.get(f"/learn/attempts/{attempt_id}/submit").data.decode()
    assert "7 items are not answered yet" in page
    assert page.count(f"/learn/attempts/{attempt_id}/items/") == 8  # 7 links + back to the items
    assert "Your written answer is empty" in text_of(page, "#blank-written")
    client.post(f"/learn/attempts/{attempt_id}/answers/fx-open", data=ANSWERS["fx-open"])
    page = client.get(f"/learn/attempts/{attempt_id}/submit").data.decode()
    assert "6 items are not answered yet" in page and 'id="blank-written"' not in page


def test_the_scenario_player_shows_feedback_and_keeps_decisions(client, manager):
    attempt_id = start(client, "fixture-scenario")
    step = client.get(f"/learn/attempts/{attempt_id}/scenario").data.decode()
    assert 'id="narrative"' in step and "A client calls" in step
    client.post(f"/learn/attempts/{attempt_id}/scenario", data={"step": "s1", "choice": "a"})
    stale = client.post(f"/learn/attempts/{attempt_id}/scenario", data={"step": "s1", "choice": "b"})
    assert stale.status_code == 302
    followed = client.get(stale.headers["Location"]).data.decode()
    assert "Decisions stick" in followed and "Your path so far: 1 decision" in followed
    client.post(f"/learn/attempts/{attempt_id}/scenario", data={"step": "s2", "choice": "a"})
    result = client.get(f"/learn/attempts/{attempt_id}/result").data.decode()
    assert 'id="competency-scores"' in result and 'id="review-path"' in result


def test_the_self_assessment_is_grouped_by_family(client, manager):
    attempt_id = start(client, "fixture-self")
    page = client.get(f"/learn/attempts/{attempt_id}/statements/quality").data.decode()
    assert "I plan" in page and "Strongly agree" in page
    client.post(
        f"/learn/attempts/{attempt_id}/statements/quality", data={"answer-fx-likert-1": "4", "answer-fx-likert-2": "2"}
    )
    client.post(f"/learn/attempts/{attempt_id}/submit")
    assert "self-assessment is saved" in client.get(f"/learn/attempts/{attempt_id}/result").data.decode()


def test_autosave_answers_json_and_refuses_after_submission(client, manager):
    attempt_id = start(client, "fixture-quiz")
    ok = client.post(f"/learn/attempts/{attempt_id}/answers/fx-numeric", data={"answer-fx-numeric": "1,5"})
    assert ok.status_code == 200 and ok.json == {"saved": True, "message": "Saved"}
    bad = client.post(f"/learn/attempts/{attempt_id}/answers/fx-numeric", data={"answer-fx-numeric": "abc"})
    assert bad.status_code == 422 and not bad.json["saved"]
    client.post(f"/learn/attempts/{attempt_id}/submit")
    late = client.post(f"/learn/attempts/{attempt_id}/answers/fx-numeric", data={"answer-fx-numeric": "2"})
    assert late.status_code == 409 and "already been submitted" in late.json["message"]


def test_another_managers_attempt_is_not_found(client, manager, make_user):
    attempt_id = start(client, "fixture-quiz")
    login(client, make_user("manager"))
    assert client.get(f"/learn/attempts/{attempt_id}/items/1").status_code == 404
    assert (
        client.post(f"/learn/attempts/{attempt_id}/answers/fx-single", data={"answer-fx-single": "a"}).status_code
        == 404
    )
    assert db.session.scalar(select(Attempt).where(Attempt.id == attempt_id)).status == "in_progress"


def test_immediate_feedback_shows_after_checking_and_then_the_answer_is_final(client, manager):
    attempt_id = start(client, "fixture-quiz")  # feedback: immediately
    attempt = db.session.get(Attempt, attempt_id)
    number = [e["key"] for e in attempt.plan].index("fx-single") + 1
    page = client.get(f"/learn/attempts/{attempt_id}/items/{number}").data.decode()
    assert "Check my answer" in page
    checked = client.post(f"/learn/attempts/{attempt_id}/items/{number}", data={"answer-fx-single": "b", "go": "next"})
    assert checked.headers["Location"].endswith(f"/items/{number}")
    feedback = client.get(checked.headers["Location"]).data.decode()
    shown = text_of(feedback, "#item-feedback")
    assert "score 33/100" in shown and "your answer" in shown
    changed = client.post(f"/learn/attempts/{attempt_id}/answers/fx-single", data={"answer-fx-single": "a"})
    assert changed.status_code == 422 and "can no longer change" in changed.json["message"]
    onwards = client.post(f"/learn/attempts/{attempt_id}/items/{number}", data={"go": "next"})
    assert onwards.status_code == 302 and not onwards.headers["Location"].endswith(f"/items/{number}")


def test_a_half_rated_grid_is_not_counted_as_answered(client, manager):
    attempt_id = start(client, "fixture-quiz")
    client.post(f"/learn/attempts/{attempt_id}/answers/fx-rating", data={"answer-fx-rating-a": "5"})
    page = client.get(f"/learn/attempts/{attempt_id}/submit").data.decode()
    assert "7 items are not answered yet" in page


def test_checking_an_unanswered_item_says_so(client, manager):
    attempt_id = start(client, "fixture-quiz")
    number = [e["key"] for e in db.session.get(Attempt, attempt_id).plan].index("fx-single") + 1  # order is shuffled
    response = client.post(f"/learn/attempts/{attempt_id}/items/{number}", data={"go": "next"})
    assert response.status_code == 422 and "Answer the item before checking it" in response.data.decode()


def test_pages_of_another_kind_of_exercise_are_not_served(client, manager):
    quiz = start(client, "fixture-quiz")
    assert client.get(f"/learn/attempts/{quiz}/statements/duty").status_code == 404
    survey = start(client, "fixture-self")
    assert client.get(f"/learn/attempts/{survey}/items/1").headers["Location"].endswith(f"/attempts/{survey}")
    scenario = start(client, "fixture-scenario")
    assert client.get(f"/learn/attempts/{scenario}/submit").headers["Location"].endswith("/scenario")


def test_the_self_assessment_confirmation_points_to_each_family(client, manager):
    attempt_id = start(client, "fixture-self")
    page = client.get(f"/learn/attempts/{attempt_id}/submit").data.decode()
    assert "2 statements are not answered yet" in page and "/statements/quality" in page
    assert "scores 0" not in page


def test_a_typed_number_comes_back_as_typed(client, manager):
    attempt_id = start(client, "fixture-quiz")
    number = [e["key"] for e in db.session.get(Attempt, attempt_id).plan].index("fx-numeric") + 1
    client.post(f"/learn/attempts/{attempt_id}/answers/fx-numeric", data={"answer-fx-numeric": "1,23456"})
    assert 'value="1.23456"' in client.get(f"/learn/attempts/{attempt_id}/items/{number}").data.decode()


def test_practice_says_when_i_last_did_an_exercise(client, manager):
    attempt_id = start(client, "fixture-quiz")
    client.post(f"/learn/attempts/{attempt_id}/submit")
    quiz = texts_of(client.get("/learn/").data, "#practice li")[0]
    assert quiz.startswith("Test 7 items · last done ") and "not done yet" not in quiz


def test_the_result_leads_with_the_overall_figure_and_names_the_most_effective_response(client, manager):
    attempt_id = start(client, "fixture-quiz")
    client.post(f"/learn/attempts/{attempt_id}/answers/fx-single", data={"answer-fx-single": "b"})
    client.post(f"/learn/attempts/{attempt_id}/submit")  # fx-open left blank: nothing waits for a trainer
    page = client.get(f"/learn/attempts/{attempt_id}/result").data
    scores = rows_of(page, "#competency-scores")
    weights = {row[0]: float(row[2]) for row in scores}
    expected = sum(float(row[1]) * weights[row[0]] for row in scores) / sum(weights.values())
    assert text_of(page, "#overall") == f"{round(expected)} out of 100"
    single = next(e for e in elements(page, ".review-item") if "What do you do?" in e.text)
    badges = [b.text for b in elements(single, "li .badge")]
    assert sorted(badges) == ["the most effective", "your answer"]  # b chosen; a, the key, named
    assert [li.text.split(" ")[0] for li in elements(single, "li") if "the most effective" in li.text] == ["Good"]
