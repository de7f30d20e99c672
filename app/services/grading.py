"""Grading written answers: the queue, claims, drafts and grades, moderation, release, regrades.

A submitted written answer has a `Grading` and waits in the queue through its `GradingTask`s
(the first grade, a moderator's blind second, a resolver's third; app/domain/grading.py has the
rules). A trainer claims a task by opening it; the claim is one conditional UPDATE, so of two
trainers opening the same response at once exactly one gets it. When the grade that counts is
known the grading is `graded`; once released, the attempt is scored and the profile, the monthly
sums and the manager's notice follow in the same transaction. Services flush; the request commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, and_, exists, func, or_, select, true, update
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from app.domain import grading as rules
from app.domain.agreement import Agreement
from app.domain.attempt_scoring import rubric_total
from app.domain.content_schema import effective_settings
from app.domain.grading import GradingState, Purpose
from app.extensions import db
from app.models import Attempt, ContentVersion, Grade, Grading, GradingTask, Notice, OrgUnit, User
from app.models.users import utcnow
from app.services import attempts, audit, notices, scope
from app.services.errors import NotFound

QUEUE_LISTED = 50  # the oldest, shown at once; the counts and "grade the oldest" cover the whole queue


class GradingRefused(Exception):
    """The grading action cannot be done; `code` says why, `holder` and `until` who has the claim."""

    def __init__(self, code: str, holder: User | None = None, until: datetime | None = None):
        super().__init__(code)
        self.code, self.holder, self.until = code, holder, until


# --- settings and what a grader may see ----------------------------------------------------------


def settings_of(grading: Grading) -> dict:
    return effective_settings(grading.attempt.exercise_version.body)


def is_anonymous(grading: Grading) -> bool:
    """Graders see no name, unit or earlier grade until the grade is released (an exercise setting)."""
    return settings_of(grading)["anonymous_grading"] and grading.state != GradingState.RELEASED


def rubric_of(grading: Grading) -> dict:
    return grading.rubric_version.body


def item_of(grading: Grading) -> dict:
    return next(p.body for p in attempts.planned_items(grading.attempt) if p.key == grading.answer.item_key)


# --- the queue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    exercise_id: int | None = None
    org_unit_id: int | None = None
    career_level: str | None = None
    mine: bool = False  # claimed by me (what I opened and have not finished)


@dataclass
class QueueRow:
    task: GradingTask
    grading: Grading
    manager: User | None  # None while grading is anonymous
    claimed_by_other: bool


@dataclass
class Queue:
    rows: list[QueueRow]
    total: int
    per_exercise: dict[int, int] = field(default_factory=dict)  # exercise document id → waiting


def _in_scope(viewer: User):
    """Answers by managers of the units the viewer may see: a subquery on known unit ids, so the
    grading queries start from the few gradings and look their authors up."""
    units = scope.staff_unit_ids(viewer)
    if units is None:
        return true()
    author = aliased(User)
    return exists().where(author.id == Attempt.user_id, author.org_unit_id.in_(units))


def _open_to(viewer: User):
    """A trainer grades a response once, so a moderator's grade is independent of the first; a
    resolution is for a third grader or for the two who disagree, agreeing the grade together
    (a bank with two trainers can resolve too)."""
    graded = exists().where(
        Grade.grading_id == GradingTask.grading_id, Grade.grader_id == viewer.id, Grade.submitted_at.is_not(None)
    )
    return or_(~graded, GradingTask.purpose == Purpose.RESOLVE)


def _open_tasks(viewer: User) -> Select:
    """The tasks still to do on responses by managers in the viewer's scope, for the viewer to do."""
    query = (
        select(GradingTask)
        .join(Grading, Grading.id == GradingTask.grading_id)
        .join(Attempt, Attempt.id == Grading.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(GradingTask.done_at.is_(None), _open_to(viewer), _in_scope(viewer))
    )
    return query


def _filtered(query: Select, filters: QueueFilters, viewer: User) -> Select:
    if filters.org_unit_id is not None:
        unit = db.session.get(OrgUnit, filters.org_unit_id)
        below = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path if unit else "-", autoescape=True))
        query = query.where(User.org_unit_id.in_(below))
    if filters.career_level:
        query = query.where(User.career_level == filters.career_level)
    if filters.mine:
        query = query.where(GradingTask.claimed_by_id == viewer.id)
    return query


def queue(viewer: User, filters: QueueFilters, now: datetime | None = None) -> Queue:
    """Oldest first, with the counts per exercise under the other filters (three queries at any size)."""
    now = now or utcnow()
    base = _filtered(_open_tasks(viewer), filters, viewer)
    per_exercise = dict(
        db.session.execute(
            base.with_only_columns(Grading.exercise_id, func.count(GradingTask.id)).group_by(Grading.exercise_id)
        ).all()
    )
    listed = base
    if filters.exercise_id is not None:
        listed = listed.where(Grading.exercise_id == filters.exercise_id)
    oldest = order_oldest(listed.with_only_columns(GradingTask.id)).limit(QUEUE_LISTED)
    # The oldest ids first, then only those rows with what the page shows: sorting thousands of
    # fully joined rows to keep fifty cost PostgreSQL a scan of every attempt.
    tasks = db.session.scalars(
        order_oldest(
            select(GradingTask)
            .join(Grading, Grading.id == GradingTask.grading_id)
            .where(GradingTask.id.in_([task_id for task_id in db.session.scalars(oldest)]))
        ).options(
            joinedload(GradingTask.grading)
            .joinedload(Grading.attempt)
            .options(joinedload(Attempt.exercise_version), joinedload(Attempt.user).joinedload(User.org_unit)),
            joinedload(GradingTask.claimed_by),
        )
    ).all()
    rows = [
        QueueRow(
            task,
            task.grading,
            None if is_anonymous(task.grading) else task.grading.attempt.user,
            _held_by_other(task, viewer, now),
        )
        for task in tasks
    ]
    total = per_exercise.get(filters.exercise_id, 0) if filters.exercise_id is not None else sum(per_exercise.values())
    return Queue(rows, total, per_exercise)


def order_oldest(query: Select) -> Select:
    return query.order_by(Grading.submitted_at, GradingTask.id)


def _held_by_other(task: GradingTask, viewer: User, now: datetime) -> bool:
    return (
        task.claimed_by_id is not None
        and task.claimed_by_id != viewer.id
        and task.claimed_until is not None
        and task.claimed_until > now
    )


# --- claiming -------------------------------------------------------------------------------------


def visible_task(viewer: User, task_id: int) -> GradingTask:
    """A task on a response in the viewer's scope that is open to the viewer (`_open_to`)."""
    task = db.session.scalar(
        _open_tasks(viewer)
        .where(GradingTask.id == task_id)
        .options(
            contains_eager(GradingTask.grading).contains_eager(Grading.attempt).contains_eager(Attempt.user),
        )
        .execution_options(populate_existing=True)
    )
    if task is None:
        raise NotFound(f"grading task {task_id}")
    return task


def claim(viewer: User, task: GradingTask, now: datetime | None = None) -> GradingTask:
    """Make the task the viewer's for GRADING_CLAIM_MINUTES: free, already theirs, or with an
    expired claim. One conditional UPDATE decides between trainers opening it at once."""
    now = now or utcnow()
    until = now + timedelta(minutes=current_app.config["GRADING_CLAIM_MINUTES"])
    taken = db.session.execute(
        update(GradingTask)
        .where(
            GradingTask.id == task.id,
            GradingTask.done_at.is_(None),
            or_(
                GradingTask.claimed_by_id.is_(None),
                GradingTask.claimed_by_id == viewer.id,
                GradingTask.claimed_until <= now,
            ),
        )
        .values(claimed_by_id=viewer.id, claimed_until=until)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(task, ["claimed_by_id", "claimed_until", "done_at", "claimed_by"])
    if not taken:
        if task.done_at is not None:
            raise GradingRefused("done")
        raise GradingRefused("claimed", task.claimed_by, task.claimed_until)
    return task


def claim_next(viewer: User, filters: QueueFilters, now: datetime | None = None) -> GradingTask | None:
    """The oldest task the viewer may take under the filters, claimed; None when there is none."""
    now = now or utcnow()
    query = _filtered(_open_tasks(viewer), filters, viewer).where(
        or_(
            GradingTask.claimed_by_id.is_(None),
            GradingTask.claimed_by_id == viewer.id,
            GradingTask.claimed_until <= now,
        )
    )
    if filters.exercise_id is not None:
        query = query.where(Grading.exercise_id == filters.exercise_id)
    for task in db.session.scalars(order_oldest(query).limit(5)).all():
        try:
            return claim(viewer, task, now)
        except GradingRefused:
            continue  # another trainer took it a moment ago
    return None


def holds(viewer: User, task: GradingTask) -> bool:
    """The viewer has the task: their claim, or their lapsed claim nobody else has taken."""
    return task.done_at is None and task.claimed_by_id == viewer.id


# --- drafts and grades ----------------------------------------------------------------------------


@dataclass
class GradeInput:
    """What a grader entered: the level chosen per criterion (as posted), comments, overall comment."""

    points: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    overall_comment: str = ""
    reason: str = ""


def parse_points(rubric: Mapping, posted: Mapping[str, str]) -> tuple[dict[str, float], dict[str, str]]:
    """Posted levels to points, matched as the page renders them; {criterion: problem} for the rest."""
    points, problems = {}, {}
    for criterion in rubric["criteria"]:
        value = (posted.get(criterion["id"]) or "").strip()
        if not value:
            continue
        match = [p for p in rules.levels(criterion) if str(p) == value]
        if match:
            points[criterion["id"]] = match[0]
        else:
            problems[criterion["id"]] = "unknown_level"
    return points, problems


def _clean(rubric: Mapping, given: GradeInput) -> tuple[dict[str, str], str]:
    ids = {c["id"] for c in rubric["criteria"]}
    comments = {k: v.strip() for k, v in given.comments.items() if k in ids and v.strip()}
    return comments, given.overall_comment.strip()


def draft_of(viewer: User, task: GradingTask) -> Grade | None:
    return db.session.scalar(
        select(Grade).where(Grade.task_id == task.id, Grade.grader_id == viewer.id, Grade.submitted_at.is_(None))
    )


def save(viewer: User, task: GradingTask, given: GradeInput, submit: bool, now: datetime | None = None) -> dict:
    """Store the grader's work as a draft and, when `submit` and complete, submit it.

    Returns {criterion id: problem}; whatever was entered is kept in the draft even when the
    submission is refused, so nothing typed is lost.
    """
    now = now or utcnow()
    if not holds(viewer, task):
        claim(viewer, task, now)  # a lapsed claim is renewed; someone else's refuses
    rubric = rubric_of(task.grading)
    points, problems = parse_points(rubric, given.points)
    problems.update({k: v for k, v in rules.problems(rubric, points, complete=submit).items() if k not in problems})
    comments, overall = _clean(rubric, given)
    grade = draft_of(viewer, task) or Grade(grading=task.grading, task_id=task.id, grader=viewer, purpose=task.purpose)
    grade.points, grade.comments, grade.overall_comment, grade.saved_at = points, comments, overall, now
    db.session.add(grade)
    task.claimed_until = now + timedelta(minutes=current_app.config["GRADING_CLAIM_MINUTES"])
    if submit and not problems:
        grade.submitted_at = now
        task.done_at = now
        audit.record(viewer, f"grade.{task.purpose}", f"grading {task.grading_id}", points=points)
        db.session.flush()
        _advance(viewer, task.grading, task, grade, now)
    db.session.flush()
    return problems


def _submitted(grading: Grading, purpose: Purpose) -> Grade | None:
    return next((g for g in grading.grades if g.purpose == purpose and g.submitted_at is not None), None)


def _advance(viewer: User, grading: Grading, task: GradingTask, grade: Grade, now: datetime) -> None:
    """After a submitted grade: moderate a sample, resolve a disagreement, or conclude."""
    settings = settings_of(grading)
    if task.purpose == Purpose.FIRST:
        if rules.sampled_for_moderation(grading.id, settings["moderation_percent"], _sampled_before(viewer, grading)):
            db.session.add(GradingTask(grading=grading, purpose=Purpose.SECOND, created_at=now))
        else:
            _conclude(grading, grade, now)
    elif task.purpose == Purpose.SECOND:
        first = _submitted(grading, Purpose.FIRST)
        if rules.disagreements(rubric_of(grading), first.points, grade.points):
            db.session.add(GradingTask(grading=grading, purpose=Purpose.RESOLVE, created_at=now))
        else:
            _conclude(grading, first, now)
    else:
        _conclude(grading, grade, now)


def _sampled_before(viewer: User, grading: Grading) -> bool:
    """Has a first grade by this grader on this exercise gone to a moderator already?"""
    first = aliased(Grade)
    return (
        db.session.scalar(
            select(GradingTask.id)
            .join(Grading, Grading.id == GradingTask.grading_id)
            .join(
                first,
                and_(
                    first.grading_id == Grading.id,
                    first.purpose == Purpose.FIRST,
                    first.grader_id == viewer.id,
                    first.submitted_at.is_not(None),
                ),
            )
            .where(GradingTask.purpose == Purpose.SECOND, Grading.exercise_id == grading.exercise_id)
            .limit(1)
        )
        is not None
    )


def _conclude(grading: Grading, grade: Grade, now: datetime) -> None:
    grade.counts = True
    grading.state = GradingState.GRADED
    grading.answer.score = rubric_total(rubric_of(grading), grade.points)
    db.session.flush()
    if settings_of(grading)["release_grades"] == "immediately":
        release([grading], None, now)


# --- release --------------------------------------------------------------------------------------


def release(gradings: Iterable[Grading], actor: User | None, now: datetime | None = None) -> int:
    """Grades reach their managers: each attempt whose written answers are all released is scored
    (profile and monthly sums included) and its manager gets a notice. Returns how many."""
    now = now or utcnow()
    released = [g for g in gradings if g.state == GradingState.GRADED]
    for grading in released:
        grading.state = GradingState.RELEASED
        grading.released_at = now
    db.session.flush()
    for attempt in {g.attempt for g in released}:
        if _score_if_all_released(attempt, now):
            db.session.add(Notice(user_id=attempt.user_id, kind="graded", attempt_id=attempt.id, created_at=now))
            notices.attempt_graded(attempt)
    if actor is not None and released:
        audit.record(actor, "grade.release", f"{len(released)} gradings", gradings=[g.id for g in released])
    db.session.flush()
    return len(released)


def _score_if_all_released(attempt: Attempt, now: datetime) -> bool:
    gradings = db.session.scalars(
        select(Grading)
        .where(Grading.attempt_id == attempt.id)
        .options(joinedload(Grading.rubric_version), joinedload(Grading.answer), selectinload(Grading.grades))
    ).all()
    if any(g.state != GradingState.RELEASED for g in gradings):
        return False
    rubrics = {g.rubric_version.body["id"]: g.rubric_version.body for g in gradings}
    grades = {g.answer.item_key: _counted(g).points for g in gradings}
    attempts.score_graded(attempt, rubrics, grades, now)
    return True


def _counted(grading: Grading) -> Grade:
    return next(g for g in grading.grades if g.counts)


def awaiting_release(viewer: User) -> list[tuple[int, str, int]]:
    """(exercise document id, exercise title source, how many) graded but not yet released, in scope."""
    query = (
        select(Grading.exercise_id, func.count(Grading.id))
        .join(Attempt, Attempt.id == Grading.attempt_id)
        .where(Grading.state == GradingState.GRADED, _in_scope(viewer))
        .group_by(Grading.exercise_id)
    )
    return list(db.session.execute(query).all())


def release_exercise(viewer: User, exercise_id: int, now: datetime | None = None) -> int:
    """Release every graded response of one exercise in the viewer's scope: one action per batch."""
    query = (
        select(Grading)
        .join(Attempt, Attempt.id == Grading.attempt_id)
        .where(Grading.state == GradingState.GRADED, Grading.exercise_id == exercise_id, _in_scope(viewer))
    )
    return release(db.session.scalars(query).all(), viewer, now)


# --- one response: view and regrade ---------------------------------------------------------------


def visible_grading(viewer: User, grading_id: int) -> Grading:
    query = (
        select(Grading)
        .join(Attempt, Attempt.id == Grading.attempt_id)
        .where(Grading.id == grading_id, _in_scope(viewer))
    )
    found = db.session.scalar(query)
    if found is None:
        raise NotFound(f"grading {grading_id}")
    return found


def counted_grade(grading: Grading) -> Grade | None:
    return next((g for g in grading.grades if g.counts), None)


def regrade(viewer: User, grading: Grading, given: GradeInput, now: datetime | None = None) -> dict:
    """A new grade replaces the one that counts, with its reason; the old and new points, who and
    why are audited, and a released response is re-scored and its manager told. Returns problems."""
    now = now or utcnow()
    if grading.state == GradingState.WAITING:
        raise GradingRefused("not_graded")
    current = counted_grade(grading)
    if settings_of(grading)["regrade_by"] == "another_trainer" and current.grader_id == viewer.id:
        raise GradingRefused("regrade_by_another")
    rubric = rubric_of(grading)
    points, problems = parse_points(rubric, given.points)
    problems.update({k: v for k, v in rules.problems(rubric, points, complete=True).items() if k not in problems})
    if not given.reason.strip():
        problems["reason"] = "reason_required"
    if problems:
        return problems
    comments, overall = _clean(rubric, given)
    current.counts = False
    db.session.add(
        Grade(
            grading=grading,
            grader=viewer,
            purpose=Purpose.REGRADE,
            points=points,
            comments=comments,
            overall_comment=overall,
            reason=given.reason.strip(),
            saved_at=now,
            submitted_at=now,
            counts=True,
        )
    )
    grading.answer.score = rubric_total(rubric, points)
    audit.record(
        viewer,
        "grade.regrade",
        f"grading {grading.id}",
        old=current.points,
        old_grader=current.grader_id,
        new=points,
        reason=given.reason.strip(),
    )
    db.session.flush()
    if grading.state == GradingState.RELEASED:
        grading.regraded_at = now
        _score_if_all_released(grading.attempt, now)
        db.session.add(Notice(user_id=grading.attempt.user_id, kind="regraded", attempt_id=grading.attempt_id))
    db.session.flush()
    return {}


def graded_responses(viewer: User, exercise_id: int | None = None, limit: int = 100) -> list[Grading]:
    """Recently graded responses in scope, newest first: where a regrade starts."""
    query = (
        select(Grading)
        .join(Attempt, Attempt.id == Grading.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(Grading.state != GradingState.WAITING, _in_scope(viewer))
        .options(
            contains_eager(Grading.attempt).contains_eager(Attempt.user),
            contains_eager(Grading.attempt).joinedload(Attempt.exercise_version),
        )
        .order_by(Grading.submitted_at.desc(), Grading.id.desc())
        .limit(limit)
    )
    if exercise_id is not None:
        query = query.where(Grading.exercise_id == exercise_id)
    return list(db.session.scalars(query).unique())


# --- agreement ------------------------------------------------------------------------------------


@dataclass
class RubricAgreement:
    rubric: dict
    overall: Agreement
    criteria: list[tuple[dict, Agreement]]
    resolutions: int  # responses sent to resolution (two levels apart), resolved or not


def agreement(viewer: User) -> list[RubricAgreement]:
    """Per rubric and criterion, first against second grades on the moderated responses in scope,
    and how many were sent to resolution (three queries, whatever the number of grades)."""
    query = (
        select(Grade.grading_id, Grade.purpose, Grade.points, Grading.rubric_version_id)
        .join(Grading, Grading.id == Grade.grading_id)
        .join(Attempt, Attempt.id == Grading.attempt_id)
        .where(
            Grade.submitted_at.is_not(None),
            Grade.purpose.in_([Purpose.FIRST, Purpose.SECOND, Purpose.RESOLVE]),
            _in_scope(viewer),
        )
    )
    rows = db.session.execute(query).all()
    sent = (
        select(Grading.rubric_version_id, func.count(GradingTask.id))
        .join(Grading, Grading.id == GradingTask.grading_id)
        .join(Attempt, Attempt.id == Grading.attempt_id)
        .where(GradingTask.purpose == Purpose.RESOLVE, _in_scope(viewer))
        .group_by(Grading.rubric_version_id)
    )
    to_resolve = dict(db.session.execute(sent).all())
    by_grading: dict[int, dict] = {}
    for grading_id, purpose, points, version_id in rows:
        by_grading.setdefault(grading_id, {"version": version_id})[purpose] = points
    versions = {g["version"] for g in by_grading.values()} | set(to_resolve)
    bodies = dict(
        db.session.execute(select(ContentVersion.id, ContentVersion.body).where(ContentVersion.id.in_(versions))).all()
        if versions
        else []
    )
    pairs: dict[str, dict[str, list]] = {}
    rubrics: dict[str, dict] = {}
    resolutions: Counter = Counter()
    for version, count in to_resolve.items():
        resolutions[bodies[version]["id"]] += count
    for grades in by_grading.values():
        if Purpose.FIRST not in grades or Purpose.SECOND not in grades:
            continue
        rubric = bodies[grades["version"]]
        rubrics.setdefault(rubric["id"], rubric)
        for criterion in rubric["criteria"]:
            a, b = grades[Purpose.FIRST].get(criterion["id"]), grades[Purpose.SECOND].get(criterion["id"])
            if a is not None and b is not None:
                pairs.setdefault(rubric["id"], {}).setdefault(criterion["id"], []).append((a, b))
    return [
        RubricAgreement(
            rubric,
            rules.rubric_agreement(rubric, pairs.get(key, {})),
            [(c, rules.criterion_agreement(c, pairs.get(key, {}).get(c["id"], []))) for c in rubric["criteria"]],
            resolutions[key],
        )
        for key, rubric in sorted(rubrics.items())
    ]


# --- what the manager sees ------------------------------------------------------------------------


@dataclass
class ReleasedGrade:
    rubric: dict
    grade: Grade
    regraded_at: datetime | None


def released_grades(attempt: Attempt) -> dict[str, ReleasedGrade]:
    """Item key → the released rubric grade, for the manager's result page (two queries)."""
    gradings = db.session.scalars(
        select(Grading)
        .where(Grading.attempt_id == attempt.id, Grading.state == GradingState.RELEASED)
        .options(joinedload(Grading.rubric_version), joinedload(Grading.answer))
    ).all()
    counted = {
        g.grading_id: g
        for g in db.session.scalars(
            select(Grade).where(Grade.grading_id.in_([g.id for g in gradings] or [-1]), Grade.counts.is_(True))
        )
    }
    return {
        g.answer.item_key: ReleasedGrade(g.rubric_version.body, counted[g.id], g.regraded_at)
        for g in gradings
        if g.id in counted
    }


def graded_attempts(attempt_ids: Iterable[int]) -> set[int]:
    """Which of these attempts have a released written grade (My exercises marks them "graded")."""
    ids = list(attempt_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Grading.attempt_id).where(Grading.attempt_id.in_(ids), Grading.state == GradingState.RELEASED)
        )
    )


def unread_notices(user: User) -> list[Notice]:
    return list(
        db.session.scalars(
            select(Notice)
            .where(Notice.user_id == user.id, Notice.read_at.is_(None))
            .options(joinedload(Notice.attempt).joinedload(Attempt.exercise_version))
            .order_by(Notice.created_at.desc())
        )
    )


def dismiss_notice(user: User, notice_id: int, now: datetime | None = None) -> None:
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound(f"notice {notice_id}")
    notice.read_at = notice.read_at or now or utcnow()
