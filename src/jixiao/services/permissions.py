"""Who may see and act on which project (tenancy), checked in the service layer, not in routes.

A unit sees its own projects; a department sees its units'; the finance bureau sees its region
(every organisation under it, or everything when it has no organisation); the public sees
approved tables only (the version that was approved).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jixiao.domain.workflow import ROLE_LABELS, Role
from jixiao.services.errors import Forbidden
from jixiao.storage.models import Organization, Project


class PermissionDenied(Forbidden, PermissionError):
    """Refused for lack of rights; the message is Chinese and names nothing the caller may not see."""


class ProjectNotFound(PermissionDenied):
    """No such project, or one the caller may not see: the two are deliberately not told apart
    (404; the code stays ``forbidden`` as the API has always answered)."""

    status = 404
    summary = "没有这个项目，或无权查看（两者不作区分）"


class VersionNotFound(PermissionDenied):
    """No such version of a visible project (or one the public may not see)."""

    status = 404
    code = "version_not_found"
    summary = "项目没有这一版，或该版本不公开"


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    role: Role | None  # None: the public
    organization_id: int | None = None

    @property
    def is_public(self) -> bool:
        return self.role is None


PUBLIC = Actor(None, None)


def _subtree(session: Session, root: int) -> set[int]:
    found, frontier = {root}, {root}
    while frontier:
        children = set(session.scalars(select(Organization.id).where(Organization.parent_id.in_(frontier))))
        frontier = children - found
        found |= frontier
    return found


def sees_everything(actor: Actor) -> bool:
    """An administrator, or a finance reviewer of no particular department: every project, in every state."""
    return actor.role is Role.ADMIN or (actor.role is Role.FINANCE_REVIEWER and actor.organization_id is None)


def visible_projects(session: Session, actor: Actor) -> Select[Project]:
    """A query of the projects ``actor`` may see (filters and paging are added by callers)."""
    query = select(Project)
    if actor.is_public:  # approved once: the approved version stays public while an adjustment is reviewed
        return query.where(Project.published_version.is_not(None))
    if sees_everything(actor):
        return query
    if actor.organization_id is None:
        return query.where(Project.id.is_(None))
    if actor.role is Role.UNIT_EDITOR:
        return query.where(Project.unit_id == actor.organization_id)
    return query.where(Project.unit_id.in_(_subtree(session, actor.organization_id)))


def require_visible(session: Session, actor: Actor, code: str) -> Project:
    project = session.scalar(visible_projects(session, actor).where(Project.code == code))
    if project is None:
        raise ProjectNotFound(f"没有项目“{code}”，或无权查看")
    return project


class Ability(StrEnum):
    """What a role may do beyond reading (the workflow steps themselves are ``domain.workflow.available``)."""

    IMPORT = "import"  # 导入 files of tables
    EDIT = "edit"  # 修改 a draft in the editor
    REPORT = "report"  # 填报 self-evaluations and monitoring
    COMMENT = "comment"  # 审核意见 on a table
    AUDIT = "audit"  # read the whole audit log
    RECHECK = "recheck"  # 复核 of published self-evaluations: draw a sample, re-score, report
    CURATE_LIBRARY = "curate_library"  # 指标库: approve, merge, rename, retire, mark 核心指标, import
    PROPOSE_LIBRARY = "propose_library"  # 指标库: propose an entry (the finance bureau curates it)
    BUDGET = "budget"  # 结果应用: the 下年预算安排建议表 and the decisions on it
    RECTIFY_ASSIGN = "rectify_assign"  # 整改: make an item from a finding, confirm or return a response
    RECTIFY_RESPOND = "rectify_respond"  # 整改: start an item and respond with evidence (the owning unit)
    RECTIFY_SUMMARY = "rectify_summary"  # 整改: the finance bureau's summary by department, and its export
    LINK = "link"  # 跨年度: correct which project of an earlier year a project continues
    REVIEW_SELFEVAL = "review_selfeval"  # 审核 a unit's self-evaluation and decide its correction requests
    DEPARTMENT_REPORT = "department_report"  # 部门自评综合报告 over a department's projects of a year
    ANALYTICS = "analytics"  # 统计分析: the charts across departments and years, on the projects one may see


ALLOWED: dict[Ability, frozenset[Role]] = {
    Ability.IMPORT: frozenset({Role.UNIT_EDITOR, Role.ADMIN}),
    Ability.EDIT: frozenset({Role.UNIT_EDITOR, Role.ADMIN}),
    Ability.REPORT: frozenset({Role.UNIT_EDITOR, Role.ADMIN}),
    Ability.COMMENT: frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER, Role.ADMIN}),
    Ability.AUDIT: frozenset({Role.FINANCE_REVIEWER, Role.ADMIN}),
    Ability.RECHECK: frozenset({Role.FINANCE_REVIEWER}),
    Ability.CURATE_LIBRARY: frozenset({Role.FINANCE_REVIEWER}),
    Ability.PROPOSE_LIBRARY: frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER}),
    Ability.BUDGET: frozenset({Role.FINANCE_REVIEWER}),
    Ability.RECTIFY_ASSIGN: frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER, Role.ADMIN}),
    Ability.RECTIFY_RESPOND: frozenset({Role.UNIT_EDITOR, Role.ADMIN}),
    Ability.RECTIFY_SUMMARY: frozenset({Role.FINANCE_REVIEWER, Role.ADMIN}),
    Ability.LINK: frozenset({Role.FINANCE_REVIEWER}),
    Ability.REVIEW_SELFEVAL: frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER, Role.ADMIN}),
    Ability.DEPARTMENT_REPORT: frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER, Role.ADMIN}),
    Ability.ANALYTICS: frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER, Role.ADMIN}),
}
REFUSALS: dict[Ability, str] = {  # why not, in the words the pages and the API use
    Ability.IMPORT: "导入由填报单位或管理员进行",
    Ability.EDIT: "只有项目所属单位可以修改绩效目标表",
    Ability.REPORT: "只有项目所属单位可以填报自评和监控",
    Ability.COMMENT: "只有审核人可以填写审核意见",
    Ability.AUDIT: "只有财政部门和管理员可以查看审计日志",
    Ability.RECHECK: "只有财政部门审核人可以进行自评复核",
    Ability.CURATE_LIBRARY: "指标库由财政部门审核人维护",
    Ability.PROPOSE_LIBRARY: "只有主管部门和财政部门可以向指标库提出新指标",
    Ability.BUDGET: "只有财政部门审核人可以查看和确定下年预算安排建议",
    Ability.RECTIFY_ASSIGN: "只有主管部门和财政部门审核人可以下达、确认或退回整改事项",
    Ability.RECTIFY_RESPOND: "只有整改单位可以填报整改情况",
    Ability.RECTIFY_SUMMARY: "只有财政部门可以查看整改汇总",
    Ability.LINK: "跨年度项目关联由财政部门审核人更正",
    Ability.REVIEW_SELFEVAL: "只有主管部门、财政部门审核人或管理员可以审核自评和更正申请",
    Ability.DEPARTMENT_REPORT: "只有主管部门、财政部门和管理员可以生成部门自评综合报告",
    Ability.ANALYTICS: "统计分析供主管部门、财政部门和管理员查看",
}


def may(actor: Actor, ability: Ability) -> bool:
    """Whether ``actor``'s role may do this at all (which projects it may do it on is :func:`visible_projects`)."""
    return actor.role in ALLOWED[ability]


def abilities(actor: Actor) -> frozenset[Ability]:
    """Everything ``actor`` may do: the pages show only these menu entries, buttons and forms."""
    return frozenset(a for a in Ability if may(actor, a))


def refusal(actor: Actor, ability: Ability) -> str:
    """The Chinese reason a refused caller reads, naming its role."""
    who = ROLE_LABELS[actor.role] if actor.role else "未登录的访客"
    return f"{REFUSALS[ability]}（您的角色：{who}）"


def require(actor: Actor, ability: Ability) -> None:
    """Refuse (403, with the reason) a caller whose role may not do this."""
    if not may(actor, ability):
        raise PermissionDenied(refusal(actor, ability))
