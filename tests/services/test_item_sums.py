"""The kept item-analysis sums equal a recount from the answers, and the analysis read from them
equals classical item analysis (`domain.item_analysis`) run on the raw table of answers."""

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.domain import items
from app.domain.item_analysis import cronbach_alpha, item_statistics, option_tallies
from app.domain.item_sums import TABLES
from app.extensions import db
from app.models import Answer, Attempt
from app.services import attempts, content_loader, item_quality, item_sums

ANSWERS = [  # fx-single, best-worst (best, worst), rank order, rating, multi, numeric; None: left blank
    ("a", ("a", "c"), "b,a,c", "5", ["a", "c"], "1,5"),
    ("b", ("b", "a"), "a,b,c", "2", ["a"], "2"),
    ("c", None, "c,b,a", None, ["b"], "1,5"),
    ("a", ("a", "b"), None, "4", ["a", "c"], None),
    ("b", ("c", "a"), "b,c,a", "1", [], "9"),
]


def take(user, single, best_worst, rank, rating, multi, numeric):
    attempt = attempts.start(user, "fixture-quiz")
    fields = MultiDict([("answer-fx-single", single)])
    if best_worst:
        fields.add("answer-fx-best-worst-best", best_worst[0])
        fields.add("answer-fx-best-worst-worst", best_worst[1])
    for n, option in enumerate((rank or "").split(",") if rank else []):
        fields.add(f"answer-fx-rank-{option}", str(n + 1))
    if rating:
        fields.add("answer-fx-rating-a", rating)
        fields.add("answer-fx-rating-b", "3")
    for option in multi:
        fields.add("answer-fx-multi", option)
    if numeric:
        fields.add("answer-fx-numeric", numeric)
    keys = ["fx-single", "fx-best-worst", "fx-rank", "fx-rating", "fx-multi", "fx-numeric"]
    problems = attempts.save_answers(attempt, fields, "en", keys)
    attempts.submit(attempt)
    return problems


def _stored():
    found = {}
    for name, (key_columns, value_columns) in TABLES.items():
        model = item_sums.MODELS[name]
        found[name] = {
            tuple(getattr(r, k) for k in key_columns): tuple(round(getattr(r, v), 9) for v in value_columns)
            for r in db.session.scalars(select(model))
        }
    return found


def _recounted():
    return {
        name: {tuple(r[k] for k in TABLES[name][0]): tuple(round(r[v], 9) for v in TABLES[name][1]) for r in rows}
        for name, rows in item_sums.recount().rows().items()
    }


def _raw_analysis(exercise_id):
    """The classical analysis over the raw table, as the page computed it before the sums."""
    bank = content_loader.current_bank()
    plans = db.session.execute(
        select(Attempt.id, Attempt.plan).where(Attempt.exercise_id == exercise_id, Attempt.status == "scored")
    ).all()
    given = {}
    for attempt_id, key, score, value in db.session.execute(
        select(Answer.attempt_id, Answer.item_key, Answer.score, Answer.value)
    ):
        given.setdefault(attempt_id, {})[key] = (score, value)
    rows, order = [], []
    for attempt_id, plan in plans:
        row = {}
        for entry in plan:
            item = bank.items.get(entry["key"])
            if item is not None and item["type"] in items.GRADED:
                continue
            order.append(entry["key"]) if entry["key"] not in order else None
            score = given.get(attempt_id, {}).get(entry["key"], (None, None))[0]
            row[entry["key"]] = score if score is not None else 0.0
        rows.append(row)
    tallies = {
        key: option_tallies(bank.items[key], [given.get(a, {}).get(key, (None, None))[1] for a, _p in plans])
        for key in order
    }
    return len(plans), {s.item: s for s in item_statistics(rows, order)}, cronbach_alpha(rows, order), tallies


def test_kept_sums_equal_a_recount_and_the_analysis_equals_the_raw_table(make_user, bank, content_bank):
    units = ("bilbao", "santander", "sevilla", "bilbao", "malaga")
    for unit, answers in zip(units, ANSWERS, strict=True):
        assert take(make_user("manager", unit=bank[unit]), *answers) == {}
    take(make_user("manager"), *ANSWERS[0])  # no unit: counted in the whole bank only
    assert _stored() == _recounted()

    admin = make_user("admin")
    analysis = item_quality.analyse(admin, "fixture-quiz")
    exercise_id = attempts.exercise_document("fixture-quiz").id
    count, raw, alpha, tallies = _raw_analysis(exercise_id)
    assert analysis.attempts == count == 6
    assert {row.key for row in analysis.items} == set(raw)
    for row in analysis.items:
        want = raw[row.key]
        assert (row.stats.attempts, row.stats.flags) == (want.attempts, want.flags), row.key
        assert row.stats.facility == pytest.approx(want.facility), row.key
        assert row.stats.discrimination == (
            None if want.discrimination is None else pytest.approx(want.discrimination)
        ), row.key
        answered, want_tallies = tallies[row.key]
        assert row.answered == answered, row.key
        assert [(t.option, t.marks, t.mean, t.key) for t in row.options] == [
            (t.option, t.marks, None if t.mean is None else pytest.approx(t.mean), t.key) for t in want_tallies
        ], row.key
    assert alpha is not None and analysis.alpha == pytest.approx(alpha)
    marked = {row.key for row in analysis.items if any(t.marks for t in row.options)}
    assert marked == {"fx-single", "fx-best-worst", "fx-rank", "fx-rating", "fx-multi"}  # every option type answered


def test_a_trainer_sees_the_sums_of_their_units_only(make_user, bank, content_bank):
    for unit, answers in zip(("bilbao", "sevilla"), ANSWERS[:2], strict=True):
        take(make_user("manager", unit=bank[unit]), *answers)
    north = item_quality.analyse(make_user("trainer", scope=(bank["north"],)), "fixture-quiz")
    single = next(row for row in north.items if row.key == "fx-single")
    assert north.attempts == 1 and [t.marks for t in single.options][:2] == [{"chosen": 1}, {}]
