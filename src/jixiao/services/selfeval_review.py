"""The review of a unit's self-evaluation (自评审核): approved or returned by a reviewer who did not submit it.

A stored self-evaluation is ``submitted`` until a department or finance reviewer (or an administrator) other
than its submitter approves it (``approved``) or returns it with a comment (``returned``: the unit hands in a
new one). Once a project has an approved self-evaluation its actuals are locked (:func:`require_unlocked`):
a change goes through a correction request (:mod:`corrections`). Every step is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import OwnSubmission, refuse_own
from jixiao.services.errors import Conflict, NotFound, OwnSubmissionRefused
from jixiao.services.permissions import Ability, Actor, require, require_visible
from jixiao.storage.models import AuditEntry, Project, SelfEvaluation, TableVersion
from jixiao.storage.repository import lock_project

STATE_LABELS = {"submitted": "待审核", "approved": "已审核通过", "returned": "已退回"}
VERBS = {"approve": "审核通过", "return": "退回"}


class SelfEvalNotFound(NotFound):
    """No such self-evaluation of the project (or one the caller may not see)."""

    code = "selfeval_not_found"
    summary = "项目没有这份自评，或无权查看"


class SelfEvalReviewRefused(Conflict):
    """The self-evaluation cannot be reviewed now (already decided, a newer one exists, no comment to return)."""

    code = "selfeval_review_refused"
    summary = "这份自评当前不能审核（已审核、已有更新的自评，或退回未填写意见）"


class ActualsLocked(Conflict):
    """The project's self-evaluation is approved: its actuals change only through a correction request."""

    code = "actuals_locked"
    summary = "自评已审核通过，实际完成值已锁定：如需修改，请提交更正申请"


def record_of(session: Session, project: Project, record_id: int) -> SelfEvaluation:
    """The project's self-evaluation ``record_id`` (:class:`SelfEvalNotFound` when it is another project's)."""
    found = session.scalar(select(SelfEvaluation).join(TableVersion, TableVersion.id == SelfEvaluation.version_id)
                           .where(SelfEvaluation.id == record_id, TableVersion.project_id == project.id))
    if found is None:
        raise SelfEvalNotFound(f"项目“{project.code}”没有第{record_id}号自评，或无权查看")
    return found


def latest_of(session: Session, project: Project) -> SelfEvaluation | None:
    return session.scalar(select(SelfEvaluation).join(TableVersion, TableVersion.id == SelfEvaluation.version_id)
                          .where(TableVersion.project_id == project.id).order_by(SelfEvaluation.id.desc()).limit(1))


def require_unlocked(session: Session, project: Project) -> None:
    """Refuse a new self-evaluation of a project whose self-evaluation is approved (:class:`ActualsLocked`)."""
    approved = select(SelfEvaluation.id).join(TableVersion, TableVersion.id == SelfEvaluation.version_id).where(
        TableVersion.project_id == project.id, SelfEvaluation.state == "approved")
    if session.scalar(select(exists(approved))):
        raise ActualsLocked(f"项目“{project.code}”的自评已审核通过，实际完成值已锁定，不能重新填报："
                            "如需更正，请提交更正申请（说明更正哪一项、原值、新值和理由），由审核人批准")


def review(sessions: sessionmaker[Session], actor: Actor, code: str, record_id: int, action: str,
           comment: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """``action`` "approve" (审核通过) or "return" (退回, a comment required) of the project's latest
    self-evaluation, by a reviewer who did not submit it (:class:`OwnSubmissionRefused`)."""
    require(actor, Ability.REVIEW_SELFEVAL)
    if action not in VERBS:
        raise SelfEvalReviewRefused(f"没有“{action[:20]}”这个操作（可选：审核通过、退回）")
    text = (comment or "").strip() or None
    with sessions.begin() as session:
        project = require_visible(session, actor, code)
        lock_project(session, project)
        record = record_of(session, project, record_id)
        try:
            refuse_own(VERBS[action], "自评", actor.user_id, record.submitted_by)
        except OwnSubmission as error:
            raise OwnSubmissionRefused(str(error)) from None
        if record.state != "submitted":
            raise SelfEvalReviewRefused(f"第{record.id}号自评{STATE_LABELS.get(record.state, record.state)}，"
                                        "不能再审核")
        newest = latest_of(session, project)
        if newest is not None and newest.id != record.id:
            raise SelfEvalReviewRefused(f"第{record.id}号自评之后单位又提交了第{newest.id}号自评：请审核最新的一份")
        if action == "return" and text is None:
            raise SelfEvalReviewRefused("退回自评必须填写意见")
        before = record.state
        record.state = "approved" if action == "approve" else "returned"
        record.reviewed_by, record.reviewed_at = actor.user_id, now or datetime.now(UTC)
        record.review_comment = text
        session.add(AuditEntry(user_id=actor.user_id, action=f"selfeval.{action}", object_type="self_evaluation",
                               object_id=record.id, before={"state": before},
                               after={"state": record.state, "project": project.code}, note=text))
        return {"id": record.id, "project": project.code, "state": record.state,
                "state_label": STATE_LABELS[record.state], "comment": text}
