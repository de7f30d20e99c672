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
        profiles.refresh(user_id)
    db.session.flush()
    assert (_stored(ProfileScore, ids), _stored(SelfScore, ids)) == generated


def test_the_same_seed_gives_the_same_bank_and_a_second_run_adds_new_people(content_bank):
    first = synthetic_bank.generate(managers=5, months=2, seed=9)
    second = synthetic_bank.generate(managers=5, months=2, seed=9)
    assert (first.attempts, first.answers) == (second.attempts, second.answers)
    emails = db.session.scalars(select(User.email).where(User.email.like("%@synthetic.cartera"))).all()
    assert len(set(emails)) == 10


def test_after_bulk_inserts_ordinary_writes_get_fresh_ids(content_bank, make_user):
    synthetic_bank.generate(managers=3, months=1, seed=2)
    newest = db.session.scalar(select(func.max(Attempt.id)))
    user = make_user("manager")
    attempt = attempts.start(user, "fixture-quiz")
    assert attempt.id > newest


def test_without_content_it_says_what_to_do(database):
    with pytest.raises(synthetic_bank.ContentMissing, match="flask content sync"):
        synthetic_bank.generate(managers=1, months=1)
