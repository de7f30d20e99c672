"""Administration pages: users, org units, CSV import, the audit log."""

import html
import io
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, OrgUnit, User
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


def test_an_admin_creates_a_user_and_sees_the_temporary_password_once(client, login_as, bank):
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Nueva@Banco.es",
            "name": "Nueva Gestora",
            "career_level": "junior",
            "org_unit_id": bank["bilbao"].id,
            "locale": "es",
            "roles": ["manager"],
            "active": "y",
        },
    )
    assert response.status_code == 200
    assert b'id="temporary-password"' in response.data
    user = db.session.scalar(select(User).where(User.email == "nueva@banco.es"))
    assert user.must_change_password and user.roles == {"manager"} and user.org_unit == bank["bilbao"]


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


def test_csv_import_preview_lists_bad_rows_and_imports_nothing(client, login_as, bank):
    login_as("admin")
    before = count_users()
    csv = HEADER + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbad-email,Bea,boss,Nowhere,pilot\n"
    response = client.post(
        "/admin/import", data={"file": (io.BytesIO(csv.encode()), "people.csv")}, content_type="multipart/form-data"
    )
    assert b'id="import-errors"' in response.data
    assert response.data.count(b"<tr><td>3</td>") == 4  # email, level, unit and role, all on line 3
    assert b"Import these users" not in response.data
    # Posting the confirmation anyway (a stale or forged form) still imports nothing.
    refused = client.post("/admin/import/confirm", data={"text": csv, "filename": "people.csv"})
    assert refused.status_code == 302
    assert count_users() == before


def test_csv_import_confirms_then_reimport_updates(client, login_as, bank):
    login_as("admin")
    before = count_users()
    csv = (
        HEADER
        + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbea@banco.es,Bea,mid,Banco Test/Sur,manager\n"
    )
    preview = client.post("/admin/import", data={"pasted": csv})
    assert b'name="text"' in preview.data and b"import-errors" not in preview.data
    done = client.post("/admin/import/confirm", data={"text": csv, "filename": "people.csv"})
    assert done.status_code == 200
    assert count_users() == before + 2
    client.post("/admin/import/confirm", data={"text": csv.replace("Bea,mid", "Beatriz,mid"), "filename": "again.csv"})
    assert count_users() == before + 2
    assert db.session.scalar(select(User.name).where(User.email == "bea@banco.es")) == "Beatriz"
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "users.imported")) == 2


def test_a_non_utf8_upload_is_explained(client, login_as):
    login_as("admin")
    data = {"file": (io.BytesIO("email\nmaría".encode("utf-16")), "people.csv")}
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert "not UTF-8" in text_of(response.data, "#file-error")  # the field's help says "UTF-8" anyway


def test_an_uploaded_file_survives_from_preview_to_import(client, login_as, bank):
    login_as("admin")
    before = count_users()
    csv = HEADER + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\n"
    preview = client.post(
        "/admin/import",
        data={"file": (io.BytesIO(csv.encode()), "people.csv"), "pasted": ""},
        content_type="multipart/form-data",
    )
    hidden = re.search(rb'<input id="text" name="text" type="hidden" value="([^"]*)"', preview.data).group(1)
    assert b"ana@banco.es" in hidden
    done = client.post("/admin/import/confirm", data={"text": html.unescape(hidden.decode()), "filename": "people.csv"})
    assert done.status_code == 200
    assert count_users() == before + 1


def test_a_refused_row_in_an_import_is_explained(client, login_as, bank):
    admin = login_as("admin", email="boss@banco.es", name="Boss")
    csv = HEADER + f"{admin.email},Boss,,Banco Test,hr\n"  # would remove the importer's own admin role
    response = client.post("/admin/import/confirm", data={"text": csv, "filename": "x.csv"}, follow_redirects=True)
    assert "remove your own admin role" in response.data.decode()
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
