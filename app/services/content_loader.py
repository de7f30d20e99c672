"""Validating, syncing, exporting and counting the content bank."""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterable
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain.content_schema import Bank, ContentError, load_bank
from app.domain.content_sync import Stored, SyncPlan, digest, plan_sync
from app.extensions import db
from app.models import ContentDocument, ContentVersion, User
from app.models.users import utcnow
from app.services import audit, cohort_levels, profiles
from app.services.content_files import read_sources
from app.transactions import holds_writes


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} problem(s) in the content bank")
        self.errors = errors


def content_root() -> Path:
    return Path(current_app.config["CONTENT_ROOT"])


def validate(paths: Iterable[str] = ()) -> tuple[list[ContentError], int]:
    """Every problem in the given files (default: the whole bank), and how many files were read.

    Named files are checked against the rest of the bank, so references to items and rubrics
    defined elsewhere resolve; only the named files' problems are reported.
    """
    root = content_root()
    if not paths:
        sources = read_sources(root)
        return load_bank(sources)[1], len(sources)
    targets = read_sources(root, [Path(p) for p in paths])
    context = {name: text for name, text in read_sources(root).items() if name not in targets}
    _bank, errors = load_bank({**context, **targets})
    return [e for e in errors if e.file in targets], len(targets)


def load_files(root: Path | None = None) -> Bank:
    bank, errors = load_bank(read_sources(root or content_root()))
    if errors:
        raise ContentInvalid(errors)
    return bank


def sync(actor: User | None = None, root: Path | None = None) -> SyncPlan:
    """Load questions/ and rubrics/ as part of the caller's transaction: every change, or none.

    Documents published from the browser (owner "web") are not the files' to change: sync leaves
    them alone, counts a file identical to one as unchanged, and refuses a file that differs
    from one (docs/authoring.md). When the framework's thresholds change, the stored profile
    levels are recomputed in the same transaction, so the heatmap (stored levels) and the
    profile page (computed) never disagree; when they or the targets change, so are the levels
    of self-view and target that each profile row keeps beside its own.
    """
    bank = load_files(root)
    documents = stored_documents()
    framework, targets = (documents.get((kind, kind)) for kind in ("framework", "targets"))
    before = Bank(
        framework=framework.current.body if framework and not framework.retired_at else None,
        targets=targets.current.body if targets and not targets.retired_at else None,
    )
    desired = {(kind, key): body for kind, key, body in bank.documents()}
    web = {key: d for key, d in documents.items() if d.owner == "web"}
    clashes = [key for key in desired if key in web and web[key].current.digest != digest(desired[key])]
    if clashes:
        raise ContentInvalid([_clash(bank, key) for key in sorted(clashes)])
    plan = apply(
        {key: d for key, d in documents.items() if key not in web},
        {key: body for key, body in desired.items() if key not in web},
        actor,
    )
    plan.unchanged += sorted(key for key in desired if key in web)
    audit.record(
        actor,
        "content.synced",
        "content",
        **{k: len(getattr(plan, k)) for k in ("added", "changed", "retired", "unchanged")},
    )
    if (before.level_thresholds, before.evidence_threshold) != (bank.level_thresholds, bank.evidence_threshold):
        profiles.relevel(bank.level_thresholds, bank.evidence_threshold)
    elif before.career_targets != bank.career_targets:
        cohort_levels.copy_standing()  # each profile row keeps its target beside its level
        cohort_levels.copy_targets()  # and so does each level count row
    return plan


def _clash(bank: Bank, key: tuple[str, str]) -> ContentError:
    kind, name = key
    return ContentError(
        bank.source_of.get(key, "?"),
        1,
        1,
        "id",
        f"{kind} '{name}' is maintained in the browser and differs from this file: sync does not overwrite "
        f"it; export it (flask content export) or hand it to the files first (flask content adopt {name})",
    )


def stored_documents() -> dict[tuple[str, str], ContentDocument]:
    return {
        (d.kind, d.key): d
        for d in db.session.scalars(select(ContentDocument).options(joinedload(ContentDocument.current)))
    }


def apply(
    stored: dict[tuple[str, str], ContentDocument],
    desired: dict[tuple[str, str], dict],
    actor: User | None,
    owner: str = "files",
) -> SyncPlan:
    """Make `desired` the current content of the documents in `stored`: a new version where a body
    changed, a new document where none exists, and every stored document not desired retired.
    The one path by which content, from files or from the browser, becomes versions."""
    plan = plan_sync(
        {key: Stored(d.current.digest, d.retired) for key, d in stored.items()},
        ((key, digest(body)) for key, body in desired.items()),
    )
    for key in plan.added:
        document = ContentDocument(kind=key[0], key=key[1], current_number=1, owner=owner)
        document.versions.append(_version(1, desired[key], actor, owner))
        db.session.add(document)
    for key in plan.changed:
        document = stored[key]
        if document.current.digest != digest(desired[key]):
            document.current_number += 1
            document.versions.append(_version(document.current_number, desired[key], actor, owner))
        document.retired_at = None
        document.owner = owner
    now = utcnow()
    for key in plan.retired:
        stored[key].retired_at = now
    db.session.flush()
    for key in plan.changed:
        db.session.expire(stored[key], ["current"])  # it follows current_number, which moved
    return plan


def _version(number: int, body: dict, actor: User | None, source: str = "files") -> ContentVersion:
    return ContentVersion(number=number, body=body, digest=digest(body), source=source, author=actor)


_cached: tuple[tuple, Bank] | None = None


def current_bank() -> Bank:
    """The bank as the database holds it now (retired documents left out); treat it as read-only.

    Loading and decoding every document costs ~20 ms, so each process keeps the last bank it
    loaded and checks, with one small aggregate query, that nothing has changed since: any sync
    or edit adds a version or retires a document, and so changes the stamp. The check is made
    once per database transaction (a request's), and again after anything is written in it.
    """
    global _cached
    session = db.session()
    checked = session.info.get("bank_checked")
    if checked is not None and checked[0] is session.get_transaction() and not holds_writes(session):
        return checked[1]  # already checked in this transaction, which has changed nothing since
    stamp = tuple(session.connection().execute(_stamp_query()).one())
    if _cached is not None and _cached[0] == stamp:
        session.info["bank_checked"] = (session.get_transaction(), _cached[1])
        return _cached[1]
    bank = _load_bank()
    _cached = (stamp, bank)
    session.info["bank_checked"] = (session.get_transaction(), bank)
    # The bank is tens of thousands of long-lived objects; without this every full collection
    # walks them again, which tripled the 90th-percentile time of report pages (docs/benchmarks.md).
    gc.freeze()
    return bank


@functools.cache
def _stamp_query():
    """Built once: building and keying a new statement cost more than running this one."""
    return select(
        func.count(ContentDocument.id),
        func.sum(ContentDocument.current_number),
        func.count(ContentDocument.retired_at),
        func.max(ContentDocument.retired_at),
        select(func.max(ContentVersion.id)).scalar_subquery(),
        select(func.max(ContentVersion.created_at)).scalar_subquery(),
    )


def _load_bank() -> Bank:
    bank = Bank()
    query = (
        select(ContentDocument).where(ContentDocument.retired_at.is_(None)).options(joinedload(ContentDocument.current))
    )
    for document in db.session.scalars(query):
        body = document.current.body
        if document.kind == "framework":
            bank.framework = body
        elif document.kind == "targets":
            bank.targets = body
        elif document.kind == "rubric":
            bank.rubrics[document.key] = body
        elif document.kind == "exercise":
            bank.exercises[document.key] = body
        elif document.kind == "pool":
            bank.pools[document.key] = body
        else:
            bank.items[document.key] = body
    _name_files(bank)
    return bank


def _name_files(bank: Bank) -> None:
    """Where each document would live as a file: what messages about clashing ids name."""
    for key in bank.rubrics:
        bank.source_of[("rubric", key)] = f"rubrics/grading/{key}.yaml"
    for entity, holders in (("exercise", bank.exercises), ("pool", bank.pools)):
        for key, body in holders.items():
            bank.source_of[(entity, key)] = f"questions/{key}.yaml"
            for item_id in body.get("items", []):
                bank.source_of[("item", item_id)] = f"questions/{key}.yaml"


def export(directory: Path) -> list[Path]:
    """Write the current content back as files in the format of questions/ and rubrics/."""
    bank = current_bank()
    written = []

    def write(relative: str, body: dict, schema: str) -> None:
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = f"# yaml-language-server: $schema={schema}\n" + yaml.safe_dump(
            body, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
        )
        path.write_text(text, encoding="utf-8")
        written.append(path)

    if bank.framework is not None:
        write("rubrics/framework.yaml", bank.framework, "../docs/content.schema.json")
    if bank.targets is not None:
        write("rubrics/targets.yaml", bank.targets, "../docs/content.schema.json")
    for key, body in sorted(bank.rubrics.items()):
        write(f"rubrics/grading/{key}.yaml", body, "../../docs/content.schema.json")
    for key, body in sorted(bank.item_holders.items()):
        exercise = dict(body)
        if "items" in exercise:
            exercise["items"] = [bank.items[item_id] for item_id in exercise["items"] if item_id in bank.items]
        write(f"questions/{key}.yaml", exercise, "../docs/content.schema.json")
    return written


def catalogue() -> tuple[Bank, list[ContentDocument]]:
    """The current bank and every exercise document (retired ones too), for the trainers' overview."""
    exercises = db.session.scalars(
        select(ContentDocument)
        .where(ContentDocument.kind == "exercise")
        .options(joinedload(ContentDocument.current))
        .order_by(ContentDocument.key)
    ).all()
    return current_bank(), list(exercises)
