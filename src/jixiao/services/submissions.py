"""Self-evaluation and monitoring submissions: a unit reports, jixiao scores, the result is kept.

The same matching and arithmetic as the CLI (``jixiao score`` / ``jixiao monitor``); what the unit
sent and what came out are both stored with the version they concern.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.domain import Diagnostic, Severity, TargetTable, Value
from jixiao.domain.reported import ActualRow, BudgetRow, MonitorBudgetRow, ProgressRow
from jixiao.domain.text import fold_width, parse_decimal
from jixiao.domain.workflow import STATE_LABELS, State
from jixiao.io.json_format import table_from_dict
from jixiao.profiles import RegionProfile
from jixiao.scoring import score_project
from jixiao.scoring.matching import match_actuals, match_progress
from jixiao.scoring.monitoring import Progress, SpendingToDate, monitor_project, monitors_to_dict
from jixiao.scoring.report import project_to_dict
from jixiao.services.bounded import capped
from jixiao.services.errors import Conflict, InvalidInput
from jixiao.services.permissions import Ability, Actor, PermissionDenied, require, require_visible
from jixiao.services.reopenings import require_open
from jixiao.services.selfeval_review import require_unlocked
from jixiao.storage.models import AuditEntry, MonitoringReport, Project, SelfEvaluation, TableVersion
from jixiao.storage.repository import lock_project

SOURCE = "<提交>"


class SubmissionError(InvalidInput, ValueError):
    """What the unit sent cannot be scored; ``diagnostics`` say which row and why (also as ``details``)."""

    code = "invalid_submission"
    summary = "自评或监控填报内容有误，未保存；details 列出每处问题"

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = capped(list(diagnostics))  # the message counts them all; details list a bounded part
        super().__init__(message, [d.to_dict() for d in self.diagnostics])


class NotApproved(Conflict):
    """Self-evaluation and monitoring concern the approved targets: a table never approved has none."""

    code = "not_approved"
    summary = "绩效目标表尚未批复：只有已批复的表可以填报自评和运行监控"


NUMBERS_TOO_LARGE = "填报的数值过大或过小，无法计算（请检查是否多输了位数或填错了单位）"
# The amounts a unit reports (万元), by key, with the Chinese label messages name them by.
MONEY_LABELS = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数",
                "current_year": "当年财政拨款", "carried_over": "上年结转资金", "other": "其他资金",
                "executed_to_date": "累计执行数"}  # as the forms label them
SPLITS = ("current_year", "carried_over", "other")  # 资金来源 of the 自评表: printed, not scored
MAX_TEXT = 2000  # 偏差原因、实际完成情况: a paragraph or two, as the printed form has room for


@dataclass(slots=True)
class Evaluated:
    version: TableVersion
    result: dict[str, Any]
    problems: list[Diagnostic]
    profile: str
    outcome: Any  # ProjectScore or ProjectMonitor


def _money(value: Any, key: str, problems: list[Diagnostic], label: str | None = None) -> Decimal | None:
    """An amount in 万元 (or points, given their ``label``), or ``None``; a word or a negative number is reported
    against the field ``key``."""
    if value is None or value == "":
        return None
    name = label or MONEY_LABELS.get(key, key)
    number = parse_decimal(str(value))
    if number is None:
        unit = "" if label else "（万元）"
        problems.append(Diagnostic("not-a-number", Severity.ERROR, f"“{name}”填写的“{value}”不是数字{unit}",
                                   SOURCE, None, key))
    elif number < 0:
        what = "不能为负数" if label else "金额不能为负数（万元）"
        problems.append(Diagnostic("negative-amount", Severity.ERROR, f"“{name}”为 {value}，{what}",
                                   SOURCE, None, key))
        return None
    return number


def not_approved_reason(project: Project) -> str | None:
    """Why no self-evaluation or monitoring can be reported on ``project`` now (``None``: it can)."""
    if project.published_version is not None:
        return None
    state = STATE_LABELS[State(project.state)]
    return (f"项目“{project.code}”的绩效目标表尚未批复（当前：{state}）：自评和运行监控只能针对已批复的绩效目标表填报，"
            "请在财政部门批复后再填报")


def _approved(session: Session, project: Project) -> TableVersion:
    reason = not_approved_reason(project)
    if reason is not None:
        raise NotApproved(reason)
    version = session.scalar(select(TableVersion).where(TableVersion.project_id == project.id,
                                                        TableVersion.number == project.published_version))
    if version is None:  # pragma: no cover - a published number always names a stored version
        raise NotApproved(f"项目“{project.code}”的已批复版本不存在")
    return version


def _version(session: Session, actor: Actor, code: str, lock: bool = False, task: str | None = None,
             profile: str | None = None, now: datetime | None = None, reviewer: bool = False,
             region: RegionProfile | None = None) -> tuple[Project, TableVersion, TargetTable]:
    """The approved table being reported on (an adjustment under way does not change it until it is approved);
    ``lock``: a submission takes the project's row first (as every write does), so what is read is current;
    ``task``: a submission of it must be within its window (:func:`reopenings.require_open`); ``reviewer``: a
    reviewer applies a correction (:mod:`corrections`), not a unit reporting."""
    require(actor, Ability.REVIEW_SELFEVAL if reviewer else Ability.REPORT)
    project = require_visible(session, actor, code)
    if lock:
        lock_project(session, project)
    version = _approved(session, project)
    if task == "selfeval":
        require_unlocked(session, project)
    if task is not None:
        require_open(session, project, task, region or profiles.load(profile), now)
    return project, version, table_from_dict(version.content)


def _text(value: Any, label: str, key: str, problems: list[Diagnostic]) -> str | None:
    text = None if value is None else str(value).strip() or None
    if text is not None and len(text) > MAX_TEXT:
        problems.append(Diagnostic("unstorable-value", Severity.ERROR,
                                   f"“{label}”长 {len(text)} 个字符，超过上限 {MAX_TEXT} 个字符", SOURCE, None, key))
    return text


def _without_unit(text: str, unit: str | None) -> str | None:
    """“208项” → “208” when the indicator's unit is 项 (“95%”, “95％” → “95” for %); ``None`` otherwise."""
    if not unit:
        return None
    folded, wanted = fold_width(text).strip(), fold_width(unit).strip()
    if not wanted or not folded.endswith(wanted):
        return None
    number = folded[: -len(wanted)].strip()
    return number if parse_decimal(number) is not None else None


def _actual_text(table: TargetTable, name: str, text: str, field: str, problems: list[Diagnostic]) -> str:
    """The figure to score: a number written with the indicator's own unit is read as the number, and said so."""
    indicator = next((i for i in table.indicators if i.name == name), None)
    if indicator is None or parse_decimal(text) is not None:
        return text
    number = _without_unit(text, indicator.unit_of_measure)
    if number is None:
        return text
    problems.append(Diagnostic("unit-stripped", Severity.INFO,
                               f"“{name}”填写的“{text}”带有本指标的度量单位“{indicator.unit_of_measure}”，"
                               f"已按 {number} 计算", SOURCE, None, field))
    return number


def _refuse_errors(problems: list[Diagnostic]) -> None:
    errors = [d for d in problems if d.severity is Severity.ERROR]
    if errors:
        raise SubmissionError(f"填报内容有 {len(errors)} 处错误，未保存", problems)


def _self_evaluation(session: Session, actor: Actor, code: str, actuals: Sequence[Mapping[str, Any]],
                     budget: Mapping[str, Any] | None, profile: str | None, lock: bool = False,
                     achieved: str | None = None, now: datetime | None = None, correcting: bool = False,
                     region: RegionProfile | None = None) -> Evaluated:
    """``correcting``: a reviewer re-scores an approved self-evaluation with a correction (no window, no lock)."""
    policy = profiles.load(profile).scoring
    problems: list[Diagnostic] = []
    task = "selfeval" if lock and not correcting else None
    _project, version, table = _version(session, actor, code, lock, task, profile, now, correcting, region)
    rows = []
    for n, item in enumerate(actuals):
        name = str(item.get("indicator") or "")
        text = _actual_text(table, name, str(item.get("actual") or ""), f"actuals[{n}].actual", problems)
        reason = _text(item.get("reason"), f"“{name}”的偏差原因", f"actuals[{n}].reason", problems)
        points = _money(item.get("points"), f"actuals[{n}].points", problems, f"{name}”的“定性得分")
        rows.append(ActualRow(code, name, text, points, reason, SOURCE, n + 1))
    budget_rows = [] if budget is None else [BudgetRow(
        code, _money(budget.get("initial"), "initial", problems), _money(budget.get("adjusted"), "adjusted", problems),
        _money(budget.get("executed"), "executed", problems), SOURCE, 1)]
    splits = {key: _money((budget or {}).get(key), key, problems) for key in SPLITS}
    goal = _text(achieved, "实际完成情况", "achieved", problems)
    by_project, budgets, found = match_actuals([table], rows, budget_rows)
    problems += found
    try:
        scored = score_project(table, by_project.get(code, {}), budgets.get(code), policy)
    except ArithmeticError:  # decimal overflow: numbers beyond any budget or indicator
        raise SubmissionError(NUMBERS_TOO_LARGE, problems) from None
    result = project_to_dict(scored) | {
        "funding_splits": {key: None if value is None else format(value, "f") for key, value in splits.items()},
        "goal_achieved": goal}
    return Evaluated(version, result, problems, policy.profile, scored)


def preview_self_evaluation(session: Session, actor: Actor, code: str, actuals: Sequence[Mapping[str, Any]],
                            budget: Mapping[str, Any] | None, profile: str | None = None,
                            achieved: str | None = None) -> dict[str, Any]:
    """The scores as they would be, with their arithmetic and any problems; nothing is stored."""
    done = _self_evaluation(session, actor, code, actuals, budget, profile, achieved=achieved)
    return done.result | {"diagnostics": [d.to_dict() for d in capped(done.problems)]}


def submit_self_evaluation(sessions: sessionmaker[Session], actor: Actor, code: str,
                           actuals: Sequence[Mapping[str, Any]], budget: Mapping[str, Any] | None,
                           profile: str | None = None, achieved: str | None = None,
                           now: datetime | None = None, region: RegionProfile | None = None) -> dict[str, Any]:
    """``actuals``: [{"indicator", "actual", "points"?, "reason"?}]; ``budget``: {"initial"?, "adjusted",
    "executed", "current_year"?, "carried_over"?, "other"?} in 万元; ``achieved``: 实际完成情况 of the annual goal.
    Only on the approved table (:class:`NotApproved` otherwise), within the window (:class:`SubmissionClosed`),
    and not once a self-evaluation of it is approved (:class:`ActualsLocked`: a correction request instead)."""
    with sessions.begin() as session:
        done = _self_evaluation(session, actor, code, actuals, budget, profile, lock=True, achieved=achieved,
                                now=now, region=region)
        _refuse_errors(done.problems)
        result, scored = done.result, done.outcome
        record = SelfEvaluation(version_id=done.version.id, submitted_by=actor.user_id,
                                reported={"actuals": list(map(dict, actuals)), "budget": dict(budget or {}),
                                          "achieved": result["goal_achieved"]},
                                result=result, total=scored.total, grade=scored.grade, profile=done.profile)
        session.add(record)
        session.flush()
        session.add(AuditEntry(user_id=actor.user_id, action="selfeval.submit", object_type="self_evaluation",
                               object_id=record.id, after={"project": code, "total": result["total"],
                                                           "grade": scored.grade}))
        return result | {"id": record.id, "diagnostics": [d.to_dict() for d in capped(done.problems)]}


def _monitoring(session: Session, actor: Actor, code: str, month: int, progress: Sequence[Mapping[str, Any]],
                budget: Mapping[str, Any] | None, profile: str | None, lock: bool = False,
                now: datetime | None = None, region: RegionProfile | None = None) -> Evaluated:
    policy = profiles.load(profile).scoring
    problems: list[Diagnostic] = []
    _project, version, table = _version(session, actor, code, lock, "monitoring" if lock else None, profile, now,
                                        region=region)
    rows = []
    for n, item in enumerate(progress):
        name = str(item.get("indicator") or "")
        to_date = _actual_text(table, name, str(item.get("to_date") or ""), f"progress[{n}].to_date", problems)
        forecast = _actual_text(table, name, str(item.get("forecast") or ""), f"progress[{n}].forecast", problems)
        reason = _text(item.get("reason"), f"“{name}”的偏差原因", f"progress[{n}].reason", problems)
        rows.append(ProgressRow(code, name, to_date, forecast, reason, item.get("likelihood"), SOURCE, n + 1))
    budget_rows = [] if budget is None else [MonitorBudgetRow(
        code, _money(budget.get("adjusted"), "adjusted", problems),
        _money(budget.get("executed_to_date"), "executed_to_date", problems), SOURCE, 1)]
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
                      profile: str | None = None, now: datetime | None = None,
                      region: RegionProfile | None = None) -> dict[str, Any]:
    """``progress``: [{"indicator", "to_date", "forecast"?, "reason"?, "likelihood"?}]."""
    with sessions.begin() as session:
        done = _monitoring(session, actor, code, month, progress, budget, profile, lock=True, now=now,
                           region=region)
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
    found = [{"id": row.id, "at": row.at.isoformat(), "result": row.result} for row in rows]
    if kind == "selfeval":  # the review's state (services/selfeval_review.py)
        states = dict(session.execute(select(SelfEvaluation.id, SelfEvaluation.state).where(
            SelfEvaluation.id.in_([item["id"] for item in found]))).all()) if found else {}
        for item in found:
            item["state"] = states[item["id"]]
    return found


def evaluation_form(session: Session, actor: Actor, code: str, kind: str) -> dict[str, Any]:
    """What the self-evaluation (``kind="selfeval"``) or monitoring page needs: the approved table to report on
    (``None`` with ``refusal`` saying why when there is none), and what was reported last time (to prefill)."""
    project = require_visible(session, actor, code)
    refusal = not_approved_reason(project)
    if refusal is not None:
        return {"table": None, "version": None, "refusal": refusal, "last": None}
    version = _approved(session, project)
    model: type[SelfEvaluation] | type[MonitoringReport] = SelfEvaluation if kind == "selfeval" else MonitoringReport
    last = session.scalar(select(model.reported).join(TableVersion, TableVersion.id == model.version_id)
                          .where(TableVersion.project_id == project.id).order_by(model.id.desc()).limit(1))
    return {"table": version.content, "version": version.number, "refusal": None, "last": last}
