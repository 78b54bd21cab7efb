"""Scoring one index-system indicator by its method, with the arithmetic in words (issue 19).

Each method turns what an evaluator entered (or what a formula reads from stored data) into a score in
[0, w] and says how, like the self-evaluation's :class:`~jixiao.scoring.model.Explanation`. Bad or missing
input never raises: the score is ``None`` and ``problem`` says in Chinese what is missing or wrong, so a
page can show it beside the indicator and a report can list it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.index_system import EvaluationSettings, IndexIndicator, IndicatorEntry, MethodKind, ScoringMethod
from jixiao.domain.score_formulas import ZERO, money, show


@dataclass(frozen=True, slots=True)
class IndexScore:
    """A score (``None``: not scorable, see ``problem``) with the rule and the arithmetic that gave it."""

    code: str
    weight: Decimal
    score: Decimal | None
    formula: str
    arithmetic: str
    problem: str | None = None


def score_indicator(indicator: IndexIndicator, entry: IndicatorEntry) -> IndexScore:
    """The indicator's score by its method; never raises on bad input."""
    method = indicator.method
    scorer = _SCORERS[method.kind]
    score, formula, arithmetic, problem = scorer(indicator.weight, method, entry)
    if score is not None:
        score = money(min(max(score, ZERO), indicator.weight))
    return IndexScore(indicator.code, indicator.weight, score, formula, arithmetic, problem)


_Result = tuple[Decimal | None, str, str, str | None]


def _formula(w: Decimal, method: ScoringMethod, entry: IndicatorEntry) -> _Result:
    full = "" if method.full_at == 1 else f"，达到 {show(method.full_at * 100)}% 即得满分"
    zero = "" if method.zero_below is None else f"，低于 {show(method.zero_below * 100)}% 不得分"
    formula = f"{method.numerator} ÷ {method.denominator} × w{full}{zero}，最高 w"
    n, d = entry.numerator, entry.denominator
    if n is None or d is None:
        missing = "、".join(label for label, value in ((method.numerator, n), (method.denominator, d)) if value is None)
        return None, formula, "", f"缺少{missing}，无法计算"
    if d <= 0 or n < 0:
        return None, formula, "", (f"{method.denominator}应为正数、{method.numerator}不能为负数"
                                   f"（实际为 {show(n)} ÷ {show(d)}）")
    ratio = n / d
    rate = f"{show(n)} ÷ {show(d)} = {show(money(ratio * 100))}%"
    if method.zero_below is not None and ratio < method.zero_below:
        return ZERO, formula, f"{rate} < {show(method.zero_below * 100)}% → 0", None
    share = min(ratio / method.full_at, Decimal(1))
    if share == 1:
        return w, formula, f"{rate} ≥ {show(method.full_at * 100)}% → {show(w)}", None
    via = "" if method.full_at == 1 else f" ÷ {show(method.full_at * 100)}%"
    score = money(w * share)
    return score, formula, f"{rate}；{show(w)} × {show(money(ratio * 100))}%{via} = {show(score)}", None


def _elements(w: Decimal, method: ScoringMethod, entry: IndicatorEntry) -> _Result:
    m = len(method.elements)
    formula = f"要素计分：共 {m} 个要素，满足一项得该项分值（合计 {show(w)}）"
    if entry.met is None:
        return None, formula, "", "未逐项判断要素是否满足"
    if len(entry.met) != m:
        return None, formula, "", f"应判断 {m} 个要素，实际判断了 {len(entry.met)} 个"
    earned = [element for element, met in zip(method.elements, entry.met, strict=True) if met]
    if len({element.points for element in method.elements}) == 1:  # equal shares: w × k ÷ m, no recurring decimals
        score = w * len(earned) / m
        worked = f"满足 {len(earned)}/{m} 项：{show(w)} × {len(earned)} ÷ {m} = {show(money(score))}"
        return score, formula, worked, None
    score = sum((element.points for element in earned), ZERO)
    parts = " + ".join(show(element.points) for element in earned) or "0"
    return score, formula, f"满足 {len(earned)}/{m} 项：{parts} = {show(money(score))}", None


def _conditions(w: Decimal, method: ScoringMethod, entry: IndicatorEntry) -> _Result:
    formula = "；".join(f"{item.when}得 {show(item.share * w)} 分" for item in method.conditions)
    index = entry.condition
    if index is None:
        return None, formula, "", "未选择符合的情形"
    if not 0 <= index < len(method.conditions):
        return None, formula, "", f"情形应为 1–{len(method.conditions)} 之一，实际为 {index + 1}"
    chosen = method.conditions[index]
    score = w * chosen.share
    return score, formula, f"{chosen.when} → {show(w)} × {show(chosen.share)} = {show(money(score))}", None


def _deduction(w: Decimal, method: ScoringMethod, entry: IndicatorEntry) -> _Result:
    what = method.occurrence or "每发现一处"
    formula = f"扣分制：满分 {show(w)}，{what}扣 {show(method.per_occurrence)} 分，最低 {show(method.floor)} 分"
    count = entry.occurrences
    if count is None:
        return None, formula, "", "未填写发现的问题数"
    if count < 0:
        return None, formula, "", f"问题数不能为负数（实际为 {count}）"
    score = max(w - method.per_occurrence * count, method.floor)
    raw = w - method.per_occurrence * count
    floor = "" if raw >= method.floor else f"，低于最低分，按 {show(method.floor)}"
    return score, formula, f"{show(w)} − {show(method.per_occurrence)} × {count} = {show(money(raw))}{floor}", None


def _grades(w: Decimal, method: ScoringMethod, entry: IndicatorEntry) -> _Result:
    formula = "等级计分：" + "，".join(f"{band.grade} {show(band.low * w)}–{show(band.high * w)} 分"
                                     for band in method.bands)
    band = next((band for band in method.bands if band.grade == entry.grade), None)
    if band is None:
        grades = "、".join(band.grade for band in method.bands)
        problem = f"等级“{entry.grade}”不是 {grades} 之一" if entry.grade else f"未选择等级（{grades}）"
        return None, formula, "", problem
    low, high = band.low * w, band.high * w
    if entry.points is None:
        return None, formula, "", f"已选“{band.grade}”，还需在 {show(low)}–{show(high)} 分内打分"
    if not low <= entry.points <= high:
        return None, formula, "", (f"“{band.grade}”档的分数应在 {show(low)}–{show(high)} 之间，"
                                   f"实际为 {show(entry.points)}")
    return entry.points, formula, f"{band.grade}（{show(low)}–{show(high)}）→ {show(entry.points)}", None


def _judgement(w: Decimal, method: ScoringMethod, entry: IndicatorEntry) -> _Result:
    formula = f"专家评判：在 0–{show(w)} 分内打分，并写明理由"
    if entry.points is None:
        return None, formula, "", "未打分"
    if not ZERO <= entry.points <= w:
        return None, formula, "", f"分数应在 0–{show(w)} 之间，实际为 {show(entry.points)}"
    if not (entry.reason or "").strip():
        return None, formula, "", "专家评判须写明打分理由"
    return entry.points, formula, f"评判 {show(entry.points)} 分：{entry.reason}", None


_SCORERS = {MethodKind.FORMULA: _formula, MethodKind.ELEMENTS: _elements, MethodKind.CONDITIONS: _conditions,
            MethodKind.DEDUCTION: _deduction, MethodKind.GRADES: _grades, MethodKind.JUDGEMENT: _judgement}


@dataclass(frozen=True, slots=True)
class Aggregate:
    """Several experts' scores of one indicator combined, with their spread and whether they disagree."""

    score: Decimal
    low: Decimal
    high: Decimal
    disagreement: bool
    arithmetic: str


def aggregate(scores: Sequence[Decimal], weight: Decimal, settings: EvaluationSettings) -> Aggregate | None:
    """The mean (or, with ``trim`` and three or more experts, the mean without the highest and lowest).

    ``disagreement`` when the spread exceeds ``disagreement_share`` of the weight: the reviewer must look.
    ``None`` when nobody has scored yet.
    """
    if not scores:
        return None
    ordered = sorted(scores)
    used = ordered[1:-1] if settings.trim and len(ordered) >= 3 else ordered
    mean = money(sum(used, ZERO) / len(used))
    way = "去掉最高、最低分后平均" if used is not ordered else "平均"
    arithmetic = f"{way}：({' + '.join(show(score) for score in used)}) ÷ {len(used)} = {show(mean)}"
    spread = ordered[-1] - ordered[0]
    limit = settings.disagreement_share * weight
    disagreement = spread > limit
    if disagreement:
        arithmetic += f"；最高与最低相差 {show(spread)} 分，超过 {show(limit)} 分，须复核"
    return Aggregate(mean, ordered[0], ordered[-1], disagreement, arithmetic)
