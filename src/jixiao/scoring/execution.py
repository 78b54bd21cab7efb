"""Budget execution score: 执行率 = 全年执行数 ÷ 全年预算数 (the adjusted budget)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.scoring.model import Budget, ExecutionScore, Explanation, money, show
from jixiao.scoring.policy import ExecutionMethod, ScoringPolicy

_RATE_PLACES = Decimal("0.0001")


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
    rate = (b / a).quantize(_RATE_PLACES)
    percent = show(money(rate * 100))
    if policy.execution_method is ExecutionMethod.PROPORTIONAL:
        formula = "执行率 = 全年执行数 B ÷ 全年预算数 A；得分 = min(执行率, 100%) × w"
        score = money(min(rate, Decimal(1)) * w)
        arithmetic = f"{show(b)} ÷ {show(a)} = {percent}%；min({percent}%, 100%) × {show(w)} = {show(score)}"
    else:
        share = next((part for minimum, part in policy.execution_bands if rate >= minimum), Decimal(0))
        bands = "；".join(f"≥ {show(money(m * 100))}% 得 {show(p * 100)}%" for m, p in policy.execution_bands)
        formula = f"执行率 = B ÷ A，分档计分：{bands}，其余 0"
        score = money(share * w)
        arithmetic = (f"{show(b)} ÷ {show(a)} = {percent}%，落在 {show(share * 100)}% 档："
                      f"{show(w)} × {show(share)} = {show(score)}")
    warnings: list[str] = []
    needs_reason = False
    if rate < policy.execution_explain_below:
        needs_reason = True
        warnings.append(f"预算执行率 {percent}% 低于 {show(policy.execution_explain_below * 100)}%，须说明原因")
    if budget.initial is not None and budget.initial != a:
        warnings.append(f"年中调整了预算（年初 {show(budget.initial)} 万元 → 全年 {show(a)} 万元），须说明调整理由")
    if b > a:
        warnings.append(f"全年执行数 {show(b)} 万元超过全年预算数 {show(a)} 万元，请核对")
    return ExecutionScore(budget, w, rate, score,
                          Explanation(formula, arithmetic, inputs, profile, f"B ≥ {show(a)}（执行率 100%）"),
                          tuple(warnings), needs_reason)
