"""A blind guessing trial (issue 12): readers see only each question's options, never the stem or
the feedback, and pick the best. If they beat chance, the options give the key away.

    .venv/bin/python scripts/blind_trial.py make DIR            # sheet.es.json, sheet.en.json, keys.json
    .venv/bin/python scripts/blind_trial.py make DIR --pools    # only the secure diagnostic pools' items
    .venv/bin/python scripts/blind_trial.py make DIR --practice # only the open practice exercises' items
    .venv/bin/python scripts/blind_trial.py score DIR            # reads answers.<lang>.json beside them

Answers map each question id to a letter, or to a list of letters where the sheet asks for all
the appropriate options (multi-select). Single picks score a hit when the letter is a best option
(chance: best options ÷ options); multi-select answers score the share of options classed right
(chance: 50 %).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain import writing_check  # noqa: E402
from app.domain.content_schema import load_bank  # noqa: E402
from app.services.content_files import read_sources  # noqa: E402

LETTERS = "ABCDEFGH"


def make(out: Path, root: Path = ROOT, only: str | None = None) -> int:
    """`only`: "pools" or "practice" for those items alone; every item otherwise."""
    bank, errors = load_bank(read_sources(root))
    if errors:
        raise SystemExit(f"the bank has {len(errors)} problem(s): run flask content validate")
    rng = random.Random(7)  # noqa: S311  (a reproducible sheet)
    sheets: dict[str, list] = {locale: [] for locale in writing_check.LOCALES}
    keys = {}
    holders = {
        "pools": bank.pools,
        "practice": {k: e for k, e in bank.exercises.items() if (e.get("settings") or {}).get("open_practice")},
    }.get(only, bank.item_holders)
    for n, question in enumerate(writing_check.questions(holders, bank.items), start=1):
        options = list(question.options)
        rng.shuffle(options)
        ref = f"Q{n:03d}"
        multi = question.kind == "multi_select"
        keys[ref] = {
            "kind": question.kind,
            "ref": question.ref,
            "best": [LETTERS[i] for i, o in enumerate(options) if o.best],
            "n": len(options),
        }
        for locale, sheet in sheets.items():
            pick = "ALL the appropriate ones" if multi else "the single best one"
            sheet.append(
                {"q": ref, "pick": pick, "options": {LETTERS[i]: o.text[locale] for i, o in enumerate(options)}}
            )
    out.mkdir(parents=True, exist_ok=True)
    for locale, sheet in sheets.items():
        (out / f"sheet.{locale}.json").write_text(json.dumps(sheet, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "keys.json").write_text(json.dumps(keys, indent=1), encoding="utf-8")
    return len(keys)


def score(directory: Path) -> list[str]:
    keys = json.loads((directory / "keys.json").read_text(encoding="utf-8"))
    lines = [
        "| language | questions | hit rate | chance | multi-select options classed right | chance |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for locale in writing_check.LOCALES:
        path = directory / f"answers.{locale}.json"
        if not path.exists():
            continue
        answers = json.loads(path.read_text(encoding="utf-8"))
        hits = chance = singles = right = options = 0
        for ref, key in keys.items():
            given = answers.get(ref)
            if key["kind"] == "multi_select":
                chosen = set(given or [])
                right += sum((letter in chosen) == (letter in key["best"]) for letter in LETTERS[: key["n"]])
                options += key["n"]
            else:
                singles += 1
                hits += given in key["best"]
                chance += len(key["best"]) / key["n"]
        multi = f"{right / options * 100:.0f} % | 50 %" if options else "– | –"  # a sheet may have none
        lines.append(
            f"| {locale} | {singles} | {hits / singles * 100:.0f} % | {chance / singles * 100:.0f} % | {multi} |"
        )
    return lines


if __name__ == "__main__":
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "make":
        only = next((flag[2:] for flag in sys.argv[3:] if flag in ("--pools", "--practice")), None)
        print(f"{make(directory, only=only)} questions")
    else:
        print("\n".join(score(directory)))
