"""Workflow and tenancy on both databases: every transition, and other tenants refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, WorkflowError
from jixiao.services.permissions import PUBLIC, Actor, PermissionDenied, visible_projects
from jixiao.services.workflow import transition
from jixiao.storage.models import (
    AuditEntry,
    Project,
    ReviewRecord,
    StoredFinding,
    TableVersion,
)

COPY = "50011522T000000157087"  # 免费复印: warnings only
MAIL = "50011522T000000132376"  # 免费邮寄: blank total → error findings


def test_the_whole_path_is_recorded(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    steps = [(Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"), (Action.FORWARD, "department"),
             (Action.APPROVE, "finance")]
    for action, who in steps:
        transition(sessions, actors[who], COPY, action)
    with sessions() as session:
        project = session.scalar(select(Project).where(Project.code == COPY))
        assert project is not None and project.state == "approved"
        records = session.scalars(select(ReviewRecord).order_by(ReviewRecord.id)).all()
        assert [(r.from_state, r.to_state) for r in records] == [
            ("draft", "submitted"), ("submitted", "department_review"), ("department_review", "finance_review"),
            ("finance_review", "approved")]
        assert session.scalar(select(StoredFinding.code).where(StoredFinding.severity == "warning")) == "T002"
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action.like("workflow.%"))).all()) == 4


def test_return_needs_a_comment_and_goes_back_to_draft(sessions: sessionmaker[Session],
                                                       actors: dict[str, Actor]) -> None:
    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    with pytest.raises(WorkflowError, match="必须填写意见"):
        transition(sessions, actors["department"], COPY, Action.RETURN)
    result = transition(sessions, actors["department"], COPY, Action.RETURN, comment="年度目标所述金额与总额不符")
    assert (result.from_state, result.to_state) == ("submitted", "draft")


def test_error_findings_need_an_override_with_a_reason(sessions: sessionmaker[Session],
                                                       actors: dict[str, Actor]) -> None:
    with pytest.raises(WorkflowError, match="2 条错误级问题"):
        transition(sessions, actors["unit"], MAIL, Action.SUBMIT)
    with sessions() as session:  # the refused attempt left nothing behind
        assert session.scalar(select(Project.state).where(Project.code == MAIL)) == "draft"
        assert session.scalars(select(StoredFinding)).all() == []
    result = transition(sessions, actors["unit"], MAIL, Action.SUBMIT, override_reason="金额待财政核定后补录")
    assert result.errors_overridden == 2
    with sessions() as session:
        record = session.scalar(select(ReviewRecord))
        assert record is not None and record.override_reason == "金额待财政核定后补录"


def test_adjusting_an_approved_table_makes_a_new_version(sessions: sessionmaker[Session],
                                                         actors: dict[str, Actor]) -> None:
    for action, who in [(Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"), (Action.FORWARD, "department"),
                        (Action.APPROVE, "finance")]:
        transition(sessions, actors[who], COPY, action)
    result = transition(sessions, actors["unit"], COPY, Action.ADJUST, comment="年中追加预算")
    assert (result.to_state, result.version) == ("draft", 2)
    with sessions() as session:
        numbers = session.scalars(select(TableVersion.number).join(Project).where(Project.code == COPY)).all()
        assert sorted(numbers) == [1, 2]  # the approved version is kept


@pytest.mark.parametrize(("who", "action"), [("other_unit", Action.SUBMIT), ("other_department", Action.RETURN)])
def test_other_tenants_are_refused(sessions: sessionmaker[Session], actors: dict[str, Actor], who: str,
                                   action: Action) -> None:
    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    with pytest.raises(PermissionDenied, match="无权查看"):
        transition(sessions, actors[who], COPY, action, comment="x")


def test_wrong_role_is_refused(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    with pytest.raises(WorkflowError, match="当前角色不能提交"):
        transition(sessions, actors["department"], COPY, Action.SUBMIT)
    with pytest.raises(PermissionDenied):
        transition(sessions, PUBLIC, COPY, Action.SUBMIT)


def test_who_sees_what(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    with sessions() as session:
        def seen(actor: Actor) -> int:
            return len(session.scalars(visible_projects(session, actor)).all())

        assert seen(actors["unit"]) == 9 and seen(actors["department"]) == 9 and seen(actors["finance"]) == 9
        assert seen(actors["other_unit"]) == 0 and seen(actors["other_department"]) == 0
        assert seen(PUBLIC) == 0  # nothing approved yet
