"""Every HR page and export, and the profile, issue as many queries for 4 managers as for 34."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Attempt, User
from app.services import synthetic_bank
from tests.conftest import login
from tests.web.test_query_counts import counting_queries, queries_for

REPORTS = [
    "/hr/",
    "/hr/?level=junior&since=2020-01-01&until=2030-12-31",
    "/hr/heatmap",
    "/hr/heatmap?sort=risk&dir=desc&since=2020-01-01",
    "/hr/training-needs",
    "/hr/calibration",
    "/people/",
    "/train/exercises/fixture-quiz/analysis",
    *[
        f"/hr/exports/{name}.{kind}"
        for name in ("heatmap", "scores", "attempts", "training-needs")
        for kind in ("csv", "xlsx")
    ],
]


def _by_email(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_reports_and_exports_do_not_grow_with_the_bank(client, content_bank):
    synthetic_bank.generate(managers=4, months=2, seed=1)
    login(client, _by_email("hr@demo.cartera"))
    small = {url: queries_for(client, url) for url in REPORTS}
    synthetic_bank.generate(managers=30, months=6, seed=2)
    large = {url: queries_for(client, url) for url in REPORTS}
    assert small == large


def test_the_profile_does_not_grow_with_a_managers_history(client, content_bank):
    synthetic_bank.generate(managers=12, months=6, seed=4)
    counts = (
        select(Attempt.user_id, func.count())
        .where(Attempt.status == "scored")
        .group_by(Attempt.user_id)
        .order_by(func.count(), Attempt.user_id)
    )
    ranked = db.session.execute(counts).all()
    (quiet, few), (busy, many) = ranked[0], ranked[-1]
    assert many >= 3 * few
    pages = {}
    for user_id in (quiet, busy):
        user = db.session.get(User, user_id)
        login(client, user)
        kept = queries_for(client, "/learn/profile")  # the page this process rendered already
        user.profile_version += 1  # as a scoring bumps it: the page is rendered again
        db.session.commit()
        with counting_queries() as statements:
            assert client.get("/learn/profile").status_code == 200
        pages[user_id] = [kept, len(statements), queries_for(client, "/learn/profile/ethics")]
    assert pages[quiet] == pages[busy]
    assert pages[busy][0] < pages[busy][1]
