"""The list's 问题级别 filter finds what the project page shows (issue 13 point 4), on both databases."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services import queries
from jixiao.services.context import AppContext, migrate
from jixiao.services.editing import check_draft, save_draft
from jixiao.services.permissions import Actor
from jixiao.storage.models import Project
from tests.storage.test_workflow_service import MAIL


def _codes(sessions: sessionmaker[Session], actor: Actor, **filters: object) -> set[str]:
    with sessions() as session:
        return {i["code"] for i in queries.list_projects(session, actor, **filters)["items"]}  # type: ignore[arg-type]


def test_the_severity_filter_follows_the_live_findings_of_the_current_version(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    finance = actors["finance"]
    with sessions() as session:
        content = dict(queries.show_project(session, finance, MAIL)["table"])
    shown = check_draft(content)  # what the project page shows
    assert [f["severity"] for f in shown.findings] == ["error", "error"]
    assert MAIL in _codes(sessions, finance, severity="error")  # never submitted, still 有错误
    assert MAIL not in _codes(sessions, finance, severity="none")
    assert MAIL in _codes(sessions, finance, grade=shown.grade)
    fixed = content | {"total_wan": "40.00", "execution_weight": "10", "funding": {"fiscal": "40.00"}}
    save_draft(sessions, actors["unit"], MAIL, fixed, 1)
    assert MAIL in _codes(sessions, finance, severity="none")
    assert MAIL not in _codes(sessions, finance, severity="error")
    assert MAIL in _codes(sessions, finance, grade="优")


def test_migrate_refills_the_columns_of_a_database_stored_before(sessions: sessionmaker[Session],
                                                                 actors: dict[str, Actor]) -> None:
    with sessions.begin() as session:  # as migration 0009 leaves an older database
        session.execute(update(Project).values(worst_severity=None, review_grade=None))
    assert _codes(sessions, actors["finance"], severity="error") == set()
    migrate(AppContext(sessions))
    assert MAIL in _codes(sessions, actors["finance"], severity="error")
