"""Self-evaluation and monitoring submissions: a unit reports, jixiao scores, the result is kept.

The same matching and arithmetic as the CLI (``jixiao score`` / ``jixiao monitor``); what the unit
sent and what came out are both stored with the version they concern.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.domain import Diagnostic, Severity, TargetTable, Value
from jixiao.domain.reported import ActualRow, BudgetRow, MonitorBudgetRow, ProgressRow
from jixiao.domain.text import parse_decimal
from jixiao.io.json_format import table_from_dict
from jixiao.scoring import score_project
from jixiao.scoring.matching import match_actuals, match_progress
from jixiao.scoring.monitoring import Progress, SpendingToDate, monitor_project, monitors_to_dict
from jixiao.scoring.report import project_to_dict
from jixiao.services.bounded import capped
from jixiao.services.errors import InvalidInput
from jixiao.services.permissions import Ability, Actor, PermissionDenied, require, require_visible
from jixiao.storage.models import AuditEntry, MonitoringReport, Project, SelfEvaluation, TableVersion
from jixiao.storage.repository import latest_version, lock_project

SOURCE = "<提交>"


class SubmissionError(InvalidInput, ValueError):
    """What the unit sent cannot be scored; ``diagnostics`` say which row and why (also as ``details``)."""

    code = "invalid_submission"
    summary = "自评或监控填报内容有误，未保存；details 列出每处问题"

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = capped(list(diagnostics))  # the message counts them all; details list a bounded part
        super().__init__(message, [d.to_dict() for d in self.diagnostics])


NUMBERS_TOO_LARGE = "填报的数值过大或过小，无法计算（请检查是否多输了位数或填错了单位）"


@dataclass(slots=True)
class Evaluated:
    version: TableVersion
    result: dict[str, Any]
    problems: list[Diagnostic]
    profile: str
    outcome: Any  # ProjectScore or ProjectMonitor


def _money(value: Any, where: str, problems: list[Diagnostic]) -> Decimal | None:
    if value is None or value == "":
        return None
    number = parse_decimal(str(value))
    if number is None:
        problems.append(Diagnostic("not-a-number", Severity.ERROR, f"“{value}”不是数字（万元）", SOURCE, None, where))
    return number


def _version(session: Session, actor: Actor, code: str, lock: bool = False,
             ) -> tuple[Project, TableVersion, TargetTable]:
    """The table being reported on; ``lock``: a submission takes the project's row first (as every write does),
    so the version read is current."""
    require(actor, Ability.REPORT)
    project = require_visible(session, actor, code)
    if lock:
        lock_project(session, project)
    version = latest_version(session, project.id)
    if version is None:
        raise SubmissionError(f"项目“{code}”还没有绩效目标表", [])
    return project, version, table_from_dict(version.content)


def _refuse_errors(problems: list[Diagnostic]) -> None:
    errors = [d for d in problems if d.severity is Severity.ERROR]
    if errors:
        raise SubmissionError(f"填报内容有 {len(errors)} 处错误，未保存", problems)


def _self_evaluation(session: Session, actor: Actor, code: str, actuals: Sequence[Mapping[str, Any]],
                     budget: Mapping[str, Any] | None, profile: str | None, lock: bool = False) -> Evaluated:
    policy = profiles.load(profile).scoring
    problems: list[Diagnostic] = []
    rows = [ActualRow(code, str(item.get("indicator") or ""), str(item.get("actual") or ""),
                      _money(item.get("points"), f"actuals[{n}].points", problems), item.get("reason"), SOURCE, n + 1)
            for n, item in enumerate(actuals)]
    budget_rows = [] if budget is None else [BudgetRow(
        code, _money(budget.get("initial"), "budget.initial", problems),
        _money(budget.get("adjusted"), "budget.adjusted", problems),
        _money(budget.get("executed"), "budget.executed", problems), SOURCE, 1)]
    _project, version, table = _version(session, actor, code, lock)
    by_project, budgets, found = match_actuals([table], rows, budget_rows)
    problems += found
    try:
        scored = score_project(table, by_project.get(code, {}), budgets.get(code), policy)
    except ArithmeticError:  # decimal overflow: numbers beyond any budget or indicator
        raise SubmissionError(NUMBERS_TOO_LARGE, problems) from None
    return Evaluated(version, project_to_dict(scored), problems, policy.profile, scored)


def preview_self_evaluation(session: Session, actor: Actor, code: str, actuals: Sequence[Mapping[str, Any]],
                            budget: Mapping[str, Any] | None, profile: str | None = None) -> dict[str, Any]:
    """The scores as they would be, with their arithmetic and any problems; nothing is stored."""
    done = _self_evaluation(session, actor, code, actuals, budget, profile)
    return done.result | {"diagnostics": [d.to_dict() for d in capped(done.problems)]}


def submit_self_evaluation(sessions: sessionmaker[Session], actor: Actor, code: str,
                           actuals: Sequence[Mapping[str, Any]], budget: Mapping[str, Any] | None,
                           profile: str | None = None) -> dict[str, Any]:
    """``actuals``: [{"indicator", "actual", "points"?, "reason"?}];
    ``budget``: {"initial"?, "adjusted", "executed"} in 万元."""
    with sessions.begin() as session:
        done = _self_evaluation(session, actor, code, actuals, budget, profile, lock=True)
        _refuse_errors(done.problems)
        result, scored = done.result, done.outcome
        record = SelfEvaluation(version_id=done.version.id, submitted_by=actor.user_id,
                                reported={"actuals": list(map(dict, actuals)), "budget": dict(budget or {})},
                                result=result, total=scored.total, grade=scored.grade, profile=done.profile)
        session.add(record)
        session.flush()
        session.add(AuditEntry(user_id=actor.user_id, action="selfeval.submit", object_type="self_evaluation",
                               object_id=record.id, after={"project": code, "total": result["total"],
                                                           "grade": scored.grade}))
        return result | {"id": record.id, "diagnostics": [d.to_dict() for d in capped(done.problems)]}


def _monitoring(session: Session, actor: Actor, code: str, month: int, progress: Sequence[Mapping[str, Any]],
                budget: Mapping[str, Any] | None, profile: str | None, lock: bool = False) -> Evaluated:
    policy = profiles.load(profile).scoring
    problems: list[Diagnostic] = []
    rows = [ProgressRow(code, str(item.get("indicator") or ""), str(item.get("to_date") or ""),
                        str(item.get("forecast") or ""), item.get("reason"), item.get("likelihood"), SOURCE, n + 1)
            for n, item in enumerate(progress)]
    budget_rows = [] if budget is None else [MonitorBudgetRow(
        code, _money(budget.get("adjusted"), "budget.adjusted", problems),
        _money(budget.get("executed_to_date"), "budget.executed_to_date", problems), SOURCE, 1)]
    _project, version, table = _version(session, actor, code, lock)
    by_project, budgets, found = match_progress([table], rows, budget_rows)
    problems += found
    matched = {index: Progress(Value.of(row.to_date_text), Value.of(row.forecast_text), row.reason,
                               row.likelihood, row.row) for index, row in by_project.get(code, {}).items()}
    money = budgets.get(code)
    spending = SpendingToDate(money.adjusted, money.executed_to_date) if money else None
    try:
        monitored = monitor_project(table, matched, spending, month, policy)
        result: dict[str, Any] = monitors_to_dict([monitored], policy)["projects"][0]  # type: ignore[index]
    except ArithmeticError:
        raise SubmissionError(NUMBERS_TOO_LARGE, problems) from None
    return Evaluated(version, result, problems, policy.profile, monitored)


def preview_monitoring(session: Session, actor: Actor, code: str, month: int,
                       progress: Sequence[Mapping[str, Any]], budget: Mapping[str, Any] | None,
                       profile: str | None = None) -> dict[str, Any]:
    """The traffic lights as they would be, with their explanations; nothing is stored."""
    done = _monitoring(session, actor, code, month, progress, budget, profile)
    return done.result | {"diagnostics": [d.to_dict() for d in capped(done.problems)]}


def submit_monitoring(sessions: sessionmaker[Session], actor: Actor, code: str, month: int,
                      progress: Sequence[Mapping[str, Any]], budget: Mapping[str, Any] | None,
                      profile: str | None = None) -> dict[str, Any]:
    """``progress``: [{"indicator", "to_date", "forecast"?, "reason"?, "likelihood"?}]."""
    with sessions.begin() as session:
        done = _monitoring(session, actor, code, month, progress, budget, profile, lock=True)
        _refuse_errors(done.problems)
        monitored = done.outcome
        record = MonitoringReport(version_id=done.version.id, month=month, submitted_by=actor.user_id,
                                  reported={"progress": list(map(dict, progress)), "budget": dict(budget or {})},
                                  result=done.result, spending_light=monitored.spending.light.value,
                                  indicator_light=monitored.indicator_light.value)
        session.add(record)
        session.flush()
        session.add(AuditEntry(user_id=actor.user_id, action="monitoring.submit", object_type="monitoring_report",
                               object_id=record.id, after={"project": code, "month": month}))
        return done.result | {"id": record.id, "diagnostics": [d.to_dict() for d in capped(done.problems)]}


def list_submissions(session: Session, actor: Actor, code: str, kind: str) -> list[dict[str, Any]]:
    """Stored self-evaluations (``kind="selfeval"``) or monitoring reports of a project, newest first."""
    project = require_visible(session, actor, code)
    if actor.is_public:
        raise PermissionDenied("自评和监控填报不公开")
    model: type[SelfEvaluation] | type[MonitoringReport] = SelfEvaluation if kind == "selfeval" else MonitoringReport
    query = select(model.id, model.at, model.result).join(TableVersion, TableVersion.id == model.version_id)
    rows = session.execute(query.where(TableVersion.project_id == project.id).order_by(model.id.desc()))
    return [{"id": row.id, "at": row.at.isoformat(), "result": row.result} for row in rows]
