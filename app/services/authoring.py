"""Writing exercises in the browser: drafts, their problems, publishing and retiring.

A draft is the body of an exercise file (items inline), kept in `content_drafts` until it is
published. Its problems are found by `load_bank`, the function that checks the files, with the
database's bank as context; publishing writes versions through `content_loader.apply`, the path
`flask content sync` takes. Who owns what is in docs/authoring.md.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain import moodle, writing_check
from app.domain.attempt_status import AttemptStatus
from app.domain.content_schema import ContentError, load_bank
from app.domain.item_analysis import FLAG_MIN_ATTEMPTS
from app.extensions import db
from app.models import Attempt, ContentDocument, ContentDraft, User
from app.models.users import utcnow
from app.services import audit, content_loader, item_quality
from app.services.content_messages import localise
from app.services.errors import Invalid, NotFound

KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NEW_BODIES = {
    "quiz": {"settings": {"feedback": "after_submission", "open_practice": False}, "items": []},
    "self_assessment": {"settings": {"feedback": "never", "open_practice": True}, "items": []},
    "scenario": {"start": "start", "steps": []},
}


@dataclass
class Check:
    """What stands between a draft and publishing (errors) and what its author should look at."""

    errors: list[ContentError]
    findings: list[writing_check.Finding]

    @property
    def publishable(self) -> bool:
        return not self.errors


def file_name(key: str) -> str:
    return f"questions/{key}.yaml"


def as_yaml(body: dict) -> str:
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def drafts() -> list[ContentDraft]:
    """Every draft, the latest edited first: the trainers share one workspace."""
    return list(
        db.session.scalars(
            select(ContentDraft).options(joinedload(ContentDraft.author)).order_by(ContentDraft.updated_at.desc())
        )
    )


def get_draft(key: str) -> ContentDraft:
    draft = db.session.scalar(select(ContentDraft).where(ContentDraft.key == key))
    if draft is None:
        raise NotFound(key)
    return draft


def _document(kind: str, key: str) -> ContentDocument | None:
    return db.session.scalar(
        select(ContentDocument)
        .where(ContentDocument.kind == kind, ContentDocument.key == key)
        .options(joinedload(ContentDocument.current))
    )


def _free_key(key: str, field: str = "key") -> None:
    if not KEY_PATTERN.match(key or ""):
        raise Invalid({field: [_l("Use lower-case letters, digits and hyphens, like practice-visits-2.")]})
    taken = _document("exercise", key) or _document("pool", key)
    if taken is not None or db.session.scalar(select(ContentDraft.id).where(ContentDraft.key == key)):
        raise Invalid({field: [_l("The id “%(key)s” is already in use.", key=key)]})


def start_new(actor: User, kind: str, key: str, title: dict) -> ContentDraft:
    if kind not in NEW_BODIES:
        raise Invalid({"kind": [_l("Choose a quiz, a scenario or a self-assessment.")]})
    _free_key(key)
    body = {"kind": kind, "id": key, "title": dict(title), **copy.deepcopy(NEW_BODIES[kind])}
    draft = ContentDraft(key=key, body=body, author=actor)
    db.session.add(draft)
    db.session.flush()
    return draft


def start_edit(actor: User, key: str) -> ContentDraft:
    """The exercise's draft, begun from its published version if there is none yet.

    A file-owned exercise is not edited in the browser: its next `flask content sync` would
    overwrite the edit. The trainer duplicates it instead.
    """
    existing = db.session.scalar(select(ContentDraft).where(ContentDraft.key == key))
    if existing is not None:
        return existing
    document = _document("exercise", key)
    if document is None or document.retired:
        raise NotFound(key)
    if document.owner != "web":
        raise Invalid(
            {
                "": [
                    _l(
                        "“%(key)s” is maintained in %(file)s: duplicate it to edit it here.",
                        key=key,
                        file=file_name(key),
                    )
                ]
            }
        )
    draft = ContentDraft(key=key, body=_published_body(key), base_version_id=document.current.id, author=actor)
    db.session.add(draft)
    db.session.flush()
    return draft


def _published_body(key: str) -> dict:
    """The exercise as its file would hold it: items inline, in their current versions."""
    bank = content_loader.current_bank()
    body = copy.deepcopy(bank.exercises[key])
    if "items" in body:
        body["items"] = [copy.deepcopy(bank.items[item_id]) for item_id in body["items"]]
    return body


def duplicate(actor: User, key: str, new_key: str) -> ContentDraft:
    """A new draft from any published exercise (files' or browser's), its items renamed after it."""
    if key not in content_loader.current_bank().exercises:
        raise NotFound(key)
    _free_key(new_key, "new_key")
    body = _published_body(key)
    body["id"] = new_key
    for n, item in enumerate(body.get("items", []), start=1):
        item["id"] = f"{new_key}-{n}"
    draft = ContentDraft(key=new_key, body=body, author=actor)
    db.session.add(draft)
    db.session.flush()
    audit.record(actor, "content.duplicated", f"exercise:{new_key}", source=key)
    return draft


def save(draft: ContentDraft, body: dict) -> None:
    if body.get("id") != draft.key:
        raise Invalid({"": [_l("A draft keeps its id.")]})
    draft.body = copy.deepcopy(body)  # a new object, so the JSON column sees the change
    draft.updated_at = utcnow()


def discard(actor: User, draft: ContentDraft) -> None:
    audit.record(actor, "content.draft_discarded", f"exercise:{draft.key}")
    db.session.delete(draft)


def check(draft: ContentDraft) -> Check:
    """The draft's problems, found exactly as for a file, and its item-writing findings."""
    bank = content_loader.current_bank()
    name = file_name(draft.key)
    built, errors = load_bank({name: as_yaml(draft.body)}, context=bank)
    errors = [e for e in errors if e.file == name]
    errors += _still_drawn(draft, bank, name)
    holder = {draft.key: built.exercises.get(draft.key, {})}
    questions = writing_check.questions(holder, built.items)
    findings = [writing_check.inspect(q, locale) for q in questions for locale in writing_check.LOCALES]
    return Check(errors, findings)


def _still_drawn(draft: ContentDraft, bank, name: str) -> list[ContentError]:
    """Items this draft drops that another exercise draws (load_bank checks only the draft)."""
    published = bank.exercises.get(draft.key, {}).get("items", [])
    kept = {item.get("id") for item in draft.body.get("items", []) if isinstance(item, dict)}
    problems = []
    for other, exercise in sorted(bank.exercises.items()):
        if other == draft.key:
            continue
        for pool in exercise.get("draw", []):
            for item_id in pool["from"]:
                if item_id in published and item_id not in kept:
                    problems.append(
                        ContentError(name, 1, 1, "items", f"'{item_id}' is drawn by '{other}': it cannot be removed")
                    )
    return problems


@dataclass(frozen=True)
class Published:
    version: int  # the exercise's (it moves when its settings or its list of items change)
    items: int  # items added or changed: each has a new version of its own


def publish(actor: User, draft: ContentDraft) -> Published:
    """Make the draft the exercise's next version (items too); returns what changed.

    Refused while the draft has problems, or when the exercise was published again since the
    draft began (another trainer's work would be lost).
    """
    result = check(draft)
    if result.errors:
        raise Invalid({"": [_l("Correct the problems listed before publishing.")]})
    stored = content_loader.stored_documents()
    exercise = stored.get(("exercise", draft.key))
    if exercise is not None and exercise.current.id != draft.base_version_id:
        raise Invalid(
            {"": [_l("Someone published this exercise after you began this draft: discard it and start again.")]}
        )
    if exercise is not None and exercise.owner != "web":
        raise Invalid({"": [_l("“%(key)s” is maintained in %(file)s.", key=draft.key, file=file_name(draft.key))]})
    body = copy.deepcopy(draft.body)
    items = body.get("items", []) if "items" in body else []
    if "items" in body:
        body["items"] = [item["id"] for item in items]
    desired = {("exercise", draft.key): body, **{("item", item["id"]): item for item in items}}
    mine = {("exercise", draft.key)} | {
        ("item", i) for i in (exercise.current.body.get("items", []) if exercise else [])
    }
    plan = content_loader.apply({k: d for k, d in stored.items() if k in mine}, desired, actor, owner="web")
    version = exercise.current_number if exercise is not None else 1
    audit.record(
        actor,
        "content.published",
        f"exercise:{draft.key}",
        version=version,
        added=len(plan.added),
        changed=len(plan.changed),
        retired=len(plan.retired),
    )
    db.session.delete(draft)
    db.session.flush()
    return Published(version, sum(kind == "item" for kind, _key in plan.added + plan.changed))


def retire(actor: User, key: str) -> None:
    """Take a web exercise out of use; attempts and results keep the versions they used."""
    document = _document("exercise", key)
    if document is None or document.retired:
        raise NotFound(key)
    if document.owner != "web":
        raise Invalid(
            {"": [_l("“%(key)s” is maintained in %(file)s: remove the file and sync.", key=key, file=file_name(key))]}
        )
    bank = content_loader.current_bank()
    drawn = {
        i for other, e in bank.exercises.items() if other != key for pool in e.get("draw", []) for i in pool["from"]
    }
    now = utcnow()
    document.retired_at = now
    own_items = [i for i in document.current.body.get("items", []) if i not in drawn]
    for item in db.session.scalars(
        select(ContentDocument).where(ContentDocument.kind == "item", ContentDocument.key.in_(own_items))
    ):
        item.retired_at = now
    audit.record(actor, "content.retired", f"exercise:{key}", version=document.current_number)


def adopt(actor: User | None, key: str) -> int:
    """Hand a web exercise and its items to the files (the reverse of duplicating one into the
    browser); returns how many documents changed hands."""
    document = _document("exercise", key)
    if document is None or document.retired:
        raise NotFound(key)
    if db.session.scalar(select(ContentDraft.id).where(ContentDraft.key == key)):
        raise Invalid({"": [_l("“%(key)s” has a draft: publish or discard it first.", key=key)]})
    keys = document.current.body.get("items", [])
    handed = [
        document,
        *db.session.scalars(
            select(ContentDocument).where(ContentDocument.kind == "item", ContentDocument.key.in_(keys))
        ),
    ]
    for each in handed:
        each.owner = "files"
    audit.record(actor, "content.adopted", f"exercise:{key}", version=document.current_number)
    return len(handed)


@dataclass
class Flagged:
    exercise: str
    title: dict
    number: int  # the item's place in the exercise, as the editor counts
    item: str
    flags: list[str]


def flagged_items(viewer: User) -> list[Flagged]:
    """Items that item analysis flags in the exercises written in the browser: the ones a trainer
    can open in the editor. (File exercises are analysed on their own page.)"""
    found = []
    # Items are judged only on FLAG_MIN_ATTEMPTS attempts or more: one grouped query leaves out the
    # exercises that cannot have a flag yet, so the home page analyses only those that can.
    judged = db.session.scalars(
        select(ContentDocument.key)
        .join(Attempt, Attempt.exercise_id == ContentDocument.id)
        .where(
            ContentDocument.kind == "exercise",
            ContentDocument.owner == "web",
            ContentDocument.retired_at.is_(None),
            Attempt.status == AttemptStatus.SCORED,
        )
        .group_by(ContentDocument.key)
        .having(func.count(Attempt.id) >= FLAG_MIN_ATTEMPTS)
    )
    for key in judged:
        analysis = item_quality.analyse(viewer, key)
        own = analysis.exercise.get("items") or []
        for row in analysis.items:
            if row.stats.flags and row.key in own:
                found.append(Flagged(key, analysis.exercise["title"], own.index(row.key) + 1, row.key, row.stats.flags))
    return found


def read_moodle(file_name: str, data: bytes, language: str) -> moodle.Imported:
    """The questions of a Moodle XML (.xml) or GIFT file, or Invalid saying what and where."""
    try:
        if file_name.lower().endswith(".xml"):
            found = moodle.read_xml(data, language)
        else:
            found = moodle.read_gift(data.decode("utf-8-sig"), language)
    except UnicodeDecodeError:
        raise Invalid({"file": [_l("The file is not UTF-8 text.")]}) from None
    except moodle.MoodleError as error:
        problem = localise(error.problem)
        if error.line:
            problem = _l("line %(line)d: %(problem)s", line=error.line, problem=problem)
        raise Invalid({"file": [_l("%(file)s cannot be read: %(problem)s", file=file_name, problem=problem)]}) from None
    if not found.items:
        raise Invalid({"file": [_l("%(file)s holds no question Cartera can import.", file=file_name)]})
    return found


def import_moodle(
    actor: User, key: str, title: str, file_name: str, found: moodle.Imported, language: str
) -> ContentDraft:
    """A new draft from a Moodle file's questions, each an item to complete (the other language,
    competencies, a rubric) before publishing. The caller has shown the skipped questions and
    the trainer has accepted them."""
    _free_key(key)
    taken = set(content_loader.current_bank().items)
    other = "en" if language == "es" else "es"
    entries = []
    for item in found.items:
        item = _both_languages(copy.deepcopy(item))
        if item["id"] in taken:
            item["id"] = moodle.slug(item["id"], taken)
        taken.add(item["id"])
        if item.get("answer") != item.get("answer"):  # NaN: Moodle gave no number
            item.pop("answer")
        entries.append(item)
    body = {
        "kind": "quiz",
        "id": key,
        "title": {language: title, other: ""},
        **copy.deepcopy(NEW_BODIES["quiz"]),
        "items": entries,
    }
    draft = ContentDraft(key=key, body=body, author=actor)
    db.session.add(draft)
    db.session.flush()
    audit.record(
        actor,
        "content.imported",
        f"exercise:{key}",
        file=file_name,
        items=len(entries),
        skipped=[s.name for s in found.skipped],
    )
    return draft


def _both_languages(value):
    """Every text with the other language present and empty, so the editor shows where it is missing."""
    if isinstance(value, dict):
        if value and set(value) <= {"es", "en"}:
            return {"es": value.get("es", ""), "en": value.get("en", "")}
        return {k: _both_languages(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_both_languages(v) for v in value]
    return value
