"""Time a user import of ROWS rows end to end, as an administrator lives it: the preview in the
request, then the job in a real `flask jobs worker` process, polled as the progress page does.

    .venv/bin/python bench/import_users.py --database-url sqlite:////tmp/import.db --rows 7000
    .venv/bin/python bench/import_users.py --database-url postgresql+psycopg://postgres@127.0.0.1/cartera_import \
        --jobs-url redis://127.0.0.1:6379/3 --rows 7000

The database is emptied and migrated first. Prints a Markdown line for docs/jobs.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BRANCHES = ("Norte/Bilbao Centro", "Norte/Santander Puerto", "Centro/Madrid Castellana", "Sur/Sevilla Triana")


def csv_of(rows: int) -> str:
    lines = ["email,name,career_level,org_unit,roles"]
    for n in range(rows):
        level = "junior" if n % 3 else "mid"
        lines.append(f"gestor{n:05d}@banco.example,Gestor {n},{level},Banco Demo/{BRANCHES[n % 4]},manager")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--jobs-url", default=None, help="default: a SQLite file in a temporary folder")
    parser.add_argument("--rows", type=int, default=7000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cartera-import-"))
    jobs_url = args.jobs_url or f"sqlite:///{folder / 'jobs.db'}"

    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from app import create_app, queue
    from app.extensions import db
    from app.models import Job, OutboxMessage, User
    from app.services import jobs, org, user_import
    from app.services.users import UserData, create_user
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = args.database_url
        JOBS_URL = jobs_url
        DEBUG = False

    app = create_app(BenchConfig)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        queue.huey.storage.flush_all()
        for branch in BRANCHES:
            org.ensure_path(("Banco Demo", *branch.split("/")))
        admin, _ = create_user(None, UserData(email="admin@banco.example", name="Admin", roles={"admin"}), "x" * 16)
        db.session.commit()
        text_csv = csv_of(args.rows)
        started = time.perf_counter()
        preview = user_import.preview(text_csv, admin)
        preview_seconds = time.perf_counter() - started
        assert preview.ok, preview.parsed.errors[:3]
        job = user_import.stage(admin, text_csv, "people.csv", rows=len(preview.planned))
        jobs.confirm(job)
        db.session.commit()
        job_id = job.id

    env = {
        **os.environ,
        "CARTERA_CONFIG": "development",
        "FLASK_DEBUG": "0",
        "FLASK_APP": "app",
        "DATABASE_URL": args.database_url,
        "JOBS_URL": jobs_url,
    }
    started = time.perf_counter()
    worker = subprocess.Popen(  # noqa: S603  (our own command)
        [str(Path(sys.executable).with_name("flask")), "jobs", "worker", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "worker.log", "w"),  # noqa: SIM115  (closed with the process)
    )
    samples = []
    try:
        while True:
            time.sleep(0.5)
            with app.app_context():
                state, done = db.session.execute(select(Job.state, Job.done).where(Job.id == job_id)).one()
                db.session.rollback()
            samples.append((time.perf_counter() - started, done))
            if state in ("succeeded", "failed"):
                break
        job_seconds = time.perf_counter() - started
        with app.app_context():
            delivered = 0
            while delivered < args.rows and time.perf_counter() - started < job_seconds + 120:
                delivered = db.session.scalar(
                    select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_not(None))
                )
                db.session.rollback()
                time.sleep(0.5)
            mail_seconds = time.perf_counter() - started
            users = db.session.scalar(select(func.count(User.id)).where(User.email.like("gestor%")))
    finally:
        worker.terminate()
        worker.wait(10)
    updates = len({done for _t, done in samples})
    print(
        f"| {args.database_url.split(':')[0]} | {args.rows:,} | "
        f"{preview_seconds:.1f} s | {state}, {job_seconds:.0f} s ({args.rows / job_seconds:.0f} rows/s) | "
        f"{updates} distinct progress readings | {users:,} users | {delivered:,} invitations delivered "
        f"after {mail_seconds:.0f} s |"
    )


if __name__ == "__main__":
    main()
