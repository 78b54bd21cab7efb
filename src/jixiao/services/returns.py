"""Which tables were returned (退回) to their unit, by whom and why: for the badge, the banner and my work.

A table is returned while it is a draft whose last workflow step was a return; once the unit submits it
again (or it is withdrawn, saved or adjusted into a new step) the badge goes. One query serves a whole
page of the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao.domain.workflow import ROLE_LABELS, Action, Role, State
from jixiao.storage.models import Project, ReviewRecord, TableVersion, User


def person(name: str | None, role: str | None) -> str:
    """"主管部门审核人 张三": the role label and the display name (either may be missing)."""
    label = ROLE_LABELS[Role(role)] if role in {r.value for r in Role} else ""
    return " ".join(part for part in (label, name) if part) or "系统"


def returned(session: Session, projects: Iterable[Project]) -> dict[int, dict[str, Any]]:
    """Project id → the return that sent it back (``by``, ``comment``, ``at``, ``version``), for the drafts
    among ``projects`` whose last workflow step was a return."""
    ids = [p.id for p in projects if p.state == State.DRAFT.value]
    if not ids:
        return {}
    last = (select(func.max(ReviewRecord.id)).join(TableVersion).where(
        TableVersion.project_id.in_(ids), ReviewRecord.action != "comment").group_by(TableVersion.project_id))
    rows = session.execute(
        select(TableVersion.project_id, TableVersion.number, ReviewRecord, User.display_name, User.role)
        .join(ReviewRecord, ReviewRecord.version_id == TableVersion.id)
        .outerjoin(User, User.id == ReviewRecord.user_id)
        .where(ReviewRecord.id.in_(last), ReviewRecord.action == Action.RETURN.value))
    return {project_id: {"by": person(name, role), "comment": record.comment, "at": record.at, "version": number,
                         "from_state": record.from_state}
            for project_id, number, record, name, role in rows}
