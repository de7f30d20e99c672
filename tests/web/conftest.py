import pytest
from werkzeug.datastructures import MultiDict

from app.services import attempts


@pytest.fixture(autouse=True)
def _each_test_in_a_rolled_back_transaction(database):
    """Tests here touch the database; nothing they write outlives them."""


def scored(user, single):
    attempt = attempts.start(user, "fixture-quiz")
    attempts.save_answers(attempt, MultiDict([("answer-fx-single", single)]), "en", ["fx-single"])
    attempts.submit(attempt)


@pytest.fixture
def managers(make_user, bank, content_bank):
    people = {
        "ana": make_user("manager", name="Ana Norte", unit=bank["bilbao"], career_level="junior"),
        "bea": make_user("manager", name='=HYPERLINK("x")', unit=bank["santander"], career_level="mid"),
        "sara": make_user("manager", name="Sara Sur", unit=bank["sevilla"], career_level="junior"),
    }
    scored(people["ana"], "a")  # ethics 100 (weight 2: insufficient), communication 100
    scored(people["bea"], "b")  # ethics 33
    scored(people["sara"], "c")
    return people
