"""A live Cartera on a free port, with the demo bank and 60 synthetic managers, driven by Debian's Chromium."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Page
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
    folder = tmp_path_factory.mktemp("e2e")
    database = folder / "cartera.db"

    class LiveConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
        JOBS_URL = f"sqlite:///{folder / 'jobs.db'}"  # a worker process (the job_worker fixture) reads it
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
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"  # links in the e-mails
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.extensions["e2e.config"] = LiveConfig
    live_app["app"] = app
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


live_app: dict = {}


@pytest.fixture(scope="session")
def job_worker(live_server, tmp_path_factory):
    """`flask jobs worker` in a process of its own, on the live server's database and queue, as
    `make run` starts it."""
    config = live_app["app"].extensions["e2e.config"]
    env = {
        **os.environ,
        "CARTERA_CONFIG": "development",
        "FLASK_DEBUG": "0",
        "FLASK_APP": "app",
        "DATABASE_URL": config.SQLALCHEMY_DATABASE_URI,
        "JOBS_URL": config.JOBS_URL,
        "SECRET_KEY": config.SECRET_KEY,  # the links it signs must open on the live server
        "PUBLIC_URL": live_server,
    }
    env.pop("TEST_DATABASE_URL", None)
    log = open(tmp_path_factory.mktemp("worker") / "worker.log", "w")  # noqa: SIM115  (closed below)
    worker = subprocess.Popen(  # noqa: S603  (our own command)
        [str(Path(sys.executable).with_name("flask")), "jobs", "worker", "--workers", "1"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=log,
        stderr=log,
    )
    yield worker
    worker.send_signal(signal.SIGINT)
    try:
        worker.wait(10)
    except subprocess.TimeoutExpired:
        worker.kill()
    log.close()


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


def press_and_release(page: Page, locator) -> None:
    """A person's click: the pointer goes to the button's centre, then down, then up; the field
    being typed in loses focus at mouse-down, so the page may change between the two."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(150)  # as long as a hand holds a button down: the autosave answers meanwhile
    page.mouse.up()
