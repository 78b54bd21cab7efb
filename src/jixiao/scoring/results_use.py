"""结果应用: the next year's budget suggestion of one project from its results, with the arithmetic (issue 18).

The profile's :class:`~jixiao.domain.results_policy.ResultsPolicy` maps the grade (复核 when there is one, else
自评), the monitoring light at the deadline and the audit's signal each to a rule. Every rule that applies is
listed with its source; the strictest decides the amount (of two 核减, the larger share; 约谈 goes along with any
action and changes no amount). The base is this year's 全年预算数. A project without a grade gets no action,
and says so: a finance officer decides it by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.results_policy import BudgetAction, ResultRule, ResultsPolicy
from jixiao.domain.score_formulas import money, show

HUNDRED = Decimal(100)


def wan(value: Decimal) -> str:
    """An amount in 万元 as budget sheets print it: two decimals."""
    return format(money(value), "f")


@dataclass(frozen=True, slots=True)
class ProjectOutcome:
    """What is known of one project's year, as the suggestion needs it (read by ``services.results_use``)."""

    code: str
    name: str
    department: str | None
    unit: str | None
    budget: Decimal | None  # 全年预算数（万元）of the year: the base of next year's amount
    grade: str | None  # the grade that counts: 复核 when done, else the self-evaluation's
    grade_source: str | None  # "复核" or "自评"
    total: Decimal | None  # the score behind the grade
    light: str | None  # the worst monitoring light at the deadline ("红", "黄", "绿")
    audit_errors: int = 0  # errors the audit found in the published 自评表
    years_running: int = 1  # fiscal years this project has run, this one included
    previous_total: Decimal | None = None  # last year's score of the same project


@dataclass(frozen=True, slots=True)
class Applied:
    why: str  # e.g. "自评等级“中”（78.5 分）"
    rule: ResultRule


@dataclass(frozen=True, slots=True)
class Suggestion:
    outcome: ProjectOutcome
    applied: tuple[Applied, ...]
    action: BudgetAction | None  # None: no result to apply
    percent: Decimal  # the 核减 share that counts (0 unless 核减)
    interview: bool  # 约谈 goes along with the action
    amount: Decimal | None  # suggested for next year, 万元; None when there is no base or no action
    arithmetic: str


def suggest(outcome: ProjectOutcome, policy: ResultsPolicy) -> Suggestion:
    applied = []
    if outcome.grade and outcome.grade in policy.by_grade:
        score = f"（{show(outcome.total)} 分）" if outcome.total is not None else ""
        why = f"{outcome.grade_source or '自评'}等级“{outcome.grade}”{score}"
        applied.append(Applied(why, policy.by_grade[outcome.grade]))
    if outcome.light and outcome.light in policy.by_light:
        applied.append(Applied(f"运行监控截止时{outcome.light}灯", policy.by_light[outcome.light]))
    threshold = policy.audit_errors_at_least
    if threshold is not None and policy.audit_rule is not None and outcome.audit_errors >= threshold:
        applied.append(Applied(f"自评表审计发现 {outcome.audit_errors} 处错误", policy.audit_rule))
    deciding = [item for item in applied if item.rule.action is not BudgetAction.INTERVIEW]
    interview = any(item.rule.action is BudgetAction.INTERVIEW for item in applied)
    if not deciding:  # no grade (or one the profile does not map): a person decides; 约谈 is still said
        reason = ("没有自评或复核等级，结果应用须人工确定" if not outcome.grade
                  else f"等级“{outcome.grade}”在配置中没有对应的安排，须人工确定")
        return Suggestion(outcome, tuple(applied), None, Decimal(0), interview, None, reason)
    strictest = max(deciding, key=lambda item: (item.rule.action.severity, item.rule.percent))
    action = strictest.rule.action
    percent = strictest.rule.percent if action is BudgetAction.CUT else Decimal(0)
    amount, arithmetic = _amount(outcome.budget, action, percent, strictest, len(deciding) > 1)
    return Suggestion(outcome, tuple(applied), action, percent, interview, amount, arithmetic)


def _amount(budget: Decimal | None, action: BudgetAction, percent: Decimal, strictest: Applied,
            several: bool) -> tuple[Decimal | None, str]:
    chosen = f"；按较严的“{strictest.why}”" if several else ""
    if budget is None:
        return None, f"{action.value}{chosen}；没有本年全年预算数，建议金额须人工确定"
    base = f"本年全年预算 {wan(budget)} 万元"
    if action is BudgetAction.CUT:
        amount = money(budget * (HUNDRED - percent) / HUNDRED)
        return amount, f"{base} × (1 − {show(percent)}%) = {wan(amount)} 万元{chosen}"
    if action in (BudgetAction.SUSPEND, BudgetAction.CANCEL):
        return Decimal(0), f"{action.value}：下年不安排（0 万元）{chosen}"
    return money(budget), f"{action.value}：按{base}安排（据实核定）{chosen}"


@dataclass(frozen=True, slots=True)
class ZeroBasedEntry:
    outcome: ProjectOutcome
    rank: int
    why: str


def zero_based_order(outcomes: Iterable[ProjectOutcome]) -> list[ZeroBasedEntry]:
    """Continuing projects (two years or more) in the order a 零基预算 review takes them.

    Largest first, then the longest running, then the score falling most (a falling score is reviewed
    before a rising one; no trend counts as flat).
    """
    continuing = [item for item in outcomes if item.years_running >= 2]

    def trend(item: ProjectOutcome) -> Decimal:
        if item.total is None or item.previous_total is None:
            return Decimal(0)
        return item.total - item.previous_total

    ordered = sorted(continuing, key=lambda item: (-(item.budget or Decimal(0)), -item.years_running, trend(item),
                                                   item.code))
    entries = []
    for rank, item in enumerate(ordered, 1):
        parts = [f"已连续 {item.years_running} 年"]
        parts.append(f"本年预算 {wan(item.budget)} 万元" if item.budget is not None else "本年预算未知")
        change = trend(item)
        if item.total is not None and item.previous_total is not None:
            word = "下降" if change < 0 else "上升" if change > 0 else "持平"
            parts.append(f"得分较上年{word}" + (f" {show(abs(change))} 分" if change else ""))
        entries.append(ZeroBasedEntry(item, rank, "，".join(parts)))
    return entries
