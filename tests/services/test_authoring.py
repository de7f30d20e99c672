"""Browser authoring: drafts are checked like files, publish versions like sync, and ownership
between files and the browser is explicit both ways."""

import copy

import pytest
import yaml
from sqlalchemy import select

from app.domain.content_schema import load_bank
from app.extensions import db
from app.models import AuditEvent, ContentDocument, ContentDraft
from app.services import authoring, content_loader
from app.services.content_files import read_sources
from app.services.content_loader import ContentInvalid
from app.services.errors import Invalid, NotFound

QUESTION = {
    "id": "web-quiz-1",
    "type": "single_choice",
    "competencies": {"risk": 2},
    "stem": {"es": "¿Qué haces?", "en": "What do you do?"},
    "options": [
        {"id": "a", "key": 3, "text": {"es": "Llamas", "en": "You call"}, "feedback": {"es": "Sí", "en": "Yes"}},
        {"id": "b", "key": 0, "text": {"es": "Esperas", "en": "You wait"}, "feedback": {"es": "No", "en": "No"}},
    ],
}


@pytest.fixture
def trainer(make_user):
    return make_user("trainer")


def document(kind, key):
    return db.session.scalar(select(ContentDocument).where(ContentDocument.kind == kind, ContentDocument.key == key))


def new_quiz(trainer, key="web-quiz", items=(QUESTION,)):
    draft = authoring.start_new(trainer, "quiz", key, {"es": "Prueba web", "en": "Web test"})
    body = copy.deepcopy(draft.body)
    body["items"] = [copy.deepcopy(i) for i in items]
    authoring.save(draft, body)
    return draft


def test_a_draft_is_checked_by_the_same_function_as_a_file(content_bank, trainer):
    """One broken body, fed to both paths: the same messages at the same fields."""
    broken = copy.deepcopy(QUESTION)
    broken["options"][1]["key"] = 3  # two best options
    broken["stem"] = {"es": "¿Qué haces?"}  # English missing
    draft = new_quiz(trainer, items=[broken])
    from_browser = [(e.path, e.message) for e in authoring.check(draft).errors]
    files = read_sources(content_bank)
    files["questions/web-quiz.yaml"] = authoring.as_yaml(draft.body)
    _bank, errors = load_bank(files)
    from_files = [(e.path, e.message) for e in errors if e.file == "questions/web-quiz.yaml"]
    assert from_browser == from_files
    assert ("items[0].stem", "the English version ('en') is missing") in from_browser
    with pytest.raises(Invalid):
        authoring.publish(trainer, draft)
    assert document("exercise", "web-quiz") is None  # nothing half-done stored


def test_an_item_id_already_in_the_bank_is_refused_where_it_stands(content_bank, trainer):
    clash = {**copy.deepcopy(QUESTION), "id": "fx-single"}
    errors = authoring.check(new_quiz(trainer, items=[clash])).errors
    assert [(e.path, e.message) for e in errors] == [
        ("items[0].id", "duplicate item id 'fx-single' (also defined in questions/fixture-quiz.yaml)")
    ]


def test_publishing_makes_versions_owned_by_the_browser_and_audits_them(content_bank, trainer):
    draft = new_quiz(trainer)
    assert authoring.check(draft).publishable
    assert authoring.publish(trainer, draft) == authoring.Published(version=1, items=1)
    exercise, item = document("exercise", "web-quiz"), document("item", "web-quiz-1")
    assert (exercise.owner, item.owner) == ("web", "web")
    assert exercise.current.source == "web" and exercise.current.author == trainer
    assert exercise.current.body["items"] == ["web-quiz-1"]
    assert db.session.scalar(select(ContentDraft).where(ContentDraft.key == "web-quiz")) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "content.published")).one()
    assert (event.actor, event.target, event.details["version"]) == (trainer, "exercise:web-quiz", 1)

    edit = authoring.start_edit(trainer, "web-quiz")
    body = copy.deepcopy(edit.body)
    body["items"][0]["stem"]["en"] = "What now?"
    authoring.save(edit, body)
    authoring.publish(trainer, edit)
    item = document("item", "web-quiz-1")
    assert [v.number for v in item.versions] == [1, 2]
    assert item.versions[0].body["stem"]["en"] == "What do you do?"  # what attempts under way keep
    assert content_loader.current_bank().items["web-quiz-1"]["stem"]["en"] == "What now?"


def test_an_item_removed_in_an_edit_is_retired(content_bank, trainer):
    second = {**copy.deepcopy(QUESTION), "id": "web-quiz-2"}
    authoring.publish(trainer, new_quiz(trainer, items=[QUESTION, second]))
    edit = authoring.start_edit(trainer, "web-quiz")
    body = copy.deepcopy(edit.body)
    body["items"] = body["items"][:1]
    authoring.save(edit, body)
    authoring.publish(trainer, edit)
    assert document("item", "web-quiz-2").retired and not document("item", "web-quiz-1").retired


def test_a_drawn_item_cannot_be_removed(content_bank, trainer):
    draft = authoring.duplicate(trainer, "fixture-quiz", "web-copy")
    assert [i["id"] for i in draft.body["items"]][:2] == ["web-copy-1", "web-copy-2"]
    authoring.publish(trainer, draft)
    diagnostic = authoring.duplicate(trainer, "fixture-diagnostic", "web-diagnostic")
    body = copy.deepcopy(diagnostic.body)
    body["draw"] = [{"count": 1, "from": ["web-copy-1"]}]
    authoring.save(diagnostic, body)
    authoring.publish(trainer, diagnostic)
    edit = authoring.start_edit(trainer, "web-copy")
    body = copy.deepcopy(edit.body)
    body["items"] = body["items"][1:]
    authoring.save(edit, body)
    assert [e.message for e in authoring.check(edit).errors] == [
        "'web-copy-1' is drawn by 'web-diagnostic': it cannot be removed"
    ]


def test_a_file_owned_exercise_is_duplicated_not_edited(content_bank, trainer):
    with pytest.raises(Invalid) as refused:
        authoring.start_edit(trainer, "fixture-quiz")
    assert "questions/fixture-quiz.yaml" in str(refused.value)
    with pytest.raises(Invalid):
        authoring.duplicate(trainer, "fixture-quiz", "fixture-quiz")  # its id is taken
    with pytest.raises(Invalid):
        authoring.start_new(trainer, "quiz", "Bad Id", {"es": "x", "en": "x"})
    with pytest.raises(NotFound):
        authoring.start_edit(trainer, "no-such-exercise")


def test_sync_never_touches_web_work_and_refuses_a_file_that_differs(content_bank, trainer):
    authoring.publish(trainer, new_quiz(trainer))
    plan = content_loader.sync(root=content_bank)  # the files know nothing of web-quiz
    assert plan.retired == [] and not document("exercise", "web-quiz").retired

    exported = content_bank.parent / "exported"
    content_loader.export(exported)
    (content_bank / "questions" / "web-quiz.yaml").write_text(
        (exported / "questions" / "web-quiz.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    again = content_loader.sync(root=content_bank)  # exported web work syncs back unchanged
    assert again.added == again.changed == [] and ("exercise", "web-quiz") in again.unchanged

    path = content_bank / "questions" / "web-quiz.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"]["en"] = "Changed in the file"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentInvalid) as refused:
        content_loader.sync(root=content_bank)
    assert "exercise 'web-quiz' is maintained in the browser" in str(refused.value.errors[0])
    assert document("exercise", "web-quiz").current.body["title"]["en"] == "Web test"


def test_publishing_refuses_a_draft_overtaken_by_another_publish(content_bank, trainer, make_user):
    authoring.publish(trainer, new_quiz(trainer))
    mine = authoring.start_edit(trainer, "web-quiz")
    db.session.delete(mine)  # another trainer's draft is published meanwhile
    theirs = authoring.start_edit(make_user("trainer"), "web-quiz")
    body = copy.deepcopy(theirs.body)
    body["title"]["en"] = "Theirs"
    authoring.save(theirs, body)
    authoring.publish(trainer, theirs)
    stale = ContentDraft(key="web-quiz", body=theirs.body, base_version_id=mine.base_version_id, author=trainer)
    db.session.add(stale)
    with pytest.raises(Invalid, match="(after you began|después de que empezaras)"):  # the default locale answers
        authoring.publish(trainer, stale)


def test_retiring_keeps_versions_and_audits(content_bank, trainer):
    authoring.publish(trainer, new_quiz(trainer))
    authoring.retire(trainer, "web-quiz")
    assert document("exercise", "web-quiz").retired and document("item", "web-quiz-1").retired
    assert "web-quiz" not in content_loader.current_bank().exercises
    assert db.session.scalar(select(AuditEvent.target).where(AuditEvent.action == "content.retired")) == (
        "exercise:web-quiz"
    )
    with pytest.raises(Invalid):
        authoring.retire(trainer, "fixture-quiz")  # the files' to retire


def test_adopting_hands_web_work_to_the_files(content_bank, trainer, app):
    authoring.publish(trainer, new_quiz(trainer))
    exported = content_bank.parent / "exported"
    content_loader.export(exported)
    path = content_bank / "questions" / "web-quiz.yaml"
    path.write_text((exported / "questions" / "web-quiz.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["content", "adopt", "web-quiz"])
    assert result.exit_code == 0, result.output
    assert "its 1 item(s) are now maintained in questions/web-quiz.yaml" in result.output
    assert (document("exercise", "web-quiz").owner, document("item", "web-quiz-1").owner) == ("files", "files")
    path.write_text(path.read_text(encoding="utf-8").replace("Web test", "Now from the file"), encoding="utf-8")
    plan = content_loader.sync(root=content_bank)
    assert plan.changed == [("exercise", "web-quiz")]
    assert app.test_cli_runner().invoke(args=["content", "adopt", "fixture-nothing"]).exit_code == 1
