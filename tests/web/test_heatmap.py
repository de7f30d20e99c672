"""The HR heatmap and its export: scope, filters, sorting, formula-safe cells, audit, constant queries."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.domain.framework import COMPETENCY_CODES
from app.extensions import db
from app.models import AuditEvent
from tests.conftest import login
from tests.html import select as select_html
from tests.web.conftest import scored
from tests.web.test_query_counts import queries_for


def test_the_heatmap_shows_scores_within_scope_only(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["north"],)))
    page = client.get("/hr/heatmap").data.decode()
    assert "Ana Norte" in page and "Sara Sur" not in page
    assert 'class="cell tentative"' in page and ">100<" in page
    assert f'href="/people/{managers["ana"].id}"' in page


def test_the_headcount_comes_with_its_page_and_a_page_past_the_end_goes_to_the_last(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["north"],)))
    assert '<p class="mb-0">2 managers</p>' in client.get("/hr/heatmap").data.decode()
    past = client.get("/hr/heatmap?page=7&sort=ethics")  # no rows to read the headcount from
    assert past.status_code == 302 and parse_qs(urlsplit(past.location).query)["page"] == ["1"]
    nobody = client.get("/hr/heatmap?level=senior").data.decode()
    assert '<p class="mb-0">0 managers</p>' in nobody and "No managers match these filters." in nobody


def test_sorting_and_filters(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["bank"],)))
    ascending = client.get("/hr/heatmap?sort=ethics").data.decode()
    assert ascending.index("Sara Sur") < ascending.index("HYPERLINK") < ascending.index("Ana Norte")
    descending = client.get("/hr/heatmap?sort=ethics&dir=desc").data.decode()
    assert descending.index("Ana Norte") < descending.index("Sara Sur")
    juniors = client.get("/hr/heatmap?level=junior").data.decode()
    assert "HYPERLINK" not in juniors and "Ana Norte" in juniors
    south = client.get(f"/hr/heatmap?unit={bank['south'].id}").data.decode()
    assert "Sara Sur" in south and "Ana Norte" not in south
    gone = client.get("/hr/heatmap?unit=987654").data.decode()  # a bookmark to a unit since deleted
    assert "that unit no longer exists; the whole of your scope is shown" in gone
    assert "Sara Sur" in gone and "Ana Norte" in gone
    refused = client.get("/hr/exports/heatmap.csv?unit=987654")
    assert refused.status_code == 400 and "that unit no longer exists" in refused.data.decode()


def test_each_column_heading_sorts_by_it_and_the_sorted_one_turns_the_order_round(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["bank"],)))
    unit = bank["north"].id

    def links(url: str) -> dict[str, str]:
        anchors = select_html(client.get(url).data, "table#heatmap thead a")
        return {parse_qs(urlsplit(a.attrs["href"]).query)["sort"][0]: a.attrs["href"] for a in anchors}

    ascending = links(f"/hr/heatmap?unit={unit}&sort=ethics")
    assert set(ascending) == {"name", *COMPETENCY_CODES}
    for column, href in ascending.items():
        query = parse_qs(urlsplit(href).query)
        assert urlsplit(href).path == "/hr/heatmap" and query["unit"] == [str(unit)] and query["page"] == ["1"]
        assert query["dir"] == (["desc"] if column == "ethics" else ["asc"])
    descending = links(f"/hr/heatmap?unit={unit}&sort=ethics&dir=desc")
    assert all(parse_qs(urlsplit(href).query)["dir"] == ["asc"] for href in descending.values())


def test_the_export_honours_scope_neutralises_formulas_and_is_audited(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["north"],)))
    response = client.get("/hr/exports/heatmap.csv?sort=name")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "Email", "Unit", "Career level"]
    names = [row[0] for row in rows[1:]]
    assert names == ['\'=HYPERLINK("x")', "Ana Norte"]
    ethics = rows[0].index("ethics")
    assert rows[2][ethics] == "100.0"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.heatmap_csv")).one()
    assert event.details["managers"] == 2


def test_a_csv_export_is_streamed_in_chunks_of_rows(client, make_user, bank, managers):
    """The response is a stream, and the file is written a chunk of rows at a time, never whole."""
    from app.services import exports

    login(client, make_user("hr", scope=(bank["bank"],)))
    for name in ("heatmap", "scores", "attempts", "training-needs"):
        response = client.get(f"/hr/exports/{name}.csv", buffered=False)
        assert response.is_streamed
        # A server reads the body after the request's context has ended and its objects are detached
        # (Flask 3.1 pushes the contexts again, with a new session): nothing streamed may touch them.
        db.session.expire_all()
        db.session.expunge_all()
        whole = b"".join(response.response)
        response.close()
        assert whole.startswith("\ufeff".encode()) and whole.count(b"\n") >= (2 if name != "training-needs" else 1), (
            name
        )
    lines = exports.csv_lines(iter([("name", "score"), *[(str(n), 1.5) for n in range(2500)]]), "es", True)
    chunks = list(exports._csv(lines, chunk=1000))
    assert [c.count(b"\n") for c in chunks] == [1000, 1000, 501]  # the header, then 2,500 rows
    assert chunks[0].startswith("\ufeffNombre;Puntuación\r\n".encode()) and b"2499;1,5\r\n" in chunks[-1]


def test_the_heatmap_queries_do_not_grow_with_the_managers(client, make_user, bank, content_bank):
    login(client, make_user("hr", scope=(bank["bank"],)))
    scored(make_user("manager", unit=bank["bilbao"]), "a")
    few = queries_for(client, "/hr/heatmap?sort=ethics")
    for _ in range(8):
        scored(make_user("manager", unit=bank["sevilla"]), "b")
    assert queries_for(client, "/hr/heatmap?sort=ethics") == few


def test_the_xlsx_export_has_the_same_rows_and_is_audited(client, make_user, bank, managers):
    from openpyxl import load_workbook

    login(client, make_user("hr", scope=(bank["north"],)))
    response = client.get("/hr/exports/heatmap.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Name", "Email"] and [r[0] for r in rows[1:]] == ['\'=HYPERLINK("x")', "Ana Norte"]
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.heatmap_xlsx"))
        .one()
        .details["managers"]
        == 2
    )


def test_score_and_attempt_exports_honour_scope_and_are_audited(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["north"],)))
    scores = list(csv.reader(io.StringIO(client.get("/hr/exports/scores.csv").data.decode("utf-8-sig"))))
    assert scores[0] == ["Email", "Name", "Unit", "Career level", "Competency", "Score", "Evidence weight", "Level"]
    assert {row[1] for row in scores[1:]} == {"Ana Norte", '\'=HYPERLINK("x")'}
    ana_ethics = next(row for row in scores if row[1] == "Ana Norte" and row[4] == "ethics")
    assert ana_ethics[5:] == ["100.0", "2.0", ""]  # evidence 2 < 3: no level
    attempts_rows = list(csv.reader(io.StringIO(client.get("/hr/exports/attempts.csv").data.decode("utf-8-sig"))))
    assert [row[2] for row in attempts_rows[1:]] == ["Test", "Test"]  # the exercise's title, not its key
    assert all(row[5] == "Scored" for row in attempts_rows[1:])
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"export.scores_csv", "export.attempts_csv"} <= actions


@pytest.mark.parametrize("name", ["scores", "attempts"])
def test_scores_and_attempts_also_export_as_xlsx_with_the_csv_rows(client, make_user, bank, managers, name):
    from openpyxl import load_workbook

    login(client, make_user("hr", scope=(bank["north"],)))
    as_csv = list(csv.reader(io.StringIO(client.get(f"/hr/exports/{name}.csv").data.decode("utf-8-sig"))))
    response = client.get(f"/hr/exports/{name}.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet") and response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    as_xlsx = [[_plain(cell.value) for cell in row] for row in sheet.iter_rows()]
    assert as_xlsx == [[_plain(value) for value in row] for row in as_csv] and len(as_csv) > 1
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == f"export.{name}_xlsx")).one()


def test_the_attempts_export_keeps_to_the_date_range(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["bank"],)))
    everything = client.get("/hr/exports/attempts.csv").data.decode("utf-8-sig").splitlines()
    assert len(everything) > 1
    old = client.get("/hr/exports/attempts.csv?since=2020-01-01&until=2020-12-31").data.decode("utf-8-sig")
    assert old.splitlines() == everything[:1]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.attempts_csv")).all()[-1]
    assert event.details["since"] == "2020-01-01" and event.details["managers"] == 0


def _plain(value) -> object:
    """A cell as both files can say it: numbers as floats (CSV has 0.0 where XLSX reads 0), blanks as ''."""
    if value is None:
        return ""
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def test_an_export_with_a_filter_it_cannot_apply_is_refused_not_widened(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["bank"],)))
    refused = client.get("/hr/exports/scores.csv?since=yesterday")
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "“yesterday” is not a date like 31/03/2026" in refused.data.decode()
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.scores_csv")).all()


def test_export_links_carry_the_filters_in_effect_only(client, make_user, bank, managers):
    login(client, make_user("hr", scope=(bank["bank"],)))
    page = client.get(f"/hr/heatmap?unit={bank['north'].id}&level=boss&since=bad&until=2026-12-31&sort=ethics").data
    link = page.decode().split('href="/hr/exports/heatmap.csv')[1].split('"')[0]
    assert link == f"?unit={bank['north'].id}&amp;until=2026-12-31&amp;sort=ethics"
    assert "Career level: “boss” is not a career level; every career level is shown." in page.decode()
    refused = client.get("/hr/exports/heatmap.csv?level=boss")
    assert refused.status_code == 400 and "is not a career level" in refused.data.decode()


def test_a_spanish_csv_opens_in_a_spanish_excel_with_names_not_codes(client, make_user, bank, managers):
    """Semicolons, decimal commas and a byte-order mark; headers and values in the reader's language."""
    login(client, make_user("hr", scope=(bank["north"],), locale="es"))
    body = client.get("/hr/exports/scores.csv").data
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Correo",
        "Nombre",
        "Unidad",
        "Categoría profesional",
        "Competencia",
        "Puntuación",
        "Peso de la evidencia",
        "Nivel",
    ]
    ana_ethics = next(row for row in rows if row[1] == "Ana Norte" and row[4] == "ethics")
    assert ana_ethics[3] == "Júnior" and ana_ethics[5:7] == ["100,0", "2,0"]
    heatmap = list(
        csv.reader(io.StringIO(client.get("/hr/exports/heatmap.csv").data.decode("utf-8-sig")), delimiter=";")
    )
    ana = next(row for row in heatmap if row[0] == "Ana Norte")
    assert ana[4 + COMPETENCY_CODES.index("ethics")] == "100,0"
    attempts = list(
        csv.reader(io.StringIO(client.get("/hr/exports/attempts.csv").data.decode("utf-8-sig")), delimiter=";")
    )
    assert attempts[0][:3] == ["Correo", "Nombre", "Ejercicio"] and {row[5] for row in attempts[1:]} == {"Puntuado"}
    assert {row[6] for row in attempts[1:]} == {"No"}
