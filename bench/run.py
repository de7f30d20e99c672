"""Time Cartera's heaviest pages against a synthetic bank, as ratios to the cheapest page.

    .venv/bin/python bench/run.py --database-url sqlite:////tmp/cartera-10k.db --managers 10000
    .venv/bin/python bench/run.py --database-url postgresql+psycopg://postgres@127.0.0.1/cartera_10k --managers 10000

The database is migrated, loaded with the content bank and filled with `flask demo generate`
first when it holds fewer synthetic managers than asked (10,000 take about 2 minutes on SQLite,
4 on PostgreSQL). Each page is then requested in-process through Flask's test client, so the
time is the server's alone: routing, queries, templates, no network. The floor is the cheapest
signed-in page (one query, a small template); every page is also reported as a multiple of it,
since absolute times drift on shared machines. Results go to stdout as a Markdown table and,
with --json, to a file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import p90, prepared_app, signed_in_client  # noqa: E402  (bench/ is the script's directory)

# (name, path, who, repeats): the floor first; everything else is compared with it.
PAGES = (
    ("floor: change-password page", "/auth/password", "hr", 60),
    ("profile (most active manager)", "/learn/profile", "manager", 30),
    ("heatmap, page 1", "/hr/heatmap", "hr", 30),
    ("heatmap, sorted by risk, middle page", "/hr/heatmap?sort=risk&dir=desc&page={middle}", "hr", 30),
    ("dashboard", "/hr/", "hr", 20),
    ("dashboard, one region, 2026", "/hr/?unit={region}&since=2026-01-01&until=2026-12-31", "hr", 20),
    ("heatmap CSV export (all)", "/hr/exports/heatmap.csv", "hr", 5),
    ("scores CSV export (all)", "/hr/exports/scores.csv", "hr", 5),
    ("attempts CSV export (all)", "/hr/exports/attempts.csv", "hr", 3),
)
TARGETS_MS = {
    "profile (most active manager)": 50,
    "heatmap, page 1": 150,
    "dashboard": 300,
    "heatmap CSV export (all)": 3000,
    "scores CSV export (all)": 3000,
    "attempts CSV export (all)": 3000,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--managers", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
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
    for name, path, who, repeats in PAGES:
        url = path.format(region=region, middle=max(1, managers // 100))
        client = clients[who]
        for _ in range(2):  # warm caches: templates, the content bank, the database's pages
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(repeats):
            queries[0] = 0
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results.append(
            {
                "page": name,
                "url": url,
                "median_ms": statistics.median(times),
                "p90_ms": p90(times),
                "queries": queries[0],
                "bytes": len(response.data),
                "repeats": repeats,
            }
        )

    floor = results[0]["median_ms"]
    print(f"\n{dialect}, {managers:,} managers ({args.managers:,} synthetic), {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| page | median ms | p90 ms | × floor | queries | target ms | met |")
    print("|---|---:|---:|---:|---:|---:|:---:|")
    for row in results:
        row["ratio"] = row["median_ms"] / floor
        target = TARGETS_MS.get(row["page"])
        met = "" if target is None else ("yes" if row["median_ms"] <= target else "**no**")
        print(
            f"| {row['page']} | {row['median_ms']:.1f} | {row['p90_ms']:.1f} | {row['ratio']:.1f} | "
            f"{row['queries']} | {target or ''} | {met} |"
        )
    if args.json:
        args.json.write_text(json.dumps({"dialect": dialect, "managers": managers, "results": results}, indent=2))


if __name__ == "__main__":
    main()
