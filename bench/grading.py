"""Time the grading pages with thousands of written answers waiting, as ratios to the floor.

    .venv/bin/python bench/grading.py --database-url sqlite:////tmp/cartera-10k.db --managers 10000
    .venv/bin/python bench/grading.py --database-url postgresql+psycopg://postgres@127.0.0.1/cartera_10k

The database is the one bench/run.py fills (filled the same way here when it holds fewer
synthetic managers than asked). Then, once, synthetic managers write --waiting answers to the
six written tasks and --graded more are graded through the real workflow (claim, grade, the
moderation the exercises' settings ask for, which gives the agreement page its pairs, release). Each page
is requested in-process, debugging off, alternately with the floor (the change-password page).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import alternately, prepared_app, signed_in_client  # noqa: E402  (bench/ is the script's directory)

PAGES = (
    ("trainer's home", "/train/", 20),
    ("grading queue", "/train/grading/", 20),
    ("queue, one exercise and career level", "/train/grading/?exercise={exercise}&career_level=junior", 20),
    ("graded responses", "/train/grading/responses", 20),
    ("agreement between graders", "/train/grading/agreement", 10),
    ("one response on its rubric", "/train/grading/tasks/{task}", 20),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--managers", type=int, default=10000)
    parser.add_argument("--waiting", type=int, default=3000)
    parser.add_argument("--graded", type=int, default=600)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    app = prepared_app(args.database_url, args.managers)

    from sqlalchemy import event, func, select

    from app.extensions import db
    from app.models import Grading, GradingTask, User
    from app.services import grading

    with app.app_context():
        if db.session.scalar(select(func.count(Grading.id))) < args.waiting + args.graded:
            _load(args.waiting, args.graded)
        trainer = db.session.scalar(select(User).where(User.email == "trainer@demo.cartera"))
        floor_user = db.session.scalar(select(User).where(User.email == "hr@demo.cartera"))
        task = db.session.scalar(
            select(GradingTask.id).where(GradingTask.done_at.is_(None)).order_by(GradingTask.id.desc()).limit(1)
        )
        grading.claim(trainer, db.session.get(GradingTask, task))  # the page shows the grader's own claim
        db.session.commit()
        exercise = db.session.scalar(select(Grading.exercise_id).limit(1))
        counts = {
            "waiting": db.session.scalar(select(func.count(GradingTask.id)).where(GradingTask.done_at.is_(None))),
            "gradings": db.session.scalar(select(func.count(Grading.id))),
            "managers": db.session.scalar(select(func.count(User.id)).where(User.role_rows.any(role="manager"))),
        }
        dialect = db.engine.dialect.name
        ids = trainer.get_id(), floor_user.get_id()

    queries = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: queries.__setitem__(0, queries[0] + 1))
    client, floor_client = signed_in_client(app, ids[0]), signed_in_client(app, ids[1])

    results = []
    for name, path, repeats in PAGES:
        url = path.format(exercise=exercise, task=task)
        results.append({"page": name, **alternately(client, url, floor_client, "/auth/password", repeats, queries)})

    print(
        f"\n{dialect}, {counts['managers']:,} managers, {counts['gradings']:,} written answers, "
        f"{counts['waiting']:,} grades waited for, {time.strftime('%Y-%m-%d %H:%M')}\n"
    )
    print("| page | median ms | p90 ms | floor ms | × floor | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in results:
        print(
            f"| {row['page']} | {row['median_ms']:.1f} | {row['p90_ms']:.1f} | {row['floor_ms']:.1f} | "
            f"{row['ratio']:.1f} | {row['queries']} |"
        )
    if args.json:
        args.json.write_text(json.dumps({"dialect": dialect, **counts, "results": results}, indent=2))


def _load(waiting: int, graded: int) -> None:
    """Written answers by synthetic managers, through the real services; commits in batches."""
    from sqlalchemy import select
    from werkzeug.datastructures import MultiDict

    from app.domain import items
    from app.extensions import db
    from app.models import Grading, GradingTask, User
    from app.services import attempts, content_loader, grading, synthetic_bank
    from app.services.grading import GradeInput
    from app.services.users import find_by_email

    rng = random.Random(10)  # noqa: S311  (reproducible load)
    bank = content_loader.current_bank()
    tasks = sorted(
        k
        for k, e in bank.exercises.items()
        if e.get("items") and all(bank.items[i]["type"] in items.GRADED for i in e["items"])
    )
    writers = db.session.scalars(
        select(User)
        .where(User.email.like(f"%@{synthetic_bank.EMAIL_DOMAIN}"))
        .order_by(User.id)
        .limit(waiting + graded)
    ).all()
    started = time.perf_counter()
    for n, writer in enumerate(writers):
        attempt = attempts.start(writer, tasks[n % len(tasks)])
        key = attempts.planned_items(attempt)[0].key
        attempts.save_answers(attempt, MultiDict({f"answer-{key}": f"Plan de trabajo {n}. " * 20}), "es", [key])
        attempts.submit(attempt)
        if n % 200 == 199:
            db.session.commit()
    db.session.commit()
    print(f"{len(writers)} written answers in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    first, second = find_by_email("trainer@demo.cartera"), find_by_email("trainer2@demo.cartera")
    started = time.perf_counter()
    oldest = db.session.scalars(select(Grading).order_by(Grading.id).limit(graded)).all()
    for n, g in enumerate(oldest):
        rubric = grading.rubric_of(g)
        points = {c["id"]: str(rng.choice([lv["points"] for lv in c["levels"]][1:3])) for c in rubric["criteria"]}
        for trainer in (first, second):
            task = db.session.scalar(
                select(GradingTask).where(GradingTask.grading_id == g.id, GradingTask.done_at.is_(None))
            )
            if task is None:
                break
            grading.claim(trainer, task)
            grading.save(trainer, task, GradeInput(points, {}, "bien"), submit=True)
        if n % 100 == 99:
            db.session.commit()
    db.session.commit()
    print(f"{len(oldest)} graded in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
