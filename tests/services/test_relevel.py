"""When a sync changes the framework's thresholds, the stored levels follow in the same transaction."""

from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.domain.profile import measured_level
from app.extensions import db
from app.models import ProfileScore
from app.services import attempts, content_loader, profiles

FRAMEWORK = Path(__file__).resolve().parents[2] / "rubrics" / "framework.yaml"


def stored(user):
    return {r.competency: r for r in db.session.scalars(select(ProfileScore).where(ProfileScore.user_id == user.id))}


def test_new_thresholds_recompute_every_stored_level(content_bank, make_user):
    (content_bank / "rubrics").mkdir(exist_ok=True)
    # The real framework, without the pool items its seed phrases point at (the fixture bank has none).
    lines = FRAMEWORK.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(("    behaviour_items:", '      "'))]
    (content_bank / "rubrics" / "framework.yaml").write_text("".join(kept), encoding="utf-8")
    content_loader.sync(root=content_bank)
    manager = make_user("manager")
    quiz = attempts.start(manager, "fixture-quiz")
    fields = MultiDict([("answer-fx-best-worst-best", "b"), ("answer-fx-best-worst-worst", "c")])
    attempts.save_answers(quiz, fields, "en", ["fx-best-worst"])
    attempts.submit(quiz)
    before = stored(manager)
    assert before["risk"].score == pytest.approx(500 / 6) and before["risk"].level is None  # weight 1 < 8

    framework = content_bank / "rubrics" / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    assert "level_thresholds: [40, 60, 80]" in text and "evidence_threshold: 8" in text
    text = text.replace("level_thresholds: [40, 60, 80]", "level_thresholds: [50, 70, 90]")
    framework.write_text(text.replace("evidence_threshold: 8", "evidence_threshold: 1"), encoding="utf-8")
    content_loader.sync(root=content_bank)

    after = stored(manager)
    assert after["risk"].level == 3  # 83.3 with the evidence now enough: below the new 90
    for row in after.values():
        assert row.level == measured_level(row.score, row.evidence, [50, 70, 90], 1), row.competency


@pytest.mark.parametrize("score", [0, 39.99, 40, 59.5, 60, 79.99, 80, 100])
@pytest.mark.parametrize("evidence", [0.5, 3, 7])
def test_the_sql_relevel_says_what_measured_level_says(make_user, score, evidence):
    manager = make_user("manager")
    db.session.add(ProfileScore(user_id=manager.id, competency="risk", score=score, evidence=evidence, level=None))
    db.session.flush()
    profiles.relevel([40, 60, 80], 3)
    db.session.expire_all()
    assert stored(manager)["risk"].level == measured_level(score, evidence, [40, 60, 80], 3)
