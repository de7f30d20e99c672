import pytest

from app.extensions import db
from app.models import OrgUnit
from app.services import scope
from app.services.errors import NotFound


@pytest.fixture
def people(make_user, bank):
    return {
        "north_a": make_user("manager", name="Ana", unit=bank["bilbao"]),
        "north_b": make_user("manager", name="Bruno", unit=bank["santander"]),
        "south": make_user("manager", name="Sara", unit=bank["sevilla"]),
        "nowhere": make_user("manager", name="Zoe"),
    }


def names(viewer):
    return [u.name for u in scope.visible_managers(viewer, 1, 100).items]


def test_hr_of_one_region_sees_only_that_region(make_user, bank, people):
    hr_north = make_user("hr", unit=bank["north"], scope=(bank["north"],))
    assert names(hr_north) == ["Ana", "Bruno"]
    assert scope.visible_user(hr_north, people["north_a"].id) == people["north_a"]
    with pytest.raises(NotFound):
        scope.visible_user(hr_north, people["south"].id)


def test_a_unit_includes_its_descendants_and_several_units_add_up(make_user, bank, people):
    trainer = make_user("trainer", scope=(bank["bilbao"], bank["south"]))
    assert names(trainer) == ["Ana", "Sara"]


def test_whole_bank_scope_sees_every_placed_manager(make_user, bank, people):
    hr = make_user("hr", scope=(bank["bank"],))
    assert names(hr) == ["Ana", "Bruno", "Sara"]


def test_no_scope_means_nobody(make_user, people):
    assert names(make_user("hr")) == []


def test_a_manager_sees_only_themselves(people):
    assert names(people["north_a"]) == ["Ana"]
    with pytest.raises(NotFound):
        scope.visible_user(people["north_a"], people["north_b"].id)


def test_admins_see_everyone(make_user, people):
    assert names(make_user("admin")) == ["Ana", "Bruno", "Sara", "Zoe"]


def test_a_unit_whose_id_prefixes_another_does_not_leak(make_user):
    """Paths are '/9001/' and '/90012/': a prefix match must stop at the separator."""
    first = OrgUnit(id=9001, name="Bank A", kind="bank", path="/9001/")
    other = OrgUnit(id=90012, name="Bank B", kind="bank", path="/90012/")
    db.session.add_all([first, other])
    db.session.commit()
    make_user("manager", name="Inside", unit=first)
    make_user("manager", name="Outside", unit=other)
    assert names(make_user("hr", scope=(first,))) == ["Inside"]


def test_a_scope_read_once_per_session_is_read_again_after_it_changes(make_user, bank, people):
    from sqlalchemy import event

    from app.services import users

    hr = make_user("hr", scope=(bank["north"],))
    statements = []

    def count(*args, **kwargs):
        statements.append(args[2])

    def scope_reads() -> int:
        return sum("FROM org_units JOIN user_scopes" in statement for statement in statements)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert names(hr) == ["Ana", "Bruno"] and scope_reads() == 1
        assert names(hr) == ["Ana", "Bruno"] and scope_reads() == 1  # known for the rest of the session
        users.set_scope(None, hr, {bank["south"].id})
        db.session.flush()
        assert names(hr) == ["Sara"] and scope_reads() == 2  # read again once it changed
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
