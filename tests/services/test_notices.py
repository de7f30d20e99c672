"""E-mail notices: assignments, reminders before the due date, trainers' overdue digests, grades.
Each reaches its reader once, in the reader's language."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AssignmentRecipient, OutboxMessage
from app.models.users import utcnow
from app.services import assignments, grading, notices
from tests.services.test_grading import FULL, grade, task_of, written
from tests.services.test_grading import people as grading_people  # noqa: F401  (a fixture)


def messages(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.to)))


@pytest.fixture
def team(content_bank, bank, make_user):
    trainer = make_user("trainer", name="Carmen Vidal", email="carmen@banco.es", scope=(bank["bank"],))
    trainer.locale = "en"
    ana = make_user("manager", name="Ana", email="ana@banco.es", unit=bank["bilbao"])
    ana.locale = "es"
    tom = make_user("manager", name="Tom", email="tom@banco.es", unit=bank["bilbao"])
    tom.locale = "en"
    gone = make_user("manager", name="Gone", email="gone@banco.es", unit=bank["bilbao"])
    db.session.commit()
    return {"trainer": trainer, "ana": ana, "tom": tom, "gone": gone}


def assign(team, due_in_days: float):
    people = {team[n].id for n in ("ana", "tom", "gone") if team[n].active}
    assignment = assignments.assign(
        team["trainer"], "fixture-quiz", "users", people, due_at=utcnow() + timedelta(days=due_in_days)
    )
    team["gone"].active = False
    return assignment


def test_recipients_are_told_of_an_assignment_after_it_is_committed(team, run_queued):
    assign(team, 10)
    assert messages("assignment") == []  # composed by a queued task, not in the trainer's request
    run_queued()
    ana, tom = messages("assignment")  # the deactivated recipient gets nothing
    assert (ana.to, tom.to) == ("ana@banco.es", "tom@banco.es")
    assert ana.subject == "Nuevo ejercicio: Prueba" and "Carmen Vidal te ha asignado un ejercicio" in ana.text
    assert tom.subject == "New exercise: Test" and "https://cartera.test/learn/" in tom.text
    assert all(m.sent_by == "outbox" for m in (ana, tom))


def test_a_reminder_goes_once_two_days_before_the_due_date_to_who_has_not_finished(team, run_queued):
    assignment = assign(team, 1.5)
    far = assign(team, 6)
    run_queued()
    done = db.session.get(AssignmentRecipient, (assignment.id, team["tom"].id))
    done.completed_at = utcnow()
    db.session.commit()
    assert notices.send_due() == (1, 0)
    assert notices.send_due() == (0, 0)  # the hourly run does not repeat it
    [reminder] = messages("reminder")
    assert reminder.to == "ana@banco.es" and reminder.subject == "Vence en dos días: Prueba"
    assert far.id != assignment.id and all(f"assignment:{far.id}" != m.ref for m in messages("reminder"))


def test_each_trainer_gets_one_overdue_digest_a_day(team):
    late = assign(team, 1)
    assign(team, 3)
    # Four days on, both are past their due date; at 10:00, so that an hour later is the same day
    # (digests are keyed by the UTC date) whenever the test runs: from 23:00 UTC it was the next.
    now = (utcnow() + timedelta(days=4)).replace(hour=10, minute=0)
    assert notices.send_due(now) == (0, 1)
    assert notices.send_due(now + timedelta(hours=1)) == (0, 0)
    [digest] = messages("overdue_digest")
    assert digest.to == "carmen@banco.es" and digest.subject == "Overdue exercises in your assignments"
    assert digest.text.count("2 managers overdue") == 2  # two assignments, Ana and Tom late in each
    assert f"https://cartera.test/train/assignments/{late.id}" in digest.text
    assert notices.send_due(now + timedelta(days=1))[1] == 1  # the next day, if still overdue


def test_a_manager_is_told_when_their_written_answers_are_graded(grading_people):  # noqa: F811
    ana = grading_people["ana"]
    attempt = written(ana)
    task = task_of(attempt)
    grading.claim(grading_people["north"], task)
    grade(grading_people["north"], task, FULL)
    [message] = messages("graded")
    assert message.to == ana.email and message.ref == f"attempt:{attempt.id}"
    assert f"https://cartera.test/learn/attempts/{attempt.id}" in message.text


SUBJECTS = {
    "invitation": (
        "Tu cuenta de Cartera está lista: elige tu contraseña",
        "Your Cartera account is ready: choose your password",
    ),
    "assignment": ("Nuevo ejercicio: Prueba", "New exercise: Test"),
    "reminder": ("Vence en dos días: Prueba", "Due in two days: Test"),
    "overdue_digest": ("Ejercicios vencidos en tus asignaciones", "Overdue exercises in your assignments"),
    "password_reset": ("Elige una nueva contraseña de Cartera", "Choose a new Cartera password"),
    "graded": ("Tus respuestas escritas ya están corregidas: Prueba", "Your written answers have been graded: Test"),
}


def _every_notice(team, make_user, bank, run_queued) -> None:
    """Each kind of notice, to a reader in Spanish and one in English."""
    from app.services import invitations

    spanish_trainer = make_user("trainer", email="pilar@banco.es", name="Pilar", scope=(bank["bank"],))
    spanish_trainer.locale = "es"
    team["trainer"].locale = "en"
    for trainer in (spanish_trainer, team["trainer"]):
        people = {team["ana"].id, team["tom"].id}
        assignments.assign(trainer, "fixture-quiz", "users", people, due_at=utcnow() + timedelta(days=1))
    run_queued()  # assignment notices
    notices.send_due()  # reminders, due tomorrow
    notices.send_due(utcnow() + timedelta(days=3))  # digests, once it is past
    for user in (team["ana"], team["tom"]):
        invitations.invite(user)
        invitations.request_reset(user.email)
        attempt = written(user)
        task = task_of(attempt)
        grading.claim(spanish_trainer, task)
        grade(spanish_trainer, task, FULL)
    run_queued()


def _each_kind_reached_both(arrived: dict[str, list[tuple[str, str]]]) -> None:
    for kind, (es, en) in SUBJECTS.items():
        spanish_reader = "pilar@banco.es" if kind == "overdue_digest" else "ana@banco.es"
        english_reader = "carmen@banco.es" if kind == "overdue_digest" else "tom@banco.es"
        assert ("es", es) in arrived[spanish_reader], kind
        assert ("en", en) in arrived[english_reader], kind


def test_every_notice_reaches_the_embedded_outbox_in_its_readers_language(team, make_user, bank, run_queued):
    _every_notice(team, make_user, bank, run_queued)
    arrived: dict[str, list[tuple[str, str]]] = {}
    for message in db.session.scalars(select(OutboxMessage)):
        assert message.sent_by == "outbox" and "<html" in message.html and message.text.strip(), message.kind
        arrived.setdefault(message.to, []).append((message.locale, message.subject))
    _each_kind_reached_both(arrived)


def test_every_notice_arrives_through_smtp_in_its_readers_language(team, make_user, bank, run_queued, smtp):
    _every_notice(team, make_user, bank, run_queued)
    arrived: dict[str, list[tuple[str, str]]] = {}
    for (to,), message in smtp.inbox.received:
        assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None, to
        arrived.setdefault(to, []).append((message["Content-Language"], message["Subject"].strip()))
    _each_kind_reached_both(arrived)
