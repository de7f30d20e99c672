"""Administration pages: users, org units, CSV import, the audit log."""

import io
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Job, OrgUnit, OutboxMessage, User
from app.services import user_import
from tests.html import rows_of, text_of, texts_of

HEADER = "email,name,career_level,org_unit,roles\n"


def count_users():
    return db.session.scalar(select(func.count(User.id)))


def test_the_user_list_searches_filters_and_paginates(client, login_as, make_user, bank, app):
    login_as("admin", name="Zz Admin")
    for i in range(30):
        make_user("manager", name=f"Gestor {i:02d}", unit=bank["bilbao"] if i % 2 else bank["sevilla"])
    first = client.get(f"/admin/users?role=manager&unit={bank['north'].id}")
    assert b"15 users" in first.data
    assert b"Gestor 01" in first.data and b"Gestor 00" not in first.data
    page_two = client.get("/admin/users?page=2")
    assert page_two.status_code == 200 and b"Gestor 25" in page_two.data
    assert b"Gestor 03" in client.get("/admin/users?q=gestor+03").data
    assert b"Gestor 04" not in client.get("/admin/users?q=gestor+03").data


def test_an_admin_creates_a_user_who_is_invited_by_email(client, login_as, bank, run_queued):
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Nueva@Banco.es",
            "name": "Nueva Gestora",
            "career_level": "junior",
            "org_unit_id": bank["bilbao"].id,
            "locale": "en",
            "roles": ["manager"],
            "active": "y",
        },
    )
    user = db.session.scalar(select(User).where(User.email == "nueva@banco.es"))
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.password_hash is None and not user.must_change_password  # nothing to hand out
    assert user.roles == {"manager"} and user.org_unit == bank["bilbao"]
    page = client.get(response.headers["Location"]).data.decode()
    assert "invited by email" in page and "has not chosen a password yet" in page
    run_queued()
    [invitation] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id)).all()
    assert invitation.locale == "en" and invitation.subject.startswith("Your Cartera account is ready")
    # Sending it again makes a second message; once a password is chosen, there is nothing to resend.
    client.post(f"/admin/users/{user.id}/invite")
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.user_id == user.id)) == 2
    user.password_hash = "pbkdf2:sha256:1000$x$y"
    db.session.flush()
    refused = client.post(f"/admin/users/{user.id}/invite", follow_redirects=True).data.decode()
    assert "has already chosen a password" in refused


def test_invalid_user_forms_say_what_is_wrong_and_store_nothing(client, login_as, make_user):
    login_as("admin")
    make_user(email="taken@banco.es")
    before = count_users()
    response = client.post("/admin/users/new", data={"email": "TAKEN@banco.es", "name": "X", "org_unit_id": 0})
    assert response.status_code == 200
    assert b'aria-invalid="true"' in response.data
    response = client.post("/admin/users/new", data={"email": "not-an-email", "name": "", "org_unit_id": 0})
    assert response.data.count(b"invalid-feedback") >= 2
    assert count_users() == before


def test_editing_roles_and_scope_is_audited_and_shown_in_the_log(client, login_as, make_user, bank):
    login_as("admin")
    target = make_user("manager", name="Ana")
    response = client.post(
        f"/admin/users/{target.id}",
        data={
            "email": target.email,
            "name": "Ana",
            "career_level": "mid",
            "org_unit_id": bank["bilbao"].id,
            "locale": "",
            "roles": ["manager", "hr"],
            "scope_unit_ids": [bank["north"].id],
            "active": "y",
        },
    )
    assert response.status_code == 302
    assert target.roles == {"manager", "hr"}
    logged = texts_of(client.get("/admin/audit").data, "table td code")  # not the filter's list of actions
    assert "user.roles_changed" in logged and "user.scope_changed" in logged
    filtered = texts_of(client.get("/admin/audit?action=user.scope_changed").data, "table td code")
    assert set(filtered) == {"user.scope_changed"}


def test_deactivating_keeps_the_user(client, login_as, make_user):
    login_as("admin")
    target = make_user()
    assert client.post(f"/admin/users/{target.id}/deactivate").status_code == 302
    assert db.session.get(User, target.id).active is False
    listed = rows_of(client.get("/admin/users?active=no").data, "table")  # the filter offers "Deactivated" too
    assert [(row[1], row[4]) for row in listed] == [(target.email, "Deactivated")]


def test_issuing_a_temporary_password(client, login_as, make_user):
    login_as("admin")
    target = make_user()
    response = client.post(f"/admin/users/{target.id}/password")
    assert b'id="temporary-password"' in response.data
    assert response.headers["Cache-Control"] == "no-store"
    assert target.must_change_password


def test_unknown_users_answer_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/users/999999").status_code == 404


def test_the_org_tree_grows_one_level_at_a_time(client, login_as, bank):
    login_as("admin")
    response = client.post("/admin/org-units", data={"name": "Este", "parent_id": bank["bank"].id})
    assert response.status_code == 302
    east = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "Este"))
    assert east.kind == "region" and east.path == f"{bank['bank'].path}{east.id}/"
    assert "Este (Region)" in texts_of(client.get("/admin/org-units").data, ".org-tree li")  # not the parents list
    duplicate = client.post("/admin/org-units", data={"name": "Este", "parent_id": bank["bank"].id})
    assert b"invalid-feedback" in duplicate.data
    under_branch = client.post("/admin/org-units", data={"name": "X", "parent_id": bank["bilbao"].id})
    assert b"invalid-feedback" in under_branch.data  # branches are not offered as parents


def _confirm_url(page: bytes) -> str:
    return re.search(rb'action="(/admin/import/\d+/confirm)"', page).group(1).decode()


def test_csv_import_preview_lists_bad_rows_and_imports_nothing(client, login_as, bank):
    login_as("admin")
    before = count_users()
    csv = HEADER + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbad-email,Bea,boss,Nowhere,pilot\n"
    response = client.post(
        "/admin/import", data={"file": (io.BytesIO(csv.encode()), "people.csv")}, content_type="multipart/form-data"
    )
    assert b'id="import-errors"' in response.data
    assert response.data.count(b"<tr><td>3</td>") == 4  # email, level, unit and role, all on line 3
    assert b"/confirm" not in response.data
    assert db.session.scalar(select(func.count(Job.id))) == 0  # nothing waits to be confirmed
    # Confirming a job that does not exist (a forged form) finds nothing.
    assert client.post("/admin/import/999999/confirm").status_code == 404
    assert count_users() == before


def test_csv_import_runs_as_a_job_then_reimport_updates(client, login_as, bank, run_queued):
    login_as("admin")
    before = count_users()
    csv = (
        HEADER
        + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbea@banco.es,Bea,mid,Banco Test/Sur,manager\n"
    )
    preview = client.post("/admin/import", data={"pasted": csv})
    assert b"import-errors" not in preview.data and b'name="text"' not in preview.data  # the file stays here
    started = client.post(_confirm_url(preview.data))
    assert started.status_code == 302 and re.fullmatch(r"/jobs/\d+", started.headers["Location"])
    waiting = client.get(started.headers["Location"]).data.decode()
    assert 'http-equiv="refresh"' in waiting and "Waiting to start" in waiting
    assert count_users() == before  # the worker has not run yet
    run_queued()
    done = client.get(started.headers["Location"]).data.decode()
    assert "2 users created and invited by email, 0 updated." in done and 'http-equiv="refresh"' not in done
    assert count_users() == before + 2
    again = client.post("/admin/import", data={"pasted": csv.replace("Bea,mid", "Beatriz,mid")})
    client.post(_confirm_url(again.data))
    run_queued()
    assert count_users() == before + 2
    assert db.session.scalar(select(User.name).where(User.email == "bea@banco.es")) == "Beatriz"
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "users.imported")) == 2


def test_confirming_twice_imports_once(client, login_as, bank, run_queued):
    login_as("admin")
    preview = client.post(
        "/admin/import", data={"pasted": HEADER + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\n"}
    )
    url = _confirm_url(preview.data)
    first, second = client.post(url), client.post(url)  # a double-click
    assert first.headers["Location"] == second.headers["Location"]
    run_queued()
    assert db.session.scalar(select(func.count(Job.id)).where(Job.state == "succeeded")) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1  # one invitation


def test_a_non_utf8_upload_is_explained(client, login_as):
    login_as("admin")
    data = {"file": (io.BytesIO("email\nmaría".encode("utf-16")), "people.csv")}
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert "not UTF-8" in text_of(response.data, "#file-error")  # the field's help says "UTF-8" anyway


def test_an_uploaded_file_survives_from_preview_to_import(client, login_as, bank, run_queued):
    login_as("admin")
    before = count_users()
    csv = HEADER + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\n"
    preview = client.post(
        "/admin/import",
        data={"file": (io.BytesIO(csv.encode()), "people.csv"), "pasted": ""},
        content_type="multipart/form-data",
    )
    client.post(_confirm_url(preview.data))
    run_queued()
    assert count_users() == before + 1


def test_an_import_someone_else_previewed_cannot_be_confirmed(client, login_as, make_user, bank):
    other = make_user("admin", email="other.admin@banco.es")
    staged = user_import.stage(other, HEADER + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\n", "a.csv", 1)
    login_as("admin")
    assert client.post(f"/admin/import/{staged.id}/confirm").status_code == 404
    assert staged.state == "draft"


def test_a_row_that_removes_the_importers_own_admin_role_is_refused_in_the_preview(client, login_as, bank):
    admin = login_as("admin", email="boss@banco.es", name="Boss")
    csv = HEADER + f"{admin.email},Boss,,Banco Test,hr\n"
    response = client.post("/admin/import", data={"pasted": csv})
    assert "cannot remove it yourself" in text_of(response.data, "#import-errors")
    assert b"/confirm" not in response.data
    assert admin.roles == {"admin"}


def test_absurd_page_numbers_and_ids_are_harmless(client, login_as, make_user):
    login_as("admin")
    for url in [
        "/admin/users?page=99999999999999999999",
        "/admin/users?unit=99999999999999999999",
        "/admin/audit?page=-4",
        "/admin/users?unit=abc&page=x",
    ]:
        assert client.get(url).status_code == 200, url
    past_the_end = client.get("/admin/users?page=999&role=admin")
    assert past_the_end.status_code == 302 and "page=1" in past_the_end.headers["Location"]


def test_search_wildcards_are_taken_literally(client, login_as, make_user):
    login_as("admin", name="Zoe Admin")
    make_user("manager", name="Ana_Maria")
    make_user("manager", name="Anabel")
    page = client.get("/admin/users?q=a_m").data.decode()
    assert "Ana_Maria" in page and "Anabel" not in page
    assert "0 users" in client.get("/admin/users?q=%25%25x").data.decode()


def test_sibling_units_differ_by_more_than_case(client, login_as, bank):
    login_as("admin")
    response = client.post("/admin/org-units", data={"name": "NORTE", "parent_id": bank["bank"].id})
    assert b"invalid-feedback" in response.data


def test_synthetic_managers_are_generated_by_a_job_from_the_admin_pages(client, login_as, content_bank, run_queued):
    login_as("admin")
    page = client.get("/admin/synthetic")
    assert page.status_code == 200 and "Synthetic managers" in page.data.decode()
    refused = client.post("/admin/synthetic", data={"managers": "0", "months": "12", "seed": "7"})
    assert b"invalid-feedback" in refused.data and db.session.scalar(select(func.count(Job.id))) == 0
    started = client.post("/admin/synthetic", data={"managers": "6", "months": "3", "seed": "7"})
    assert started.status_code == 302
    run_queued()
    job = db.session.get(Job, int(started.headers["Location"].rsplit("/", 1)[1]))
    assert (job.state, job.done, job.result["managers"]) == ("succeeded", 6, 6)
    assert db.session.scalar(select(func.count(User.id)).where(User.email.like("%@synthetic.cartera"))) == 6
    assert "6 synthetic managers generated." in client.get(started.headers["Location"]).data.decode()


def test_a_failed_import_says_what_was_wrong_on_its_page(client, login_as, bank, run_queued):
    admin = login_as("admin")
    text = HEADER + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\n"
    preview = client.post("/admin/import", data={"pasted": text})
    url = _confirm_url(preview.data)
    job = db.session.scalar(select(Job).where(Job.owner_id == admin.id))
    job.params = {**job.params, "text": text.replace("Bilbao,", "Bilbao Este,")}  # the unit went away
    db.session.commit()
    job_url = client.post(url).headers["Location"]
    run_queued()
    page = client.get(job_url).data.decode()
    assert "It failed." in page and "The input has problems: nothing was changed." in page
    assert "«Banco Test/Norte/Bilbao Este»" in text_of(page.encode(), "#job-errors")
    assert 'http-equiv="refresh"' not in page
