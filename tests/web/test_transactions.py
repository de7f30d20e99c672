"""One transaction per request: a view's writes are committed once when it returns, rolled back
when it raises, and a GET never writes (unless it declares the audit event it records)."""

import pytest
from sqlalchemy import func, select

from app import transactions
from app.extensions import db
from app.models import AuditEvent
from app.services import audit


def events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


def writing_view():
    audit.record(None, "test.write", "test")
    db.session.flush()
    return "written"


def failing_view():
    writing_view()
    raise RuntimeError("half-way")


def test_a_post_commits_what_its_view_wrote(app, database):
    before = events()
    with app.test_request_context(method="POST"):
        assert transactions.in_transaction(writing_view)() == "written"
    assert events() == before + 1


def test_a_view_that_raises_leaves_nothing(app, database):
    before = events()
    with app.test_request_context(method="POST"), pytest.raises(RuntimeError):
        transactions.in_transaction(failing_view)()
    assert events() == before


def test_a_get_that_writes_is_a_bug_and_stores_nothing(app, database):
    before = events()
    with app.test_request_context(method="GET"), pytest.raises(transactions.WriteOnSafeRequest):
        transactions.in_transaction(writing_view)()
    assert events() == before


def test_a_declared_audited_read_stores_its_event(app, database):
    before = events()
    with app.test_request_context(method="GET"):
        transactions.in_transaction(transactions.audited_read(writing_view))()
    assert events() == before + 1


def test_every_view_of_the_app_is_wrapped(app):
    unwrapped = [
        e
        for e, view in app.view_functions.items()
        if view.__code__ is not transactions.in_transaction(lambda: None).__code__
    ]
    assert unwrapped == []
