"""No one reviews their own submission (issue 18 item 4), on both databases: the target table's workflow."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, Role
from jixiao.services.errors import OwnSubmissionRefused, as_service_error
from jixiao.services.permissions import Actor
from jixiao.services.queries import show_project
from jixiao.services.workflow import transition
from jixiao.storage.models import Project, User

COPY = "50011522T000000157087"


def _admin(sessions: sessionmaker[Session], name: str) -> Actor:
    with sessions.begin() as session:
        user = User(username=name, display_name=name, role=Role.ADMIN.value)
        session.add(user)
        session.flush()
        return Actor(user.id, Role.ADMIN)


def test_an_administrator_who_submitted_may_not_review_it(sessions: sessionmaker[Session],
                                                          actors: dict[str, Actor]) -> None:
    admin = _admin(sessions, "admin")
    transition(sessions, admin, COPY, Action.SUBMIT)
    with sessions() as session:
        assert "start_review" not in show_project(session, admin, COPY)["actions"]  # no button either
    for action in (Action.START_REVIEW, Action.RETURN):
        with pytest.raises(OwnSubmissionRefused, match=r"不能.*自己提交的绩效目标表") as refused:
            transition(sessions, admin, COPY, action, "意见")
        assert refused.value.code == "own_submission" and refused.value.status == 403
    with sessions() as session:
        assert session.scalar(select(Project.state).where(Project.code == COPY)) == "submitted"
    other = _admin(sessions, "admin2")
    assert transition(sessions, other, COPY, Action.START_REVIEW).to_state == "department_review"
    with pytest.raises(OwnSubmissionRefused):  # every later review step too, not only the first
        transition(sessions, admin, COPY, Action.FORWARD)


def test_a_user_whose_role_changed_may_not_approve_what_they_submitted(sessions: sessionmaker[Session],
                                                                       actors: dict[str, Actor]) -> None:
    unit = actors["unit"]
    transition(sessions, unit, COPY, Action.SUBMIT)
    transition(sessions, actors["department"], COPY, Action.START_REVIEW)
    transition(sessions, actors["department"], COPY, Action.FORWARD)
    with sessions.begin() as session:  # the same person, now also the finance bureau's reviewer
        user = session.get(User, unit.user_id)
        assert user is not None
        user.role, user.organization_id = Role.FINANCE_REVIEWER.value, None
    promoted = Actor(unit.user_id, Role.FINANCE_REVIEWER)
    with pytest.raises(OwnSubmissionRefused, match="不能批复自己提交的"):
        transition(sessions, promoted, COPY, Action.APPROVE)
    assert transition(sessions, actors["finance"], COPY, Action.APPROVE).to_state == "approved"


def test_the_domain_refusal_maps_to_the_typed_error() -> None:
    from jixiao.domain.workflow import OwnSubmission

    found = as_service_error(OwnSubmission("不能批复自己提交的绩效目标表"))
    assert isinstance(found, OwnSubmissionRefused) and found.code == "own_submission"
