"""Throughput under load: pages served by gunicorn, as a ratio to the floor page's throughput.

    .venv/bin/python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/cartera_10k

Starts gunicorn (4 sync workers, as docs/deploy.md serves it) on the database `bench/run.py`
filled, signs in through the login form as HR and as the most active synthetic manager, then
for each page runs the floor and the page alternately (two rounds each) for a few seconds with
several keep-alive clients, and reports requests per second. The load generator is Python
threads on the same 2 cores as the server, so the absolute figures are low; the ratio to the
floor, measured in the same minutes, is the figure issue 14 sets targets for.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
FLOOR = "/auth/password"
PAGES = (  # (name, path, who, target ratio of the floor's throughput)
    ("profile (most active manager)", "/learn/profile", "manager", 0.5),
    ("heatmap, page 1", "/hr/heatmap", "hr", 0.3),
    ("dashboard", "/hr/", "hr", None),
    ("training needs", "/hr/training-needs", "hr", None),
)


def _request(connection, method: str, path: str, cookie: str = "", body: str = "") -> http.client.HTTPResponse:
    headers = {"Cookie": cookie, "Accept-Language": "es"} if cookie else {"Accept-Language": "es"}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    return connection.getresponse()


def sign_in(email: str, password: str) -> str:
    """The session cookie of a real sign-in through the form (token and all)."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT)
    response = _request(connection, "GET", "/auth/login")
    page = response.read().decode()
    cookie = "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token.group(1)})
    response = _request(connection, "POST", "/auth/login", cookie, form)
    response.read()
    cookies = response.headers.get_all("Set-Cookie") or []
    assert response.status == 302, (email, response.status)
    return "; ".join(c.split(";")[0] for c in cookies)


def throughput(path: str, cookie: str, seconds: float, clients: int) -> float:
    """Requests per second completed by `clients` keep-alive clients hitting `path` for `seconds`."""
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def run(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT)
        while time.perf_counter() < stop:
            response = _request(connection, "GET", path, cookie)
            response.read()
            assert response.status == 200, (path, response.status)
            done[n] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def most_active_manager(database_url: str) -> str:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import Attempt, User

    app = create_app()
    with app.app_context():
        user_id = db.session.scalar(
            select(Attempt.user_id)
            .where(Attempt.status == "scored")
            .group_by(Attempt.user_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        return db.session.get(User, user_id).email


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    manager = most_active_manager(args.database_url)
    env = {**os.environ, "DATABASE_URL": args.database_url, "FLASK_DEBUG": "0"}
    server = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers=4",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{PORT}",
            "--no-control-socket",
            "--log-level=warning",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        from app.services.demo import DEMO_PASSWORD

        cookies = {"hr": sign_in("hr@demo.cartera", DEMO_PASSWORD), "manager": sign_in(manager, DEMO_PASSWORD)}
        print(
            f"\n{args.database_url.split(':')[0]}, gunicorn 4 sync workers, {args.clients} clients, "
            f"{args.seconds:.0f} s per run, {time.strftime('%Y-%m-%d %H:%M')}\n"
        )
        print("| page | requests/s | floor requests/s | × floor throughput | target |")
        print("|---|---:|---:|---:|---|")
        for name, path, who, target in PAGES:
            throughput(path, cookies[who], 1.0, args.clients)  # warm the workers' caches
            floors, pages = [], []
            for _ in range(2):
                floors.append(throughput(FLOOR, cookies["hr"], args.seconds, args.clients))
                pages.append(throughput(path, cookies[who], args.seconds, args.clients))
            floor, page = statistics.median(floors), statistics.median(pages)
            verdict = "" if target is None else (f"≥ {target}: " + ("met" if page / floor >= target else "**missed**"))
            print(f"| {name} | {page:.1f} | {floor:.1f} | {page / floor:.2f} | {verdict} |")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
