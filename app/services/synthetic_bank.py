"""`flask demo generate`: a synthetic bank of managers with a year of real-looking activity.

Managers, assignments, attempts, answers, scenario decisions and scores are written with bulk
inserts (explicit ids, chunked executemany) in one transaction, so 10,000 managers × 12 months
take minutes, not hours. Answers come from the statistical model in `domain.synthetic` and are
scored by the same rules as a real attempt, so every report reads them exactly as it would read
real data. All synthetic managers share the demo password, hashed once.
"""

from __future__ import annotations

import math
import multiprocessing
import random
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, bindparam, func, select, text, update

from app.domain import cohort_cells, synthetic
from app.domain import item_sums as item_sums_domain
from app.domain import items as item_types
from app.domain.attempt_plan import draw_items, plan_entry
from app.domain.attempt_scoring import score_attempt, self_rated
from app.domain.attempt_status import AttemptStatus
from app.domain.content_schema import effective_settings
from app.domain.framework import level_for_score
from app.domain.profile import AttemptResult, measured_level, measured_scores
from app.domain.scenarios import best_points
from app.extensions import db
from app.models import (
    Answer,
    Assignment,
    AssignmentRecipient,
    Attempt,
    AttemptScore,
    ContentDocument,
    ContentVersion,
    Job,
    OrgUnit,
    ProfileScore,
    ScenarioDecision,
    SelfScore,
    User,
    UserRole,
)
from app.models.users import utcnow
from app.services import audit, cohort_levels, demo, item_sums, jobs, monthly_scores, org, sql
from app.services.content_loader import current_bank
from app.services.errors import Invalid
from app.services.monthly_scores import month_of
from app.services.users import find_by_email, hash_password

EMAIL_DOMAIN = "synthetic.cartera"
REGIONS = ("Norte", "Centro", "Sur", "Este", "Oeste")
MANAGERS_PER_BRANCH = 40
CAREER_MIX = (("junior", 0.45), ("mid", 0.40), ("senior", 0.15))
BRANCHES_PER_BATCH = 6  # a batch simulates whole branches: its branches' item sums are new rows, inserted as they are
FIRST_NAMES = (
    "Lucía Sofía María Martina Paula Julia Carmen Ana Laura Elena Marta Sara Irene Nerea Ane Alba Noelia "
    "Hugo Mateo Martín Lucas Daniel Pablo Álvaro Adrián David Javier Sergio Jorge Iker Unai Diego Raúl"
).split()
LAST_NAMES = (
    "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández "
    "Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez "
    "Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Iglesias Etxeberria "
    "Zubiri Arrieta Goikoetxea"
).split()


class ContentMissing(Exception):
    pass


@dataclass
class GenerateReport:
    managers: int = 0
    branches: int = 0
    assignments: int = 0
    attempts: int = 0
    answers: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.managers} managers in {self.branches} branch{'es' if self.branches != 1 else ''}, {self.assignments} assignments, "
            f"{self.attempts} attempts, {self.answers} answers in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class _Exercise:
    key: str
    document_id: int
    version_id: int
    body: dict
    best: dict | None = None  # a scenario's best points, computed once rather than per attempt


@dataclass
class _Ids:
    """The next free id of each table: rows are inserted with explicit ids, in bulk."""

    next: dict[str, int]
    limits: dict[str, int] | None = None  # a batch's block ends here

    def take(self, table: str) -> int:
        value = self.next[table]
        if self.limits and value >= self.limits.get(table, value + 1):
            raise RuntimeError(f"a batch used more {table} ids than IDS_PER_MANAGER allows")
        self.next[table] = value + 1
        return value


class _Writer:
    """Buffers rows per table and writes them in bulk (COPY on PostgreSQL), parents before children.

    Rows are kept as tuples, their JSON already text: they are made in the simulating processes,
    and tuples of plain values are what crosses to the writing process and what COPY takes."""

    ORDER = (
        User,
        UserRole,
        Assignment,
        AssignmentRecipient,
        Attempt,
        Answer,
        ScenarioDecision,
        AttemptScore,
        ProfileScore,
        SelfScore,
    )

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {model.__tablename__: [] for model in self.ORDER}
        self.names: dict[str, tuple[str, ...]] = {}  # each table's columns, in the order of its rows' values
        self.counts: dict[str, int] = {}

    def add(self, model: type, **row) -> None:
        table = model.__tablename__
        names = self.names.get(table)
        if names is None:
            names = self.names[table] = tuple(row)
        elif tuple(row) != names:
            raise ValueError(f"{table}: a row names {tuple(row)}, not {names}")
        for name in _JSON_COLUMNS[table]:
            row[name] = sql.json_text(model.__table__.c[name], row[name])
        self.rows[table].append(tuple(row.values()))

    def take(self, names: dict[str, tuple[str, ...]], rows: dict[str, list[tuple]]) -> None:
        """Rows made by another writer (in a simulating process), by table name."""
        for table, found in rows.items():
            if self.names.setdefault(table, names[table]) != names[table]:
                raise ValueError(f"{table}: rows name {names[table]}, not {self.names[table]}")
            self.rows[table].extend(found)

    def flush(self) -> None:
        for model in self.ORDER:
            table = model.__tablename__
            rows = self.rows[table]
            if rows:
                sql.insert_rows(model.__table__, self.names[table], rows, json_as_text=True)
                self.counts[table] = self.counts.get(table, 0) + len(rows)
                rows.clear()


_JSON_COLUMNS = {
    model.__tablename__: tuple(c.name for c in model.__table__.c if isinstance(c.type, JSON)) for model in _Writer.ORDER
}


def generate(
    managers: int,
    months: int,
    seed: int = 2026,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> GenerateReport:
    """Add `managers` synthetic managers with `months` months of activity, ending now.

    Lives are simulated a batch of managers at a time, each batch with its own random stream and
    its own block of ids, so `workers` processes can simulate batches while this one writes them:
    the same seed gives the same bank whatever the number of workers."""
    started = time.perf_counter()
    now = now or utcnow()
    rng = random.Random(seed)  # noqa: S311  (reproducible synthetic data, not a secret)
    demo.seed()
    exercises, items = _content()
    bank = current_bank()
    ids = _Ids({t: _next_id(t) for t in ("users", "assignments", "attempts", "answers", "scenario_decisions")})
    window_start = now - timedelta(days=30.44 * months)

    with sql.foreign_keys_checked_after():  # a bulk load: checked once, at the end
        writer = _Writer()
        people, branch_count = _add_managers(writer, ids, rng, managers, window_start)
        received: dict[int, list[tuple[int, str, datetime, datetime]]] = {}
        assignment_count = _add_assignments(writer, ids, exercises, people, window_start, months, received)
        writer.flush()

        report = GenerateReport(managers=managers, branches=branch_count, assignments=assignment_count)
        world = _World(
            exercises,
            items,
            bank.level_thresholds,
            bank.evidence_threshold,
            bank.career_targets,
            window_start,
            months,
            now,
        )
        batches = _batches(seed, ids, people, received)
        above = {p[2].id: cohort_cells.ancestors(p[2].path)[:-1] for p in people}
        wider = {unit: (cohort_cells.WHOLE_BANK, *units) for unit, units in above.items()}
        cube: dict[tuple, dict[str, float]] = {}
        assessed: list[dict] = []
        done = 0
        with _simulating(world, workers) as simulate:
            for lived in simulate(batches):
                writer.take(lived.names, lived.rows)
                writer.flush()
                item_sums.insert_new(lived.sums.rows())  # the batch's own new branches: nobody else adds to them
                for (unit, *rest), sums in lived.cube.items():  # the branch's, and each unit's above it
                    for counted in (unit, *above[unit]):
                        kept = cube.setdefault((counted, *rest), dict.fromkeys(sums, 0))
                        for name, value in sums.items():
                            kept[name] += value
                assessed.extend(lived.assessed)
                done += lived.managers
                if progress:
                    progress(done)
        monthly_scores.add({**dict(zip(monthly_scores.CELL, key, strict=True)), **sums} for key, sums in cube.items())
        users = User.__table__
        if assessed:
            db.session.execute(
                update(users).where(users.c.id == bindparam("uid")).values(last_assessed_month=bindparam("month")),
                assessed,
            )
        cohort_levels.rebuild()
        item_sums.widen(wider)  # the regions' and the whole bank's item sums, in the database, once
    _reset_sequences()
    audit.record(None, "demo.generate", EMAIL_DOMAIN, managers=managers, months=months, seed=seed)
    db.session.flush()
    report.attempts = writer.counts.get("attempts", 0)
    report.answers = writer.counts.get("answers", 0)
    report.seconds = time.perf_counter() - started
    return report


# Ids a batch may use per manager: each batch owns a block, so batches need not be simulated in
# order. About twice what the model draws over the longest history (36 months of about 16 attempts,
# 220 answers and 6 decisions a year), and no more: every run spends its blocks whole, and the
# answers' ids are 32-bit integers on PostgreSQL.
IDS_PER_MANAGER = {"attempts": 120, "answers": 1500, "scenario_decisions": 60}


@dataclass(frozen=True)
class _World:
    """What every simulated life reads: the content and the calendar."""

    exercises: dict
    items: dict
    thresholds: object
    evidence_threshold: float
    targets: dict[str, dict[str, int]]  # career level → competency → target level
    start: datetime
    months: int
    now: datetime


@dataclass(frozen=True)
class _Batch:
    seed: int
    first_ids: dict[str, int]
    people: list[tuple]  # (user id, career level, unit path, traits, [(assignment, exercise key, created, due)])


def _batches(seed: int, ids: _Ids, people: list[tuple], received: dict) -> list[_Batch]:
    """Whole branches per batch (people come branch by branch), each batch with its own random
    stream and its own block of ids, starting where its first manager's would."""
    starts = [n for n, person in enumerate(people) if n == 0 or person[2].id != people[n - 1][2].id]
    bounds = [*starts[::BRANCHES_PER_BATCH], len(people)]
    return [
        _Batch(
            seed * 1_000_003 + k,
            {table: ids.next[table] + start * per_manager for table, per_manager in IDS_PER_MANAGER.items()},
            [
                (uid, level, branch.path, traits, received.get(uid, []))
                for uid, level, branch, traits in people[start:end]
            ],
        )
        for k, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False))
    ]


@dataclass
class _Lived:
    """A batch's simulated months: rows to write and what they add to the kept aggregates."""

    managers: int
    names: dict[str, tuple[str, ...]]
    rows: dict[str, list[tuple]]
    cube: dict[tuple, dict[str, float]]
    assessed: list[dict]
    sums: item_sums_domain.Tables


_WORLD: _World | None = None  # set before worker processes fork, so they inherit the content


def _simulate_batch(batch: _Batch) -> _Lived:
    """Pure computation (no database): safe in a forked worker."""
    size = len(batch.people)
    limits = {table: first + size * IDS_PER_MANAGER[table] for table, first in batch.first_ids.items()}
    ids = _Ids(dict(batch.first_ids), limits)
    writer = _Writer()
    life = _Life(random.Random(batch.seed), _WORLD, ids, writer)  # noqa: S311  (synthetic data)
    for user_id, level, path, traits, assigned in batch.people:
        life.live(user_id, level, path, traits, assigned)
    rows = {table: found for table, found in writer.rows.items() if found}
    return _Lived(len(batch.people), writer.names, rows, life.cube, life.assessed, life.sums)


@contextmanager
def _simulating(world: _World, workers: int):
    """A map of batches to their lives, in order: in this process, or in `workers` forked ones."""
    global _WORLD
    _WORLD = world
    try:
        if workers <= 1:
            yield lambda batches: map(_simulate_batch, batches)
            return
        engine = db.engine
        context = multiprocessing.get_context("fork")
        # A forked child must never use the parent's database connections (dispose(close=False)).
        with context.Pool(workers, initializer=engine.dispose, initargs=(False,)) as pool:
            yield lambda batches: pool.imap(_simulate_batch, batches)
    finally:
        _WORLD = None


GENERATE_LEASE_SECONDS = 6 * 3600  # one transaction to the end: no heartbeat until then


def start_generate(actor: User, managers: int, months: int, seed: int) -> Job:
    """Generation started from the admin pages, as a job (the same as `flask demo generate`)."""
    if current_app.config.get("CONFIG_NAME") == "production":
        raise Invalid({"": [_l("Synthetic data is never generated in production.")]})
    params = {"managers": managers, "months": months, "seed": seed, "title": f"{managers} × {months}"}
    key = jobs.new_key("demo.generate", actor.id)
    return jobs.start("demo.generate", actor, params, key, total=managers, lease_seconds=GENERATE_LEASE_SECONDS)


def run_generate(job: Job, progress: jobs.Progress) -> dict:
    """All of it in one transaction, as the command does: a failure leaves nothing half-made."""
    if current_app.config.get("CONFIG_NAME") == "production":
        raise jobs.Refused([str(_l("Synthetic data is never generated in production."))])
    params = job.params
    report = generate(params["managers"], params["months"], params["seed"], progress=progress.outside_transaction)
    return {"managers": report.managers, "attempts": report.attempts, "seconds": round(report.seconds)}


def analyze() -> None:
    """Planner statistics for tables that just grew by millions of rows (after the commit); on
    PostgreSQL a VACUUM too, which sets the visibility map: until autovacuum gets there, every
    index-only scan over the new rows still reads the table (at 100,000 managers, training needs for
    the whole bank took 176 ms before it and 126 ms after)."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(text("ANALYZE"))
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE)")  # never inside a transaction


def existing_managers() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.email.like(f"%@{EMAIL_DOMAIN}"))) or 0


def _add_managers(writer, ids, rng, managers: int, joined: datetime) -> tuple[list[tuple], int]:
    """New managers in new branches of 40 spread over the regions: (id, career level, branch, traits)."""
    offset = existing_managers()
    password_hash = hash_password(demo.DEMO_PASSWORD)  # once: all share the demo password
    branch_count = max(1, math.ceil(managers / MANAGERS_PER_BRANCH))
    branches = _new_branches(branch_count)
    people = []
    for n in range(managers):
        user_id = ids.take("users")
        level = rng.choices([lvl for lvl, _ in CAREER_MIX], weights=[w for _, w in CAREER_MIX])[0]
        branch = branches[n * branch_count // managers]  # in one run, so a branch's sums are written together
        writer.add(
            User,
            id=user_id,
            email=f"m{offset + n + 1:05d}@{EMAIL_DOMAIN}",
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
            password_hash=password_hash,
            locale=None,
            active=True,
            career_level=level,
            org_unit_id=branch.id,
            must_change_password=False,
            failed_logins=0,
            created_at=joined,
            session_token=f"{rng.getrandbits(128):032x}",
            profile_version=0,
        )
        writer.add(UserRole, user_id=user_id, role="manager")
        people.append((user_id, level, branch, synthetic.draw_traits(rng, level)))
    writer.flush()
    return people, branch_count


def _new_branches(count: int) -> list[OrgUnit]:
    """Branches no earlier run made, numbered on from the last one, spread over the regions: each
    run's item sums then start from nothing in its own branches."""
    regions = [org.ensure_path((demo.BANK, region)) for region in REGIONS]
    names = db.session.scalars(select(OrgUnit.name).where(OrgUnit.parent_id.in_([r.id for r in regions])))
    last = max((int(name.split()[-1]) for name in names if re.fullmatch(r"Oficina \d+", name)), default=0)
    return [
        org.add_unit(None, f"Oficina {number:04d}", regions[(number - 1) % len(REGIONS)])
        for number in range(last + 1, last + count + 1)
    ]


def _add_assignments(writer, ids, exercises, people, start: datetime, months: int, received) -> int:
    """Each quarter every region gets a practice quiz; each career level gets its diagnostic
    (diagnostic-<level>, where the bank has one). Returns how many."""
    trainer = find_by_email("trainer@demo.cartera")
    regions = [org.ensure_path((demo.BANK, region)) for region in REGIONS]
    practice = sorted(k for k, e in exercises.items() if e.body["kind"] == "quiz" and not e.body.get("draw"))
    count = 0
    for quarter in range(max(1, math.ceil(months / 3))):
        created = start + timedelta(days=91.3 * quarter + 3)
        for r, unit in enumerate(regions):
            exercise = exercises[practice[(quarter * len(REGIONS) + r) % len(practice)]]
            members = [p for p in people if p[2].path.startswith(unit.path)]
            count += _assign(writer, ids, trainer, exercise, "org_unit", unit.id, None, created, members, received)
    diagnostics = {level: exercises.get(f"diagnostic-{level}") for level in ("junior", "mid", "senior")}
    if not any(diagnostics.values()):  # a bank without named diagnostics: its first drawn exercise, for juniors
        diagnostics["junior"] = next((e for _k, e in sorted(exercises.items()) if e.body.get("draw")), None)
    for level, diagnostic in diagnostics.items():
        if diagnostic is not None:
            members = [p for p in people if p[1] == level]
            created = start + timedelta(days=5)
            count += _assign(writer, ids, trainer, diagnostic, "career_level", None, level, created, members, received)
    return count


def _assign(writer, ids, trainer, exercise, target, unit_id, level, created, members, received) -> int:
    if not members:
        return 0
    assignment_id = ids.take("assignments")
    due = created + timedelta(days=30)
    writer.add(
        Assignment,
        id=assignment_id,
        exercise_id=exercise.document_id,
        assigned_by_id=trainer.id,
        target=target,
        org_unit_id=unit_id,
        career_level=level,
        due_at=due,
        created_at=created,
    )
    for user_id, *_rest in members:  # recipients are written with the manager's attempts, completion known
        received.setdefault(user_id, []).append((assignment_id, exercise.key, created, due))
    return 1


class _Life:
    """One manager's months: open practice, assigned work, self-assessments, then their profile."""

    def __init__(self, rng: random.Random, world: _World, ids: _Ids, writer: _Writer):
        self.rng = rng
        self.exercises = world.exercises
        self.items = world.items
        self.ids = ids
        self.writer = writer
        self.thresholds = world.thresholds
        self.evidence_threshold = world.evidence_threshold
        self.targets = world.targets
        self.start = world.start
        self.months = world.months
        self.now = world.now
        self.cube: dict[tuple, dict[str, float]] = {}
        self.assessed: list[dict] = []  # each manager's month of latest assessment, as profiles.refresh keeps it
        self.sums = item_sums_domain.Tables()
        exercises = world.exercises
        self.self_assessment = next(
            (e for _k, e in sorted(exercises.items()) if e.body["kind"] == "self_assessment"), None
        )
        self.practice = [
            e for _k, e in sorted(exercises.items()) if e.body["kind"] != "self_assessment" and not e.body.get("draw")
        ]

    def _when(self, month: float) -> datetime:
        return min(self.now - timedelta(hours=1), self.start + timedelta(days=30.44 * month))

    def live(self, user_id: int, level: str, path: str, traits: synthetic.Traits, assigned) -> None:
        rng = self.rng
        units = cohort_cells.ancestors(path)
        counted = {"counted_unit_path": path, "counted_career_level": level}  # as attempts._store_scores
        joined = 0 if rng.random() < 0.85 else rng.randrange(self.months)
        plans: list[tuple[float, _Exercise, int | None, bool]] = []  # (month, exercise, assignment, submitted)
        for month in range(joined, self.months):
            for _ in range(_poisson(rng, traits.engagement)):
                plans.append((month + rng.random(), rng.choice(self.practice), None, True))
        for assignment_id, key, created, due in assigned:
            exercise = self.exercises[key]
            roll = rng.random()
            if roll < 0.1:
                continue  # never started
            month = (created - self.start).days / 30.44 + rng.random() * (due - created).days / 30.44
            plans.append((month, exercise, assignment_id, roll > 0.17))  # a few left in progress
        if self.self_assessment is not None and rng.random() < 0.9:
            plans.append((joined + rng.random(), self.self_assessment, None, True))
            if self.months > 3 and rng.random() < 0.4:
                plans.append((self.months - 1.5 + rng.random(), self.self_assessment, None, True))
        results: list[AttemptResult] = []
        likert: dict[str, tuple[datetime, str, int, bool]] = {}
        submissions: list[tuple[int, datetime]] = []  # (exercise document, submitted at)
        for month, exercise, assignment_id, submitted in sorted(plans, key=lambda p: p[0]):
            started = self._when(month)
            if started >= self.now:
                continue
            result = self._attempt(
                user_id, units, counted, traits, month, exercise, assignment_id, submitted, started, likert
            )
            if result is not None:
                results.append(result)
                submissions.append((exercise.document_id, result.submitted_at))
                self._count(units, level, result)
        measured = [r.submitted_at for r in results if r.scores]
        assessed_month = month_of(max(measured)) if measured else None
        if measured:
            self.assessed.append({"uid": user_id, "month": assessed_month})
        for assignment_id, key, created, _due in assigned:  # completion as attempts._complete_assignments
            document_id = self.exercises[key].document_id
            done = [when for document, when in submissions if document == document_id and when >= created]
            self.writer.add(
                AssignmentRecipient, assignment_id=assignment_id, user_id=user_id, completed_at=min(done, default=None)
            )
        self_scores = self_rated((c, v, r) for _w, c, v, r in likert.values())
        targets = self.targets.get(level, {})
        for code, (score, evidence) in measured_scores(results).items():
            proficiency = measured_level(score, evidence, self.thresholds, self.evidence_threshold)
            rated = self_scores.get(code)
            self.writer.add(
                ProfileScore,
                user_id=user_id,
                competency=code,
                score=score,
                evidence=evidence,
                level=proficiency,
                updated_at=self.now,
                manager_counted=True,  # as cohort_levels.copy_standing copies it
                manager_career_level=level,
                manager_unit_path=path,
                manager_assessed_month=assessed_month,
                self_level=None if rated is None else level_for_score(rated, self.thresholds),
                target_level=targets.get(code),
            )
        for code, score in self_scores.items():
            self.writer.add(SelfScore, user_id=user_id, competency=code, score=score, updated_at=self.now)

    def _count(self, units: tuple[int, ...], level: str, result: AttemptResult) -> None:
        """Add the attempt to the monthly cohort aggregates, as monthly_scores does when one is scored:
        in the manager's branch alone, which `generate` counts again in the units above it."""
        for row in monthly_scores.cells(units[-1:], level, result.submitted_at, result.scores):
            sums = self.cube.setdefault(
                tuple(row[k] for k in monthly_scores.CELL), dict.fromkeys(("weighted", "weight", "attempts"), 0)
            )
            for name in sums:
                sums[name] += row[name]

    def _attempt(self, user_id, units, counted, traits, month, exercise, assignment_id, submitted, started, likert):
        """One attempt with modelled answers, scored (when submitted) by the player's own scoring path."""
        rng, writer = self.rng, self.writer
        attempt_id = self.ids.take("attempts")
        body = exercise.body
        settings = effective_settings(body)
        seed = rng.randrange(2**31)
        plan, planned, given, path, answered = [], [], {}, [], started
        if body["kind"] == "scenario":
            path = synthetic.scenario_path(body, traits, month, rng)
            for position, (step_id, choice_id) in enumerate(path, start=1):
                answered += timedelta(seconds=rng.randint(20, 90))
                writer.add(
                    ScenarioDecision,
                    id=self.ids.take("scenario_decisions"),
                    attempt_id=attempt_id,
                    position=position,
                    step_id=step_id,
                    choice_id=choice_id,
                    decided_at=answered,
                )
        else:
            for key in draw_items(body, seed, settings["shuffle_items"]):
                item, version_id = self.items[key]
                plan.append(plan_entry(key, version_id, item, seed, settings["shuffle_options"]))
                planned.append((key, item))
                value = synthetic.answer(item, traits, month, rng)
                if value is None:
                    continue  # written answers wait for a trainer; the model writes none
                answered += timedelta(seconds=rng.randint(15, 120))
                given[key] = (value, version_id, answered)
                if item["type"] in item_types.SELF_RATED:
                    previous = likert.get(key)
                    if submitted and (previous is None or previous[0] < answered):
                        likert[key] = (answered, item["competency"], value, bool(item.get("reverse")))
        outcome = (
            score_attempt(body, planned, {k: v for k, (v, _id, _at) in given.items()}, path, best=exercise.best)
            if submitted
            else None
        )
        for key, (value, version_id, when) in given.items():
            writer.add(
                Answer,
                id=self.ids.take("answers"),
                attempt_id=attempt_id,
                item_key=key,
                item_version_id=version_id,
                value=value,
                score=outcome.item_scores.get(key) if outcome else None,
                answered_at=when,
                locked_at=when if settings["feedback"] == "immediately" else None,
            )
        submitted_at = answered + timedelta(seconds=30) if submitted else None
        writer.add(
            Attempt,
            id=attempt_id,
            user_id=user_id,
            exercise_id=exercise.document_id,
            exercise_version_id=exercise.version_id,
            assignment_id=assignment_id,
            seed=seed,
            plan=plan,
            status=AttemptStatus.SCORED if submitted else AttemptStatus.IN_PROGRESS,
            started_at=started,
            deadline_at=None,
            submitted_at=submitted_at,
            expired=False,
            scored_at=submitted_at,
            **(counted if submitted else {"counted_unit_path": None, "counted_career_level": None}),
        )
        if outcome is None:
            return None
        answers = {key: (outcome.item_scores.get(key), value) for key, (value, _id, _at) in given.items()}
        analysed = item_sums_domain.analysed(planned, answers)
        if analysed:  # the item-analysis sums, as item_sums.record adds them when an attempt is scored
            where = (exercise.document_id, units[-1:], month_of(submitted_at))  # the branch; spread at the end
            self.sums.add_attempt(*where, analysed, complete=not body.get("draw"))
        for code, value in outcome.scores.items():
            writer.add(AttemptScore, attempt_id=attempt_id, competency=code, score=value.score, weight=value.weight)
        return AttemptResult(exercise.key, submitted_at, {c: (v.score, v.weight) for c, v in outcome.scores.items()})


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means of monthly activity."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _content() -> tuple[dict[str, _Exercise], dict[str, tuple[dict, int]]]:
    """Current exercises (no written tasks: nobody grades synthetic essays) and items with version ids."""
    rows = db.session.execute(
        select(ContentDocument.kind, ContentDocument.key, ContentDocument.id, ContentVersion.id, ContentVersion.body)
        .join(
            ContentVersion,
            (ContentVersion.document_id == ContentDocument.id)
            & (ContentVersion.number == ContentDocument.current_number),
        )
        .where(ContentDocument.kind.in_(("exercise", "item")), ContentDocument.retired_at.is_(None))
    ).all()
    items = {key: (body, version_id) for kind, key, _doc, version_id, body in rows if kind == "item"}
    exercises = {
        key: _Exercise(key, document_id, version_id, body, best_points(body) if body["kind"] == "scenario" else None)
        for kind, key, document_id, version_id, body in rows
        if kind == "exercise" and _answerable(body, items)
    }
    if not exercises:
        raise ContentMissing("the content bank is empty: run `flask content sync` first")
    return exercises, items


def _answerable(exercise: dict, items: dict) -> bool:
    if exercise["kind"] == "scenario":
        return True
    keys = list(exercise.get("items", [])) + [k for pool in exercise.get("draw") or [] for k in pool["from"]]
    return any(k in items and items[k][0]["type"] not in item_types.GRADED for k in keys)


def _next_id(table: str) -> int:
    return (db.session.scalar(text(f"SELECT max(id) FROM {table}")) or 0) + 1  # noqa: S608  (fixed table names)


def _reset_sequences() -> None:
    """Rows went in with explicit ids: PostgreSQL's sequences must move past them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("users", "assignments", "attempts", "answers", "scenario_decisions"):
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        )
