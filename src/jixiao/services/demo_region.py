"""The generated multi-year demo region (``jixiao demo --region``): stored as if its units had used jixiao for years.

The tables (:mod:`jixiao.demo.region`) go in through the importer's own storing step (organisations, projects,
versions, the review summary), then each project is put where its story says: approved and published, or
somewhere in this year's workflow, with the unit's 自评 (scored by the region's profile, with its arithmetic) and,
for the last past year, the published 自评表 with its audit. Everything is in chunks of one transaction each, so
an interrupted load leaves whole projects, and a second run finds the region and adds nothing. The pages say
示例数据 while the region is in the database (:func:`present`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.demo.region import DEFAULT_PROJECTS, FINANCE_NAME, REGION_CODE, REGION_NAME, RegionProject, region
from jixiao.domain.workflow import Role
from jixiao.scoring.report import project_to_dict
from jixiao.services import library_build, selfeval_imports
from jixiao.services.accounts import add_user, issue_token
from jixiao.services.imports import _store_table
from jixiao.storage.models import ImportBatch, Organization, Project, ReviewRecord, SelfEvaluation
from jixiao.storage.repository import latest_version
from jixiao.storage.search import search_text

CHUNK = 100  # project-years per transaction
BATCH_NAME = f"示例数据：{REGION_NAME}（jixiao demo --region 生成，数字均为虚构）"
# The steps that bring a table to its state, as the review history shows them (from, action, to).
_STEPS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "draft": (),
    "submitted": (("draft", "submit", "submitted"),),
    "department_review": (("draft", "submit", "submitted"), ("submitted", "start_review", "department_review")),
    "finance_review": (("draft", "submit", "submitted"), ("submitted", "start_review", "department_review"),
                       ("department_review", "forward", "finance_review")),
    "approved": (("draft", "submit", "submitted"), ("submitted", "start_review", "department_review"),
                 ("department_review", "forward", "finance_review"), ("finance_review", "approve", "approved")),
    "returned": (("draft", "submit", "submitted"), ("submitted", "start_review", "department_review"),
                 ("department_review", "return", "returned")),
}
RETURN_COMMENT = "（示例）年度目标与绩效指标不对应，请补充数量指标后重新提交"
ACCOUNTS = (("demo_finance", Role.FINANCE_REVIEWER, REGION_CODE, f"{FINANCE_NAME}绩效科"),
            ("demo_dept134", Role.DEPARTMENT_REVIEWER, "134", f"{REGION_NAME}民政局审核人（示例）"))


@dataclass(slots=True)
class RegionResult:
    loaded: bool  # False: the region was already there
    projects: int = 0
    self_evaluations: int = 0
    published: int = 0
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # (user, role, password, token)


def present(session: Session) -> bool:
    """Whether the demo region is in this database (the pages' 示例数据 banner). A database not migrated yet (or
    not reachable) holds no region: the banner is not what should fail a page, least of all an error page."""
    try:
        return session.scalar(select(Organization.id).where(Organization.code == REGION_CODE)) is not None
    except SQLAlchemyError:
        session.rollback()
        return False


def _actual_text(item: RegionProject, index: int) -> str | None:
    found = (item.actuals or {}).get(index)
    return found.value.text if found is not None and found.value is not None else None


def _store(session: Session, item: RegionProject, batch: ImportBatch, finance: Organization,
           region_profile: profiles.RegionProfile) -> tuple[int, int]:
    _store_table(session, item.table, batch, None)
    project = session.scalar(select(Project).where(Project.code == item.table.project_code))
    assert project is not None
    unit = session.get(Organization, project.unit_id) if project.unit_id else None
    department = session.get(Organization, unit.parent_id) if unit is not None and unit.parent_id else None
    if department is not None and department.parent_id is None:
        department.parent_id = finance.id
    version = latest_version(session, project.id)
    assert version is not None
    for before, action, after in _STEPS[item.state]:
        session.add(ReviewRecord(version_id=version.id, action=action, from_state=before, to_state=after,
                                 comment=RETURN_COMMENT if action == "return" else None))
    project.state = item.state
    if item.state == "approved":
        project.published_version = version.number
        project.published_name = version.content.get("project_name") or project.name
        project.published_search_text = search_text(version.content)
    evaluations = published = 0
    if item.score is not None:
        result = project_to_dict(item.score) | {"funding_splits": {}, "goal_achieved": "（示例）年度绩效目标基本实现"}
        actuals = [{"indicator": row.name, "actual": _actual_text(item, index)}
                   for index, row in enumerate(item.table.indicators)]
        budget = item.score.execution.budget
        reported: dict[str, Any] = {"actuals": actuals, "budget": {} if budget is None else {
            "adjusted": format(budget.adjusted, "f") if budget.adjusted is not None else None,
            "executed": format(budget.executed, "f") if budget.executed is not None else None}}
        session.add(SelfEvaluation(version_id=version.id, reported=reported, result=result, total=item.score.total,
                                   grade=item.score.grade, profile=region_profile.scoring.profile, state="approved"))
        evaluations = 1
    if item.published is not None:
        session.flush()
        published = int(selfeval_imports.store(session, item.published, project, "code", batch, None, region_profile))
    return evaluations, published


def _chunks(items: Iterable[RegionProject]) -> Iterable[list[RegionProject]]:
    chunk: list[RegionProject] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def load_region(sessions: sessionmaker[Session], projects: int = DEFAULT_PROJECTS, seed: int = 2026,
                progress: Callable[[int, int], None] | None = None,
                region_profile: profiles.RegionProfile | None = None) -> RegionResult:
    """Store the generated region (about ``projects`` project-years) unless it is there; ``progress(done, total)``
    after each chunk; then the indicator library is built and the region's demo accounts are made."""
    chosen = region_profile or profiles.load()
    with sessions.begin() as session:
        if present(session):
            return RegionResult(False)
        session.add(Organization(code=REGION_CODE, name=FINANCE_NAME, kind="finance"))
        session.add(ImportBatch(file_name=BATCH_NAME, content_hash=f"demo-region-{seed}-{projects}-"
                                                                    f"{secrets.token_hex(4)}"))
    result = RegionResult(True)
    total = -(-projects // 3) * 3
    for chunk in _chunks(region(projects, seed)):
        with sessions.begin() as session:
            finance = session.scalar(select(Organization).where(Organization.code == REGION_CODE))
            batch = session.scalar(select(ImportBatch).where(ImportBatch.file_name == BATCH_NAME)
                                   .order_by(ImportBatch.id.desc()).limit(1))
            assert finance is not None and batch is not None
            for item in chunk:
                evaluations, published = _store(session, item, batch, finance, chosen)
                result.self_evaluations += evaluations
                result.published += published
            batch.tables += len(chunk)
        result.projects += len(chunk)
        if progress is not None:
            progress(result.projects, total)
    library_build.build(sessions, chosen.rules.name, chosen.rules.library_min_projects)
    for username, role, organization, name in ACCOUNTS:
        password = secrets.token_urlsafe(12)
        add_user(sessions, username, password, role, organization, name)
        result.accounts.append((username, role.value, password, issue_token(sessions, username, "示例数据")))
    return result

