"""A department's 自评综合报告 (Word and PDF): its units' projects of a year and their latest self-evaluations.

The data-first summary (:func:`department_summary`, also what the API returns) lists every visible project of
the year under the department, numbered as the report's appendix numbers them, with the figures of its latest
self-evaluation and that record's number for the traces. The region's 结果应用 rules add one sentence per grade
present. Rendering is ``reports.department_report`` and ``reports.selfeval_report_files``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.domain.results_policy import BudgetAction
from jixiao.domain.score_formulas import show
from jixiao.domain.workflow import Role
from jixiao.profiles import RegionProfile
from jixiao.reports.department_report import GRADES, build_department_report
from jixiao.reports.selfeval_report import Figure, Report, Run, Trace
from jixiao.reports.selfeval_report_files import report_docx, report_pdf
from jixiao.services import profiles
from jixiao.services.errors import InvalidInput, NotFound
from jixiao.services.permissions import Ability, Actor, _subtree, may, require, visible_projects
from jixiao.storage.models import Organization, Project, SelfEvaluation, TableVersion

REPORT_FORMATS = ("docx", "pdf")
_CENT = Decimal("0.01")  # scores have two decimals (PostgreSQL keeps the column with four)


class DepartmentNotFound(NotFound):
    code = "department_not_found"
    summary = "没有这个主管部门"


class DepartmentReportRefused(InvalidInput):
    code = "department_report_refused"
    summary = "无法生成部门自评综合报告"


def departments(session: Session, actor: Actor) -> list[dict[str, str]]:
    """The departments ``actor`` may report on: a department reviewer's own, every one for finance and admins."""
    if not may(actor, Ability.DEPARTMENT_REPORT):
        return []
    query = select(Organization).where(Organization.kind == "department").order_by(Organization.code)
    if actor.role is Role.DEPARTMENT_REVIEWER:
        query = query.where(Organization.id == actor.organization_id)
    elif actor.role is Role.FINANCE_REVIEWER and actor.organization_id is not None:
        query = query.where(Organization.id.in_(_subtree(session, actor.organization_id)))
    return [{"code": org.code, "name": org.name} for org in session.scalars(query)]


def years(session: Session, actor: Actor) -> list[int]:
    """The fiscal years of the projects ``actor`` may see, latest first."""
    query = visible_projects(session, actor).with_only_columns(Project.fiscal_year).distinct()
    return sorted((year for year in session.scalars(query) if year is not None), reverse=True)


def _department(session: Session, actor: Actor, code: str) -> Organization:
    require(actor, Ability.DEPARTMENT_REPORT)
    if code not in {found["code"] for found in departments(session, actor)}:
        raise DepartmentNotFound(f"没有编码为“{code}”的主管部门（或您无权查看）")
    found = session.scalar(select(Organization).where(Organization.code == code))
    assert found is not None
    return found


def department_summary(session: Session, actor: Actor, code: str, year: int) -> dict[str, Any]:
    """Every visible project of ``year`` under department ``code``, with its latest self-evaluation's figures."""
    department = _department(session, actor, code)
    units = _subtree(session, department.id)
    names = dict(session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(units))).all())
    projects = list(session.scalars(visible_projects(session, actor).where(
        Project.unit_id.in_(units), Project.fiscal_year == year).order_by(Project.code)))
    latest = _latest_evaluations(session, [project.id for project in projects])
    rows = []
    for number, project in enumerate(projects, 1):
        row: dict[str, Any] = {"number": number, "code": project.code, "name": project.name or project.code,
                               "unit": names.get(project.unit_id or -1), "department": department.name,
                               "record": None, "state": None, "total": None, "grade": None, "adjusted": None,
                               "executed": None, "rate": None, "needs_reason": False}
        evaluation = latest.get(project.id)
        if evaluation is not None:
            execution = (evaluation.result or {}).get("execution") or {}
            row.update(record=evaluation.id, state=evaluation.state,
                       total=format(evaluation.total.quantize(_CENT), "f"), grade=evaluation.grade,
                       adjusted=execution.get("adjusted"),
                       executed=execution.get("executed"), rate=execution.get("rate"),
                       needs_reason=bool(execution.get("needs_reason")))
        rows.append(row)
    return {"department": department.name, "department_code": department.code, "year": year, "projects": rows}


def _latest_evaluations(session: Session, ids: list[int]) -> dict[int, SelfEvaluation]:
    if not ids:
        return {}
    rows = session.execute(select(TableVersion.project_id, SelfEvaluation)
                           .join(TableVersion, TableVersion.id == SelfEvaluation.version_id)
                           .where(TableVersion.project_id.in_(ids))
                           .order_by(SelfEvaluation.at, SelfEvaluation.id)).all()
    return dict(rows)  # (project id, evaluation) in time order: the latest of each wins


def results_sentences(summary: dict[str, Any], region: RegionProfile) -> list[list[Run]]:
    """“按本地区结果应用规则，等级“中”的 2 个项目对应“核减 10%”。” for each grade present that the rules map."""
    found = []
    evaluated = [row for row in summary["projects"] if row["record"] is not None]
    for grade in GRADES:
        rule = region.results.by_grade.get(grade)
        having = [row for row in evaluated if row["grade"] == grade]
        if rule is None or not having:
            continue
        runs: list[Run] = ["按本地区结果应用规则"]
        if rule.source:
            runs += ["（", Figure(rule.source, Trace(f"配置 {region.name}", f"[results.grade]“{grade}”", "依据",
                                                    rule.source)), "）"]
        runs += [f"，自评等级“{grade}”的 ", Figure(f"{len(having)} 个", Trace(
            "附：各项目自评情况", "、".join(str(row["number"]) for row in having), f"等级为“{grade}”的项目个数",
            str(len(having)))), f"项目对应“{rule.action.value}"]
        if rule.action is BudgetAction.CUT:
            runs += [" ", Figure(f"{show(rule.percent)}%", Trace(f"配置 {region.name}", f"[results.grade]“{grade}”",
                                                                "核减比例（%）", show(rule.percent)))]
        runs.append("”。")
        found.append(runs)
    return found


def department_report(session: Session, actor: Actor, code: str, year: int, output_format: str,
                      profile: RegionProfile | None = None) -> tuple[Report, bytes]:
    """The drafted 自评综合报告 of department ``code`` for ``year`` as Word or PDF, as ``actor`` may see it."""
    if output_format not in REPORT_FORMATS:
        raise DepartmentReportRefused(
            f"部门自评综合报告的格式应为 {'、'.join(REPORT_FORMATS)} 之一，收到“{output_format}”")
    summary = department_summary(session, actor, code, year)
    region = profile or profiles.load()
    report = build_department_report(summary, results_sentences(summary, region))
    return report, report_docx(report) if output_format == "docx" else report_pdf(report)
