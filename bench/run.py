"""Time Cartera's heaviest pages against a synthetic bank, as ratios to the cheapest page.

    .venv/bin/python bench/run.py --database-url sqlite:////tmp/cartera-10k.db --managers 10000
    .venv/bin/python bench/run.py --database-url postgresql+psycopg://postgres@127.0.0.1/cartera_10k --managers 10000

The database is migrated, loaded with the content bank and filled with `flask demo generate`
first when it holds fewer synthetic managers than asked (10,000 take about 2 minutes on SQLite,
4 on PostgreSQL). Each page is then requested in-process through Flask's test client, so the
time is the server's alone: routing, queries, templates, no network. Every page is timed alternately
with the floor, the cheapest signed-in page (a small form), one request of each in turn, with
debugging off, and reported as a multiple of the floor's median in the same loop, since absolute
times drift on shared machines. Results go to stdout as a Markdown table and,
with --json, to a file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import alternately, machine_speed, prepared_app, signed_in_client  # noqa: E402  (bench/ is the script's directory)

FLOOR = "/auth/password"  # the change-password page: the user and roles lookup and a small form
# (name, path, who, repeats, target ms at issue 14's scale or None); each is timed alternately with the floor.
PAGES = (
    ("profile (most active manager)", "/learn/profile", "manager", 30, None),
    ("heatmap, page 1", "/hr/heatmap", "hr", 30, None),
    ("heatmap, sorted by risk, middle page", "/hr/heatmap?sort=risk&dir=desc&page={middle}", "hr", 20, None),
    ("dashboard", "/hr/", "hr", 20, 150),
    ("dashboard, one region, 2026", "/hr/?unit={region}&since=2026-01-01&until=2026-12-31", "hr", 20, 150),
    ("training needs", "/hr/training-needs", "hr", 20, 150),
    ("training needs, one region, juniors", "/hr/training-needs?unit={region}&level=junior", "hr", 20, 150),
    ("calibration", "/hr/calibration", "hr", 20, 150),
    ("item analysis: self-assessment", "/train/exercises/self-assessment/analysis", "hr", 20, 150),
    ("item analysis: practice, banking knowledge", "/train/exercises/practice-knowledge/analysis", "hr", 20, 150),
    ("item analysis: junior diagnostic (drawn)", "/train/exercises/diagnostic-junior/analysis", "hr", 20, 150),
    ("heatmap CSV export (all)", "/hr/exports/heatmap.csv", "hr", 3, None),
    ("scores CSV export (all)", "/hr/exports/scores.csv", "hr", 3, 10000),
    ("attempts CSV export (all)", "/hr/exports/attempts.csv", "hr", 3, None),
)
ANSWER_SAVE = "answer save (autosave POST, self-assessment)"
# The profile as a manager sees it right after a scoring: their kept page no longer matches.
PROFILE_RENDERED = "profile, rendered again after each scoring"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--managers", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--only", action="append", default=[], help="time only pages and export jobs whose name holds this (repeatable)"
    )
    args = parser.parse_args()
    chosen = (lambda name: any(part in name for part in args.only)) if args.only else (lambda name: True)
    app = prepared_app(args.database_url, args.managers, args.months)

    from sqlalchemy import event, func, select

    from app.extensions import db
    from app.models import Attempt, OrgUnit, User

    with app.app_context():
        hr = db.session.scalar(select(User).where(User.email == "hr@demo.cartera"))
        manager_id = db.session.scalar(
            select(Attempt.user_id)
            .where(Attempt.status == "scored")
            .group_by(Attempt.user_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        manager = db.session.get(User, manager_id)
        region = db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "region").order_by(OrgUnit.id))
        people = {"hr": hr.get_id(), "manager": manager.get_id()}
        managers = db.session.scalar(select(func.count(User.id)).where(User.role_rows.any(role="manager")))
        dialect = db.engine.dialect.name

    queries = [0]

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: queries.__setitem__(0, queries[0] + 1))

    clients = {who: signed_in_client(app, user_id) for who, user_id in people.items()}

    results = []
    for name, path, who, repeats, target in PAGES:
        if not chosen(name):
            continue
        url = path.format(region=region, middle=max(1, managers // 100))
        row = alternately(clients[who], url, clients["hr"], FLOOR, repeats, queries)
        results.append({"page": name, "target_ms": target, **row})
    if chosen(PROFILE_RENDERED):
        row = alternately(
            clients["manager"], "/learn/profile", clients["hr"], FLOOR, 30, queries, before=scored(app, manager_id)
        )
        results.append({"page": PROFILE_RENDERED, "target_ms": None, **row})
    if chosen(ANSWER_SAVE):
        url, answer = answer_save(app, manager_id)
        row = alternately(clients["manager"], url, clients["hr"], FLOOR, 30, queries, data=answer)
        results.append({"page": ANSWER_SAVE, "target_ms": None, **row})

    print(f"\n{dialect}, {managers:,} managers ({args.managers:,} synthetic), {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine speed: the reference workload in {machine_speed():.0f} ms\n")
    print("| page | median ms | p90 ms | floor ms | × floor | queries | target ms | met |")
    print("|---|---:|---:|---:|---:|---:|---:|:---:|")
    for row in results:
        target = row["target_ms"]
        met = "" if target is None else ("yes" if row["median_ms"] <= target else "**no**")
        print(
            f"| {row['page']} | {row['median_ms']:.1f} | {row['p90_ms']:.1f} | {row['floor_ms']:.1f} | "
            f"{row['ratio']:.1f} | {row['queries']} | {target or ''} | {met} |"
        )
    jobs_timed = time_export_jobs(app, chosen)
    print("\n| export as a job (every manager) | seconds | file MB | target s | met |")
    print("|---|---:|---:|---:|:---:|")
    for row in jobs_timed:
        met = "" if row["target_s"] is None else ("yes" if row["seconds"] <= row["target_s"] else "**no**")
        print(f"| {row['export']} | {row['seconds']:.1f} | {row['mb']:.1f} | {row['target_s'] or ''} | {met} |")
    if args.json:
        payload = {"dialect": dialect, "managers": managers, "results": results, "jobs": jobs_timed}
        args.json.write_text(json.dumps(payload, indent=2))


def scored(app, manager_id: int):
    """What a scoring does to the profile's kept page: its version moves on (untimed)."""
    from sqlalchemy import update

    from app.extensions import db
    from app.models import User

    def bump() -> None:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(
                update(User).where(User.id == manager_id).values(profile_version=User.profile_version + 1)
            )

    return bump


def answer_save(app, manager_id: int) -> tuple[str, dict]:
    """The autosave of one self-assessment statement by the most active manager (saved again and
    again: the same answer each time, as a player resaves a changed radio)."""
    from app.extensions import db
    from app.models import User
    from app.services import attempts

    with app.app_context():
        attempt = attempts.start(db.session.get(User, manager_id), "self-assessment")
        db.session.commit()
        key = attempt.plan[0]["key"]
        return f"/learn/attempts/{attempt.id}/answers/{key}", {f"answer-{key}": "4"}


# (name, format, target seconds at issue 14's scale): run as the worker runs them, one at a time.
EXPORT_JOBS = (("scores", "csv", 10), ("scores", "xlsx", 60), ("heatmap", "xlsx", None), ("attempts", "csv", None))


def time_export_jobs(app, chosen) -> list[dict]:
    """Each export as a job, from its start to the file on disk (the worker's own code, in-process)."""
    from sqlalchemy import select

    from app import queue
    from app.extensions import db
    from app.models import Job, User
    from app.services import exports, jobs
    from app.services.reports import ReportFilters

    timed = []
    for name, file_format, target in EXPORT_JOBS:
        if not chosen(f"{name}.{file_format} job"):
            continue
        with app.app_context():
            hr = db.session.scalar(select(User).where(User.email == "hr@demo.cartera"))
            job = exports.start_job(hr, name, file_format, ReportFilters(), "es")
            job.key = jobs.new_key("bench", name, file_format)  # a new job each run
            db.session.commit()
            started = time.perf_counter()
            queue.drain()
            seconds = time.perf_counter() - started
            job = db.session.get(Job, job.id)
            assert job.state == "succeeded", (job.state, job.last_error)
            size = jobs.file_path(job).stat().st_size / 1e6
        timed.append({"export": f"{name}.{file_format}", "seconds": seconds, "mb": size, "target_s": target})
    return timed


if __name__ == "__main__":
    main()
