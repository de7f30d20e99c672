"""Trainers see which items work, computed from the graded attempts in their scope."""

from werkzeug.datastructures import MultiDict

from app.services import attempts
from tests.conftest import login
from tests.html import select, text_of, texts_of


def take(user, single, numeric):
    attempt = attempts.start(user, "fixture-quiz")
    data = MultiDict([("answer-fx-single", single), ("answer-fx-numeric", numeric)])
    attempts.save_answers(attempt, data, "es", ["fx-single", "fx-numeric"])
    attempts.submit(attempt)


def test_the_analysis_counts_scope_attempts_and_option_choices(client, make_user, bank, content_bank):
    north = [make_user("manager", unit=bank["bilbao"]) for _ in range(3)]
    south = make_user("manager", unit=bank["sevilla"])
    for user, (single, numeric) in zip(north, [("a", "1,5"), ("b", "2"), ("a", "1,5")], strict=True):
        take(user, single, numeric)
    take(south, "c", "9")
    login(client, make_user("trainer", scope=(bank["north"],)))
    page = client.get("/train/exercises/fixture-quiz/analysis").data.decode()
    assert '<dd class="col-sm-8" id="attempt-count">3</dd>' in page  # the south attempt is out of scope
    # Items in the exercise's order; each option with its text, how often it was chosen and the key.
    assert [text_of(code, "code") for code in select(page, "#items tbody tr")][:2] == ["fx-single", "fx-best-worst"]
    single = select(page, "#items tbody tr")[0]
    assert texts_of(single, ".option-tallies li") == ["67 % — Good the most effective", "33 % — Weak", "0 % — Bad"]
    assert "fx-open" not in page  # written answers are graded, not analysed here
    login(client, make_user("hr", scope=(bank["bank"],)))
    assert (
        '<dd class="col-sm-8" id="attempt-count">4</dd>'
        in client.get("/train/exercises/fixture-quiz/analysis").data.decode()
    )
    assert client.get("/train/exercises/no-such/analysis").status_code == 404


def test_the_analysis_page_issues_the_same_queries_for_more_attempts(client, make_user, bank, content_bank):
    from tests.web.test_query_counts import queries_for

    login(client, make_user("trainer", scope=(bank["bank"],)))
    take(make_user("manager", unit=bank["bilbao"]), "a", "1,5")
    few = queries_for(client, "/train/exercises/fixture-quiz/analysis")
    for _ in range(6):
        take(make_user("manager", unit=bank["bilbao"]), "b", "2")
    assert queries_for(client, "/train/exercises/fixture-quiz/analysis") == few
