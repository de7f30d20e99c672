"""The player's requests read the attempt, its plan and its answers once: fixed, small query counts."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Attempt
from tests.conftest import login
from tests.web.test_query_counts import counting_queries

ANSWER = {"fx-single": {"answer-fx-single": "a"}, "fx-numeric": {"answer-fx-numeric": "1,5"}}
# Before the redesign (services reloading the attempt, its plan and answers by id, and committing):
# GET 6, the "check my answer" POST 16, autosave 7. Now each request reads them once.
MOST = {"get": 5, "post": 7, "autosave": 6}


@pytest.fixture
def attempt(client, make_user, content_bank):
    login(client, make_user("manager"))
    response = client.post("/learn/exercises/fixture-quiz/start")
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    return db.session.scalar(select(Attempt).where(Attempt.id == attempt_id))


def count(call) -> tuple[int, object]:
    with counting_queries() as statements:
        response = call()
    return len(statements), response


@pytest.mark.parametrize("key", ["fx-single", "fx-numeric"])
def test_the_item_page_its_post_and_autosave_read_the_attempt_once(client, attempt, key):
    number = next(n for n, e in enumerate(attempt.plan, start=1) if e["key"] == key)
    url = f"/learn/attempts/{attempt.id}/items/{number}"
    client.get(url)  # the first request fills the per-process caches (the content bank)
    got, response = count(lambda: client.get(url))
    assert response.status_code == 200
    autosave = f"/learn/attempts/{attempt.id}/answers/{key}"
    json = {"Accept": "application/json"}
    saved, response = count(lambda: client.post(autosave, data=ANSWER[key], headers=json))
    assert response.status_code == 200 and response.json["saved"]
    posted, response = count(lambda: client.post(url, data={**ANSWER[key], "go": "next"}))
    assert response.status_code == 302
    assert got <= MOST["get"] and posted <= MOST["post"] and saved <= MOST["autosave"], (got, posted, saved)
