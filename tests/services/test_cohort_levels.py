"""The kept cohort counts always equal a recount from the profiles, and the profile rows' copies of
their managers' standing always equal the managers, whatever happens in between; and the HR figures
read from them equal the same figures computed manager by manager."""

from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.domain import cohort_cells, group_profiles
from app.domain.framework import COMPETENCY_CODES
from app.extensions import db
from app.models import Assignment, ProfileScore, SelfScore
from app.services import assignments, attempts, cohort_levels, content_loader, reports, users
from app.services.errors import Invalid
from app.services.reports import ReportFilters
from app.services.users import UserData

UNITS = ("bank", "north", "south", "bilbao", "santander", "sevilla", "malaga")

step = st.one_of(
    st.tuples(st.just("quiz"), st.integers(0, 2), st.sampled_from("abc")),
    st.tuples(st.just("scenario"), st.integers(0, 2), st.sampled_from(("aa", "ab", "ba", "bb"))),
    st.tuples(st.just("move"), st.integers(0, 2), st.sampled_from((None, *UNITS))),
    st.tuples(st.just("career"), st.integers(0, 2), st.sampled_from((None, "junior", "mid", "senior"))),
    st.tuples(st.just("active"), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("manager"), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("thresholds"), st.just(0), st.sampled_from(([40, 60, 80], [30, 50, 70], [50, 75, 90]))),
    st.tuples(st.just("targets"), st.just(0), st.sampled_from((None, 1, 2, 3, 4))),
    st.tuples(st.just("self"), st.integers(0, 2), st.sampled_from("12345")),
    st.tuples(st.just("assign"), st.integers(0, 2), st.sampled_from(("one", "everyone"))),
    st.tuples(st.just("cancel"), st.just(0), st.just(None)),
)


def _update(user, bank, **changes):
    data = UserData(
        email=user.email,
        name=user.name,
        career_level=user.career_level,
        org_unit_id=user.org_unit_id,
        roles=set(user.roles),
        locale=user.locale,
        active=user.active,
        scope_unit_ids=set(),
    )
    for name, value in changes.items():
        setattr(data, name, value)
    users.update_user(None, user, data)


def _apply(step, people, bank, content_root=None):
    kind, who, value = step
    user = people[who]
    try:
        _take(kind, user, value, bank, content_root)
    except (attempts.AttemptRefused, Invalid):  # retakes past the limit, an audience of nobody: nothing changes
        pass


def _take(kind, user, value, bank, content_root):
    if kind == "quiz":
        quiz = attempts.start(user, "fixture-quiz")
        attempts.save_answers(quiz, MultiDict([("answer-fx-single", value)]), "en", ["fx-single"])
        attempts.submit(quiz)
    elif kind == "scenario":
        scenario = attempts.start(user, "fixture-scenario")
        attempts.decide(scenario, "s1", value[0])
        attempts.decide(scenario, "s2" if value[0] == "a" else "s3", value[1])
    elif kind == "move":
        _update(user, bank, org_unit_id=bank[value].id if value else None)
    elif kind == "career":
        _update(user, bank, career_level=value)
    elif kind == "active":
        _update(user, bank, active=value)
    elif kind == "manager":
        _update(user, bank, roles={"manager"} if value else {"trainer"})
    elif kind == "assign":
        admin = _admin()
        if value == "one":
            assignments.assign(admin, "fixture-quiz", "users", {user.id})
        else:
            assignments.assign(admin, "fixture-quiz", "org_unit", org_unit_id=bank["bank"].id)
    elif kind == "cancel":
        admin = _admin()
        latest = db.session.scalar(
            select(Assignment).where(Assignment.cancelled_at.is_(None)).order_by(Assignment.id.desc())
        )
        if latest is not None:
            assignments.cancel(admin, latest, assignments.follow_up(admin, latest))
    elif kind == "self":
        survey = attempts.start(user, "fixture-self")
        answers = MultiDict([("answer-fx-likert-1", value), ("answer-fx-likert-2", str(6 - int(value)))])
        attempts.save_answers(survey, answers, "en", ["fx-likert-1", "fx-likert-2"])
        attempts.submit(survey)
    elif kind == "targets":
        _sync_targets(content_root, value)
    else:
        _sync_thresholds(content_root, value)


def _framework() -> dict:
    """The project's framework without its links to items this small bank does not have."""
    framework = yaml.safe_load((Path(__file__).resolve().parents[2] / "rubrics" / "framework.yaml").read_text())
    for competency in framework["competencies"]:
        competency.pop("behaviour_items", None)
    return framework


FRAMEWORK = _framework()


def _sync_thresholds(root, thresholds) -> None:
    """The framework with these level thresholds (and the domain's evidence threshold), synced."""
    framework = {**FRAMEWORK, "settings": {"level_thresholds": thresholds, "evidence_threshold": 3}}
    (root / "rubrics" / "framework.yaml").write_text(yaml.safe_dump(framework, allow_unicode=True))
    content_loader.sync(root=root)


def _sync_targets(root, level: int | None) -> None:
    """Juniors' and mids' targets at this level in every competency (none at all: None), synced."""
    path = root / "rubrics" / "targets.yaml"
    if level is None:
        path.unlink(missing_ok=True)
    else:
        levels = ", ".join(f"{code}: {level}" for code in COMPETENCY_CODES)
        path.write_text(f"kind: targets\ntargets:\n  junior: {{{levels}}}\n  mid: {{{levels}}}\n")
    content_loader.sync(root=root)


def _admin():
    from app.models import User, UserRole

    found = db.session.scalar(select(User).join(UserRole).where(UserRole.role == "admin").order_by(User.id))
    if found is None:
        found = User(email="admin-cohort@example.com", name="Admin", password_hash="x")
        found.role_rows = [UserRole(role="admin")]
        db.session.add(found)
        db.session.flush()
    return found


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12))
@example(  # always: a self-view and a target to keep, then the bank and the manager move under them
    steps=[
        ("career", 0, "junior"),
        ("quiz", 0, "a"),
        ("self", 0, "3"),
        ("targets", 0, 3),
        ("thresholds", 0, [30, 50, 70]),
        ("career", 0, "senior"),
        ("self", 0, "1"),
        ("targets", 0, None),
    ]
)
def test_kept_counts_equal_a_recount_after_any_sequence(make_user, bank, content_bank, steps):
    people = [make_user("manager", unit=bank[unit]) for unit in ("bilbao", "santander", "sevilla")]
    for each in steps:
        _apply(each, people, bank, content_bank)
        db.session.flush()
        assert cohort_levels.stored() == tuple(+counted for counted in cohort_levels.recount()), each
        copied, read = cohort_levels.standing_copies()  # what the named lists filter by
        assert copied == read, each
        assert cohort_levels.wrong_targets() == 0, each  # what the units below target are counted by
    db.session.commit()


def test_a_rebuild_gives_what_was_kept(make_user, bank, content_bank):
    for unit, answer in (("bilbao", "a"), ("sevilla", "c")):
        _apply(("quiz", 0, answer), [make_user("manager", unit=bank[unit])], bank)
    kept = cohort_levels.stored()
    assert sum(n for key, n in kept[0].items() if key[0] == cohort_cells.WHOLE_BANK and key[3] == "*") == 2
    cohort_levels.rebuild()
    assert cohort_levels.stored() == kept


def _members(people):
    """The managers as the per-manager functions take them, read back from the stored profiles."""
    result = []
    for user in people:
        cells = {
            r.competency: (r.level, r.score)
            for r in db.session.scalars(db.select(ProfileScore).where(ProfileScore.user_id == user.id))
        }
        selves = {
            r.competency: r.score for r in db.session.scalars(db.select(SelfScore).where(SelfScore.user_id == user.id))
        }
        result.append(group_profiles.Member(user.id, user.name, user.career_level, cells, selves))
    return result


@pytest.mark.parametrize("small_cohort", [0, 2000], ids=["index walk", "from the managers"])
def test_report_figures_from_the_counts_equal_those_computed_per_manager(
    make_user, bank, content_bank, monkeypatch, small_cohort
):
    monkeypatch.setattr(reports, "SMALL_COHORT", small_cohort)  # both query shapes give the same names
    levels = ", ".join(f"{code}: 3" for code in COMPETENCY_CODES)
    (content_bank / "rubrics" / "targets.yaml").write_text(
        f"kind: targets\ntargets:\n  junior: {{{levels}}}\n  mid: {{{levels}}}\n"
    )
    (content_bank / "questions" / "fixture-self-ethics.yaml").write_text(
        "kind: self_assessment\nid: fixture-self-ethics\ntitle: {es: Ética, en: Ethics}\n"
        "settings: {open_practice: true}\nitems:\n"
        "  - {id: fx-likert-ethics, type: likert, competency: ethics, stem: {es: Guardo secretos, en: I keep secrets}}\n"
    )
    content_loader.sync(root=content_bank)
    north = [
        make_user("manager", unit=bank[u], career_level=c) for u, c in (("bilbao", "junior"), ("santander", "mid"))
    ]
    south = [make_user("manager", unit=bank["sevilla"], career_level="junior")]
    for n, user in enumerate([*north, *south]):
        _apply(("quiz", 0, "abc"[n]), [user], bank)
        _apply(("scenario", 0, ("aa", "ba", "bb")[n]), [user], bank)
    for user, rating in zip([*north, *south], "155", strict=True):  # self-views above and below the measured
        survey = attempts.start(user, "fixture-self-ethics")
        attempts.save_answers(survey, MultiDict([("answer-fx-likert-ethics", rating)]), "en", ["fx-likert-ethics"])
        attempts.submit(survey)
    hr = make_user("hr", scope=(bank["north"],))
    size, summaries = reports.level_summaries(hr, ReportFilters())
    expected = group_profiles.summarise(_members(north), content_loader.current_bank().career_targets)
    assert size == 2
    for code in COMPETENCY_CODES:
        got, want = summaries[code], expected[code]
        assert (got.levels, got.insufficient, got.unmeasured, got.at_target, got.gap_total, got.below_count) == (
            want.levels,
            want.insufficient,
            want.unmeasured,
            want.at_target,
            want.gap_total,
            want.below_count,
        ), code
    needs = reports.training_needs(hr, ReportFilters(), listed=10)
    members = {m.user_id: m for m in _members(north)}
    for code in COMPETENCY_CODES:
        named = [(m.user_id, gap) for m, gap in needs.summaries[code].below]
        assert sorted(named) == sorted((m.user_id, gap) for m, gap in expected[code].below), code
        scores = [members[user_id].cells[code][1] for user_id, _gap in named]
        assert scores == sorted(scores), code  # lowest score first, as the heatmap link sorts them
    assert Counter(unit.name for unit, _counts in needs.units_below if unit) <= Counter({"Bilbao": 1, "Santander": 1})
    juniors = reports.training_needs(hr, ReportFilters(career_level="junior"), listed=10)
    targets = content_loader.current_bank().career_targets
    expected_juniors = group_profiles.summarise([m for m in _members(north) if m.career_level == "junior"], targets)
    assert juniors.managers == 1
    for code in COMPETENCY_CODES:
        named = sorted((m.user_id, gap) for m, gap in juniors.summaries[code].below)
        assert named == sorted((m.user_id, gap) for m, gap in expected_juniors[code].below), code
        below = {unit.name if unit else None: counts.get(code, 0) for unit, counts in juniors.units_below}
        assert sum(below.values()) == expected_juniors[code].below_count, code
    _managers, calibration = reports.calibration(hr, ReportFilters(), named=10)
    reference = group_profiles.calibration(_members(north), content_loader.current_bank().level_thresholds)
    for code in COMPETENCY_CODES:
        got, want = calibration[code], reference[code]
        assert (got.compared, got.difference_total, got.blind, got.hidden) == (
            want.compared,
            want.difference_total,
            len(want.blind_spots),
            len(want.hidden_strengths),
        ), code
        assert sorted((m.user_id, d) for m, d in got.blind_spots) == sorted(
            (m.user_id, d) for m, d in want.blind_spots
        ), code
    assert calibration["ethics"].compared == 2 and calibration["ethics"].blind_spots  # the check saw blind spots


def test_the_headcount_from_the_counts_is_the_number_of_managers_the_filters_keep(make_user, bank, content_bank):
    from datetime import date

    from sqlalchemy import func

    for unit, level, answer in (("bilbao", "junior", "a"), ("santander", "mid", "b"), ("sevilla", "junior", "c")):
        _apply(("quiz", 0, answer), [make_user("manager", unit=bank[unit], career_level=level)], bank)
    make_user("manager", unit=bank["malaga"])  # never assessed
    make_user("manager")  # no unit: the whole bank's, an administrator's only
    today = date.today()
    filters = [
        ReportFilters(),
        ReportFilters(org_unit_id=bank["north"].id),
        ReportFilters(career_level="junior"),
        ReportFilters(since=today.replace(day=1)),
        ReportFilters(until=date(2020, 1, 31)),
        ReportFilters(org_unit_id=bank["south"].id, career_level="junior", since=today.replace(day=1)),
    ]
    for viewer in (make_user("hr", scope=(bank["bank"],)), make_user("hr", scope=(bank["north"],)), _admin()):
        for f in filters:
            listed = db.session.scalar(select(func.count()).select_from(reports.managers_query(viewer, f).subquery()))
            assert reports.headcount(viewer, f) == listed, (viewer.email, f)
