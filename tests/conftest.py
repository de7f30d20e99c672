"""One app per session, a rolled-back transaction per test, factories and login helpers.

The database is SQLite in memory unless TEST_DATABASE_URL names another (PostgreSQL in CI).
The schema is built by the Alembic migrations, so the tests run on what production runs.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from hypothesis import settings
from sqlalchemy import Connection, text
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app, queue
from app.extensions import db, limiter, login_manager
from app.models import OrgUnit, User, UserRole, UserScope
from app.services import cohort_levels, content_loader
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


@contextmanager
def session_on(connection: Connection) -> Iterator[None]:
    """db.session, in every app context (each request's too), works inside `connection`'s transaction.

    A commit only releases a savepoint, so whatever the code under test commits, the connection's
    transaction decides what stays.
    """
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_app_ctx_id
    )
    try:
        yield
    finally:
        db.session.remove()
        db.session = original


@contextmanager
def rolled_back(app, connection: Connection | None = None) -> Iterator[None]:
    """Everything written inside, through the test client too, is rolled back at the end.

    On a connection of its own, in a transaction; or, given a connection already in a transaction
    (data built once for a module, see shared_data), in a savepoint of it, which the next test
    finds as it was.
    """
    with app.app_context():
        own = connection is None
        connection = db.engine.connect() if own else connection
        transaction = connection.begin() if own else connection.begin_nested()
        limiter.reset()
        queue.huey.flush()  # no message of an earlier test's (rolled-back) jobs
        try:
            with session_on(connection):
                yield
        finally:
            transaction.rollback()
            if own:
                connection.close()


@contextmanager
def shared_data(app) -> Iterator[Connection]:
    """A connection in a transaction that the caller fills once, through db.session, and that is
    rolled back at the end, so tests outside never see the data.

    Tests run on it with `rolled_back(app, connection)`: a module overrides `database` with that.
    """
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def database(app):
    """Everything a test writes, through the test client too, is rolled back afterwards."""
    with rolled_back(app):
        yield


def production_env(monkeypatch):
    """The environment a production start needs (tests that build a production app share it)."""
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/cartera")
    monkeypatch.setenv("JOBS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("PUBLIC_URL", "https://cartera.bank.example")


@pytest.fixture
def run_queued():
    """Commit what the test wrote (a savepoint: the test's transaction still rolls it back), then
    run every job and message that commit queued, as a worker would. Returns how many ran."""

    def go() -> int:
        db.session.commit()
        return queue.drain()

    return go


@pytest.fixture(scope="session")
def password_hash(app) -> str:
    """PASSWORD hashed once, by TestConfig's cheap method."""
    with app.app_context():
        return hash_password(PASSWORD)


@pytest.fixture
def real_hashing(app):
    """Production's hash method (werkzeug's default, scrypt) for the tests of hashing itself.

    Gives the hash of PASSWORD by that method, to pass to make_user(password_hash=...).
    """
    cheap = app.config["PASSWORD_HASH_METHOD"]
    app.config["PASSWORD_HASH_METHOD"] = None
    try:
        with app.app_context():
            scrypt_hash = hash_password(PASSWORD)
        yield scrypt_hash
    finally:
        app.config["PASSWORD_HASH_METHOD"] = cheap


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
            password_hash=fields.pop("password_hash", password_hash),
            career_level=career_level,
            org_unit=unit,
            **fields,
        )
        user.role_rows = [UserRole(role=r) for r in roles]
        user.scope_rows = [UserScope(org_unit_id=u.id) for u in scope]
        with cohort_levels.kept([user]):  # counted from the start, as users.create_user does
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
    """Sign a test client in as `user` without a password round trip."""
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
