from sqlalchemy import func, select

from app.extensions import db
from app.models import OrgUnit, User
from app.services import auth, demo, scope


def test_the_demo_seed_is_idempotent_and_complete():
    created = demo.seed()
    assert created == len(demo.DEMO_ACCOUNTS) + len(demo.DEMO_MANAGERS)
    users_before = db.session.scalar(select(func.count(User.id)))
    units_before = db.session.scalar(select(func.count(OrgUnit.id)))
    assert demo.seed() == 0
    assert db.session.scalar(select(func.count(User.id))) == users_before
    assert db.session.scalar(select(func.count(OrgUnit.id))) == units_before
    kinds = db.session.execute(select(OrgUnit.kind, func.count()).group_by(OrgUnit.kind)).all()
    assert dict(kinds) == {"bank": 1, "region": 3, "branch": 6}


def test_the_demo_accounts_sign_in_with_the_documented_password():
    demo.seed()
    db.session.commit()  # as `flask demo seed` does; a sign-in is a request of its own
    expected = {
        "manager@demo.cartera": ({"manager"}, "junior"),
        "manager2@demo.cartera": ({"manager"}, "mid"),
        "trainer@demo.cartera": ({"trainer"}, None),
        "trainer2@demo.cartera": ({"trainer"}, None),
        "trainer.north@demo.cartera": ({"trainer"}, None),
        "hr@demo.cartera": ({"hr"}, None),
        "hr.north@demo.cartera": ({"hr"}, None),
        "admin@demo.cartera": ({"admin"}, None),
    }
    for email, (roles, level) in expected.items():
        user = auth.authenticate(email, demo.DEMO_PASSWORD)
        db.session.commit()  # each sign-in is a request of its own
        assert user is not None, email
        assert (set(user.roles), user.career_level) == (roles, level)
        assert not user.must_change_password


def test_hr_north_sees_only_the_north_region():
    demo.seed()
    hr_north = db.session.scalar(select(User).where(User.email == "hr.north@demo.cartera"))
    hr_all = db.session.scalar(select(User).where(User.email == "hr@demo.cartera"))
    north = [u for u in scope.visible_managers(hr_north, 1, 100).items]
    everyone = scope.visible_managers(hr_all, 1, 100).items
    assert north and all(u.org_unit.parent.name == "Norte" for u in north)
    assert len(everyone) == 14 > len(north)


def test_with_the_content_bank_loaded_the_demo_trainer_has_assigned_work():
    from pathlib import Path

    from app.models import Assignment
    from app.services import content_loader

    content_loader.sync(root=Path(__file__).resolve().parents[2])
    demo.seed()
    demo.seed()
    rows = db.session.scalars(select(Assignment)).all()
    assert sorted(a.exercise.key for a in rows) == [
        "diagnostic-junior",
        "diagnostic-mid",
        "practice-ethics",
        "scenario-confidential-request",
    ]
    by_key = {a.exercise.key: {r.user.email for r in a.recipients} for a in rows}
    assert (
        "manager@demo.cartera" in by_key["diagnostic-junior"]
        and "manager2@demo.cartera" not in by_key["diagnostic-junior"]
    )
    assert "manager@demo.cartera" in by_key["practice-ethics"]
    assert len(by_key["scenario-confidential-request"]) == 14


def test_with_the_content_bank_loaded_written_answers_wait_are_graded_moderated_and_released():
    from pathlib import Path

    from app.models import Attempt, Grade, Grading, GradingTask
    from app.services import content_loader, grading

    content_loader.sync(root=Path(__file__).resolve().parents[2])
    demo.seed()
    states = dict(db.session.execute(select(Grading.state, func.count()).group_by(Grading.state)).all())
    assert states["waiting"] >= 9 and states["released"] >= 5 and states.get("graded", 0) >= 1
    assert db.session.scalar(select(func.count(Grade.id)).where(Grade.purpose == "second")) >= 3
    open_resolutions = select(func.count(GradingTask.id)).where(
        GradingTask.purpose == "resolve", GradingTask.done_at.is_(None)
    )
    assert db.session.scalar(open_resolutions) >= 1  # a disagreement of two levels waits for a third grader
    lucia = db.session.scalar(select(User).where(User.email == "manager@demo.cartera"))
    hers = db.session.scalars(select(Attempt.status).where(Attempt.user_id == lucia.id)).all()
    assert sorted(hers) == ["awaiting_grading", "scored"]
    carmen = db.session.scalar(select(User).where(User.email == "trainer@demo.cartera"))
    agreement = grading.agreement(carmen)
    assert any(entry.overall.pairs for entry in agreement)
    assert sum(entry.resolutions for entry in agreement) == db.session.scalar(open_resolutions)  # pending count too
    demo.seed()
    assert db.session.scalar(select(func.count(Grading.id))) == sum(states.values())  # made once
