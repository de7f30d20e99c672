"""One app per session, a rolled-back transaction per test, factories and login helpers.

The database is SQLite in memory unless TEST_DATABASE_URL names another (PostgreSQL in CI).
The schema is built by the Alembic migrations, so the tests run on what production runs.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from hypothesis import settings
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db, limiter, login_manager
from app.models import OrgUnit, User, UserRole, UserScope
from app.services import content_loader
from app.services.users import hash_password
from config import TestConfig

# No per-example deadline: these machines are shared and noisy, and a slow example is not a bug.
settings.register_profile("cartera", deadline=None)
settings.load_profile("cartera")

PASSWORD = "correct-horse-battery"
VALID_BANK = Path(__file__).resolve().parent / "content" / "fixtures" / "valid"
_counter = itertools.count(1)


@pytest.fixture(scope="session")
def app():
    app = create_app(TestConfig)  # app/sqlite.py makes SQLite's savepoints work
    with app.app_context():
        reset_schema()
    return app


def reset_schema() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


@pytest.fixture
def database(app):
    """Everything a test writes, through the test client too, is rolled back afterwards."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_app_ctx_id
        )
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, `g` and session, as in production.

    Without this, requests would reuse the test's app context and share its session and `g`
    (and so its cached locale), hiding bugs. The test's own objects are expired afterwards so
    it reads what the request stored.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app, database):
    """English unless a test asks otherwise, so assertions can quote the interface."""
    app.test_client_class = IsolatedClient
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def make_unit(database):
    def make(name: str | None = None, parent: OrgUnit | None = None) -> OrgUnit:
        kind = {None: "bank", "bank": "region", "region": "branch"}[parent.kind if parent else None]
        unit = OrgUnit(name=name or f"Unit {next(_counter)}", kind=kind, parent=parent)
        db.session.add(unit)
        db.session.flush()
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        db.session.commit()
        return unit

    return make


@pytest.fixture
def make_user(database, password_hash):
    def make(
        *roles: str,
        email: str | None = None,
        unit: OrgUnit | None = None,
        career_level: str | None = None,
        scope: tuple[OrgUnit, ...] = (),
        **fields,
    ) -> User:
        roles = roles or ("manager",)
        if career_level is None and "manager" in roles:
            career_level = "junior"
        user = User(
            email=email or f"user{next(_counter)}@example.com",
            name=fields.pop("name", f"User {next(_counter)}"),
            password_hash=password_hash,
            career_level=career_level,
            org_unit=unit,
            **fields,
        )
        user.role_rows = [UserRole(role=r) for r in roles]
        user.scope_rows = [UserScope(org_unit_id=u.id) for u in scope]
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def bank(make_unit):
    """A bank with two regions of two branches each."""
    root = make_unit("Banco Test")
    north, south = make_unit("Norte", root), make_unit("Sur", root)
    return {
        "bank": root,
        "north": north,
        "south": south,
        "bilbao": make_unit("Bilbao", north),
        "santander": make_unit("Santander", north),
        "sevilla": make_unit("Sevilla", south),
        "malaga": make_unit("Málaga", south),
    }


@pytest.fixture
def content_bank(database, tmp_path) -> Path:
    """The small valid content bank, copied where a test may edit it, and loaded."""
    root = tmp_path / "bank"
    shutil.copytree(VALID_BANK, root)
    content_loader.sync(root=root)
    return root


def login(client, user: User) -> None:
    """Sign a test client in as `user` without a password round trip (scrypt is slow)."""
    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = login_manager._session_identifier_generator()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["_id"] = identifier


@pytest.fixture
def login_as(client, make_user):
    def sign_in(*roles: str, **kwargs) -> User:
        user = make_user(*roles, **kwargs)
        login(client, user)
        return user

    return sign_in


def without_csrf_tokens(html: bytes) -> bytes:
    """Pages compared byte for byte differ only by their time-stamped CSRF tokens."""
    return re.sub(rb'(name="csrf_token"[^>]*value=)"[^"]*"', rb"\1", html)
