"""Budget execution score: 执行率 = 全年执行数 ÷ 全年预算数 (the adjusted budget)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.score_formulas import execution_rate, execution_worked, percent
from jixiao.scoring.model import Budget, ExecutionScore, Explanation, show
from jixiao.scoring.policy import ScoringPolicy


def score_execution(budget: Budget | None, policy: ScoringPolicy, weight: Decimal | None = None) -> ExecutionScore:
    """``weight`` is the table's own 预算执行率权重 when it has one, else the profile's."""
    w = weight if weight is not None else policy.execution_weight
    profile = f"{policy.profile} {policy.version}"
    if budget is None or budget.adjusted is None or budget.executed is None:
        why = "缺少全年预算数或全年执行数，无法计算预算执行率"
        return ExecutionScore(budget, w, None, None, Explanation("无法计分", why, {}, profile), (why,), True)
    a, b = budget.adjusted, budget.executed
    inputs = {"A": show(a), "B": show(b), "w": show(w)}
    if a <= 0:
        why = f"全年预算数为 {show(a)}，无法计算执行率"
        return ExecutionScore(budget, w, None, None, Explanation("无法计分", why, inputs, profile), (why,), True)
    rate = execution_rate(a, b)
    shown = percent(rate)
    worked = execution_worked(rate, w, policy, f"{show(b)} ÷ {show(a)} = {shown}%")
    score = worked.score
    warnings: list[str] = []
    needs_reason = False
    if rate < policy.execution_explain_below:
        needs_reason = True
        warnings.append(f"预算执行率 {shown}% 低于 {show(policy.execution_explain_below * 100)}%，须说明原因")
    if budget.initial is not None and budget.initial != a:
        warnings.append(f"年中调整了预算（年初 {show(budget.initial)} 万元 → 全年 {show(a)} 万元），须说明调整理由")
    if b > a:
        warnings.append(f"全年执行数 {show(b)} 万元超过全年预算数 {show(a)} 万元，请核对")
    return ExecutionScore(budget, w, rate, score,
                          Explanation(worked.formula, worked.arithmetic, inputs, profile,
                                      f"B ≥ {show(a)}（执行率 100%）"),
                          tuple(warnings), needs_reason)
