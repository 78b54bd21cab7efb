"""``jixiao demo --region`` on SQLite and PostgreSQL: the generated region stored whole, once, with its story, read
back by the analytics as the generator made it, its accounts seeing their own scope, and every page saying
示例数据 while it is loaded."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.demo.region import REGION_CODE, YEARS, region
from jixiao.domain.workflow import Role
from jixiao.services import analytics
from jixiao.services.analytics import Filters
from jixiao.services.context import AppContext
from jixiao.services.demo_region import ACCOUNTS, load_region, present
from jixiao.services.permissions import Actor
from jixiao.storage.models import (
    Organization,
    Project,
    ProjectFacts,
    PublishedSelfEvaluation,
    SelfEvaluation,
    User,
)
from jixiao.web.app import create_app

PROJECTS = 45  # fifteen projects over the three years


def _actor(session: Session, username: str) -> Actor:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return Actor(user.id, Role(user.role), user.organization_id)


def test_the_region_is_stored_once_with_its_story(sessions: sessionmaker[Session]) -> None:
    seen: list[tuple[int, int]] = []
    done = load_region(sessions, PROJECTS, progress=lambda count, total: seen.append((count, total)))
    items = list(region(PROJECTS))
    assert done.loaded and done.projects == len(items) == PROJECTS and seen[-1] == (PROJECTS, PROJECTS)
    assert done.self_evaluations == sum(1 for i in items if i.score is not None) == 30
    assert done.published == 15 and [a[0] for a in done.accounts] == [a[0] for a in ACCOUNTS]
    with sessions() as session:
        assert present(session)
        states = dict(session.execute(select(Project.state, func.count()).group_by(Project.state)).all())
        expected: dict[str, int] = {}
        for item in items:
            expected[item.state] = expected.get(item.state, 0) + 1
        assert states == expected
        assert session.scalar(select(func.count()).select_from(SelfEvaluation)) == 30
        assert session.scalar(select(func.count()).select_from(PublishedSelfEvaluation)
                              .where(PublishedSelfEvaluation.audit.is_not(None))) == 15
        assert session.scalar(select(func.count()).select_from(ProjectFacts)) == PROJECTS
        years = sorted(session.scalars(select(Project.fiscal_year).distinct()))
        assert years == list(YEARS)
        finance = session.scalar(select(Organization).where(Organization.code == REGION_CODE))
        assert finance is not None and "示例数据" in finance.name
        departments = session.scalars(select(Organization).where(Organization.kind == "department"))
        assert {d.parent_id for d in departments} == {finance.id}
    again = load_region(sessions, PROJECTS)
    assert not again.loaded and again.accounts == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Project)) == PROJECTS


def test_the_analytics_read_the_region_as_it_was_made(sessions: sessionmaker[Session]) -> None:
    load_region(sessions, PROJECTS)
    items = list(region(PROJECTS))
    with sessions() as session:
        finance = _actor(session, "demo_finance")
        department = _actor(session, "demo_dept134")
        trends = {row["year"]: row for row in analytics.view(session, finance, "trends", Filters()).rows}
        execution = analytics.view(session, finance, "execution", Filters())
        own = analytics.view(session, department, "money", Filters())
    for year in YEARS:
        made = [i for i in items if i.year == year]
        total = sum((i.table.total_wan or Decimal(0) for i in made), Decimal(0))
        assert trends[str(year)]["projects"] == len(made) and Decimal(trends[str(year)]["total"]) == total
    flagged = {i.table.project_code for i in items if i.score is not None and i.score.total >= 90
               and i.score.execution.rate is not None and i.score.execution.rate < Decimal("0.6")}
    assert {row["code"] for row in execution.extra["flagged"]} == flagged
    mine = [i for i in items if i.table.department and i.table.department.code == "134"]
    assert [(row["department"], row["projects"]) for row in own.rows] == (
        [("示例区民政局", len(mine))] if mine else [])  # a department sees itself only


def test_every_page_says_demo_data_while_the_region_is_loaded(sessions: sessionmaker[Session]) -> None:
    client = TestClient(create_app(AppContext(sessions)))
    assert 'id="demo-banner"' not in client.get("/public").text
    load_region(sessions, 3)
    fresh = TestClient(create_app(AppContext(sessions)))  # a new process asks at once (others within 30 s)
    for path in ("/public", "/login"):
        page = fresh.get(path)
        assert 'id="demo-banner"' in page.text and "均为虚构" in page.text, path
