import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Job, OutboxMessage, User
from app.services import cohort_levels, jobs, user_import
from app.services.errors import Invalid

HEADER = "email,name,career_level,org_unit,roles\n"


def count_users():
    return db.session.scalar(select(func.count(User.id)))


def imported(admin, text, run_queued, filename="people.csv") -> Job:
    """Preview, confirm and let the worker run the import, as the admin pages do."""
    preview = user_import.preview(text)
    job = user_import.stage(admin, text, filename, rows=len(preview.planned))
    jobs.confirm(job)
    run_queued()
    db.session.refresh(job)
    return job


def test_preview_plans_creates_and_updates(make_user, bank):
    make_user("manager", email="ana@banco.es")
    preview = user_import.preview(
        HEADER
        + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbea@banco.es,Bea,mid,Banco Test/Sur,manager\n"
    )
    assert preview.ok
    assert (preview.to_create, preview.to_update) == (1, 1)


def test_a_staged_file_waits_for_confirmation_and_imports_nothing_before(make_user, bank, run_queued):
    admin = make_user("admin")
    before = count_users()
    job = user_import.stage(admin, HEADER + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\n", "a.csv", 1)
    assert run_queued() == 0
    assert (job.state, count_users()) == ("draft", before)


def test_import_creates_and_invites_then_reimport_updates_without_duplicates(make_user, bank, run_queued):
    admin = make_user("admin")
    before = count_users()
    text = (
        HEADER
        + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbea@banco.es,Bea,,Banco Test/Sur,trainer;hr\n"
    )
    job = imported(admin, text, run_queued)
    assert (job.state, job.done, job.total) == ("succeeded", 2, 2)
    assert job.result == {"created": 2, "updated": 0}
    assert count_users() == before + 2
    ana = db.session.scalar(select(User).where(User.email == "ana@banco.es"))
    # Invited: no password hash was computed, none to change; the invitation waits in the outbox.
    assert ana.org_unit == bank["bilbao"] and ana.password_hash is None and not ana.must_change_password
    invitations = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).all()
    assert sorted(m.to for m in invitations) == ["ana@banco.es", "bea@banco.es"]
    assert all(m.sent_by == "outbox" for m in invitations)  # delivered (kept in the app) by the queued task

    again = imported(
        admin, text.replace("Ana,junior,Banco Test/Norte/Bilbao", "Ana Pérez,mid,Banco Test/Sur"), run_queued
    )
    assert again.result == {"created": 0, "updated": 2}
    assert count_users() == before + 2
    db.session.refresh(ana)
    assert (ana.name, ana.career_level, ana.org_unit) == ("Ana Pérez", "mid", bank["south"])
    imports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "users.imported")).all()
    assert [e.details for e in imports] == [{"created": 2, "updated": 0}, {"created": 0, "updated": 2}]
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "invitation")) == 2
    # A batch's users are counted together (one diff per batch): the counts still equal a recount.
    assert cohort_levels.stored() == tuple(+counted for counted in cohort_levels.recount())


def test_a_file_that_went_bad_after_its_preview_fails_and_imports_nothing(make_user, bank, run_queued):
    """The unit was previewed as existing; by the time the job runs the bank no longer has it."""
    admin = make_user("admin")
    before = count_users()
    text = (
        HEADER
        + "ana@banco.es,Ana,junior,Banco Test/Norte/Bilbao,manager\nbea@banco.es,Bea,junior,Banco Test/Este,manager\n"
    )
    job = imported(admin, text, run_queued)
    assert (job.state, job.attempts) == ("failed", 1)  # refused at once: retrying cannot mend a file
    [message] = job.errors
    assert message.startswith("people.csv:3: org_unit: ")
    assert "«Banco Test/Este»" in message  # in the language of whoever asked (the default, Spanish)
    assert count_users() == before
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "users.imported")) == 0


def test_an_import_cut_short_resumes_after_its_last_committed_batch(app, make_user, bank, run_queued, monkeypatch):
    admin = make_user("admin")
    monkeypatch.setitem(app.config, "IMPORT_BATCH", 2)
    rows = "".join(f"p{n}@banco.es,Person {n},junior,Banco Test/Norte/Bilbao,manager\n" for n in range(5))
    calls = []
    real_invite = user_import.invitations.invite

    def invite_but_die_on_the_fourth(user, **kw):
        calls.append(user.email)
        if len(calls) == 4:
            raise ConnectionError("the worker's machine went away")
        return real_invite(user, **kw)

    monkeypatch.setattr(user_import.invitations, "invite", invite_but_die_on_the_fourth)
    job = imported(admin, HEADER + rows, run_queued)
    assert job.state == "succeeded" and job.attempts == 2
    # Batch 1 (p0, p1) was committed; batch 2 died at p3 and was rolled back whole (p2 too); the
    # retry began at p2: nobody was created twice, and nobody half.
    assert calls == [
        "p0@banco.es",
        "p1@banco.es",
        "p2@banco.es",
        "p3@banco.es",
        "p2@banco.es",
        "p3@banco.es",
        "p4@banco.es",
    ]
    assert job.result == {"created": 5, "updated": 0} and job.last_error.startswith("ConnectionError")
    emails = db.session.scalars(select(User.email).where(User.email.like("p%@banco.es"))).all()
    assert sorted(emails) == [f"p{n}@banco.es" for n in range(5)]


def test_files_that_are_not_utf8_are_refused_with_advice():
    with pytest.raises(Invalid) as error:
        user_import.decode("email;name\nmaría@banco.es".encode("utf-16"))
    assert "UTF-8" in str(error.value.errors["file"][0])
    assert user_import.decode("\ufeffemail".encode()) == "email"
