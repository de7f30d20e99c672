"""The attempt lifecycle: start, resume, save, deadline, submit once, exhausted attempts, versions."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import MultiDict

from app.domain.content_sync import digest
from app.extensions import db
from app.models import Answer, Attempt, AttemptScore, ContentVersion
from app.models.users import utcnow
from app.services import assignments, attempts, content_loader
from app.services.attempts import AttemptRefused


@pytest.fixture
def bank_dir(content_bank):
    return content_bank


@pytest.fixture
def manager(make_user):
    return make_user("manager")


def save(manager, attempt, key, now=None, **fields):
    data = MultiDict([(f"answer-{key}" + (f"-{k}" if k != "value" else ""), v) for k, v in fields.items()])
    return attempts.save_answers(attempt, data, "es", [key], now=now)


def test_an_attempt_fixes_its_items_orders_and_versions(bank_dir, manager):
    attempt = attempts.start(manager, "fixture-quiz")
    assert [e["key"] for e in attempt.plan] and len(attempt.plan) == 7
    assert attempts.start(manager, "fixture-quiz").id == attempt.id  # resuming, not a second attempt
    keys = sorted(e["key"] for e in attempt.plan)
    assert keys == sorted(["fx-single", "fx-best-worst", "fx-rank", "fx-rating", "fx-multi", "fx-numeric", "fx-open"])
    first_plan = [dict(e) for e in attempt.plan]
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).plan == first_plan


def test_a_pool_draw_takes_the_counts_asked_for(bank_dir, manager, make_user):
    assignments.assign(make_user("admin"), "fixture-diagnostic", "users", {manager.id})
    attempt = attempts.start(manager, "fixture-diagnostic")
    keys = [e["key"] for e in attempt.plan]
    assert len(keys) == 4 and "fx-numeric" in keys and "fx-secure" in keys  # 2 + 1 + 1 from the secure pool


def test_answers_are_saved_one_by_one_and_scored_on_submit(bank_dir, manager):
    attempt = attempts.start(manager, "fixture-quiz")
    assert save(manager, attempt, "fx-single", value="a") == {}
    assert save(manager, attempt, "fx-numeric", value="1,5") == {}
    assert save(manager, attempt, "fx-best-worst", best="a", worst="a") == {"fx-best-worst": "best_is_worst"}
    assert set(attempts.answers_by_key(attempt)) == {"fx-single", "fx-numeric"}
    attempts.submit(attempt)
    assert attempt.status == "awaiting_grading" or attempt.status == "scored"


def test_a_quiz_without_open_answers_is_scored_per_competency(bank_dir, manager):
    attempt = attempts.start(manager, "fixture-quiz")
    save(manager, attempt, "fx-single", value="a")  # ethics 2, communication 1: score 1
    save(manager, attempt, "fx-numeric", value="2")  # analysis 1: wrong, 0
    attempts.submit(attempt)  # fx-open left blank: nothing to grade, 0 on every criterion
    assert attempt.status == "scored"
    scores = {
        s.competency: (s.score, s.weight)
        for s in db.session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id))
    }
    assert scores["ethics"] == (1.0, 2)
    assert scores["communication"] == (0.5, 2)  # fx-single's 1 (weight 1) and the blank tone criterion's 0
    assert scores["planning"][0] == 0.0 and scores["visits"][0] == 0.0
    assert scores["analysis"] == (0.0, 1)
    assert scores["risk"] == (0.0, 1)  # unanswered best/worst counts as 0


def test_an_answered_open_response_waits_for_grading(bank_dir, manager):
    attempt = attempts.start(manager, "fixture-quiz")
    save(manager, attempt, "fx-open", value="Plan: visitar al cliente el martes.")
    attempts.submit(attempt)
    assert attempt.status == "awaiting_grading"
    assert (
        db.session.scalar(select(func.count()).select_from(AttemptScore).where(AttemptScore.attempt_id == attempt.id))
        == 0
    )


def test_submitting_twice_scores_once(bank_dir, manager):
    attempt = attempts.start(manager, "fixture-quiz")
    save(manager, attempt, "fx-single", value="a")
    attempts.submit(attempt)
    first = attempt.submitted_at
    attempts.submit(attempt)
    assert attempt.submitted_at == first
    with pytest.raises(AttemptRefused) as refused:
        save(manager, attempt, "fx-single", value="b")
    assert refused.value.code == "already_submitted"


def test_the_deadline_refuses_late_answers_and_submits_what_was_saved(bank_dir, manager):
    start = utcnow()
    attempt = attempts.start(manager, "fixture-quiz", now=start)  # 10-minute limit
    assert attempt.deadline_at == start + timedelta(minutes=10)
    save(manager, attempt, "fx-single", now=start + timedelta(minutes=9), value="a")
    with pytest.raises(AttemptRefused) as refused:
        save(manager, attempt, "fx-numeric", now=start + timedelta(minutes=10, seconds=1), value="1,5")
    assert refused.value.code == "deadline_passed"
    assert attempt.expired and attempt.submitted_at == attempt.deadline_at
    assert set(attempts.answers_by_key(attempt)) == {"fx-single"}  # the acknowledged answer was kept


def test_an_expired_attempt_is_submitted_by_its_next_write_never_by_a_read(bank_dir, manager):
    start = utcnow() - timedelta(hours=1)
    attempt = attempts.start(manager, "fixture-quiz", now=start)
    save(manager, attempt, "fx-single", now=start + timedelta(minutes=1), value="a")
    read = attempts.own_attempt(manager, attempt.id)
    assert read.status == "in_progress" and attempts.time_is_up(read) and not db.session.dirty
    attempts.submit(read)  # a late submit counts as of the deadline
    assert read.status == "scored" and read.expired and read.submitted_at == read.deadline_at


def test_the_attempts_allowed_are_honoured(bank_dir, manager):
    for _ in range(2):  # fixture-quiz allows 2
        attempts.submit(attempts.start(manager, "fixture-quiz"))
    with pytest.raises(AttemptRefused) as refused:
        attempts.start(manager, "fixture-quiz")
    assert refused.value.code == "attempts_exhausted"


def test_an_exercise_that_is_not_open_practice_needs_an_assignment(bank_dir, manager, make_user):
    with pytest.raises(AttemptRefused) as refused:
        attempts.start(manager, "fixture-diagnostic")  # fixture-diagnostic is not open practice
    assert refused.value.code == "not_assigned"


def test_an_item_changed_or_retired_mid_attempt_keeps_the_version_the_attempt_started_with(bank_dir, manager):
    attempt = attempts.start(manager, "fixture-quiz")
    before = {e["key"]: e["version_id"] for e in attempt.plan}
    quiz = bank_dir / "questions" / "fixture-quiz.yaml"
    text = quiz.read_text().replace("answer: 1.5", "answer: 2.5")
    start, end = text.index("  - id: fx-rating"), text.index("  - id: fx-multi")
    quiz.write_text(text[:start] + text[end:])  # fx-rating retired, fx-numeric changed
    plan = content_loader.sync(root=bank_dir)
    assert ("item", "fx-rating") in plan.retired and ("item", "fx-numeric") in plan.changed
    save(manager, attempt, "fx-numeric", value="1,5")  # right on version 1, wrong on version 2
    save(manager, attempt, "fx-rating", a="5", b="2")
    attempts.submit(attempt)
    answers = attempts.answers_by_key(attempt)
    assert answers["fx-numeric"].score == 1.0 and answers["fx-numeric"].item_version_id == before["fx-numeric"]
    assert answers["fx-rating"].score == 1.0
    fresh = attempts.start(manager, "fixture-quiz")
    assert "fx-rating" not in [e["key"] for e in fresh.plan]


def test_scenario_decisions_stick_and_the_ending_submits(bank_dir, manager):
    attempt = attempts.start(manager, "fixture-scenario")
    assert attempts.current_step(attempt)["id"] == "s1"
    attempts.decide(attempt, "s1", "b")  # critical for ethics
    with pytest.raises(AttemptRefused) as stale:
        attempts.decide(attempt, "s1", "a")
    assert stale.value.code == "decision_taken"
    attempts.decide(attempt, "s3", "a")
    assert attempt.status == "scored"
    scores = {
        s.competency: s for s in db.session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id))
    }
    assert scores["ethics"].score == 0.0 and scores["ethics"].weight == 2  # critical, and the scenario's weight
    assert scores["relationship"].score == pytest.approx(2 / 3)
    assert scores["communication"].score == 1.0


def test_nobody_else_can_touch_an_attempt(bank_dir, manager, make_user):
    attempt = attempts.start(manager, "fixture-quiz")
    with pytest.raises(Exception) as missing:
        attempts.own_attempt(make_user("manager"), attempt.id)
    assert type(missing.value).__name__ == "NotFound"


def test_self_assessment_answers_are_saved_and_submitted(bank_dir, manager):
    attempt = attempts.start(manager, "fixture-self")
    save(manager, attempt, "fx-likert-1", value="4")
    save(manager, attempt, "fx-likert-2", value="2")
    attempts.submit(attempt)
    assert attempt.status == "scored"
    assert {a.item_key: a.value for a in db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))} == {
        "fx-likert-1": 4,
        "fx-likert-2": 2,
    }


def test_item_bodies_are_kept_by_digest_and_read_again_for_a_digest_not_seen(bank_dir, manager):
    """A kept body is keyed by the digest of its content, so a version that is not what was kept
    (another database with the same ids, a test bank rebuilt) is never answered from the cache."""
    from tests.web.test_query_counts import counting_queries

    attempt = attempts.start(manager, "fixture-quiz")
    ids = [e["version_id"] for e in attempt.plan]
    first = attempts.version_bodies(ids)
    with counting_queries() as statements:
        again = attempts.version_bodies(ids)
    assert again == first and len(statements) == 1  # the digests only
    version = db.session.get(ContentVersion, ids[0])
    changed = {**version.body, "stem": {"es": "Otro enunciado", "en": "Another stem"}}
    db.session.execute(
        update(ContentVersion).where(ContentVersion.id == version.id).values(body=changed, digest=digest(changed))
    )
    with counting_queries() as statements:
        read = attempts.version_bodies(ids)
    assert read[ids[0]] == changed and len(statements) == 2  # the new digest's body is read
    assert {k: v for k, v in read.items() if k != ids[0]} == {k: v for k, v in first.items() if k != ids[0]}
