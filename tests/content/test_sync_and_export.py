"""flask content sync / export / stats on a small bank: versions, retirement, round trips."""

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, ContentDocument, ContentVersion
from app.services import content_loader


def item(key: str) -> ContentDocument:
    return db.session.scalar(select(ContentDocument).where(ContentDocument.kind == "item", ContentDocument.key == key))


def test_sync_loads_everything_then_changes_nothing(bank_dir):
    first = content_loader.sync(root=bank_dir)
    assert first.summary() == "added 16, changed 0, retired 0, unchanged 0"  # 4 exercises, 1 pool, 10 items, 1 rubric
    second = content_loader.sync(root=bank_dir)
    assert second.summary() == "added 0, changed 0, retired 0, unchanged 16"
    assert db.session.scalar(select(func.count(ContentVersion.id))) == 16
    events = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "content.synced")).all()
    assert events[-1] == {"added": 0, "changed": 0, "retired": 0, "unchanged": 16}


def test_an_edit_makes_version_two_and_keeps_version_one(bank_dir):
    content_loader.sync(root=bank_dir)
    version_one = item("fx-numeric").current
    assert content_loader.current_bank().items["fx-numeric"]["answer"] == 1.5  # now cached
    quiz = bank_dir / "questions" / "fixture-quiz.yaml"
    quiz.write_text(quiz.read_text().replace("answer: 1.5", "answer: 1.25"))
    plan = content_loader.sync(root=bank_dir)
    assert plan.changed == [("item", "fx-numeric")]
    document = item("fx-numeric")
    assert document.current_number == 2 and document.current.body["answer"] == 1.25
    assert db.session.get(ContentVersion, version_one.id).body["answer"] == 1.5  # what old attempts point at
    assert [v.number for v in document.versions] == [1, 2]
    assert content_loader.current_bank().items["fx-numeric"]["answer"] == 1.25  # the cache saw the change


def test_a_removed_item_is_retired_not_deleted_and_can_come_back(bank_dir):
    content_loader.sync(root=bank_dir)
    self_file = bank_dir / "questions" / "fixture-self.yaml"
    original = self_file.read_text()
    lines = original.splitlines(keepends=True)
    self_file.write_text("".join(line for line in lines if "fx-likert-2" not in line))
    plan = content_loader.sync(root=bank_dir)
    assert plan.retired == [("item", "fx-likert-2")]
    assert plan.changed == [("exercise", "fixture-self")]  # its list of items changed
    assert item("fx-likert-2").retired and item("fx-likert-2").versions
    assert "fx-likert-2" not in content_loader.current_bank().items
    self_file.write_text(original)
    restored = content_loader.sync(root=bank_dir)
    assert ("item", "fx-likert-2") in restored.changed
    assert not item("fx-likert-2").retired and item("fx-likert-2").current_number == 1
    assert "fx-likert-2" in content_loader.current_bank().items  # back, with no new version to signal it


def test_an_invalid_bank_loads_nothing(bank_dir):
    content_loader.sync(root=bank_dir)
    quiz = bank_dir / "questions" / "fixture-quiz.yaml"
    quiz.write_text(
        quiz.read_text().replace("answer: 1.5", "answer: 1.75").replace("rubric: fixture-rubric", "rubric: gone")
    )
    with pytest.raises(content_loader.ContentInvalid) as invalid:
        content_loader.sync(root=bank_dir)
    assert "no rubric 'gone'" in str(invalid.value.errors[0])
    assert item("fx-numeric").current.body["answer"] == 1.5  # the valid edit in the same file was not applied


def test_export_then_validate_then_sync_round_trips(bank_dir, tmp_path, app, monkeypatch):
    content_loader.sync(root=bank_dir)
    exported = tmp_path / "exported"
    written = content_loader.export(exported)
    assert sorted(p.relative_to(exported).as_posix() for p in written) == [
        "questions/fixture-diagnostic.yaml",
        "questions/fixture-pool.yaml",
        "questions/fixture-quiz.yaml",
        "questions/fixture-scenario.yaml",
        "questions/fixture-self.yaml",
        "rubrics/grading/fixture-rubric.yaml",
    ]
    monkeypatch.setitem(app.config, "CONTENT_ROOT", str(exported))
    errors, files = content_loader.validate()
    assert (errors, files) == ([], 6)
    assert content_loader.sync(root=exported).summary() == "added 0, changed 0, retired 0, unchanged 16"
    again = tmp_path / "again"
    content_loader.export(again)
    for path in written:
        assert (again / path.relative_to(exported)).read_text() == path.read_text()


def test_stats_count_every_source_of_evidence(bank_dir, app):
    content_loader.sync(root=bank_dir)
    result = app.test_cli_runner().invoke(args=["content", "stats", "--json"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)
    assert table["planning"]["items"]["rank"] == 1
    assert table["planning"]["self_assessment"] == 2
    assert table["planning"]["open_tasks"] == ["fx-open"]
    assert table["ethics"]["scenarios"] == ["fixture-scenario"]
    assert table["ethics"]["judgement_items"] == 1
    text = app.test_cli_runner().invoke(args=["content", "stats"])
    assert "planning" in text.output and text.exit_code == 0


def test_the_cli_validates_syncs_and_refuses(bank_dir, app, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_ROOT", str(bank_dir))
    runner = app.test_cli_runner()
    validated = runner.invoke(args=["content", "validate"])
    assert validated.exit_code == 0 and "6 file(s) checked: no problems; 3 item-writing warning(s)." in validated.output
    strict = runner.invoke(args=["content", "validate", "--strict"])
    assert strict.exit_code == 1 and "3 item-writing warning(s) remain" in strict.output
    assert runner.invoke(args=["content", "sync"]).output.strip() == "added 16, changed 0, retired 0, unchanged 0"
    broken = bank_dir / "questions" / "fixture-diagnostic.yaml"
    broken.write_text(broken.read_text().replace("count: 1", "count: 5"))
    refused = runner.invoke(args=["content", "sync"])
    assert refused.exit_code == 1
    assert "questions/fixture-diagnostic.yaml:7:12: draw[1].count: cannot draw 5 items from 1" in refused.output
    assert "nothing was loaded" in refused.output
    checked = runner.invoke(args=["content", "validate", str(broken)])
    assert checked.exit_code == 1 and "cannot draw 5 items from 1" in checked.output
