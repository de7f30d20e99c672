"""`flask demo generate`: bulk-written data that every report reads as if it were real."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, AssignmentRecipient, Attempt, AttemptScore, ProfileScore, SelfScore, User
from app.services import attempts, profiles, synthetic_bank


def _stored(model, user_ids):
    rows = db.session.scalars(select(model).where(model.user_id.in_(user_ids)))
    return {(r.user_id, r.competency): round(r.score, 9) for r in rows}


def test_generated_profiles_are_exactly_what_scoring_the_stored_attempts_gives(content_bank):
    report = synthetic_bank.generate(managers=24, months=6, seed=1)
    managers = db.session.scalars(select(User).where(User.email.like("%@synthetic.cartera"))).all()
    assert report.managers == len(managers) == 24
    assert {m.career_level for m in managers} <= {"junior", "mid", "senior"}
    assert all(m.roles == {"manager"} and m.org_unit.path.count("/") == 4 for m in managers)
    assert report.attempts == db.session.scalar(select(func.count(Attempt.id))) > 24
    assert db.session.scalar(select(func.count()).select_from(AttemptScore)) > 0
    assert report.assignments == db.session.scalar(select(func.count(Assignment.id))) > 0
    assert db.session.scalar(select(func.count()).select_from(AssignmentRecipient)) >= 24

    ids = [m.id for m in managers]
    generated = _stored(ProfileScore, ids), _stored(SelfScore, ids)
    assert generated[0] and generated[1]
    for user_id in ids:
        profiles.refresh(db.session.get(User, user_id))
    db.session.flush()
    assert (_stored(ProfileScore, ids), _stored(SelfScore, ids)) == generated


def test_the_same_seed_gives_the_same_bank_and_a_second_run_adds_new_people(content_bank):
    first = synthetic_bank.generate(managers=5, months=2, seed=9)
    second = synthetic_bank.generate(managers=5, months=2, seed=9)
    assert (first.attempts, first.answers) == (second.attempts, second.answers)
    emails = db.session.scalars(select(User.email).where(User.email.like("%@synthetic.cartera"))).all()
    assert len(set(emails)) == 10
    branches = db.session.scalars(select(User.org_unit_id).where(User.email.like("%@synthetic.cartera"))).all()
    assert len(set(branches)) == 2  # each run in a branch of its own


def _scores_in_order() -> list[tuple]:
    """Every synthetic manager's scores in the order the managers were made, without their ids."""
    rows = db.session.execute(
        select(User.id, ProfileScore.competency, ProfileScore.score, ProfileScore.evidence, ProfileScore.level)
        .join(ProfileScore, ProfileScore.user_id == User.id)
        .where(User.email.like("%@synthetic.cartera"))
        .order_by(User.id, ProfileScore.competency)
    ).all()
    return [
        (user_id, code, round(score, 9), round(evidence, 9), level) for user_id, code, score, evidence, level in rows
    ]


def test_worker_processes_simulate_the_same_bank_as_one_process(content_bank):
    managers = synthetic_bank.BRANCHES_PER_BATCH * synthetic_bank.MANAGERS_PER_BRANCH + 30  # two batches
    one = synthetic_bank.generate(managers=managers, months=2, seed=4)
    first = _scores_in_order()
    two = synthetic_bank.generate(managers=managers, months=2, seed=4, workers=2)
    second = _scores_in_order()[len(first) :]
    assert (one.attempts, one.answers) == (two.attempts, two.answers) and one.attempts > managers
    offset = second[0][0] - first[0][0]  # the second run's managers come after the first's
    assert [(user_id + offset, *rest) for user_id, *rest in first] == second


def test_after_bulk_inserts_ordinary_writes_get_fresh_ids(content_bank, make_user):
    synthetic_bank.generate(managers=3, months=1, seed=2)
    newest = db.session.scalar(select(func.max(Attempt.id)))
    user = make_user("manager")
    attempt = attempts.start(user, "fixture-quiz")
    assert attempt.id > newest


def test_without_content_it_says_what_to_do(database):
    with pytest.raises(synthetic_bank.ContentMissing, match="flask content sync"):
        synthetic_bank.generate(managers=1, months=1)


def _cube_from_attempts() -> dict:
    """The monthly aggregates recomputed from the stored attempt scores, independently of both writers:
    each attempt counts under the unit and career level it was first scored under, and in every unit
    above it."""
    from app.models import CohortMonth

    expected: dict = {}
    rows = db.session.execute(
        select(
            Attempt.counted_unit_path,
            Attempt.counted_career_level,
            Attempt.id,
            Attempt.submitted_at,
            AttemptScore.competency,
            AttemptScore.score,
            AttemptScore.weight,
        )
        .outerjoin(AttemptScore, AttemptScore.attempt_id == Attempt.id)
        .where(Attempt.status == "scored", Attempt.counted_unit_path.is_not(None))
    ).all()
    counted = set()
    for path, level, attempt_id, when, code, score, weight in rows:
        for unit in (int(part) for part in path.strip("/").split("/")):
            key = (unit, level or "", when.year * 100 + when.month)
            if (attempt_id, unit) not in counted:
                counted.add((attempt_id, unit))
                cell = expected.setdefault((*key, "*"), [0.0, 0.0, 0])
                cell[2] += 1
            if code is not None:
                cell = expected.setdefault((*key, code), [0.0, 0.0, 0])
                cell[0] += score * weight
                cell[1] += weight
                cell[2] += 1
    stored = {
        (c.org_unit_id, c.career_level, c.month, c.competency): [round(c.weighted, 6), round(c.weight, 6), c.attempts]
        for c in db.session.scalars(select(CohortMonth))
    }
    return stored, {k: [round(v[0], 6), round(v[1], 6), v[2]] for k, v in expected.items()}


def test_generated_trend_aggregates_and_completions_match_the_attempts(content_bank):
    from app.services import assignments

    synthetic_bank.generate(managers=20, months=4, seed=3)
    stored, expected = _cube_from_attempts()
    assert stored and stored == expected
    trainer = db.session.scalar(select(User).where(User.email == "trainer@demo.cartera"))
    for assignment in db.session.scalars(select(Assignment)):
        statuses = {row.user.id: row.status for row in assignments.follow_up(trainer, assignment)}
        completed = {r.user_id for r in assignment.recipients if r.completed_at is not None}
        assert completed == {user for user, status in statuses.items() if status == "completed"}


def test_scoring_an_attempt_keeps_the_trend_aggregates_and_completions(content_bank, make_user, make_unit):
    from app.services import assignments

    branch = make_unit("Oficina", make_unit("Región", make_unit("Banco")))
    manager = make_user("manager", unit=branch, career_level="mid")
    trainer = make_user("trainer", scope=(branch,))
    early = attempts.start(manager, "fixture-quiz")
    attempts.submit(early)  # before the assignment: does not complete it
    assignment = assignments.assign(trainer, "fixture-quiz", "users", user_ids={manager.id})
    assert assignment.recipients[0].completed_at is None
    for key in ("fixture-quiz", "fixture-scenario"):
        attempt = attempts.start(manager, key)
        if key == "fixture-scenario":
            attempts.decide(attempt, "s1", "a")
            attempts.decide(attempt, "s2", "a")
        else:
            attempts.submit(attempt)
    db.session.refresh(assignment.recipients[0])
    assert assignment.recipients[0].completed_at is not None
    stored, expected = _cube_from_attempts()
    assert len({k[3] for k in stored}) > 2 and stored == expected


def test_the_generated_bank_keeps_its_aggregates_as_scoring_would(content_bank):
    """The generator writes in bulk; its cohort counts, item sums and profile rows' copies of each
    manager's standing equal a recount from what it wrote."""
    from app.services import cohort_levels
    from tests.services.test_item_sums import _recounted, _stored

    synthetic_bank.generate(managers=12, months=3, seed=5)
    synthetic_bank.generate(managers=7, months=3, seed=6)  # a second run: new branches, the same regions
    assert cohort_levels.stored() == tuple(+counted for counted in cohort_levels.recount())
    copied, read = cohort_levels.standing_copies()
    assert copied and copied == read  # the profile rows' copies of each manager's standing
    stored = _stored()
    assert stored["item_sums"] and stored["option_counts"]
    assert stored == _recounted()
