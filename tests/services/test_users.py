import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from app.services import users
from app.services.errors import Invalid


def actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_an_admin_created_user_gets_a_generated_password_to_change(make_user, bank):
    admin = make_user("admin")
    data = users.UserData(
        email="Nuevo@Banco.es", name="Nuevo", career_level="junior", org_unit_id=bank["bilbao"].id, roles={"manager"}
    )
    user, password = users.create_user(admin, data)
    assert user.email == "nuevo@banco.es"
    assert len(password) >= 12
    assert user.must_change_password
    assert user.roles == {"manager"}
    assert "user.created" in actions()


def test_emails_are_unique_whatever_their_case(make_user):
    make_user(email="ana@banco.es")
    with pytest.raises(Invalid) as error:
        users.create_user(None, users.UserData(email="ANA@BANCO.ES", name="Other"), password="long-enough-pass")
    assert "email" in error.value.errors


def test_a_chosen_password_must_follow_the_policy():
    with pytest.raises(Invalid):
        users.create_user(None, users.UserData(email="a@b.es", name="A"), password="short")
    with pytest.raises(Invalid):
        users.create_user(None, users.UserData(email="long.address@b.es", name="A"), password="LONG.ADDRESS@B.ES")


def test_role_and_scope_changes_are_audited_with_what_changed(make_user, bank):
    admin = make_user("admin")
    target = make_user("manager")
    data = users.UserData(
        email=target.email,
        name=target.name,
        career_level="mid",
        roles={"manager", "trainer"},
        scope_unit_ids={bank["north"].id},
    )
    users.update_user(admin, target, data)
    events = {e.action: e for e in db.session.scalars(select(AuditEvent))}
    assert events["user.roles_changed"].details == {"added": ["trainer"], "removed": []}
    assert events["user.scope_changed"].details == {"added": [bank["north"].id], "removed": []}
    assert events["user.roles_changed"].actor == admin


def test_an_unchanged_save_writes_no_audit_event(make_user):
    admin = make_user("admin")
    target = make_user("manager")
    users.update_user(
        admin, target, users.UserData(email=target.email, name=target.name, career_level="junior", roles={"manager"})
    )
    assert actions() == []


def test_deactivation_keeps_the_user_and_is_audited(make_user):
    admin = make_user("admin")
    target = make_user("manager")
    users.deactivate(admin, target)
    assert db.session.get(User, target.id).active is False
    assert actions() == ["user.deactivated"]


def test_admins_cannot_lock_themselves_out(make_user):
    admin = make_user("admin")
    with pytest.raises(Invalid):
        users.deactivate(admin, admin)
    with pytest.raises(Invalid):
        users.update_user(admin, admin, users.UserData(email=admin.email, name=admin.name, roles={"hr"}))


def test_a_reset_password_must_be_changed_and_unlocks(make_user):
    admin = make_user("admin")
    target = make_user("manager", failed_logins=4)
    password = users.set_temporary_password(admin, target)
    assert target.must_change_password and target.failed_logins == 0
    assert len(password) >= 12


def test_user_list_filters_combine(make_user, bank):
    make_user("manager", name="Ana Norte", unit=bank["bilbao"])
    make_user("manager", name="Bea Sur", unit=bank["sevilla"])
    make_user("trainer", name="Carla Norte", unit=bank["north"])
    make_user("manager", name="Dani Baja", unit=bank["santander"], active=False)

    def names(**filters):
        return [u.name for u in users.list_users(users.UserFilters(**filters), 1, 50).items]

    assert names(org_unit_id=bank["north"].id) == ["Ana Norte", "Carla Norte", "Dani Baja"]
    assert names(org_unit_id=bank["north"].id, role="manager", active=True) == ["Ana Norte"]
    assert names(search="sur") == ["Bea Sur"]
    assert names(active=False) == ["Dani Baja"]
