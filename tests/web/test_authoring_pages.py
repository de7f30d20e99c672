"""The exercise editor through the test client (no JavaScript): create, write items of every type,
see problems beside their fields, preview without recording, publish, duplicate, retire."""

import io
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from sqlalchemy import func, select

from app.domain import items, moodle
from app.extensions import db
from app.models import Answer, Attempt, AuditEvent, ContentDocument, ContentDraft
from app.services import content_loader
from tests.conftest import login
from tests.html import elements, text_of, texts_of
from tests.services.test_authoring import QUESTION


@pytest.fixture
def trainer(content_bank, login_as):
    return login_as("trainer", name="Tina Trainer")


def create(client, key="web-quiz", kind="quiz"):
    return client.post(
        "/train/author/new", data={"kind": kind, "key": key, "title_es": "Prueba web", "title_en": "Web test"}
    )


def add(client, item_type, key="web-quiz"):
    response = client.post(f"/train/author/{key}/items", data={"type": item_type})
    assert response.status_code == 302
    return response.headers["Location"]


def option_rows(*rows):
    """Form fields for option rows: (value, es, en) each, with feedback in both languages."""
    data = {}
    for i, (value, es, en) in enumerate(rows):
        data |= {
            f"options-{i}-text_es": es,
            f"options-{i}-text_en": en,
            f"options-{i}-feedback_es": f"Porque {es}",
            f"options-{i}-feedback_en": f"Because {en}",
        }
        if value is not None:
            data[f"options-{i}-value"] = value
    return data


SINGLE = {
    "item_id": "web-quiz-1",
    "stem_es": "Un cliente pide un aval. ¿Qué haces?",
    "stem_en": "A client asks for a guarantee. What do you do?",
    "w_risk": "2",
    **option_rows(("3", "Pides las cuentas", "You ask for the accounts"), ("0", "Lo firmas hoy", "You sign it today")),
}


SINGLE_ITEM = QUESTION  # one item, as the service tests write it


def draft_body(key="web-quiz"):
    return db.session.scalar(select(ContentDraft).where(ContentDraft.key == key)).body


def test_other_roles_cannot_open_the_editor(content_bank, login_as, client):
    login_as("hr")
    assert client.get("/train/author/").status_code == 403
    assert client.post("/train/author/new", data={"key": "x"}).status_code == 403


def test_a_bad_id_is_refused_beside_its_field_and_nothing_is_created(trainer, client):
    response = create(client, key="Mi Ejercicio")
    assert response.status_code == 422
    assert "lower-case letters, digits and hyphens" in text_of(response.data, "#key-error")
    assert create(client, key="fixture-quiz").status_code == 422  # taken by a file
    assert db.session.scalar(select(func.count(ContentDraft.id))) == 0


def test_a_trainer_writes_checks_previews_and_publishes_a_quiz(trainer, client):
    response = create(client)
    assert response.headers["Location"].endswith("/train/author/web-quiz/")
    page = client.get("/train/author/web-quiz/")
    assert "an exercise needs at least one item" in text_of(page.data, "#draft-problems")
    assert "disabled" in page.get_data(as_text=True).split('id="publish"')[1].split("</form>")[0]

    location = add(client, "single_choice")
    assert location.endswith("/train/author/web-quiz/items/1")
    incomplete = {**SINGLE, "stem_en": ""}
    saved = client.post(location, data=incomplete)
    assert saved.status_code == 302  # a draft keeps what was typed, problems and all
    page = client.get(location)
    assert text_of(page.data, "#stem_en-error") == "must not be empty"
    assert "English: 1 text missing" in text_of(page.data, "main")

    client.post(
        location,
        data={
            **SINGLE,
            **option_rows(
                ("3", "Pides las cuentas", "You ask for the accounts"), ("3", "Lo firmas hoy", "You sign it today")
            ),
        },
    )
    page = client.get(location)
    assert "exactly one option must have the highest effectiveness (3)" in text_of(page.data, "#item-problems")

    client.post(location, data=SINGLE)
    assert draft_body()["items"][0]["options"][1] == {
        "id": "b",
        "text": {"es": "Lo firmas hoy", "en": "You sign it today"},
        "feedback": {"es": "Porque Lo firmas hoy", "en": "Because You sign it today"},
        "key": 0,
    }
    page = client.get("/train/author/web-quiz/")
    assert "No problem found" in text_of(page.data, "#publish")

    preview = client.get("/train/author/web-quiz/preview?item=1&lang=en")
    assert "A client asks for a guarantee" in text_of(preview.data, "main")
    attempts_before = db.session.scalar(select(func.count(Attempt.id)))
    answered = client.post("/train/author/web-quiz/preview?item=1&lang=es", data={"answer-web-quiz-1": "a"})
    assert "100/100" in text_of(answered.data, ".review-item")
    assert db.session.scalar(select(func.count(Attempt.id))) == attempts_before
    assert db.session.scalar(select(func.count(Answer.id))) == 0

    published = client.post("/train/author/web-quiz/publish")
    assert published.status_code == 302
    exercise = db.session.scalar(select(ContentDocument).where(ContentDocument.key == "web-quiz"))
    assert exercise.owner == "web" and exercise.current_number == 1
    assert "web-quiz" in content_loader.current_bank().exercises
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "content.published"))
    assert event.actor == trainer and event.details["version"] == 1


def test_every_item_type_can_be_added_and_saved(trainer, client):
    create(client)
    quiz_types = [t for t in items.TYPES if t not in items.SELF_RATED]
    assert len(quiz_types) == 8
    for item_type in quiz_types:
        page = client.get(add(client, item_type))
        assert page.status_code == 200, item_type
    assert [i["type"] for i in draft_body()["items"]] == quiz_types


def test_a_number_that_is_not_one_is_refused_and_the_typed_text_kept(trainer, client):
    create(client)
    location = add(client, "numeric")
    response = client.post(location, data={"item_id": "web-quiz-1", "stem_es": "Calcula el DSCR", "answer": "uno"})
    assert response.status_code == 422
    assert text_of(response.data, "#answer-error")
    assert "Calcula el DSCR" in response.get_data(as_text=True)
    assert draft_body()["items"][0]["stem"] == {"es": "", "en": ""}  # nothing half-stored


def test_removing_and_reordering_items(trainer, client):
    create(client)
    add(client, "single_choice")
    add(client, "numeric")
    client.post("/train/author/web-quiz/items/2/up")
    assert [i["type"] for i in draft_body()["items"]] == ["numeric", "single_choice"]
    client.post("/train/author/web-quiz/items/1/delete")
    assert [i["type"] for i in draft_body()["items"]] == ["single_choice"]
    assert client.post("/train/author/web-quiz/items/9/delete").status_code == 404


def test_a_file_exercise_is_duplicated_not_edited(trainer, client):
    page = client.get("/train/author/")
    row = next(r for r in texts_of(page.data, "#published tbody tr") if "fixture-quiz" in r)
    assert "files" in row and "Edit" not in row
    refused = client.post("/train/author/fixture-quiz/edit", follow_redirects=True)
    assert "duplicate it to edit it here" in text_of(refused.data, "main")
    copied = client.post("/train/author/fixture-quiz/duplicate", data={"new_key": "my-quiz"})
    assert copied.headers["Location"].endswith("/train/author/my-quiz/")
    assert draft_body("my-quiz")["items"][0]["id"] == "my-quiz-1"


def test_settings_are_saved_and_retiring_is_audited(trainer, client):
    create(client)
    client.post(
        "/train/author/web-quiz/",
        data={
            "title_es": "Prueba web",
            "title_en": "Web test",
            "time_limit_minutes": "20",
            "feedback": "immediately",
            "open_practice": "y",
            "release_grades": "immediately",
            "regrade_by": "any_trainer",
            "moderation_percent": "0",
        },
    )
    assert draft_body()["settings"] == {
        "time_limit_minutes": 20,
        "shuffle_items": False,
        "shuffle_options": False,
        "feedback": "immediately",
        "open_practice": True,
    }
    add(client, "single_choice")
    client.post("/train/author/web-quiz/items/1", data=SINGLE)
    client.post("/train/author/web-quiz/publish")
    client.post("/train/author/web-quiz/retire")
    assert "web-quiz" not in content_loader.current_bank().exercises
    assert (
        db.session.scalar(select(AuditEvent.target).where(AuditEvent.action == "content.retired"))
        == "exercise:web-quiz"
    )


def test_the_trainers_home_lists_drafts_and_the_flagged_items_of_web_exercises(client, make_user, bank, content_bank):
    from werkzeug.datastructures import MultiDict

    from app.services import attempts, authoring

    trainer = make_user("trainer", name="Tina Trainer", scope=(bank["bank"],))
    draft = authoring.start_new(trainer, "quiz", "web-quiz", {"es": "Prueba web", "en": "Web test"})
    second = {**SINGLE_ITEM, "id": "web-quiz-2"}
    authoring.save(draft, {**draft.body, "settings": {"open_practice": True}, "items": [SINGLE_ITEM, second]})
    authoring.publish(trainer, draft)
    for n in range(30):  # everyone finds item 1; item 2 splits them
        attempt = attempts.start(make_user("manager", unit=bank["bilbao"]), "web-quiz")
        data = MultiDict([("answer-web-quiz-1", "a"), ("answer-web-quiz-2", "a" if n % 2 else "b")])
        attempts.save_answers(attempt, data, "es", ["web-quiz-1", "web-quiz-2"])
        attempts.submit(attempt)
    authoring.start_new(trainer, "quiz", "next-quiz", {"es": "Siguiente", "en": "Next"})
    login(client, trainer)
    page = client.get("/train/")
    assert "Next" in text_of(page.data, "#my-drafts")
    assert texts_of(page.data, "#flagged-items li") == [
        "Web test · item 1: too easy does not discriminate Open in the editor · web-quiz-1",
        "Web test · item 2: does not discriminate Open in the editor · web-quiz-2",  # two items: no rest to agree with
    ]
    opened = client.post("/train/author/web-quiz/edit", data={"item": "1"})
    assert opened.headers["Location"].endswith("/train/author/web-quiz/items/1")


def choice_rows(*rows):
    """Step form fields for choices: (text, next, {competency: points}, critical) each."""
    data = {}
    for i, (text, target, points, critical) in enumerate(rows):
        data |= {
            f"choices-{i}-text_es": text,
            f"choices-{i}-text_en": text.upper(),
            f"choices-{i}-feedback_es": "Porque sí",
            f"choices-{i}-feedback_en": "Because",
            f"choices-{i}-next": target,
        }
        for n, (code, value) in enumerate(points.items(), start=1):
            data[f"choices-{i}-points_{n}_code"], data[f"choices-{i}-points_{n}"] = code, str(value)
        if critical:
            data[f"choices-{i}-critical_1"] = critical
    return data


def test_a_trainer_builds_a_branching_scenario_sees_its_errors_and_walks_a_path(trainer, client):
    create(client, key="web-scenario", kind="scenario")
    assert (
        client.post("/train/author/web-scenario/steps", data={"kind": "step"}).headers["Location"].endswith("/steps/1")
    )
    client.post("/train/author/web-scenario/steps", data={"kind": "end"})
    client.post("/train/author/web-scenario/steps", data={"kind": "end"})
    body = draft_body("web-scenario")
    assert [s["id"] for s in body["steps"]] == ["start", "ending-2", "ending-3"] and body["start"] == "start"
    client.post(
        "/train/author/web-scenario/steps/1",
        data={
            "step_id": "call",
            "narrative_es": "El cliente llama.",
            "narrative_en": "The client calls.",
            **choice_rows(
                ("Escuchas", "ending-2", {"relationship": 2}, ""),
                ("Lo cuentas", "nowhere", {"communication": 1}, "ethics"),
            ),
        },
    )
    body = draft_body("web-scenario")
    assert body["start"] == "call"  # renaming the first step keeps it first
    assert body["steps"][0]["choices"][1] == {
        "id": "b",
        "text": {"es": "Lo cuentas", "en": "LO CUENTAS"},
        "feedback": {"es": "Porque sí", "en": "Because"},
        "next": "nowhere",
        "points": {"communication": 1},
        "critical": ["ethics"],
    }
    page = client.get("/train/author/web-scenario/")
    assert "a choice leads to a step that does not exist" in text_of(page.data, "#graph-problems")
    assert "ending-3: cannot be reached from the first step" in text_of(page.data, "#graph-problems")
    assert '<svg viewBox="0 0' in page.get_data(as_text=True)
    step_page = client.get("/train/author/web-scenario/steps/1")
    assert "this choice leads nowhere: there is no step “nowhere”" in text_of(step_page.data, "#choices-1-next-error")

    fix = {
        "step_id": "call",
        "narrative_es": "El cliente llama.",
        "narrative_en": "The client calls.",
        **choice_rows(
            ("Escuchas", "ending-2", {"relationship": 2}, ""),
            ("Lo cuentas", "ending-3", {"communication": 1}, "ethics"),
        ),
    }
    client.post("/train/author/web-scenario/steps/1", data=fix)
    for n in (2, 3):
        client.post(
            f"/train/author/web-scenario/steps/{n}",
            data={"step_id": f"ending-{n}", "end": "y", "outcome_es": "Fin", "outcome_en": "End"},
        )
    page = client.get("/train/author/web-scenario/")
    assert "No problem found" in text_of(page.data, "#publish")
    assert texts_of(page.data, "#ending-scores tbody tr") == [  # the fixture bank has no framework: codes
        "communication 1 0 100",
        "relationship 2 100 0",
    ]

    walk = client.get("/train/author/web-scenario/path?lang=en")
    assert "The client calls." in text_of(walk.data, "#path-step")
    end = client.get("/train/author/web-scenario/path?lang=en&c=b")
    assert texts_of(end.data, "#path-scores li") == ["communication: 100/100", "relationship: 0/100"]
    assert client.get("/train/author/web-scenario/path?c=zzz").status_code == 404
    assert client.post("/train/author/web-scenario/publish").status_code == 302
    assert "web-scenario" in content_loader.current_bank().exercises


MOODLE = Path(__file__).resolve().parents[1] / "fixtures" / "moodle"


def upload(client, name, data, **fields):
    form = {"language": "en", "key": "from-moodle", "title": "From Moodle", **fields}
    form["file"] = (io.BytesIO(data), name)
    return client.post("/train/author/import", data=form, content_type="multipart/form-data")


def test_a_moodle_file_with_skips_is_imported_only_once_the_skips_are_accepted(trainer, client):
    gift = (MOODLE / "questions.gift.txt").read_bytes()
    refused = upload(client, "questions.gift.txt", gift)
    assert refused.status_code == 422
    assert texts_of(refused.data, "#skipped li") == [
        "Moodle activities (matching): matching pairs have no Cartera item type",
        "Shortanswer (shortanswer): a typed word checked against a list has no Cartera item type",
    ]
    assert db.session.scalar(select(func.count(ContentDraft.id))) == 0  # nothing stored yet
    accepted = upload(client, "questions.gift.txt", gift, accept_skips="y")
    assert accepted.headers["Location"].endswith("/train/author/from-moodle/")
    body = draft_body("from-moodle")
    assert len(body["items"]) == 7 and body["title"] == {"en": "From Moodle", "es": ""}
    assert body["items"][1]["stem"]["es"] == ""  # the missing language, where the editor shows it
    page = client.get("/train/author/from-moodle/items/2")
    assert text_of(page.data, "#stem_es-error") == "must not be empty"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "content.imported"))
    assert event.details["items"] == 7 and event.details["skipped"] == ["Moodle activities", "Shortanswer"]


def test_moodle_xml_categories_become_tags_and_a_broken_file_says_where(trainer, client):
    xml = (MOODLE / "nested_categories_with_questions.xml").read_bytes()
    upload(client, "bank.xml", xml, accept_skips="y")
    tags = {item["id"]: item["tags"] for item in draft_body("from-moodle")["items"]}
    assert tags["moodle-lambda-question"] == ["Iota", "Kappa", "Lambda"]
    broken = upload(client, "broken.xml", b"<quiz>\n<question type='essay'>\n<name></question></quiz>", key="other")
    assert broken.status_code == 422
    assert "broken.xml cannot be read: line 3" in text_of(broken.data, "#file-error")
    bomb = upload(client, "bomb.xml", b'<!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>', key="other")
    assert "refused" in text_of(bomb.data, "#file-error")


def test_an_exercise_downloads_as_moodle_xml_that_imports_back(trainer, client):
    response = client.get("/train/author/fixture-quiz/moodle.xml?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert 'filename="fixture-quiz.en.moodle.xml"' in response.headers["Content-Disposition"]
    again = moodle.read_xml(response.data, "en")
    assert [i["type"] for i in again.items] == ["single_choice", "multi_select", "numeric", "open_response"]


EVIL = {
    "es": '**Atención** <script>alert(1)</script> [aquí](javascript:alert(1)) <img src=x onerror="alert(1)">',
    "en": '<p style="color:red" onclick="steal()">Careful</p> [here](javascript:alert(1))',
}


def harmless(page) -> None:
    """A page that shows the authored text, and no element a browser would run or style from it
    (the authored HTML may show, escaped, as text)."""
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    if page.mimetype == "application/xml":  # Moodle renders the HTML inside each <text>
        html = "".join(node.text or "" for node in fromstring(page.data).iter("text"))
    assert "Careful" in html or "Atención" in html
    for tag, attributes in elements(html):
        assert not (tag == "script" and "src" not in attributes), "an inline script"
        assert tag not in ("img", "iframe"), tag
        assert not any(name.startswith("on") for name in attributes), attributes
        assert not (attributes.get("href") or "").lower().startswith("javascript"), attributes
        assert "color:red" not in (attributes.get("style") or ""), attributes


def test_authored_html_is_sanitised_in_the_preview_the_player_and_the_moodle_export(content_bank, make_user, client):
    from app.services import attempts, authoring

    trainer = make_user("trainer")
    draft = authoring.start_new(trainer, "quiz", "web-quiz", {"es": "Prueba", "en": "Test"})
    item = {**SINGLE_ITEM, "stem": EVIL}
    item["options"] = [{**item["options"][0], "text": EVIL, "feedback": EVIL}, item["options"][1]]
    authoring.save(draft, {**draft.body, "settings": {"open_practice": True}, "items": [item]})
    db.session.commit()
    login(client, trainer)
    for lang in ("es", "en"):
        harmless(client.get(f"/train/author/web-quiz/preview?item=1&lang={lang}"))
        harmless(client.post(f"/train/author/web-quiz/preview?item=1&lang={lang}", data={"answer-web-quiz-1": "a"}))
    assert "<strong>Atención</strong>" in client.get("/train/author/web-quiz/preview?lang=es").get_data(as_text=True)
    authoring.publish(trainer, db.session.merge(draft))
    db.session.commit()
    harmless(client.get("/train/author/web-quiz/moodle.xml?lang=es"))

    manager = make_user("manager")
    login(client, manager)
    attempt = attempts.start(manager, "web-quiz")
    page = client.get(f"/learn/attempts/{attempt.id}/items/1")
    harmless(page)


def test_every_content_message_the_editor_shows_is_translated(app):
    from flask_babel import force_locale

    from app.domain.content_schema import GRAPH_MESSAGES
    from app.services.content_messages import PATTERNS, localise

    samples = [template.format("paso-1") for template in GRAPH_MESSAGES.values()] + [
        "must not be empty",
        "the English version ('en') is missing",
        "exactly one option must have the highest key (3)",
        "ranks [1, 2, 2] are not a permutation of 1..3",
        "duplicate item id 'fx-single' (also defined in questions/fixture-quiz.yaml)",
        "'key' is required",
        "6 is out of range: greater than the maximum of 5",
        "'web-copy-1' is drawn by 'web-diagnostic': it cannot be removed",
        "no item 'nope' in the bank",
        "cannot draw 4 items from 3",
        "'fx-secure' is in a secure pool: only exercises without open practice and without immediate feedback may draw it",
    ]
    with app.test_request_context(), force_locale("es"):
        for sample in samples:
            assert localise(sample) != sample, sample
        assert localise("exactly one option must have the highest key (3)") == (
            "solo una opción puede tener la eficacia más alta (3)"
        )
        assert localise("something new") == "something new"  # an unknown message is shown as written
    assert len({pattern for pattern, _message in PATTERNS}) == len(PATTERNS)


def test_the_draft_page_says_when_every_key_stands_in_the_same_place(trainer, client):
    create(client)
    for n in range(1, 5):
        add(client, "single_choice")
        client.post(f"/train/author/web-quiz/items/{n}", data={**SINGLE, "item_id": f"web-quiz-{n}"})
    page = client.get("/train/author/web-quiz/")
    assert "always stands in the same place" in text_of(page.data, "#writing-check")


def test_a_self_assessment_takes_statements_only(trainer, client):
    create(client, key="web-self", kind="self_assessment")
    page = client.get("/train/author/web-self/")
    assert texts_of(page.data, "#items form button") == ["Self-assessment statement"]
    assert client.post("/train/author/web-self/items", data={"type": "single_choice"}).status_code == 400
    location = add(client, "likert", key="web-self")
    client.post(
        location,
        data={
            "item_id": "web-self-1",
            "stem_es": "Preparo mis visitas.",
            "stem_en": "I prepare my visits.",
            "competency": "visits",
        },
    )
    assert draft_body("web-self")["items"][0] == {
        "id": "web-self-1",
        "type": "likert",
        "stem": {"es": "Preparo mis visitas.", "en": "I prepare my visits."},
        "competency": "visits",
    }
    assert "No problem found" in text_of(client.get("/train/author/web-self/").data, "#publish")


SETTINGS = {
    "title_es": "Diagnóstico web",
    "title_en": "Web diagnostic",
    "feedback": "after_submission",
    "release_grades": "immediately",
    "regrade_by": "any_trainer",
    "moderation_percent": "0",
}


def test_a_quiz_draws_items_at_random_and_a_secure_pool_refuses_open_practice(trainer, client):
    create(client)
    client.post("/train/author/web-quiz/", data={**SETTINGS, "draws-0-count": "2", "draws-0-items": "fx-single, nope"})
    assert draft_body()["draw"] == [{"count": 2, "from": ["fx-single", "nope"]}]
    page = client.get("/train/author/web-quiz/")
    assert "there is no item “nope” in the bank" in text_of(page.data, "#draws-0-items-error")
    client.post(
        "/train/author/web-quiz/",
        data={**SETTINGS, "open_practice": "y", "draws-0-count": "1", "draws-0-items": "fx-secure fx-single"},
    )
    page = client.get("/train/author/web-quiz/")
    assert "“fx-secure” is in a secure pool" in text_of(page.data, "#draws-0-items-error")
    client.post(
        "/train/author/web-quiz/", data={**SETTINGS, "draws-0-count": "1", "draws-0-items": "fx-secure fx-single"}
    )
    assert "No problem found" in text_of(client.get("/train/author/web-quiz/").data, "#publish")
    client.post("/train/author/web-quiz/publish")
    assert content_loader.current_bank().exercises["web-quiz"]["draw"] == [
        {"count": 1, "from": ["fx-secure", "fx-single"]}
    ]


def test_the_editor_pages_issue_the_same_queries_for_more_items_drafts_and_steps(trainer, client):
    from tests.web.test_query_counts import queries_for

    create(client)
    add(client, "single_choice")
    client.post("/train/author/web-quiz/items/1", data=SINGLE)
    pages = [
        "/train/author/",
        "/train/author/web-quiz/",
        "/train/author/web-quiz/items/1",
        "/train/",
        "/train/author/web-quiz/preview",
    ]
    few = [queries_for(client, url) for url in pages]
    for n in range(2, 7):
        add(client, "single_choice")
        client.post(f"/train/author/web-quiz/items/{n}", data={**SINGLE, "item_id": f"web-quiz-{n}"})
        create(client, key=f"other-{n}")
    assert [queries_for(client, url) for url in pages] == few


def test_a_broken_moodle_file_and_the_skips_are_explained_in_spanish(content_bank, login_as, client):
    user = login_as("trainer")
    user.locale = "es"
    db.session.commit()
    broken = upload(
        client, "roto.xml", b"<quiz>\n<question type='essay'>\n<name></question></quiz>", language="es", key="roto"
    )
    assert text_of(broken.data, "#file-error").startswith(
        "No se puede leer roto.xml: línea 3: el XML no está bien formado ("
    )
    refused = upload(client, "q.gift.txt", (MOODLE / "questions.gift.txt").read_bytes(), language="es", key="roto")
    assert "Moodle activities (matching): las parejas para emparejar no tienen tipo de pregunta en Cartera" in texts_of(
        refused.data, "#skipped li"
    )


def test_the_trainers_home_does_not_analyse_exercises_too_new_to_flag(content_bank, make_user, client):
    from app.services import authoring
    from tests.web.test_query_counts import queries_for

    trainer = make_user("trainer")
    login(client, trainer)
    few = queries_for(client, "/train/")
    for n in range(4):  # published, but no exercise has the 30 attempts a flag needs
        draft = authoring.start_new(trainer, "quiz", f"web-quiz-{n}", {"es": "Prueba", "en": "Test"})
        authoring.save(draft, {**draft.body, "items": [{**SINGLE_ITEM, "id": f"web-item-{n}"}]})
        authoring.publish(trainer, draft)
    db.session.commit()
    assert queries_for(client, "/train/") == few
