"""What the benchmarks share: the app on a filled database, signed-in test clients, and timing a
page alternately with the floor.

A page's time is reported as a multiple of the floor (the cheapest signed-in page) measured in
the same loop, one request of each in turn, so that drift on a shared machine touches both.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def machine_speed() -> float:
    """Milliseconds this machine takes for a fixed pure-Python workload (the median of 5). Ratios to
    the floor compare across machines; absolute times and generation times only through this."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        sum(i * i % 7 for i in range(1_000_000))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def prepared_app(database_url: str, managers: int, months: int = 12):
    """The app with debugging off on a migrated database holding at least `managers` synthetic
    managers (the content bank loaded and `flask demo generate` run for the missing ones)."""
    os.environ["DATABASE_URL"] = database_url
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import User
    from app.services import content_loader, synthetic_bank
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        DEBUG = False
        RATELIMIT_ENABLED = False
        EXPORT_JOB_MANAGERS = 10**9  # the streamed exports are timed as such; jobs are timed apart
        JOBS_URL = "memory://"  # jobs run in this process (`queue.drain`), timed from start to file
        WTF_CSRF_ENABLED = False  # the answer save is posted without a page to take a token from

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        have = db.session.scalar(select(func.count()).where(User.email.like(f"%@{synthetic_bank.EMAIL_DOMAIN}")))
        if have < managers:
            content_loader.sync()
            print(f"generating {managers - have} managers…", file=sys.stderr)
            report = synthetic_bank.generate(
                managers - have, months, workers=os.cpu_count() or 1
            )  # as the command does
            print(report.summary(), file=sys.stderr)
            db.session.commit()
            synthetic_bank.analyze()  # as `flask demo generate` does: the planner's statistics of the new rows
            db.session.commit()
    return app


def signed_in_client(app, user_id: str, language: str = "es"):
    """A test client signed in as the user without a password round trip."""
    from app.extensions import login_manager

    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    with app.test_request_context(environ_base=client.environ_base):
        identifier = login_manager._session_identifier_generator()
    with client.session_transaction() as session:
        session.update({"_user_id": user_id, "_fresh": True, "_id": identifier})
    return client


def p90(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    response.get_data()  # a streamed body (an export) is produced as it is read: time all of it
    elapsed = (time.perf_counter() - started) * 1000
    response.close()
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def timed_post(client, url: str, data: dict) -> float:
    started = time.perf_counter()
    response = client.post(url, data=data)
    response.get_data()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:200])
    return elapsed


def alternately(
    client,
    url: str,
    floor_client,
    floor_url: str,
    repeats: int,
    queries: list[int],
    data: dict | None = None,
    before=None,
) -> dict:
    """Warm up, then time the page (a POST of `data`, if given) and the floor in turn; medians, p90
    and the page's queries. `before`, if given, runs untimed before each request of the page."""

    def request() -> float:
        if before is not None:
            before()
        return timed(client, url) if data is None else timed_post(client, url, data)

    for _ in range(2):
        request()
        timed(floor_client, floor_url)
    page_times, floor_times = [], []
    for _ in range(repeats):
        floor_times.append(timed(floor_client, floor_url))
        queries[0] = 0
        page_times.append(request())
    page, floor = statistics.median(page_times), statistics.median(floor_times)
    return {
        "url": url,
        "median_ms": page,
        "p90_ms": p90(page_times),
        "floor_ms": floor,
        "ratio": page / floor,
        "queries": queries[0],
        "repeats": repeats,
    }
