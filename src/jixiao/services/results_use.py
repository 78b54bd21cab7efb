"""结果应用: the finance bureau's 下年预算安排建议表 (issue 18, item 1).

For every project of a year the finance reviewer may see: the grade that counts (the 复核 grade when a 复核 is
done, else the unit's own self-evaluation, else the published 自评表's), the worst monitoring light of the last
report, the audit's errors in the published 自评表, this year's 全年预算数 as the base, and the profile's
suggestion with its arithmetic (``scoring.results_use``). The reviewer may replace the suggestion with a
decision and a required reason: each decision is a new ``BudgetDecision`` row and an audit entry, so the sheet
shows both what jixiao suggested and what was decided, and by whom. Continuing projects are listed in the
order a 零基预算 review takes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.results_policy import BudgetAction
from jixiao.domain.score_formulas import show
from jixiao.profiles import RegionProfile
from jixiao.scoring.results_use import ProjectOutcome, Suggestion, suggest, zero_based_order
from jixiao.services import profiles
from jixiao.services.errors import InvalidInput
from jixiao.services.local_time import local_iso
from jixiao.services.permissions import Ability, Actor, require, require_visible, visible_projects
from jixiao.services.results_sources import OutcomeSources
from jixiao.storage.models import AuditEntry, BudgetDecision, Project
from jixiao.storage.repository import lock_project

MAX_REASON = 2000


class DecisionRefused(InvalidInput):
    code = "budget_decision_refused"
    summary = "下年预算安排的决定不符合要求"


def _profile(profile: RegionProfile | None) -> RegionProfile:
    return profile or profiles.load(None)


def years(session: Session, actor: Actor) -> list[int]:
    require(actor, Ability.BUDGET)
    query = visible_projects(session, actor).with_only_columns(Project.fiscal_year).distinct()
    return sorted((year for year in session.scalars(query) if year is not None), reverse=True)


def project_year(session: Session, actor: Actor, code: str) -> int:
    """The fiscal year of a project the finance reviewer may see (404 otherwise)."""
    require(actor, Ability.BUDGET)
    return require_visible(session, actor, code).fiscal_year or 0


def suggestions(session: Session, actor: Actor, year: int, profile: RegionProfile | None = None) -> list[Suggestion]:
    """Every visible project of ``year`` with its suggestion, by code."""
    require(actor, Ability.BUDGET)
    region = _profile(profile)
    projects = list(session.scalars(visible_projects(session, actor).where(Project.fiscal_year == year)
                                    .order_by(Project.code)))
    return [suggest(outcome, region.results) for outcome in OutcomeSources(session, projects).outcomes()]


def sheet(session: Session, actor: Actor, year: int, profile: RegionProfile | None = None) -> dict[str, Any]:
    """The 下年预算安排建议表 as data (page, xlsx, API): rows, totals, the 零基 order, the policy's source."""
    region = _profile(profile)
    found = suggestions(session, actor, year, region)
    decided = _decisions(session, [item.outcome.code for item in found])
    rows = [_row(item, decided.get(item.outcome.code), region.timezone) for item in found]
    base = sum((item.outcome.budget or Decimal(0) for item in found), Decimal(0))
    final = sum((Decimal(row["final_amount"]) for row in rows if row["final_amount"] is not None), Decimal(0))
    order = zero_based_order(item.outcome for item in found)
    return {"year": year, "next_year": year + 1, "profile": region.name, "source": region.results.source,
            "rows": rows, "totals": {"projects": len(rows), "base": show(base), "final": show(final),
                                     "undecided": sum(1 for row in rows if row["final_action"] is None)},
            "zero_based": [{"rank": entry.rank, "code": entry.outcome.code, "name": entry.outcome.name,
                            "why": entry.why} for entry in order]}


def _row(item: Suggestion, decision: BudgetDecision | None, zone: str) -> dict[str, Any]:
    outcome = item.outcome
    row: dict[str, Any] = {
        "code": outcome.code, "name": outcome.name, "department": outcome.department, "unit": outcome.unit,
        "budget": _text(outcome.budget), "grade": outcome.grade, "grade_source": outcome.grade_source,
        "total": _text(outcome.total), "light": outcome.light, "audit_errors": outcome.audit_errors,
        "years_running": outcome.years_running,
        "applied": [{"why": applied.why, "action": applied.rule.action.value, "percent": _text(applied.rule.percent),
                     "source": applied.rule.source} for applied in item.applied],
        "action": item.action.value if item.action else None, "percent": _text(item.percent),
        "interview": item.interview, "amount": _text(item.amount), "arithmetic": item.arithmetic,
        "decision": None,
    }
    if decision is not None:
        row["decision"] = {"action": decision.action, "amount": _text(decision.amount), "reason": decision.reason,
                           "by": decision.decided_by, "at": local_iso(decision.at, zone)}
    row["final_action"] = decision.action if decision else row["action"]
    row["final_amount"] = _text(decision.amount) if decision else row["amount"]
    return row


def _decisions(session: Session, codes: Sequence[str]) -> dict[str, BudgetDecision]:
    """The latest decision per project code."""
    if not codes:
        return {}
    latest = (select(BudgetDecision.project_id, func.max(BudgetDecision.id).label("id"))
              .join(Project, Project.id == BudgetDecision.project_id).where(Project.code.in_(list(codes)))
              .group_by(BudgetDecision.project_id).subquery())
    rows = session.execute(select(Project.code, BudgetDecision).join(latest, latest.c.id == BudgetDecision.id)
                           .join(Project, Project.id == BudgetDecision.project_id)).all()
    return dict(rows)  # (code, decision): one latest decision per project


def decide(sessions: sessionmaker[Session], actor: Actor, code: str, action: str, amount: str | None, reason: str,
           profile: RegionProfile | None = None) -> dict[str, Any]:
    """Replace the suggestion for project ``code`` with a decision; the reason is required. Audited."""
    require(actor, Ability.BUDGET)
    problems = []
    actions = [item.value for item in BudgetAction]
    if action not in actions:
        problems.append({"field": "action", "message": f"“安排”应为 {'、'.join(actions)} 之一，实际为“{action}”"})
    value = _amount(amount, problems)
    if action in (BudgetAction.SUSPEND.value, BudgetAction.CANCEL.value) and value not in (None, Decimal(0)):
        problems.append({"field": "amount", "message": f"“{action}”的下年金额应为 0 或留空，实际为 {show(value)} 万元"})
    text = (reason or "").strip()
    if not text:
        problems.append({"field": "reason", "message": "“理由”必填：改变建议须写明理由"})
    elif len(text) > MAX_REASON:
        problems.append({"field": "reason", "message": f"“理由”最多 {MAX_REASON} 字，实际 {len(text)} 字"})
    if problems:
        raise DecisionRefused("；".join(problem["message"] for problem in problems), problems)
    region = _profile(profile)
    with sessions.begin() as session:
        project = require_visible(session, actor, code)
        lock_project(session, project)
        suggested = next(iter(suggest(outcome, region.results)
                              for outcome in OutcomeSources(session, [project]).outcomes()))
        decision = BudgetDecision(project_id=project.id, action=action, amount=value, reason=text,
                                  suggested_action=suggested.action.value if suggested.action else None,
                                  suggested_amount=suggested.amount, decided_by=actor.user_id)
        session.add(decision)
        session.flush()
        session.add(AuditEntry(user_id=actor.user_id, action="budget.decide", object_type="project",
                               object_id=project.id, before={"action": decision.suggested_action,
                                                             "amount": _text(suggested.amount)},
                               after={"action": action, "amount": _text(value)}, note=text))
        year = project.fiscal_year
    with sessions() as session:
        found = sheet(session, actor, year or 0, region)
    return next(row for row in found["rows"] if row["code"] == code)


def _amount(amount: str | None, problems: list[dict[str, str]]) -> Decimal | None:
    if amount is None or not str(amount).strip():
        return None
    try:
        value = Decimal(str(amount).strip().replace(",", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        problems.append({"field": "amount", "message": f"“下年金额（万元）”应为非负数字，如 120.50，实际为“{amount}”"})
        return None
    return value


def _text(value: Decimal | None) -> str | None:
    return None if value is None else show(value)


def outcomes_of(session: Session, projects: Iterable[Project]) -> list[ProjectOutcome]:
    """The outcomes the sheet is built from (for tests and other services)."""
    return OutcomeSources(session, list(projects)).outcomes()
