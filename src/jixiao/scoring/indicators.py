"""Indicator scores (domain.md §3): 正向, =, 反向 (two formulas), 定性 bands, zero targets."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain import Indicator, Operator
from jixiao.domain.score_formulas import (
    QUALITATIVE_FORMULA,
    in_band,
    negative_worked,
    overachieved,
    overachievement_deducted,
    overachievement_share,
    positive_worked,
    qualitative_band,
    upward_score,
)
from jixiao.scoring.model import Actual, Explanation, IndicatorScore, money, show
from jixiao.scoring.policy import QualitativeGrade, ScoringPolicy

_ZERO = Decimal(0)
_GRADE_REQUIRED = "定性指标须选择完成等级：" + " / ".join(grade.value for grade in QualitativeGrade)
_DOWNWARD = (Operator.LE, Operator.LT)


def _profile(policy: ScoringPolicy) -> str:
    return f"{policy.profile} {policy.version}"


def _unscorable(index: int, item: Indicator, weight: Decimal | None, actual: Actual | None,
                policy: ScoringPolicy, why: str) -> IndicatorScore:
    return IndicatorScore(index, item.name, weight, actual, None,
                          Explanation("无法计分", why, {}, _profile(policy)), (why,), needs_reason=True)


def score_indicator(index: int, item: Indicator, actual: Actual | None, policy: ScoringPolicy) -> IndicatorScore:
    """Score one indicator; never raises — what cannot be scored says why."""
    weight = item.current_weight if item.current_weight is not None else item.weight
    if weight is None:
        return _unscorable(index, item, None, actual, policy, "指标没有权重，无法计分")
    kind = item.operator_kind
    if kind is None:
        why = f"指标性质“{item.operator or '（空）'}”无法识别，无法计分"
        return _unscorable(index, item, weight, actual, policy, why)
    if actual is None:
        return _unscorable(index, item, weight, actual, policy, "缺少实际完成值")
    if kind in (Operator.QUALITATIVE, Operator.OTHER_QUANTITATIVE):
        return _judged(index, item, weight, actual, policy, kind)
    target = item.current_target or item.target
    if target is None or target.number is None:
        shown = target.text if target else "（空）"
        return _unscorable(index, item, weight, actual, policy, f"指标值“{shown}”不是数字，无法按公式计分")
    if actual.value is None or actual.value.number is None:
        shown = actual.value.text if actual.value else "（空）"
        return _unscorable(index, item, weight, actual, policy, f"实际完成值“{shown}”不是数字")
    a, b = target.number, actual.value.number
    if kind in _DOWNWARD:
        return _negative(index, item, weight, actual, policy, a, b)
    return _positive(index, item, weight, actual, policy, a, b, kind)


def _positive(index: int, item: Indicator, w: Decimal, actual: Actual, policy: ScoringPolicy,
              a: Decimal, b: Decimal, kind: Operator) -> IndicatorScore:
    inputs = {"A": show(a), "B": show(b), "w": show(w)}
    worked = positive_worked(w, a, b, kind is Operator.EQ)
    score, arithmetic = worked.score, worked.arithmetic
    warnings: list[str] = []
    over = overachieved(a, b, policy)
    if over:
        share = overachievement_share(a, b)
        threshold = show(policy.overachievement_ratio * 100)
        warnings.append(f"实际完成值为目标的 {show(share)}%，达到超额标准（{threshold}%），"
                        "须说明原因（目标是否定得过低）")
        if policy.overachievement_deduction > 0:
            deducted = overachievement_deducted(w, policy)
            score = upward_score(w, a, b, kind is Operator.EQ, policy)
            arithmetic += (f"；超额扣减 {show(w)} × {show(policy.overachievement_deduction)} = {show(deducted)}"
                           f" → {show(score)}")
    score = money(score)
    return IndicatorScore(index, item.name, w, actual, score,
                          Explanation(worked.formula, arithmetic, inputs, _profile(policy), worked.full_at),
                          tuple(warnings), needs_reason=score < w or over, overachieved=over)


def _negative(index: int, item: Indicator, w: Decimal, actual: Actual, policy: ScoringPolicy,
              a: Decimal, b: Decimal) -> IndicatorScore:
    inputs = {"A": show(a), "B": show(b), "w": show(w)}
    worked = negative_worked(w, a, b, policy.negative_formula)
    score = money(worked.score)
    return IndicatorScore(index, item.name, w, actual, score,
                          Explanation(worked.formula, worked.arithmetic, inputs, _profile(policy), worked.full_at),
                          needs_reason=score < w)


def _judged(index: int, item: Indicator, w: Decimal, actual: Actual, policy: ScoringPolicy,
            kind: Operator) -> IndicatorScore:
    """定性 (grade + points inside its band) and 定量（其他） (points between 0 and w)."""
    points = actual.points
    grade = actual.grade
    if kind is Operator.QUALITATIVE:
        if grade is None:
            return _unscorable(index, item, w, actual, policy, _GRADE_REQUIRED)
        low, high = qualitative_band(w, grade)
        formula = QUALITATIVE_FORMULA
        band = f"“{grade.value}”档 {show(money(low))}–{show(money(high))} 分"
    else:
        low, high = _ZERO, w
        formula = "定量（其他）：由评价人按说明在 0 至权重之间打分"
        band = f"0–{show(w)} 分"
    inputs = {"w": show(w), "得分": show(points)}
    if points is None:
        return _unscorable(index, item, w, actual, policy, f"须填写定性得分（{band}）")
    inside = in_band(points, grade, low, high) if grade is not None and kind is Operator.QUALITATIVE \
        else low <= points <= high
    if not inside:
        return _unscorable(index, item, w, actual, policy, f"定性得分 {show(points)} 不在{band}内")
    score = money(points)
    return IndicatorScore(index, item.name, w, actual, score,
                          Explanation(formula, f"{band}，评价人给 {show(score)} 分", inputs, _profile(policy),
                                      f"“{QualitativeGrade.ACHIEVED.value}”且给满 {show(w)} 分"),
                          needs_reason=score < w)
