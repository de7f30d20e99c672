"""The demo's written answers, so the grading pages have something to show after `make run`.

Each demo manager has written two tasks over the last weeks. An answer is made of the rubric's
sample answers (exemplars) at the level the manager reaches on each criterion, so a grader
reading it finds the level the demo says. The older answers are graded through the real
workflow (claim, grade, moderation, release): Carmen grades first, Pablo moderates the sample
blind, sometimes two levels apart; the Norte trainer resolves those of the Norte. The newest
answers are left waiting, one of Lucía's (manager@, the last written) among them. Made once: nothing happens if any
written answer exists already.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.domain import items
from app.domain.grading import levels
from app.extensions import db
from app.models import Grading, GradingTask, User
from app.models.users import utcnow
from app.services import attempts, content_loader, grading
from app.services.grading import GradeInput
from app.services.users import find_by_email

LEFT_WAITING = 9  # the newest answers nobody has graded yet
COMMENT_FOR_NEXT_LEVEL = "Para llegar al siguiente nivel: {}"


def seed(managers: list[User], now: datetime | None = None) -> int:
    """Write, submit and grade the demo's written answers; returns how many were written."""
    now = now or utcnow()
    if db.session.scalar(select(func.count(Grading.id))):
        return 0
    bank = content_loader.current_bank()
    tasks = sorted(  # the written tasks: exercises of written items only
        key
        for key, exercise in bank.exercises.items()
        if exercise.get("items") and all(bank.items.get(i, {}).get("type") in items.GRADED for i in exercise["items"])
    )
    if not tasks or not managers:
        return 0
    rng = random.Random(2026)  # noqa: S311  (demo data, reproducible on purpose)
    written = []
    for i, manager in enumerate(managers):
        skill = rng.choice((0, 1, 1, 2, 2, 2, 3))
        for j in range(2):
            key = tasks[(i + 3 * j) % len(tasks)]
            when = now - timedelta(days=40 - i - 17 * j, hours=rng.randint(0, 8))
            written.append((when, manager, key, skill))
    written.sort(key=lambda entry: entry[0])
    for when, manager, key, skill in written:
        _write(manager, key, skill, rng, when)
    _grade_older(rng)
    return len(written)


def _write(manager: User, exercise_key: str, skill: int, rng: random.Random, when: datetime) -> None:
    attempt = attempts.start(manager, exercise_key, now=when)
    for planned in attempts.planned_items(attempt):
        if planned.body["type"] not in items.GRADED:
            continue
        rubric = content_loader.current_bank().rubrics[planned.body["rubric"]]
        paragraphs = []
        for criterion in rubric["criteria"]:
            level = criterion["levels"][_level(skill, rng, len(criterion["levels"]))]
            paragraphs.append((level.get("exemplar") or level["descriptor"])["es"])
        text = "\n\n".join(paragraphs)
        attempts.save_answers(attempt, MultiDict({f"answer-{planned.key}": text}), "es", [planned.key], when)
    attempts.submit(attempt, when + timedelta(minutes=35))


def _level(skill: int, rng: random.Random, count: int) -> int:
    return max(0, min(count - 1, skill + rng.choice((-1, 0, 0, 0, 1))))


def _true_points(g: Grading) -> dict[str, str]:
    """The level each paragraph was written at: the grader who reads it well finds these."""
    text = g.answer.value
    found = {}
    for criterion in grading.rubric_of(g)["criteria"]:
        for level in criterion["levels"]:
            if (level.get("exemplar") or level["descriptor"])["es"] in text:
                found[criterion["id"]] = str(level["points"])
    return found


def _comments(g: Grading, points: dict[str, str]) -> dict[str, str]:
    comments = {}
    for criterion in grading.rubric_of(g)["criteria"]:
        order = [str(p) for p in levels(criterion)]
        given = points.get(criterion["id"])
        if given in order and order.index(given) < len(order) - 1:
            following = criterion["levels"][order.index(given) + 1]["descriptor"]["es"]
            comments[criterion["id"]] = COMMENT_FOR_NEXT_LEVEL.format(following[0].lower() + following[1:])
    return comments


def _grade_older(rng: random.Random) -> None:
    carmen = find_by_email("trainer@demo.cartera")
    pablo = find_by_email("trainer2@demo.cartera")
    north = find_by_email("trainer.north@demo.cartera")
    gradings = db.session.scalars(select(Grading).order_by(Grading.submitted_at, Grading.id)).all()
    for n, g in enumerate(gradings[: max(0, len(gradings) - LEFT_WAITING)]):
        at = g.submitted_at + timedelta(days=2)
        truth = _true_points(g)
        _grade(carmen, g, "first", truth, at)
        if _open(g, "second") and pablo is not None:
            moderated = dict(truth)
            criterion = rng.choice(sorted(moderated))
            step = 2 if n % 3 == 0 else rng.choice((-1, 0, 1))
            moderated[criterion] = _moved(g, criterion, moderated[criterion], step)
            _grade(pablo, g, "second", moderated, at + timedelta(days=1))
        if _open(g, "resolve") and north is not None and _in_norte(g):
            _grade(north, g, "resolve", truth, at + timedelta(days=2))
    db.session.flush()  # grades of exercises released by the trainer are left for Carmen to release


def _open(g: Grading, purpose: str) -> GradingTask | None:
    db.session.refresh(g, ["tasks"])
    return next((t for t in g.tasks if t.purpose == purpose and t.done_at is None), None)


def _grade(trainer: User, g: Grading, purpose: str, points: dict[str, str], when: datetime) -> None:
    task = _open(g, purpose)
    if task is None or trainer is None:
        return
    grading.claim(trainer, task, when)
    overall = "Buen trabajo en conjunto; revisa los comentarios de cada criterio."
    problems = grading.save(trainer, task, GradeInput(points, _comments(g, points), overall), True, when)
    if problems:
        raise RuntimeError(f"demo grade refused: {problems}")


def _moved(g: Grading, criterion_id: str, given: str, step: int) -> str:
    criterion = next(c for c in grading.rubric_of(g)["criteria"] if c["id"] == criterion_id)
    order = [str(p) for p in levels(criterion)]
    at = order.index(given)
    target = at + step if 0 <= at + step < len(order) else at - step
    return order[max(0, min(len(order) - 1, target))]


def _in_norte(g: Grading) -> bool:
    unit = g.attempt.user.org_unit
    return unit is not None and "Norte" in {u.name for u in _ancestors(unit)}


def _ancestors(unit):
    while unit is not None:
        yield unit
        unit = unit.parent
