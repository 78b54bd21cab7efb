"""Small reads the pages need beside the main queries (what an import touched, one stored self-evaluation)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.services.errors import NotFound
from jixiao.services.permissions import Actor, require_visible
from jixiao.storage.models import Project, PublishedSelfEvaluation, SelfEvaluation, TableVersion


class RecordNotFound(NotFound):
    """No such stored self-evaluation or monitoring record of a visible project."""

    code = "record_not_found"
    summary = "项目没有这条自评或监控记录"


def projects_of_batch(session: Session, batch_id: int) -> list[tuple[str, str | None]]:
    """(code, name) of every project an import batch stored a version of (a target table or a published
    self-evaluation), by code."""
    tables = select(TableVersion.project_id).where(TableVersion.import_batch_id == batch_id)
    evaluations = select(PublishedSelfEvaluation.project_id).where(PublishedSelfEvaluation.import_batch_id == batch_id)
    rows = session.execute(select(Project.code, Project.name).where(Project.id.in_(tables) | Project.id.in_(
        evaluations)).order_by(Project.code))
    return [(code, name) for code, name in rows]


def stored_self_evaluation(session: Session, actor: Actor, code: str, record: int) -> tuple[str, dict[str, Any]]:
    """(profile, result) of self-evaluation ``record`` of project ``code`` as ``actor`` may see it."""
    project = require_visible(session, actor, code)
    stored = session.scalar(select(SelfEvaluation).join(TableVersion).where(
        SelfEvaluation.id == record, TableVersion.project_id == project.id))
    if stored is None:
        raise RecordNotFound(f"没有第{record}号自评记录")
    return stored.profile, stored.result
