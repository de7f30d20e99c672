"""Grading written answers (services/grading.py): queue, claims, drafts, moderation, release, regrade, scope."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import AuditEvent, CohortMonth, Grading, Notice, ProfileScore
from app.models.reporting import ALL_COMPETENCIES
from app.models.users import utcnow
from app.services import attempts, grading
from app.services.grading import GradeInput, GradingRefused, QueueFilters

FULL = {"goals": "2", "tone": "3"}  # the fixture rubric's top levels: planning, visits, communication all 1


@pytest.fixture
def people(content_bank, bank, make_user):
    return {
        "ana": make_user("manager", name="Ana Norte", unit=bank["bilbao"]),
        "sol": make_user("manager", name="Sol Sur", unit=bank["sevilla"]),
        "north": make_user("trainer", scope=(bank["north"],)),
        "north2": make_user("trainer", scope=(bank["north"],)),
        "bank": make_user("trainer", scope=(bank["bank"],)),
        "south": make_user("trainer", scope=(bank["south"],)),
    }


def written(manager, text="Mi plan: visitar al cliente el martes.", **settings):
    """A submitted fixture quiz whose only answer is the written plan (the rest blank, so 0)."""
    attempt = attempts.start(manager, "fixture-quiz")
    if settings:
        body = attempt.exercise_version.body
        body["settings"] = {**body.get("settings", {}), **settings}
        flag_modified(attempt.exercise_version, "body")
    attempts.save_answers(attempt, MultiDict({"answer-fx-open": text}), "es", ["fx-open"])
    attempts.submit(attempt)
    db.session.commit()
    return attempt


def task_of(attempt, purpose="first"):
    found = db.session.scalar(select(Grading).where(Grading.attempt_id == attempt.id))
    return next(t for t in found.tasks if t.purpose == purpose and t.done_at is None)


def grade(trainer, task, points=FULL, submit=True, **comments):
    return grading.save(trainer, task, GradeInput(dict(points), comments, "Buen trabajo."), submit)


def test_a_written_answer_waits_in_the_queue_of_the_trainers_in_scope(people):
    attempt = written(people["ana"])
    assert attempt.status == "awaiting_grading"
    north = grading.queue(people["north"], QueueFilters())
    assert [row.grading.attempt_id for row in north.rows] == [attempt.id] and north.total == 1
    assert north.rows[0].manager == people["ana"]
    assert north.per_exercise == {attempt.exercise_id: 1}
    assert grading.queue(people["south"], QueueFilters()).rows == []
    with pytest.raises(grading.NotFound):
        grading.visible_task(people["south"], task_of(attempt).id)


def test_a_blank_written_answer_is_not_sent_to_the_graders(people):
    attempt = attempts.start(people["ana"], "fixture-quiz")
    attempts.submit(attempt)
    assert attempt.status == "scored"
    assert db.session.scalar(select(func.count(Grading.id))) == 0


def test_queue_filters_by_unit_career_level_exercise_and_mine(people, bank, make_user):
    junior = written(people["ana"])
    mid = written(make_user("manager", unit=bank["santander"], career_level="mid"))
    trainer = people["north"]
    assert [r.grading.attempt_id for r in grading.queue(trainer, QueueFilters(org_unit_id=bank["bilbao"].id)).rows] == [
        junior.id
    ]
    assert [r.grading.attempt_id for r in grading.queue(trainer, QueueFilters(career_level="mid")).rows] == [mid.id]
    assert grading.queue(trainer, QueueFilters(exercise_id=junior.exercise_id)).total == 2
    assert grading.queue(trainer, QueueFilters(mine=True)).rows == []
    grading.claim(trainer, task_of(mid))
    assert [r.grading.attempt_id for r in grading.queue(trainer, QueueFilters(mine=True)).rows] == [mid.id]


def test_a_claim_keeps_others_out_until_it_expires(people):
    task = task_of(written(people["ana"]))
    now = utcnow()
    grading.claim(people["north"], task, now)
    with pytest.raises(GradingRefused) as refused:
        grading.claim(people["north2"], task, now + timedelta(minutes=5))
    assert refused.value.code == "claimed" and refused.value.holder == people["north"]
    assert grading.queue(people["north2"], QueueFilters(), now).rows[0].claimed_by_other
    grading.claim(people["north2"], task, now + timedelta(minutes=31))
    assert task.claimed_by == people["north2"]


def test_next_response_claims_the_oldest_one_free(people, bank, make_user):
    first = written(people["ana"])
    second = written(make_user("manager", unit=bank["santander"]))
    grading.claim(people["north2"], task_of(first))
    taken = grading.claim_next(people["north"], QueueFilters())
    assert taken.grading.attempt_id == second.id
    assert grading.claim_next(people["north"], QueueFilters(career_level="mid")) is None


def test_a_draft_keeps_what_was_entered_and_an_ungraded_criterion_cannot_be_submitted(people):
    attempt = written(people["ana"])
    task = task_of(attempt)
    trainer = people["north"]
    grading.claim(trainer, task)
    assert grade(trainer, task, {"goals": "2"}, submit=False, goals="Objetivos claros") == {}
    assert grade(trainer, task, {"goals": "2"}, submit=True) == {"tone": "ungraded"}
    assert grade(trainer, task, {"goals": "2", "tone": "7"}, submit=True) == {"tone": "unknown_level"}
    draft = grading.draft_of(trainer, task)
    assert draft.points == {"goals": 2} and draft.submitted_at is None
    assert attempt.status == "awaiting_grading"


def test_a_submitted_grade_released_at_once_scores_the_attempt_profile_trends_and_tells_the_manager(people):
    attempt = written(people["ana"])
    task = task_of(attempt)
    grading.claim(people["north"], task)
    assert grade(people["north"], task, {"goals": "2", "tone": "1"}, tone="Más cercano") == {}
    db.session.refresh(attempt)
    assert attempt.status == "scored"
    scores = {s.competency: s.score for s in attempt.scores}
    assert scores["planning"] == pytest.approx(2 / 3.5)  # goals at the top (weight 2), the blank ranking (1.5) 0
    profile = dict(db.session.execute(select(ProfileScore.competency, ProfileScore.score)).all())
    assert profile["visits"] == pytest.approx(100)
    own_unit = CohortMonth.org_unit_id == people["ana"].org_unit_id  # the units above count it too
    months = db.session.scalars(select(CohortMonth).where(CohortMonth.competency == ALL_COMPETENCIES, own_unit)).all()
    assert sum(m.attempts for m in months) == 1
    notice = db.session.scalar(select(Notice))
    assert (notice.user_id, notice.kind, notice.attempt_id) == (people["ana"].id, "graded", attempt.id)
    released = grading.released_grades(attempt)["fx-open"]
    assert released.grade.points == {"goals": 2, "tone": 1} and released.grade.comments == {"tone": "Más cercano"}


def test_grades_released_by_the_trainer_wait_and_then_go_out_in_one_action(people):
    attempt = written(people["ana"], release_grades="by_trainer")
    task = task_of(attempt)
    grading.claim(people["north"], task)
    grade(people["north"], task)
    db.session.refresh(attempt)
    assert attempt.status == "awaiting_grading" and grading.released_grades(attempt) == {}
    assert grading.awaiting_release(people["south"]) == []
    assert grading.awaiting_release(people["north"]) == [(attempt.exercise_id, 1)]
    assert grading.release_exercise(people["north"], attempt.exercise_id) == 1
    db.session.refresh(attempt)
    assert attempt.status == "scored" and db.session.scalar(select(func.count(Notice.id))) == 1


def test_moderation_sends_a_blind_second_grade_and_a_third_resolves_two_levels_apart(people, make_user, bank):
    attempt = written(people["ana"], moderation_percent=100)
    first = task_of(attempt)
    grading.claim(people["north"], first)
    grade(people["north"], first, {"goals": "2", "tone": "3"})
    second = task_of(attempt, "second")
    assert grading.queue(people["north"], QueueFilters()).rows == []  # not to the first grader
    assert [r.task.id for r in grading.queue(people["north2"], QueueFilters()).rows] == [second.id]
    grading.claim(people["north2"], second)
    grade(people["north2"], second, {"goals": "2", "tone": "0"})  # tone: 3 against 0
    resolve = task_of(attempt, "resolve")
    assert attempt.status == "awaiting_grading"
    for trainer in ("north", "north2", "bank"):  # a third grader, or the two agreeing together
        assert [r.task.purpose for r in grading.queue(people[trainer], QueueFilters()).rows] == ["resolve"]
    grading.claim(people["bank"], resolve)
    grade(people["bank"], resolve, {"goals": "2", "tone": "1"})
    db.session.refresh(attempt)
    assert attempt.status == "scored"
    assert grading.released_grades(attempt)["fx-open"].grade.points == {"goals": 2, "tone": 1}
    kept = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("grade.%"))).all()
    assert sorted(kept) == ["grade.first", "grade.resolve", "grade.second"]
    (memo,) = grading.agreement(people["bank"])
    assert memo.overall.pairs == 2 and memo.overall.exact == 0.5 and memo.resolutions == 1
    assert grading.agreement(people["south"]) == []


def test_a_close_second_grade_leaves_the_first_grade_counting(people):
    attempt = written(people["ana"], moderation_percent=100)
    grading.claim(people["north"], task_of(attempt))
    grade(people["north"], task_of(attempt), {"goals": "2", "tone": "3"})
    second = task_of(attempt, "second")
    grading.claim(people["north2"], second)
    grade(people["north2"], second, {"goals": "2", "tone": "1"})  # one level apart: no resolution
    db.session.refresh(attempt)
    assert grading.released_grades(attempt)["fx-open"].grade.grader == people["north"]


def test_moderation_samples_each_graders_first_response_then_the_share(people, bank, make_user):
    attempts_ = [written(make_user("manager", unit=bank["bilbao"]), moderation_percent=1) for _ in range(3)]
    for attempt in attempts_:
        task = task_of(attempt)
        grading.claim(people["north"], task)
        grade(people["north"], task)
    seconds = [
        db.session.scalar(select(Grading).where(Grading.attempt_id == a.id)).tasks[-1].purpose == "second"
        for a in attempts_
    ]
    assert seconds[0] and seconds.count(True) < 3


def test_a_regrade_replaces_the_grade_rescored_and_audited_and_the_manager_sees_it_changed(people):
    attempt = written(people["ana"])
    task = task_of(attempt)
    grading.claim(people["north"], task)
    grade(people["north"], task, {"goals": "0", "tone": "0"})
    found = db.session.scalar(select(Grading).where(Grading.attempt_id == attempt.id))
    before = {s.competency: s.score for s in attempt.scores}
    assert grading.regrade(people["north2"], found, GradeInput(FULL)) == {"reason": "reason_required"}
    assert grading.regrade(people["north2"], found, GradeInput(FULL, reason="Se pasó por alto el plan")) == {}
    db.session.refresh(attempt)
    after = {s.competency: s.score for s in attempt.scores}
    assert before["visits"] == 0 and after["visits"] == 1
    assert dict(db.session.execute(select(ProfileScore.competency, ProfileScore.score)).all())["visits"] == 100
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grade.regrade"))
    assert event.details["old"] == {"goals": 0, "tone": 0} and event.details["new"] == {"goals": 2, "tone": 3}
    assert event.details["reason"] == "Se pasó por alto el plan" and event.actor == people["north2"]
    months = db.session.scalars(select(CohortMonth).where(CohortMonth.org_unit_id == people["ana"].org_unit_id)).all()
    assert sum(m.attempts for m in months if m.competency == ALL_COMPETENCIES) == 1  # re-scored, not counted twice
    visits = next(m for m in months if m.competency == "visits")
    assert visits.weighted == pytest.approx(visits.weight)  # only the new score (1) remains
    assert found.regraded_at is not None
    assert [n.kind for n in db.session.scalars(select(Notice).order_by(Notice.id))] == ["graded", "regraded"]


def test_a_regrade_by_another_trainer_refuses_the_grader_whose_grade_counts(people):
    attempt = written(people["ana"], regrade_by="another_trainer")
    task = task_of(attempt)
    grading.claim(people["north"], task)
    grade(people["north"], task)
    found = db.session.scalar(select(Grading).where(Grading.attempt_id == attempt.id))
    with pytest.raises(GradingRefused) as refused:
        grading.regrade(people["north"], found, GradeInput(FULL, reason="otra vez"))
    assert refused.value.code == "regrade_by_another"


def test_anonymous_grading_hides_the_manager_until_release(people):
    attempt = written(people["ana"], anonymous_grading=True)
    row = grading.queue(people["north"], QueueFilters()).rows[0]
    assert row.manager is None and grading.is_anonymous(row.grading)
    grading.claim(people["north"], row.task)
    grade(people["north"], row.task)
    assert not grading.is_anonymous(row.grading) and row.grading.state == "released"
    assert attempt.user == people["ana"]
