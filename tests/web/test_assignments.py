"""Trainers and HR assign exercises within their scope and follow them up."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Assignment
from app.services import attempts
from tests.conftest import login
from tests.html import rows_of, text_of, texts_of
from tests.html import select as select_elements


@pytest.fixture
def team(make_user, bank):
    return {
        "ana": make_user("manager", name="Ana Norte", unit=bank["bilbao"], career_level="junior"),
        "bea": make_user("manager", name="Bea Norte", unit=bank["santander"], career_level="mid"),
        "sara": make_user("manager", name="Sara Sur", unit=bank["sevilla"], career_level="junior"),
    }


NEW = "/train/assignments/new"


def assign(client, **data):
    """As a trainer does it: the form, then the confirmation page's button for the number it shows."""
    data = {"exercise": "fixture-diagnostic", **data}
    first = client.post(NEW, data=data)
    shown = re.search(rb'name="confirmed_count" value="(\d+)"', first.data)
    if first.status_code != 200 or shown is None:
        return first
    return client.post(NEW, data={**data, "action": "assign", "confirmed_count": shown.group(1).decode()})


def recipients():
    assignment = db.session.scalars(select(Assignment).order_by(Assignment.id.desc())).first()
    return sorted(r.user.name for r in assignment.recipients)


def test_assigning_to_an_org_unit_reaches_its_descendants_within_scope(client, make_user, bank, team, content_bank):
    login(client, make_user("trainer", scope=(bank["bank"],)))
    response = assign(
        client, target="org_unit", org_unit_id=bank["north"].id, due_on=(date.today() + timedelta(days=7)).isoformat()
    )
    assert response.status_code == 302
    assert recipients() == ["Ana Norte", "Bea Norte"]
    attempts.submit(attempts.start(team["ana"], "fixture-diagnostic"))
    home = client.get("/train/").data.decode()
    assert "1 of 2 completed" in text_of(home, "#my-assignments")  # the trainer's home follows it up


def test_a_regional_hr_assigning_by_career_level_reaches_only_their_region(client, make_user, bank, team, content_bank):
    login(client, make_user("hr", scope=(bank["north"],)))
    assign(client, target="career_level", career_level="junior")
    assert recipients() == ["Ana Norte"]


def test_chosen_users_outside_scope_are_refused(client, make_user, bank, team, content_bank):
    login(client, make_user("hr", scope=(bank["north"],)))
    response = assign(client, target="users", user_ids=[team["sara"].id])
    assert response.status_code == 200 and b"invalid-feedback" in response.data
    assert db.session.scalar(select(Assignment)) is None


def test_follow_up_shows_who_started_finished_or_is_overdue(client, make_user, bank, team, content_bank):
    trainer = make_user("trainer", scope=(bank["bank"],))
    login(client, trainer)
    assign(client, target="users", user_ids=[team["ana"].id, team["bea"].id, team["sara"].id])
    assignment = db.session.scalars(select(Assignment)).one()
    done = attempts.start(team["ana"], "fixture-diagnostic")
    attempts.submit(done)
    attempts.start(team["bea"], "fixture-diagnostic")
    page = client.get(f"/train/assignments/{assignment.id}").data.decode()
    table = page.split('id="recipients"')[1]  # the counts above name every status whatever the rows say
    assert "Completed" in table and "In progress" in table and "Not started" in table
    assignment.due_at = assignment.created_at  # due when it was made: already past
    db.session.commit()
    overdue = client.get(f"/train/assignments/{assignment.id}").data.decode()
    assert overdue.count('text-bg-danger">Overdue') == 2  # Bea in progress, Sara not started
    listing = client.get("/train/assignments").data.decode()
    assert "Diagnostic" in listing


def test_an_assignment_without_visible_recipients_is_not_found(client, make_user, bank, team, content_bank):
    login(client, make_user("trainer", scope=(bank["south"],)))
    assign(client, target="org_unit", org_unit_id=bank["south"].id)
    assignment = db.session.scalars(select(Assignment)).one()
    login(client, make_user("hr", scope=(bank["north"],)))
    assert client.get(f"/train/assignments/{assignment.id}").status_code == 404
    assert "Diagnostic" not in client.get("/train/assignments").data.decode()


def test_the_assigned_manager_sees_it_due_then_overdue(client, make_user, bank, team, content_bank):
    trainer = make_user("trainer", scope=(bank["bank"],))
    login(client, trainer)
    assign(client, target="users", user_ids=[team["ana"].id], due_on=(date.today() + timedelta(days=3)).isoformat())
    login(client, team["ana"])
    page = client.get("/learn/").data.decode()
    assert "Diagnostic" in page and "Not started" in page and "Overdue" not in page
    assignment = db.session.scalars(select(Assignment)).one()
    assignment.created_at -= timedelta(days=2)  # as if assigned two days ago, due yesterday
    assignment.due_at = assignment.created_at + timedelta(days=1)
    db.session.commit()
    assert "Overdue" in client.get("/learn/").data.decode()


def test_an_attempt_already_under_way_counts_for_a_new_assignment(client, make_user, bank, team, content_bank):
    started = attempts.start(team["ana"], "fixture-quiz")  # open practice, begun before any assignment
    login(client, make_user("trainer", scope=(bank["bank"],)))
    assign(client, exercise="fixture-quiz", target="users", user_ids=[team["ana"].id])
    attempts.submit(started)
    assignment = db.session.scalars(select(Assignment)).one()
    assert "Completed" in client.get(f"/train/assignments/{assignment.id}").data.decode().split('id="recipients"')[1]


def test_a_due_date_is_the_end_of_that_day_in_madrid():
    from app.domain.dates import end_of_day_utc

    assert end_of_day_utc(date(2026, 12, 8), "Europe/Madrid").isoformat() == "2026-12-08T22:59:59"
    assert end_of_day_utc(date(2026, 7, 8), "Europe/Madrid").isoformat() == "2026-07-08T21:59:59"


def test_there_is_no_default_audience_and_nothing_is_assigned_without_one(client, make_user, bank, team, content_bank):
    login(client, make_user("trainer", scope=(bank["bank"],)))
    form = client.get(NEW).data
    assert not [e for e in select_elements(form, "input") if e.attrs.get("name") == "target" and "checked" in e.attrs]
    response = client.post(NEW, data={"exercise": "fixture-diagnostic"})
    assert response.status_code == 200 and "Choose who the exercise is for." in text_of(response.data, "main form")
    assert db.session.scalar(select(Assignment)) is None


def test_the_confirmation_says_how_many_and_nothing_is_stored_before_it(client, make_user, bank, team, content_bank):
    login(client, make_user("trainer", scope=(bank["bank"],)))
    page = client.post(
        NEW, data={"exercise": "fixture-diagnostic", "target": "org_unit", "org_unit_id": bank["bank"].id}
    )
    assert text_of(page.data, "h1") == "Assign «Diagnostic» to 3 managers?"
    assert rows_of(page.data, "#confirm-recipients") == [
        [u.name, u.email, u.org_unit.name] for u in sorted(team.values(), key=lambda u: u.name)
    ]
    assert "Assign to 3 managers" in text_of(page.data, "main form")
    assert db.session.scalar(select(Assignment)) is None


def test_a_confirmation_for_another_number_asks_again(client, make_user, bank, team, content_bank):
    login(client, make_user("trainer", scope=(bank["bank"],)))
    data = {"exercise": "fixture-diagnostic", "target": "org_unit", "org_unit_id": bank["north"].id}
    make_user("manager", name="Nueva Norte", unit=bank["bilbao"])  # joined after the trainer looked
    again = client.post(NEW, data={**data, "action": "assign", "confirmed_count": "2"})
    assert again.status_code == 200 and text_of(again.data, "#count-changed")
    assert text_of(again.data, "h1") == "Assign «Diagnostic» to 3 managers?"
    assert db.session.scalar(select(Assignment)) is None


def test_choosing_managers_shows_emails_and_finds_them_by_search(client, make_user, bank, team, content_bank):
    twin = make_user("manager", name="Ana Norte", email="ana.norte2@banco.es", unit=bank["santander"])
    login(client, make_user("trainer", scope=(bank["bank"],)))
    labels = texts_of(client.get(NEW).data, "#manager-choices label")
    assert (
        f"Ana Norte · {team['ana'].email} · Bilbao" in labels
        and "Ana Norte · ana.norte2@banco.es · Santander" in labels
    )
    found = client.post(
        NEW,
        data={
            "exercise": "fixture-diagnostic",
            "manager_search": "norte2",
            "user_ids": [team["sara"].id],
            "action": "find",
        },
    )
    labels = texts_of(found.data, "#manager-choices label")
    assert labels == [f"Sara Sur · {team['sara'].email} · Sevilla", f"Ana Norte · {twin.email} · Santander"]
    assert db.session.scalar(select(Assignment)) is None


def test_cancelling_takes_it_from_those_who_had_not_started_and_keeps_attempts(
    client, make_user, bank, team, content_bank
):
    login(client, make_user("trainer", scope=(bank["bank"],)))
    assign(client, target="users", user_ids=[team["ana"].id, team["bea"].id])
    assignment = db.session.scalars(select(Assignment)).one()
    started = attempts.start(team["ana"], "fixture-diagnostic")
    page = client.get(f"/train/assignments/{assignment.id}/cancel")
    assert texts_of(page.data, "#cancel-effects li") == [
        "1 manager who has not started loses it.",
        "1 manager who has started keeps it, and every attempt already made is kept.",
    ]
    assert client.post(f"/train/assignments/{assignment.id}/cancel").status_code == 302
    db.session.refresh(assignment)
    assert [r.user_id for r in assignment.recipients] == [team["ana"].id] and assignment.cancelled_at is not None
    assert db.session.get(type(started), started.id) is not None
    login(client, team["bea"])
    assert "Diagnostic" not in text_of(client.get("/learn/").data, "main")


def test_the_due_date_is_typed_day_first_and_a_us_order_is_refused(client, make_user, bank, team, content_bank):
    login(client, make_user("trainer", scope=(bank["bank"],)))
    due = date.today() + timedelta(days=20)
    refused = assign(client, target="users", user_ids=[team["ana"].id], due_on=f"{due.month:02d}/31/{due.year}")
    assert refused.status_code == 200
    assert "Write the date day first, like 31/03/2026." in text_of(refused.data.decode(), "main form")
    assert assign(client, target="users", user_ids=[team["ana"].id], due_on=due.strftime("%d/%m/%Y")).status_code == 302
    assignment = db.session.scalars(select(Assignment).order_by(Assignment.id.desc())).first()
    assert assignment.due_at.date() in (due, due + timedelta(days=1))  # the end of that day in Madrid, in UTC
