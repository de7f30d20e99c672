"""A streamed export read the way a server reads it: after the request's own contexts have ended.

The suite's other tests run inside an application context of their own, which keeps the request's
session and objects alive while a body is read. A WSGI server has no such context: Flask 3.1 tears
the request down, then pushes its contexts again (with a new session) for each chunk of the body.
Here the request runs in an empty `contextvars.Context`, on a database of its own, as it would.
"""

from __future__ import annotations

import contextvars
import csv
import io

from flask_migrate import upgrade
from werkzeug.datastructures import MultiDict

from app.extensions import db
from tests.conftest import VALID_BANK, login
from tests.test_migrations import migration_app, scratch_url  # noqa: F401  (fixtures)


def test_every_csv_export_streams_after_the_request_has_ended(migration_app):  # noqa: F811
    from app.services import attempts, content_loader, org, users

    upgrade()
    content_loader.sync(root=VALID_BANK)
    bank = org.add_unit(None, "Banco", None)
    branch = org.add_unit(None, "Norte", bank)
    for n, answer in enumerate("abc"):
        data = users.UserData(email=f"m{n}@example.com", name=f"M {n}", roles={"manager"}, career_level="junior")
        data.org_unit_id = branch.id
        user, _password = users.create_user(None, data, password="a long enough passphrase")
        quiz = attempts.start(user, "fixture-quiz")
        attempts.save_answers(quiz, MultiDict([("answer-fx-single", answer)]), "en", ["fx-single"])
        attempts.submit(quiz)
    hr, _password = users.create_user(
        None,
        users.UserData(email="hr@example.com", name="HR", roles={"hr"}, scope_unit_ids={bank.id}),
        password="a long enough passphrase",
    )
    hr.must_change_password = False
    db.session.commit()
    client = migration_app.test_client()
    login(client, hr)
    db.session.remove()

    def download(url: str) -> list[list[str]]:
        response = client.get(url, buffered=False)
        assert response.status_code == 200 and response.is_streamed, url
        body = b"".join(response.response)
        response.close()
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))  # Spanish by default

    found = {name: contextvars.Context().run(download, f"/hr/exports/{name}.csv") for name in EXPORTS}
    assert [len(found[name]) for name in ("heatmap", "attempts", "training-needs")] == [4, 4, 1]  # headers, 3 each
    assert len(found["scores"]) > 4 and {row[0] for row in found["scores"][1:]} == {
        "m0@example.com",
        "m1@example.com",
        "m2@example.com",
    }


EXPORTS = ("heatmap", "scores", "attempts", "training-needs")
