"""One transaction per request: services add and flush; the request commits once at its end.

Every view is wrapped when the app is built (as Indico's request handlers commit once after
`_process`): a view that returns normally is committed, one that raises is rolled back. A GET
(or HEAD, OPTIONS) never writes: its transaction is rolled back, and a flush during it is a bug
that fails loudly in development and tests. The one exception is declared on the view:
`@audited_read` downloads write the audit event that records who took which data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteOnSafeRequest(RuntimeError):
    """A GET flushed changes to the database."""


def audited_read(view: Callable) -> Callable:
    """Declare a GET that writes one audit event (an export of personal data, say)."""
    view.audited_read = True
    return view


def _note_flush(session, _flush_context) -> None:
    if session.new or session.dirty or session.deleted:
        session.info["wrote"] = True


def _forget_writes(session, transaction) -> None:
    if transaction.parent is None:  # the session's own transaction ended: committed or rolled back
        session.info.pop("wrote", None)


def holds_writes(session) -> bool:
    """Whether the session's transaction has written anything (flushed or still pending)."""
    return bool(session.info.get("wrote") or session.new or session.dirty or session.deleted)


def in_transaction(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            response = view(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        if request.method in SAFE_METHODS and not getattr(view, "audited_read", False):
            wrote = holds_writes(db.session())
            db.session.rollback()
            if wrote:
                message = f"{request.method} {request.path} tried to write to the database"
                if current_app.debug or current_app.testing:
                    raise WriteOnSafeRequest(message)
                current_app.logger.error(message + "; the changes were rolled back")
            return response
        db.session.commit()
        return response

    return wrapper


def configure(app: Flask) -> None:
    """Wrap every view registered so far (call after the blueprints are registered)."""
    if not event.contains(Session, "after_flush", _note_flush):
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "after_transaction_end", _forget_writes)
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = in_transaction(view)
