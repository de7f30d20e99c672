"""The HR dashboard and training needs over the stored profiles, within scope."""

import pytest
from werkzeug.datastructures import MultiDict

from app.domain.framework import COMPETENCY_CODES
from app.services import assignments, attempts, content_loader
from tests.conftest import login
from tests.html import rows_of, text_of, texts_of


@pytest.fixture
def cohort(make_user, bank, content_bank):
    levels = ", ".join(f"{code}: 3" for code in COMPETENCY_CODES)
    (content_bank / "rubrics" / "targets.yaml").write_text(
        f"kind: targets\ntargets:\n  junior: {{{levels}}}\n  mid: {{{levels}}}\n"
    )
    content_loader.sync(root=content_bank)
    good = make_user("manager", name="Ana Buena", unit=bank["bilbao"], career_level="junior")
    weak = make_user("manager", name="Bruno Flojo", unit=bank["santander"], career_level="junior")
    far = make_user("manager", name="Sara Sur", unit=bank["sevilla"], career_level="junior")
    for user, single, choices in [(good, "a", ["a", "a"]), (weak, "c", ["b", "a"]), (far, "c", ["b", "a"])]:
        quiz = attempts.start(user, "fixture-quiz")
        attempts.save_answers(quiz, MultiDict([("answer-fx-single", single)]), "en", ["fx-single"])
        attempts.submit(quiz)
        scenario = attempts.start(user, "fixture-scenario")
        attempts.decide(scenario, "s1", choices[0])
        attempts.decide(scenario, "s2" if choices[0] == "a" else "s3", choices[1])
    return good, weak, far


def test_the_dashboard_counts_levels_targets_and_gaps_in_scope(client, make_user, bank, cohort):
    login(client, make_user("hr", scope=(bank["north"],)))
    page = client.get("/hr/").data.decode()
    assert "2 managers" in page
    ethics = page.split(">ethics<")[1].split("</tr>")[0]  # the small bank has no framework: codes as names
    cells = [c.split("<")[0] for c in ethics.split('<td class="text-end">')[1:]]
    # Ana: ethics (2·1 + 2·1)/4 = 100 → level 4; Bruno: quiz 0, scenario critical 0 → level 1.
    assert cells[:4] == ["1", "0", "0", "1"]
    assert cells[6:] == ["50 %", "0.5"]


def test_training_needs_name_who_and_how_far(client, make_user, bank, cohort):
    good, weak, far = cohort
    login(client, make_user("hr", scope=(bank["bank"],)))
    page = client.get("/hr/training-needs").data.decode()
    competency, below, climb, who, _action = next(r for r in rows_of(page, "#needs") if r[0] == "ethics")
    assert below == "2 (67 %)" and "Bruno Flojo" in who and "Sara Sur" in who and "Ana Buena" not in who
    assert "2 levels below" in who and int(climb) >= 3  # one manager 2 levels below, one at least 1
    ethics = page.split('id="need-ethics"')[1].split("</tr>")[0]
    assert f'href="/people/{weak.id}"' in ethics and f'href="/people/{far.id}"' in ethics  # each name, its page
    assert "ethics" in texts_of(page, "#needs-by-unit thead th span.visually-hidden")
    assert 'id="group-training"' in page  # 2 of 3 below target, more than half
    north = client.get(f"/hr/training-needs?unit={bank['north'].id}").data.decode()
    assert "Sara Sur" not in north


def test_report_queries_do_not_grow_with_the_cohort(client, make_user, bank, content_bank):
    from tests.web.test_query_counts import queries_for

    login(client, make_user("hr", scope=(bank["bank"],)))
    make_user("manager", unit=bank["bilbao"])
    few = [queries_for(client, url) for url in ("/hr/", "/hr/training-needs")]
    for _ in range(10):
        make_user("manager", unit=bank["sevilla"])
    assert [queries_for(client, url) for url in ("/hr/", "/hr/training-needs")] == few


def test_the_calibration_report_finds_blind_spots(client, make_user, bank, cohort, content_bank):
    good, weak, _far = cohort
    (content_bank / "questions" / "fixture-self-ethics.yaml").write_text(
        "kind: self_assessment\nid: fixture-self-ethics\ntitle: {es: Ética, en: Ethics}\n"
        "settings: {open_practice: true}\nitems:\n"
        "  - {id: fx-likert-ethics, type: likert, competency: ethics, stem: {es: Guardo secretos, en: I keep secrets}}\n"
    )
    content_loader.sync(root=content_bank)
    for user in (weak, good):  # both rate themselves at the top: Bruno measured 1 (+3), Ana measured 4 (0)
        survey = attempts.start(user, "fixture-self-ethics")
        attempts.save_answers(survey, MultiDict([("answer-fx-likert-ethics", "5")]), "en", ["fx-likert-ethics"])
        attempts.submit(survey)
    login(client, make_user("hr", scope=(bank["north"],)))
    ethics = client.get("/hr/calibration").data.decode().split(">ethics<")[1].split("</tr>")[0]
    cells = [c.split("<")[0] for c in ethics.split('<td class="text-end">')[1:]]
    assert cells == ["2", "+1.5", "1", "0"]
    assert "Bruno Flojo</a> (+3)" in ethics


def _trend_cells(page: str, code: str) -> list[str]:
    row = page.split('id="trends"')[1].split(f">{code}<")[1].split("</tr>")[0]
    return [c.split("<")[0] for c in row.split('<td class="text-end">')[1:]]


def test_trends_show_this_quarters_mean_score_and_activity(client, make_user, bank, cohort):
    from app.domain.dates import quarter_of
    from app.models.users import utcnow

    login(client, make_user("hr", scope=(bank["north"],)))
    page = client.get("/hr/").data.decode()
    today = utcnow()
    year, quarter = quarter_of(today.year, today.month)
    assert f"Q{quarter} {year}" in page
    # North: Ana ethics 100 (weights 2 + 2), Bruno 0 (2 + 2): the quarter's mean is 50; four quarters shown.
    assert _trend_cells(page, "ethics") == ["—", "—", "—", "50", "—"]
    activity = page.split('id="trends"')[1].split("<tfoot>")[1].split("</tfoot>")[0]
    assert activity.count('<td class="text-end">4</td>') == 1  # 2 managers × (quiz + scenario)
    last_year = client.get("/hr/?since=2025-01-01&until=2025-12-31").data.decode()
    assert 'id="nobody"' in last_year and 'id="trends"' not in last_year  # nobody assessed then: no empty tables


def test_assignment_completion_counts_who_submitted_after_it_was_made(client, make_user, bank, cohort):
    good, weak, far = cohort
    trainer = make_user("trainer", scope=(bank["bank"],))
    assignments.assign(trainer, "fixture-quiz", "org_unit", org_unit_id=bank["bank"].id)
    quiz = attempts.start(weak, "fixture-quiz")
    attempts.submit(quiz)
    login(client, make_user("hr", scope=(bank["north"],)))
    page = client.get("/hr/").data.decode()
    summary = page.split('id="completion-summary"')[1].split("</p>")[0]
    assert "1 assignment in the period" in summary and "1 of 2 requests completed (50 %)" in summary  # Sara is south
    row = page.split('id="completion"')[1].split("</tbody>")[0]
    assert [c.split("<")[0] for c in row.split('<td class="text-end">')[1:]] == ["2", "1", "0"]


def test_a_date_range_keeps_managers_assessed_in_it_and_bad_dates_are_explained(client, make_user, bank, cohort):
    from app.models.users import utcnow

    login(client, make_user("hr", scope=(bank["bank"],)))
    today = utcnow().date().isoformat()
    assert "3 managers" in client.get(f"/hr/?since={today}&until={today}").data.decode()
    heatmap = client.get("/hr/heatmap?until=2020-01-31").data.decode()
    assert "Ana Buena" not in heatmap
    broken = client.get("/hr/?since=01/31/2026&until=2026-02-30")  # a US order, a day that does not exist
    assert broken.status_code == 200
    problems = broken.data.decode().split('id="filter-problems"')[1].split("</ul>")[0]
    assert "“01/31/2026” is not a date like 31/03/2026" in problems and "“2026-02-30”" in problems
    typed = utcnow().strftime("%d/%m/%Y")
    day_first = client.get(f"/hr/?since={typed}&until={typed}").data.decode()
    month_start = utcnow().replace(day=1).strftime("%d/%m/%Y")  # a range is widened to whole months
    assert "3 managers" in day_first and f'value="{month_start}"' in day_first  # typed and shown day first
    assert "3 managers" in broken.data.decode()  # the bad dates were ignored, not half-applied
    backwards = client.get("/hr/?since=2026-03-01&until=2026-01-01").data.decode()
    assert "The range ends before it starts" in backwards


def test_training_needs_name_the_furthest_below_and_link_to_the_rest(app, client, make_user, bank, cohort, monkeypatch):
    monkeypatch.setitem(app.config, "TRAINING_NEEDS_LISTED", 1)
    login(client, make_user("hr", scope=(bank["bank"],)))
    section = client.get("/hr/training-needs?level=junior").data.decode().split('id="need-ethics"')[1]
    section = section.split("</tr>")[0]
    assert section.count("/people/") == 1 and "and 1 more:" in section
    assert "/hr/heatmap?level=junior&amp;sort=ethics&amp;dir=asc&amp;page=1" in section


def test_training_needs_list_the_units_with_most_cases_first_and_say_how_many_more(
    app, client, make_user, bank, cohort, monkeypatch
):
    login(client, make_user("hr", scope=(bank["bank"],)))
    both = client.get("/hr/training-needs").data.decode()
    rows = rows_of(both, "#needs-by-unit")
    assert sorted(row[0] for row in rows) == ["Norte", "Sur"]
    assert int(rows[0][1]) >= int(rows[1][1])  # the most cases first
    assert 'id="units-not-listed"' not in both
    monkeypatch.setitem(app.config, "TRAINING_NEEDS_UNITS_LISTED", 1)
    one = client.get("/hr/training-needs").data.decode()
    assert [row[0] for row in rows_of(one, "#needs-by-unit")] == [rows[0][0]]
    assert "1 more unit has managers below target" in text_of(one, "#units-not-listed")


def test_a_career_level_without_targets_has_no_training_needs(client, make_user, bank, cohort):
    senior = make_user("manager", name="Olga Vieja", unit=bank["bilbao"], career_level="senior")
    quiz = attempts.start(senior, "fixture-quiz")
    attempts.save_answers(quiz, MultiDict([("answer-fx-single", "c")]), "en", ["fx-single"])
    attempts.submit(quiz)
    login(client, make_user("hr", scope=(bank["bank"],)))
    page = client.get("/hr/training-needs?level=senior").data.decode()  # the cohort's targets: junior, mid
    assert 'id="no-needs"' in page and "Olga Vieja" not in page  # measured, and no target to miss


def test_the_training_needs_export_lists_who_is_below_target_and_how_far(client, make_user, bank, cohort):
    import csv
    import io

    good, weak, far = cohort
    login(client, make_user("hr", scope=(bank["bank"],)))
    body = client.get("/hr/exports/training-needs.csv").data.decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["Competency"] == "ethics"]
    assert {r["Name"] for r in rows} == {weak.name, far.name}
    order = ["Foundation", "Developing", "Proficient", "Advanced"]  # level names, not numbers
    assert all(order.index(r["Target"]) - order.index(r["Level"]) == int(r["Levels below target"]) > 0 for r in rows)


def test_the_attempts_export_gives_times_in_madrid_with_their_offset(client, make_user, bank, cohort):
    import csv
    import io

    login(client, make_user("hr", scope=(bank["bank"],)))
    rows = list(csv.DictReader(io.StringIO(client.get("/hr/exports/attempts.csv").data.decode("utf-8-sig"))))
    assert rows and all(row["Started"][-6:] in ("+01:00", "+02:00") for row in rows)


@pytest.mark.parametrize("path", ["/hr/", "/hr/training-needs", "/hr/calibration"])
def test_a_selection_of_nobody_says_so_instead_of_a_table_of_zeros(client, make_user, bank, path):
    make_user("manager", unit=bank["bilbao"], career_level="junior")
    login(client, make_user("hr", scope=(bank["bank"],)))
    page = client.get(f"{path}?level=senior").data.decode()
    assert text_of(page, "#nobody").startswith("No managers match these filters.")
    assert "<table" not in page
    assert "#nobody" not in page and 'id="nobody"' not in client.get(path).data.decode()


def test_calibration_without_self_assessments_says_what_is_missing(client, make_user, bank):
    make_user("manager", unit=bank["bilbao"], career_level="junior")
    login(client, make_user("hr", scope=(bank["bank"],)))
    page = client.get("/hr/calibration").data.decode()
    assert "none has both a self-assessment and a measured level" in text_of(page, "#nothing-compared")
