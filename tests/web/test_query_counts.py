"""Pages issue a fixed number of SQL queries, whatever the amount of data behind them."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from app.services import users
from tests.conftest import login


@contextmanager
def counting_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def queries_for(client, url: str) -> int:
    """In the steady state: a first request fills the per-process caches (the content bank)."""
    client.get(url)
    with counting_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def grow(make_user, bank, admin, how_many: int) -> None:
    units = [bank["bilbao"], bank["santander"], bank["sevilla"], bank["malaga"]]
    for i in range(how_many):
        roles = ("manager", "trainer") if i % 3 == 0 else ("manager",)
        user = make_user(*roles, unit=units[i % 4], scope=(units[i % 4],) if i % 3 == 0 else ())
        users.set_roles(admin, user, {*roles, "hr"})  # leaves an audit event per user
    db.session.commit()


@pytest.mark.parametrize(
    ("roles", "url"),
    [
        (("admin",), "/admin/users"),
        (("admin",), "/admin/users?role=manager&unit={north}&active=yes&q=user"),
        (("admin",), "/admin/audit"),
        (("admin",), "/admin/org-units"),
        (("hr",), "/people/"),
        (("trainer",), "/people/"),
    ],
)
def test_page_queries_do_not_grow_with_the_data(client, make_user, bank, roles, url):
    viewer = make_user(*roles, scope=(bank["bank"],))
    login(client, viewer)
    url = url.format(north=bank["north"].id)
    grow(make_user, bank, viewer, 3)
    small = queries_for(client, url)
    grow(make_user, bank, viewer, 30)
    large = queries_for(client, url)
    assert small == large, (url, small, large)
    assert large <= 8, url


def test_the_background_work_and_outbox_pages_do_not_grow_with_their_rows(client, make_user):
    """Administrators list everyone's jobs (with who asked) and every message."""
    from app.services import invitations, jobs

    admin = make_user("admin")
    login(client, admin)

    def add(count: int) -> None:
        for _ in range(count):
            person = make_user("hr", password_hash=None)
            jobs.start("export", person, {"title": "x.csv"}, jobs.new_key("test"))
            invitations.invite(person)
        db.session.commit()

    add(2)
    small = (queries_for(client, "/jobs/"), queries_for(client, "/admin/outbox"))
    add(20)
    assert (queries_for(client, "/jobs/"), queries_for(client, "/admin/outbox")) == small
