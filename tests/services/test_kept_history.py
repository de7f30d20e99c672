"""The kept sums that keep the past where it happened, the monthly trend sums (cohort months) and
the item-analysis sums, equal a recount from the attempts after any sequence of scoring, grading,
regrading and moving managers between units and career levels: each attempt counts under the unit
and career level its manager had when it was first scored, and a regrade after a move takes its
earlier contribution back from there."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Attempt, Grading
from app.services import attempts, grading
from app.services.grading import GradeInput, GradingRefused
from tests.services.test_cohort_levels import _update
from tests.services.test_grading import grade, task_of, written
from tests.services.test_item_sums import _recounted, _stored
from tests.services.test_synthetic_bank import _cube_from_attempts

POINTS = {"low": {"goals": "0", "tone": "0"}, "mid": {"goals": "1", "tone": "1"}, "top": {"goals": "2", "tone": "3"}}

step = st.one_of(
    st.tuples(st.just("quiz"), st.integers(0, 1), st.sampled_from("abc")),
    st.tuples(st.just("written"), st.integers(0, 1), st.sampled_from(sorted(POINTS))),
    st.tuples(st.just("regrade"), st.integers(0, 1), st.sampled_from(sorted(POINTS))),
    st.tuples(st.just("move"), st.integers(0, 1), st.sampled_from((None, "bilbao", "santander", "sevilla", "north"))),
    st.tuples(st.just("career"), st.integers(0, 1), st.sampled_from((None, "junior", "mid", "senior"))),
)


def _take(kind, manager, value, bank, trainers):
    if kind == "quiz":
        quiz = attempts.start(manager, "fixture-quiz")
        attempts.save_answers(quiz, MultiDict([("answer-fx-single", value)]), "en", ["fx-single"])
        attempts.submit(quiz)
    elif kind == "written":
        task = task_of(written(manager))
        grading.claim(trainers[0], task)
        grade(trainers[0], task, POINTS[value])
    elif kind == "regrade":
        latest = db.session.scalar(
            select(Grading)
            .join(Attempt, Attempt.id == Grading.attempt_id)
            .where(Attempt.user_id == manager.id, Attempt.status == "scored")
            .order_by(Grading.id.desc())
        )
        if latest is not None:
            grading.regrade(trainers[1], latest, GradeInput(POINTS[value], reason="Revisado"))
    elif kind == "move":
        _update(manager, bank, org_unit_id=bank[value].id if value else None)
    else:
        _update(manager, bank, career_level=value)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=10))
def test_trend_and_item_sums_equal_a_recount_after_any_sequence(make_user, bank, content_bank, steps):
    managers = [make_user("manager", unit=bank[unit], career_level="mid") for unit in ("bilbao", "sevilla")]
    trainers = [make_user("trainer", scope=(bank["bank"],)) for _ in range(2)]
    for kind, who, value in steps:
        try:
            _take(kind, managers[who], value, bank, trainers)
        except (attempts.AttemptRefused, GradingRefused):  # retakes past the limit, out of scope: nothing changes
            pass
        db.session.flush()
        stored, recounted = _cube_from_attempts()
        assert stored == recounted, (kind, who, value)
        assert _stored() == _recounted(), (kind, who, value)
    db.session.commit()


def test_a_regrade_after_a_move_takes_the_old_score_back_from_the_old_unit(make_user, bank, content_bank):
    manager = make_user("manager", unit=bank["bilbao"], career_level="junior")
    trainers = [make_user("trainer", scope=(bank["bank"],)) for _ in range(2)]
    _take("written", manager, "low", bank, trainers)
    _update(manager, bank, org_unit_id=bank["sevilla"].id, career_level="mid")
    _take("regrade", manager, "top", bank, trainers)
    stored, recounted = _cube_from_attempts()
    assert stored == recounted
    placed = {(unit, level) for unit, level, _month, _code in stored}
    assert placed == {(bank["bank"].id, "junior"), (bank["north"].id, "junior"), (bank["bilbao"].id, "junior")}
    assert all(attempts_counted >= 0 for *_sums, attempts_counted in stored.values())
