"""What a sync must do, decided from digests alone: add, change, retire or leave alone."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Key = tuple[str, str]  # (kind, id)


def digest(body: Mapping) -> str:
    """A fingerprint of a document's content: key order and formatting do not matter."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Stored:
    digest: str
    retired: bool


@dataclass
class SyncPlan:
    added: list[Key] = field(default_factory=list)
    changed: list[Key] = field(default_factory=list)  # a new version (or a retired one restored)
    retired: list[Key] = field(default_factory=list)
    unchanged: list[Key] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, changed {len(self.changed)}, "
            f"retired {len(self.retired)}, unchanged {len(self.unchanged)}"
        )


def plan_sync(stored: Mapping[Key, Stored], desired: Iterable[tuple[Key, str]]) -> SyncPlan:
    plan = SyncPlan()
    wanted = set()
    for key, new_digest in desired:
        wanted.add(key)
        current = stored.get(key)
        if current is None:
            plan.added.append(key)
        elif current.retired or current.digest != new_digest:
            plan.changed.append(key)
        else:
            plan.unchanged.append(key)
    plan.retired = sorted(key for key, current in stored.items() if key not in wanted and not current.retired)
    return plan
