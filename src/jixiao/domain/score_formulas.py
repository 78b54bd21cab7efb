"""The self-evaluation formulas (domain.md §3) and their arithmetic in words, shared by scoring and the audit.

``scoring`` scores what a unit reports; the audit of published self-evaluations (``rules``) recomputes what a
unit printed. Both call these functions, so a published score is checked with exactly the arithmetic jixiao
scores with. The ``*_score`` functions only compute (the audit runs them on every row of every table); the
``*_worked`` ones also say how, for a score that is shown or a finding that is made.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final, NamedTuple

from jixiao.domain.scoring_policy import (
    QUALITATIVE_BANDS,
    ExecutionMethod,
    NegativeFormula,
    QualitativeGrade,
    ScoringPolicy,
)

CENT: Final = Decimal("0.01")
ZERO: Final = Decimal(0)
ONE: Final = Decimal(1)
HUNDRED: Final = Decimal(100)
RATE_PLACES: Final = Decimal("0.0001")  # 执行率 is kept to four places (98.47%) before it is scored
QUALITATIVE_FORMULA: Final = "定性：达成 80%–100%，部分达成 60%–80%，未达成 0–60% 的权重，由评价人在档内打分"


def money(value: Decimal) -> Decimal:
    """Scores are shown with two decimals, rounded half up as finance staff do by hand."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def show(value: Decimal | None) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros after the point."""
    if value is None:
        return "（空）"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class Worked(NamedTuple):
    """A score with the rule in words, the arithmetic with the numbers, and the actual that earns full marks."""

    score: Decimal
    formula: str
    arithmetic: str
    full_at: str


# -- 正向 and "=" ---------------------------------------------------------------------------------------
def positive_score(w: Decimal, a: Decimal, b: Decimal, equal: bool = False) -> Decimal:
    """正向 (≥, ＞) and "=" (scored like 正向): B ≥ A → w, else w × B ÷ A; A = 0 is met by B ≥ 0 (by B = 0 for "=")."""
    if a == 0:
        met = b == 0 if equal else b >= 0
        return w if met else ZERO
    if b >= a:
        return w
    return money(max(ZERO, w * b / a))


def positive_worked(w: Decimal, a: Decimal, b: Decimal, equal: bool = False) -> Worked:
    score = positive_score(w, a, b, equal)
    label = "“=”（按正向计）" if equal else "正向"
    if a == 0:
        if equal:
            arithmetic = f"B = 0 → {show(w)}" if b == 0 else f"B = {show(b)} ≠ 0 → 0"
            return Worked(score, f"{label}：A = 0 时，B = 0 得满分，否则 0 分", arithmetic, "B = 0")
        arithmetic = f"B = {show(b)} ≥ 0 → {show(w)}" if b >= 0 else f"B = {show(b)} < 0 → 0"
        return Worked(score, f"{label}：A = 0 时，B ≥ 0 即达成，得满分", arithmetic, "B ≥ 0")
    formula = f"{label}：B ≥ A 得满分 w，否则 w × B ÷ A"
    if b >= a:
        return Worked(score, formula, f"B = {show(b)} ≥ A = {show(a)} → {show(w)}", f"B ≥ {show(a)}")
    return Worked(score, formula, f"{show(w)} × {show(b)} ÷ {show(a)} = {show(score)}", f"B ≥ {show(a)}")


def overachieved(a: Decimal, b: Decimal, policy: ScoringPolicy) -> bool:
    """B ≥ ratio × A (正向, A > 0): a written reason is required, and the profile may deduct."""
    return a > 0 and b >= a * policy.overachievement_ratio


def overachievement_share(a: Decimal, b: Decimal) -> Decimal:
    """The actual as a percentage of the target, to the cent."""
    return money(b / a * HUNDRED)


def overachievement_deducted(w: Decimal, policy: ScoringPolicy) -> Decimal:
    """The points an over-achieved indicator loses under the profile (0 when it deducts none)."""
    return money(w * policy.overachievement_deduction)


def upward(w: Decimal, a: Decimal, b: Decimal, equal: bool, policy: ScoringPolicy) -> tuple[Decimal, bool, bool]:
    """The whole 正向 score (the formula, then the profile's over-achievement deduction), whether the formula
    gave full marks, and whether the row is over-achieved."""
    base = positive_score(w, a, b, equal)
    over = overachieved(a, b, policy)
    score = money(base)
    if over and policy.overachievement_deduction > 0:
        score = money(score - overachievement_deducted(w, policy))
    return score, base == w, over


def upward_score(w: Decimal, a: Decimal, b: Decimal, equal: bool, policy: ScoringPolicy) -> Decimal:
    return upward(w, a, b, equal, policy)[0]


# -- 反向 ---------------------------------------------------------------------------------------------
def negative_score(w: Decimal, a: Decimal, b: Decimal, formula: NegativeFormula) -> Decimal:
    """反向 (≤, ＜): B ≤ A → w; above it linear w × (1 − (B − A) ÷ A) (0 at B ≥ 2A) or ratio w × A ÷ B."""
    if b <= a:
        return w
    if a <= 0:
        return ZERO
    if formula is NegativeFormula.LINEAR:
        return money(max(ZERO, w * (1 - (b - a) / a)))
    return money(w * a / b)


def negative_worked(w: Decimal, a: Decimal, b: Decimal, formula: NegativeFormula) -> Worked:
    score = negative_score(w, a, b, formula)
    linear = formula is NegativeFormula.LINEAR
    rule = ("反向：B ≤ A 得满分 w；超过时 w × (1 − (B − A) ÷ A)，B ≥ 2A 为 0" if linear
            else "反向：B ≤ A 得满分 w；超过时 w × A ÷ B")
    full_at = f"B ≤ {show(a)}"
    if b <= a:
        return Worked(score, rule, f"B = {show(b)} ≤ A = {show(a)} → {show(w)}", full_at)
    if a <= 0:
        return Worked(score, "反向：A = 0 时，B ≤ 0 得满分，否则 0 分", f"A = {show(a)}，B = {show(b)} > A → 0",
                      full_at)
    if linear:
        return Worked(score, rule, f"{show(w)} × (1 − ({show(b)} − {show(a)}) ÷ {show(a)}) = {show(score)}", full_at)
    return Worked(score, rule, f"{show(w)} × {show(a)} ÷ {show(b)} = {show(score)}", full_at)


# -- 定性 ---------------------------------------------------------------------------------------------
def qualitative_band(w: Decimal, grade: QualitativeGrade) -> tuple[Decimal, Decimal]:
    """The points a 定性 grade allows: (low, high) as shares of the weight (财预〔2020〕10号)."""
    low, high = QUALITATIVE_BANDS[grade]
    return w * low, w * high


def in_band(points: Decimal, grade: QualitativeGrade, low: Decimal, high: Decimal) -> bool:
    """Whether ``points`` lie in the grade's band; a band's top belongs to the grade above (80% is 达成),
    except for 达成, whose top is full marks."""
    if points < low:
        return False
    return points <= high if grade is QualitativeGrade.ACHIEVED else points < high


# -- 预算执行率 ----------------------------------------------------------------------------------------
def execution_rate(adjusted: Decimal, spent: Decimal) -> Decimal:
    """执行率 = 全年执行数 ÷ 全年预算数 (the adjusted budget, > 0), to four places."""
    return (spent / adjusted).quantize(RATE_PLACES)


def execution_share(rate: Decimal, policy: ScoringPolicy) -> Decimal:
    """The share of the weight a rate earns: min(rate, 1), or the band it falls in."""
    if policy.execution_method is ExecutionMethod.PROPORTIONAL:
        return min(rate, ONE)
    return next((part for minimum, part in policy.execution_bands if rate >= minimum), ZERO)


def execution_score(rate: Decimal, w: Decimal, policy: ScoringPolicy) -> Decimal:
    return money(execution_share(rate, policy) * w)


def percent(rate: Decimal) -> str:
    """A rate (0.9527) as its percentage to the cent, as the messages print it ("95.27")."""
    return show(money(rate * HUNDRED))


def execution_worked(rate: Decimal, w: Decimal, policy: ScoringPolicy, rate_arithmetic: str) -> Worked:
    """The execution score of ``rate``; ``rate_arithmetic`` says where the rate came from ("14.5 ÷ 15.22 = 95.27%")."""
    score = execution_score(rate, w, policy)
    shown = percent(rate)
    if policy.execution_method is ExecutionMethod.PROPORTIONAL:
        formula = "执行率 = 全年执行数 B ÷ 全年预算数 A；得分 = min(执行率, 100%) × w"
        arithmetic = f"{rate_arithmetic}；min({shown}%, 100%) × {show(w)} = {show(score)}"
    else:
        share = execution_share(rate, policy)
        bands = "；".join(f"≥ {percent(m)}% 得 {show(p * HUNDRED)}%" for m, p in policy.execution_bands)
        formula = f"执行率 = B ÷ A，分档计分：{bands}，其余 0"
        arithmetic = f"{rate_arithmetic}，落在 {show(share * HUNDRED)}% 档：{show(w)} × {show(share)} = {show(score)}"
    return Worked(score, formula, arithmetic, "执行率 100%")
