"""The grading pages issue as many queries for 3 written answers as for 15, in every state."""

from itertools import cycle

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Grading, GradingTask
from app.services import attempts, grading
from app.services.grading import GradeInput
from tests.conftest import login
from tests.web.test_query_counts import queries_for

LEVELS = cycle([{"goals": "2", "tone": "3"}, {"goals": "0", "tone": "0"}, {"goals": "2", "tone": "1"}])


def _answers(make_user, units, trainers, how_many: int) -> None:
    """Written answers by new managers: one in three left waiting, the rest graded and moderated."""
    for n in range(how_many):
        manager = make_user("manager", unit=units[n % len(units)])
        attempt = attempts.start(manager, "fixture-quiz")
        body = attempt.exercise_version.body
        body["settings"] = {**body["settings"], "moderation_percent": 100, "anonymous_grading": n % 2 == 0}
        flag_modified(attempt.exercise_version, "body")
        attempts.save_answers(attempt, MultiDict({"answer-fx-open": f"Plan {n}"}), "es", ["fx-open"])
        attempts.submit(attempt)
        if n % 3:
            for trainer in trainers:
                task = db.session.scalar(
                    select(GradingTask)
                    .join(Grading)
                    .where(Grading.attempt_id == attempt.id, GradingTask.done_at.is_(None))
                )
                if task is None:
                    break
                grading.claim(trainer, task)
                grading.save(trainer, task, GradeInput(next(LEVELS), {"goals": "ok"}, "bien"), submit=True)
    db.session.commit()


def test_grading_pages_do_not_grow_with_the_answers(client, content_bank, bank, make_user):
    trainers = [make_user("trainer", scope=(bank["bank"],)) for _ in range(3)]
    viewer = make_user("trainer", scope=(bank["bank"],))
    units = [bank["bilbao"], bank["sevilla"]]
    urls = [
        "/train/",
        "/train/grading/",
        "/train/grading/?mine=y&career_level=junior",
        f"/train/grading/?org_unit={bank['north'].id}",
        "/train/grading/responses",
        "/train/grading/agreement",
    ]
    _answers(make_user, units, trainers, 3)
    login(client, viewer)
    small = {url: queries_for(client, url) for url in urls}
    _answers(make_user, units, trainers, 12)
    login(client, viewer)
    large = {url: queries_for(client, url) for url in urls}
    assert small == large
    assert grading.queue(viewer, grading.QueueFilters()).total == 5  # one in three of the 15 waits
    assert grading.agreement(viewer)[0].overall.pairs == 2 * 10  # two criteria of the ten moderated
