"""Indicator scores (domain.md §3): 正向, =, 反向 (two formulas), 定性 bands, zero targets."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain import Indicator, Operator
from jixiao.scoring.model import Actual, Explanation, IndicatorScore, money, show
from jixiao.scoring.policy import QUALITATIVE_BANDS, NegativeFormula, QualitativeGrade, ScoringPolicy

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
    label = "“=”（按正向计）" if kind is Operator.EQ else "正向"
    if a == 0:
        if kind is Operator.EQ:
            formula = f"{label}：A = 0 时，B = 0 得满分，否则 0 分"
            score, arithmetic, full_at = (w, f"B = 0 → {show(w)}", "B = 0") if b == 0 else (
                _ZERO, f"B = {show(b)} ≠ 0 → 0", "B = 0")
        else:
            formula = f"{label}：A = 0 时，B ≥ 0 即达成，得满分"
            score, arithmetic = (w, f"B = {show(b)} ≥ 0 → {show(w)}") if b >= 0 else (
                _ZERO, f"B = {show(b)} < 0 → 0")
            full_at = "B ≥ 0"
    elif b >= a:
        formula = f"{label}：B ≥ A 得满分 w，否则 w × B ÷ A"
        score, arithmetic, full_at = w, f"B = {show(b)} ≥ A = {show(a)} → {show(w)}", f"B ≥ {show(a)}"
    else:
        formula = f"{label}：B ≥ A 得满分 w，否则 w × B ÷ A"
        raw = max(_ZERO, w * b / a)
        score = money(raw)
        arithmetic = f"{show(w)} × {show(b)} ÷ {show(a)} = {show(score)}"
        full_at = f"B ≥ {show(a)}"
    warnings: list[str] = []
    over = a > 0 and b >= a * policy.overachievement_ratio
    if over:
        share = money(b / a * 100)
        threshold = show(policy.overachievement_ratio * 100)
        warnings.append(f"实际完成值为目标的 {show(share)}%，达到超额标准（{threshold}%），"
                        "须说明原因（目标是否定得过低）")
        if policy.overachievement_deduction > 0:
            deducted = money(w * policy.overachievement_deduction)
            score = money(score - deducted)
            arithmetic += (f"；超额扣减 {show(w)} × {show(policy.overachievement_deduction)} = {show(deducted)}"
                           f" → {show(score)}")
    score = money(score)
    return IndicatorScore(index, item.name, w, actual, score,
                          Explanation(formula, arithmetic, inputs, _profile(policy), full_at),
                          tuple(warnings), needs_reason=score < w or over, overachieved=over)


def _negative(index: int, item: Indicator, w: Decimal, actual: Actual, policy: ScoringPolicy,
              a: Decimal, b: Decimal) -> IndicatorScore:
    inputs = {"A": show(a), "B": show(b), "w": show(w)}
    linear = policy.negative_formula is NegativeFormula.LINEAR
    formula = ("反向：B ≤ A 得满分 w；超过时 w × (1 − (B − A) ÷ A)，B ≥ 2A 为 0" if linear
               else "反向：B ≤ A 得满分 w；超过时 w × A ÷ B")
    full_at = f"B ≤ {show(a)}"
    if b <= a:
        score, arithmetic = w, f"B = {show(b)} ≤ A = {show(a)} → {show(w)}"
    elif a <= 0:
        formula = "反向：A = 0 时，B ≤ 0 得满分，否则 0 分"
        score, arithmetic = _ZERO, f"A = {show(a)}，B = {show(b)} > A → 0"
    elif linear:
        raw = max(_ZERO, w * (1 - (b - a) / a))
        score = money(raw)
        arithmetic = f"{show(w)} × (1 − ({show(b)} − {show(a)}) ÷ {show(a)}) = {show(score)}"
    else:
        score = money(w * a / b)
        arithmetic = f"{show(w)} × {show(a)} ÷ {show(b)} = {show(score)}"
    score = money(score)
    return IndicatorScore(index, item.name, w, actual, score,
                          Explanation(formula, arithmetic, inputs, _profile(policy), full_at),
                          needs_reason=score < w)


def _judged(index: int, item: Indicator, w: Decimal, actual: Actual, policy: ScoringPolicy,
            kind: Operator) -> IndicatorScore:
    """定性 (grade + points inside its band) and 定量（其他） (points between 0 and w)."""
    points = actual.points
    if kind is Operator.QUALITATIVE:
        grade = actual.grade
        if grade is None:
            return _unscorable(index, item, w, actual, policy, _GRADE_REQUIRED)
        low, high = (w * share for share in QUALITATIVE_BANDS[grade])
        formula = "定性：达成 80%–100%，部分达成 60%–80%，未达成 0–60% 的权重，由评价人在档内打分"
        band = f"“{grade.value}”档 {show(money(low))}–{show(money(high))} 分"
    else:
        low, high = _ZERO, w
        formula = "定量（其他）：由评价人按说明在 0 至权重之间打分"
        band = f"0–{show(w)} 分"
    inputs = {"w": show(w), "得分": show(points)}
    if points is None:
        return _unscorable(index, item, w, actual, policy, f"须填写定性得分（{band}）")
    closed_top = kind is not Operator.QUALITATIVE or grade is QualitativeGrade.ACHIEVED  # 80% is 达成, not 部分达成
    upper_ok = points <= high if closed_top else points < high
    if points < low or not upper_ok:
        return _unscorable(index, item, w, actual, policy, f"定性得分 {show(points)} 不在{band}内")
    score = money(points)
    return IndicatorScore(index, item.name, w, actual, score,
                          Explanation(formula, f"{band}，评价人给 {show(score)} 分", inputs, _profile(policy),
                                      f"“{QualitativeGrade.ACHIEVED.value}”且给满 {show(w)} 分"),
                          needs_reason=score < w)
