"""Command-line interface: thin wrappers over services."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.domain import content_stats, items, moodle, reliability, schema, writing_check
from app.domain.people import CAREER_LEVELS, ROLES, split_org_path
from app.extensions import db
from app.services import authoring, content_loader, demo, org, synthetic_bank
from app.services.errors import Invalid, NotFound
from app.services.users import UserData, create_user


@contextmanager
def transaction():
    """A command's one transaction: all of its work is stored, or none (a savepoint inside a
    caller's transaction, as in the tests)."""
    with db.session.begin_nested() if db.session().in_transaction() else db.session.begin():
        yield


users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demo data (never in production).")
content_cli = AppGroup("content", help="The content bank: questions/ and rubrics/.")
jobs_cli = AppGroup("jobs", help="Background jobs and e-mail delivery (docs/jobs.md).")


@jobs_cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True, help="Threads running jobs.")
def worker_command(workers: int):
    """Run jobs as they are queued, retry failures, send e-mail and the reminders (until stopped)."""
    from app import queue

    click.echo(f"Cartera's job worker: {workers} thread(s) on {current_app.config['JOBS_URL']}.")
    queue.work(workers)


@jobs_cli.command("run")
def run_command():
    """Run every job and message waiting now, in this process, and stop (for maintenance)."""
    from app import queue
    from app.services import jobs

    with transaction():
        requeued = jobs.requeue_lost()
    ran = queue.drain()
    click.echo(f"{ran} message(s) run ({requeued} lost job(s) sent again).")


@content_cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Item-writing warnings (cues to the key) fail the check too.")
def validate_command(paths, strict: bool):
    """Check content files (default: all of questions/ and rubrics/); every problem is listed,
    then the item-writing warnings (surface cues to the key)."""
    errors, files = content_loader.validate(paths)
    for error in errors:
        click.echo(str(error))
    if errors:
        broken = len({e.file for e in errors})
        raise click.ClickException(f"{len(errors)} problem(s) in {broken} of {files} file(s).")
    found = writing_warnings(content_loader.load_files())
    for warning in found:
        click.echo(f"warning: {warning}")
    if strict and found:
        raise click.ClickException(f"{files} file(s) are valid, but {len(found)} item-writing warning(s) remain.")
    click.echo(f"{files} file(s) checked: no problems" + (f"; {len(found)} item-writing warning(s)." if found else "."))


def writing_warnings(bank) -> list[str]:
    findings = [
        writing_check.inspect(q, locale)
        for q in writing_check.questions(bank.item_holders, bank.items)
        for locale in writing_check.LOCALES
    ]
    return [w for f in findings for w in writing_check.warnings(f)] + writing_check.fixed_positions(findings)


@content_cli.command("check")
@click.option("--markdown", is_flag=True, help="A Markdown table, as docs/content-quality.md records it.")
@click.option("--strict", is_flag=True, help="Fail when a tell is more than 10 points above chance (CI).")
def check_command(markdown: bool, strict: bool):
    """How far each surface cue to the key is from chance, per language and kind of question."""
    bank = content_loader.load_files()
    findings = [
        writing_check.inspect(q, locale)
        for q in writing_check.questions(bank.item_holders, bank.items)
        for locale in writing_check.LOCALES
    ]
    rows = writing_check.summarise(findings)
    click.echo(
        "| language | kind | questions | key is longest | chance | procedure words point to key | chance "
        "| distractors with giveaways | keys with giveaways | key first |"
    )
    click.echo("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")

    def pct(value):
        return "—" if value is None else f"{value * 100:.0f} %"

    for r in rows:
        click.echo(
            f"| {r.locale} | {r.kind} | {r.questions} | {pct(r.longest_rate)} | {pct(r.chance)} "
            f"| {pct(r.procedure_rate)} | {pct(r.procedure_chance)} "
            f"| {r.giveaway_distractors} of {r.distractors} | {r.giveaway_keys} of {r.keys} "
            f"| {pct(r.first_position / r.questions if r.questions else None)} (chance {pct(r.position_chance)}) |"
        )
    if not markdown:
        far = [r for r in rows if r.over_chance is not None and r.over_chance > writing_check.WITHIN_CHANCE]
        click.echo(f"\n{len(far)} of {len(rows)} rows have the key longest more than 10 points above chance.")
    problems = writing_check.beyond_chance(rows)
    if strict and problems:
        raise click.ClickException("surface cues point to the key:\n" + "\n".join(problems))


@content_cli.command("reliability")
@click.option("--managers", default=2000, show_default=True, help="Synthetic managers per diagnostic.")
def reliability_command(managers: int):
    """Cronbach's alpha of each diagnostic (diagnostic-<level>) on synthetic managers of its level,
    over all its items and per competency, as a Markdown table (docs/content-quality.md)."""
    bank = content_loader.load_files()
    click.echo("| diagnostic | scope | items in the pool | items per attempt | alpha (pool) | alpha (one attempt) |")
    click.echo("|---|---|---:|---:|---:|---:|")
    for key, exercise in sorted(bank.exercises.items()):
        level = key.removeprefix("diagnostic-")
        if not key.startswith("diagnostic-") or not exercise.get("draw"):
            continue
        for row in reliability.estimate(exercise, bank.items, level, managers):
            alphas = [f"{a:.2f}" if a is not None else "—" for a in (row.alpha_pool, row.alpha_drawn)]
            click.echo(f"| {key} | {row.scope} | {row.pool} | {row.drawn} | {alphas[0]} | {alphas[1]} |")


@content_cli.command("sync")
def sync_command():
    """Load questions/ and rubrics/ into the database, all or nothing."""
    try:
        with transaction():
            plan = content_loader.sync()
    except content_loader.ContentInvalid as invalid:
        for error in invalid.errors:
            click.echo(str(error))
        raise click.ClickException(f"nothing was loaded: {len(invalid.errors)} problem(s) in the content.") from None
    click.echo(plan.summary())


@content_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path):
    """Write the database's current content to DIRECTORY as questions/ and rubrics/ files."""
    written = content_loader.export(directory)
    click.echo(f"{len(written)} file(s) written under {directory}.")


@content_cli.command("adopt")
@click.argument("exercise")
def adopt_command(exercise: str):
    """Hand an exercise published from the browser to the files: sync maintains it from then on.

    Export it first and put its file under questions/ (docs/authoring.md)."""
    try:
        with transaction():
            count = authoring.adopt(None, exercise)
    except (NotFound, Invalid) as refused:
        raise click.ClickException(f"cannot adopt '{exercise}': {refused}") from None
    click.echo(f"'{exercise}' and its {count - 1} item(s) are now maintained in questions/{exercise}.yaml.")


@content_cli.command("moodle-export")
@click.argument("exercise")
@click.option("--language", type=click.Choice(["es", "en"]), default="es", show_default=True)
def moodle_export_command(exercise: str, language: str):
    """Write EXERCISE's items as Moodle XML (one language) to standard output; list what Moodle lacks."""
    bank = content_loader.load_files()
    if exercise not in bank.exercises:
        raise click.ClickException(f"no exercise '{exercise}' in questions/")
    body = bank.exercises[exercise]
    keys = body.get("items") or [key for pool in body.get("draw", []) for key in pool["from"]]
    text, skipped = moodle.write_xml([bank.items[key] for key in keys], language, category=exercise)
    click.echo(text, nl=False)
    for item in skipped:
        click.echo(f"skipped {item.name}: {item.reason}", err=True)


@content_cli.command("schema")
@click.option("--check", is_flag=True, help="Fail if docs/content.schema.json is not what the item types build.")
def schema_command(check: bool):
    """Write docs/content.schema.json (for editors) from the content base and the item types."""
    text = schema.as_text()
    if check:
        if schema.DOCS.read_text(encoding="utf-8") != text:
            raise click.ClickException(f"{schema.DOCS} is out of date: run `flask content schema`.")
        click.echo(f"{schema.DOCS} is up to date.")
        return
    schema.DOCS.write_text(text, encoding="utf-8")
    click.echo(f"{schema.DOCS} written.")


@content_cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def stats_command(as_json: bool):
    """Per competency: items by type, scenarios, self-assessment statements and open tasks."""
    table = content_stats.coverage(content_loader.current_bank())
    if as_json:
        click.echo(json.dumps(table, indent=2, ensure_ascii=False))
        return
    types = items.SCORED
    click.echo(f"{'competency':<16}" + "".join(f"{t[:8]:>9}" for t in types) + f"{'scen.':>7}{'self':>6}{'open':>6}")
    for code, row in table.items():
        counts = "".join(f"{row['items'][t]:>9}" for t in types)
        click.echo(
            f"{code:<16}{counts}{len(row['scenarios']):>7}{row['self_assessment']:>6}{len(row['open_tasks']):>6}"
        )


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), required=True)
@click.option("--career-level", type=click.Choice(CAREER_LEVELS))
@click.option("--org-unit", help="Path of names, e.g. 'Banco Demo/Norte/Bilbao Centro'.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email, name, roles, career_level, org_unit, password_stdin):
    """Create a user. Without --password-stdin a temporary password is generated and printed."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        with transaction():
            unit_id = org.ensure_path(split_org_path(org_unit)).id if org_unit else None
            data = UserData(email=email, name=name, career_level=career_level, org_unit_id=unit_id, roles=set(roles))
            user, generated = create_user(None, data, password=password)
    except Invalid as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))}).")
    if generated:
        click.echo(f"Temporary password (must be changed at first login): {generated}")


@demo_cli.command("seed")
def seed_command():
    """Create the demo bank and accounts; safe to run again."""
    if current_app.config.get("CONFIG_NAME") == "production":
        raise click.ClickException("The demo seed refuses to run under the production configuration.")
    with transaction():
        created = demo.seed()
    click.echo(f"Demo bank ready ({created} users created).")
    click.echo(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
    for account in demo.DEMO_ACCOUNTS:
        click.echo(f"  {account.email:<24} {account.description}")


@demo_cli.command("generate")
@click.option("--managers", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@click.option("--months", type=click.IntRange(1, 36), default=12, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True, help="The same seed gives the same bank.")
@click.option("--once", is_flag=True, help="Do nothing if synthetic managers exist already (for `make run`).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: os.cpu_count() or 1,
    show_default="one per core",
    help="Processes simulating managers while this one writes them (the bank is the same for any number).",
)
def generate_command(managers: int, months: int, seed: int, once: bool, workers: int):
    """Add synthetic managers with MONTHS of attempts, answers and scores (for demos and benchmarks)."""
    if current_app.config.get("CONFIG_NAME") == "production":
        raise click.ClickException("Synthetic data refuses to run under the production configuration.")
    try:
        with transaction():
            existing = synthetic_bank.existing_managers()
            if once and existing:
                click.echo(f"{existing} synthetic managers exist already: nothing generated.")
                return
            report = synthetic_bank.generate(
                managers,
                months,
                seed,
                progress=lambda done: click.echo(f"  {done}/{managers} managers", err=True),
                workers=workers,
            )
    except synthetic_bank.ContentMissing as missing:
        raise click.ClickException(str(missing)) from None
    with transaction():
        synthetic_bank.analyze()
    click.echo(f"Generated {report.summary()}.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(jobs_cli)
