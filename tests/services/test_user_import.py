import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, User
from app.services import user_import
from app.services.errors import Invalid

HEADER = "email,name,career_level,org_unit,roles\n"


def count_users():
    return db.session.scalar(select(func.count(User.id)))


def test_preview_plans_creates_and_updates(make_user, bank):
    make_user("manager", email="ana@banco.es")
    preview = user_import.preview(
        HEADER
        + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbea@banco.es,Bea,mid,Banco Test/Sur,manager\n"
    )
    assert preview.ok
    assert (preview.to_create, preview.to_update) == (1, 1)


def test_import_creates_then_reimport_updates_without_duplicates(make_user, bank):
    admin = make_user("admin")
    before = count_users()
    text = (
        HEADER
        + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbea@banco.es,Bea,,Banco Test/Sur,trainer;hr\n"
    )
    result = user_import.apply(admin, text, "people.csv")
    assert len(result.created) == 2 and result.updated == 0
    assert count_users() == before + 2
    ana = db.session.scalar(select(User).where(User.email == "ana@banco.es"))
    assert ana.org_unit == bank["bilbao"] and ana.must_change_password

    again = user_import.apply(admin, text.replace("Ana,junior,Banco Test/Norte/Bilbao", "Ana Pérez,mid,Banco Test/Sur"))
    assert len(again.created) == 0 and again.updated == 2
    assert count_users() == before + 2
    assert (ana.name, ana.career_level, ana.org_unit) == ("Ana Pérez", "mid", bank["south"])
    imports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "users.imported")).all()
    assert [e.details for e in imports] == [{"created": 2, "updated": 0}, {"created": 0, "updated": 2}]


def test_one_bad_row_imports_nothing(make_user, bank):
    admin = make_user("admin")
    before = count_users()
    text = (
        HEADER
        + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbea@banco.es,Bea,junior,Banco Test/Este,manager\n"
    )
    with pytest.raises(Invalid) as error:
        user_import.apply(admin, text, "people.csv")
    [message] = error.value.errors["file"]
    assert message.startswith("people.csv:3: org_unit: ")
    assert "«Banco Test/Este»" in message  # the CLI and services speak the default language, Spanish
    assert count_users() == before
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_files_that_are_not_utf8_are_refused_with_advice():
    with pytest.raises(Invalid) as error:
        user_import.decode("email;name\nmaría@banco.es".encode("utf-16"))
    assert "UTF-8" in str(error.value.errors["file"][0])
    assert user_import.decode("\ufeffemail".encode()) == "email"
