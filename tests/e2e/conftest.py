"""A live Cartera on a free port, with the demo bank and 60 synthetic managers, driven by Debian's Chromium."""

from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.services import content_loader, demo, synthetic_bank
from config import TestConfig

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("e2e") / "cartera.db"

    class LiveConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
        WTF_CSRF_ENABLED = True  # the browser posts real forms with real tokens
        # Every journey signs in from 127.0.0.1, many as the same demo accounts: the whole suite is
        # more sign-ins a minute than the production limits allow (those are tested in tests/web).
        LOGIN_LIMIT_PER_IP = "600 per minute"
        LOGIN_LIMIT_PER_ACCOUNT = "600 per minute"

    app = create_app(LiveConfig)
    with app.app_context():
        upgrade()
        content_loader.sync()
        demo.seed()
        synthetic_bank.generate(managers=60, months=12, seed=5)  # reports with a year of history
        db.session.commit()  # the services flush; here the fixture, as a command would, commits
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture
def sign_in(page):
    def go(email: str, password: str = demo.DEMO_PASSWORD) -> None:
        page.goto("/auth/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return go
