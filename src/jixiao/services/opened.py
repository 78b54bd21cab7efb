"""Whether a reviewer has opened a submission: what decides if the unit may still withdraw (撤回) it.

"Opened" means someone whose turn it is viewed the submitted version — its project page or its API
detail while it was submitted — or a reviewer acted on it (a review comment or a workflow step after the
submission). Whose turn: the roles that may take it up from 已提交 (the 主管部门审核人) and administrators,
who may take any step; a 财政部门审核人 looking at a table still at the department stage opens nothing.
Views are recorded per submission (its ``submit`` review record) and viewer, under the project's row
lock, so a view and a withdrawal at the same moment are ordered: either the view comes first and the
withdrawal is refused, or the withdrawal comes first and nothing is recorded.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import ROLE_LABELS, TRANSITIONS, Action, Role, State
from jixiao.services.permissions import Actor, ProjectNotFound, require_visible
from jixiao.storage.models import ReviewRecord, SubmissionView, TableVersion, User
from jixiao.storage.repository import lock_project

# Whose view of a submission counts: who may move it on from 已提交 (not a return, nor the unit's own withdrawal).
OPENERS = frozenset({Role.ADMIN}).union(*(t.roles for t in TRANSITIONS.values() if State.SUBMITTED in t.sources
                                           and t.action not in (Action.RETURN, Action.WITHDRAW)))


def current_submission(session: Session, project_id: int) -> ReviewRecord | None:
    """The project's latest ``submit`` record (the one that put it in 已提交, when it is submitted)."""
    return session.scalar(select(ReviewRecord).join(TableVersion).where(
        TableVersion.project_id == project_id, ReviewRecord.action == "submit").order_by(ReviewRecord.id.desc())
        .limit(1))


def note_view(sessions: sessionmaker[Session], actor: Actor, code: str) -> None:
    """Record that someone whose turn it is (:data:`OPENERS`) opened the project's current submission (nothing
    for anyone else or any other state; a project the actor may not see is left to the read that follows,
    which refuses it)."""
    if actor.role not in OPENERS or actor.user_id is None:
        return
    with sessions.begin() as session:
        try:
            project = require_visible(session, actor, code)
        except ProjectNotFound:
            return
        if project.state != State.SUBMITTED.value:
            return
        if not lock_project(session, project, State.SUBMITTED.value):  # ordered with a withdrawal
            return
        submission = current_submission(session, project.id)
        if submission is None or session.scalar(select(SubmissionView.id).where(
                SubmissionView.submission_id == submission.id, SubmissionView.user_id == actor.user_id)):
            return
        session.add(SubmissionView(submission_id=submission.id, user_id=actor.user_id))


def _who(row: tuple[str, str] | None) -> str | None:
    if row is None:
        return None
    name, role = row
    label = ROLE_LABELS[Role(role)] if role in {r.value for r in Role} else role
    return f"{label} {name}"


def opened_by(session: Session, project_id: int) -> str | None:
    """Who has opened the project's current submission ("主管部门审核人 张三"), or ``None`` when nobody has.
    Call it while the project is submitted."""
    submission = current_submission(session, project_id)
    if submission is None:
        return None
    viewed = session.execute(
        select(User.display_name, User.role).join(SubmissionView, SubmissionView.user_id == User.id)
        .where(SubmissionView.submission_id == submission.id, User.role.in_([r.value for r in OPENERS]))
        .order_by(SubmissionView.id).limit(1)).first()  # (views recorded before OPENERS held: finance ones)
    if viewed is not None:
        return _who((viewed[0], viewed[1]))
    acted = session.execute(select(User.display_name, User.role).join(ReviewRecord, ReviewRecord.user_id == User.id)
                            .join(TableVersion, TableVersion.id == ReviewRecord.version_id)
                            .where(TableVersion.project_id == project_id, ReviewRecord.id > submission.id)
                            .order_by(ReviewRecord.id).limit(1)).first()
    return _who((acted[0], acted[1])) if acted is not None else None
