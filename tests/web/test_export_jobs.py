"""Exports too large for a request are prepared by a job: the same rows, a file kept for whoever
asked, a page that follows the progress."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Job
from tests.conftest import login
from tests.web.test_heatmap import _plain


@pytest.fixture
def small_threshold(app, monkeypatch):
    """More than one manager is "large", and the job reads them one per batch."""
    monkeypatch.setitem(app.config, "EXPORT_JOB_MANAGERS", 1)
    monkeypatch.setitem(app.config, "EXPORT_BATCH", 1)


def rows_of(data: bytes, file_format: str) -> list[list]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(data)).active
    return [[_plain(cell.value) for cell in row] for row in sheet.iter_rows()]


def prepared(client, url: str, run_queued) -> tuple[Job, bytes]:
    offer = client.get(url)
    assert offer.status_code == 200 and "too many to write while you wait" in offer.data.decode()
    exported = select(func.count(AuditEvent.id)).where(AuditEvent.action.like("export.%"))
    assert db.session.scalar(exported) == 0  # offering the job exports nothing
    started = client.post(url)
    assert started.status_code == 302
    job_url = started.headers["Location"]
    run_queued()
    page = client.get(job_url).data.decode()
    link = re.search(r'href="(/jobs/\d+/file)"', page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.headers["Cache-Control"].startswith("no-store")
    return db.session.get(Job, int(job_url.rsplit("/", 1)[1])), download.data


@pytest.mark.parametrize(("name", "file_format"), [("scores", "csv"), ("heatmap", "xlsx"), ("attempts", "csv")])
def test_a_large_export_becomes_a_job_with_the_same_rows(
    app,
    client,
    make_user,
    bank,
    managers,
    small_threshold,
    run_queued,
    monkeypatch,
    name,
    file_format,
):
    login(client, make_user("hr", scope=(bank["bank"],)))
    url = f"/hr/exports/{name}.{file_format}?sort=name"
    job, data = prepared(client, url, run_queued)
    assert (job.state, job.done, job.total, job.result["managers"]) == ("succeeded", 3, 3, 3)
    monkeypatch.setitem(app.config, "EXPORT_JOB_MANAGERS", 1000)
    streamed = rows_of(client.get(url).data, file_format)
    from_job = rows_of(data, file_format)
    assert from_job[0] == streamed[0] and sorted(from_job[1:]) == sorted(streamed[1:]) and len(streamed) > 1
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count(f"export.{name}_{file_format}") == 2  # the job's and the streamed one


def test_a_prepared_file_is_only_for_whoever_asked(client, make_user, bank, managers, small_threshold, run_queued):
    owner = make_user("hr", scope=(bank["bank"],))
    login(client, owner)
    job, _data = prepared(client, "/hr/exports/scores.csv", run_queued)
    login(client, make_user("hr", scope=(bank["bank"],)))
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/jobs/{job.id}/file").status_code == 404
    login(client, make_user("admin"))
    assert client.get(f"/jobs/{job.id}").status_code == 200  # administrators follow every job
    assert client.get(f"/jobs/{job.id}/file").status_code == 404  # but the personal data is HR's


def test_asking_twice_in_a_minute_prepares_one_file(client, make_user, bank, managers, small_threshold):
    login(client, make_user("hr", scope=(bank["bank"],)))
    first, second = client.post("/hr/exports/scores.csv"), client.post("/hr/exports/scores.csv")
    assert first.headers["Location"] == second.headers["Location"]
    other = client.post("/hr/exports/scores.xlsx")
    assert other.headers["Location"] != first.headers["Location"]


def test_the_job_status_reads_as_json_for_the_pages_script(client, make_user, bank, managers, small_threshold):
    login(client, make_user("hr", scope=(bank["bank"],)))
    job_url = client.post("/hr/exports/scores.csv").headers["Location"]
    status = client.get(job_url + ".json").get_json()
    assert status["state"] == "queued" and status["finished"] is False and status["state_label"] == "Waiting to start"


def test_the_filtered_managers_reports_come_as_pdfs_in_a_zip(client, make_user, bank, managers, run_queued):
    import zipfile

    from pypdf import PdfReader

    login(client, make_user("hr", scope=(bank["north"],)))
    heatmap = client.get("/hr/heatmap").data.decode()
    assert "Their 2 individual reports as PDFs, zipped" in heatmap
    started = client.post("/hr/reports.zip")
    run_queued()
    job = db.session.get(Job, int(started.headers["Location"].rsplit("/", 1)[1]))
    assert (job.state, job.done, job.total) == ("succeeded", 2, 2)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/jobs/{job.id}/file").data))
    names = sorted(archive.namelist())
    assert len(names) == 2 and names[0].startswith("Ana-Norte-") and names[1].startswith("HYPERLINK-x-")
    first_page = PdfReader(io.BytesIO(archive.read(names[0]))).pages[0].extract_text()
    assert "Individual report: Ana Norte" in first_page  # only the managers in scope: not Sara Sur
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.reports_pdf")).one()


def test_a_prepared_file_is_deleted_after_its_keeping_time(
    app, client, make_user, bank, managers, small_threshold, run_queued
):
    from datetime import timedelta

    from app.models.users import utcnow
    from app.services import jobs

    login(client, make_user("hr", scope=(bank["bank"],)))
    job, _data = prepared(client, "/hr/exports/scores.csv", run_queued)
    path = jobs.file_path(job)
    assert jobs.expire_files() == 0 and path.exists()
    assert jobs.expire_files(utcnow() + timedelta(days=app.config["JOB_FILE_DAYS"], hours=1)) == 1
    assert not path.exists()
    assert client.get(f"/jobs/{job.id}/file").status_code == 404
    assert "Its file was deleted 7 days after it was made" in client.get(f"/jobs/{job.id}").data.decode()


@pytest.mark.parametrize(("name", "file_format"), [("scores", "csv"), ("attempts", "csv"), ("heatmap", "csv")])
def test_a_job_batch_keeps_its_managers_only_in_the_order_the_streamed_export_has(
    app, client, make_user, bank, managers, run_queued, monkeypatch, name, file_format
):
    """Batches of the scores and attempts are spans of ids, read whole: the manager in the middle
    of the span whom the filter leaves out (Bea, mid-level, between two juniors) is not exported.
    The heatmap's batches list their managers, in the report's order."""
    monkeypatch.setitem(app.config, "EXPORT_JOB_MANAGERS", 1)
    monkeypatch.setitem(app.config, "EXPORT_BATCH", 2)
    login(client, make_user("hr", scope=(bank["bank"],)))
    url = f"/hr/exports/{name}.{file_format}?level=junior&sort=name&dir=desc"
    job, data = prepared(client, url, run_queued)
    assert (job.state, job.done, job.total) == ("succeeded", 2, 2)
    monkeypatch.setitem(app.config, "EXPORT_JOB_MANAGERS", 1000)
    streamed, from_job = rows_of(client.get(url).data, file_format), rows_of(data, file_format)
    assert from_job == streamed
    names = {row[streamed[0].index(next(h for h in streamed[0] if h in ("Name", "Nombre")))] for row in streamed[1:]}
    assert names == {"Ana Norte", "Sara Sur"}
