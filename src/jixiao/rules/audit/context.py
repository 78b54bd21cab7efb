"""What every audit rule sees: the published table, the profile, the approved target table (if any), and the
recomputation of the table, done once.

A published self-evaluation is checked against itself: each indicator's score is recomputed from its
printed target, actual and weight with the profile's formulas (:mod:`jixiao.domain.score_formulas`, the same
arithmetic :mod:`jixiao.scoring` scores with), the execution score from the funding block, and the sums from
the rows. The rules then only compare, so the twenty-odd of them walk facts computed in one pass rather than
re-reading every cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Final

from jixiao.domain import EvaluatedIndicator, FundingRow, Operator, SelfEvaluationTable, TargetTable
from jixiao.domain.indicator import parse_operator
from jixiao.domain.score_formulas import (
    RATE_PLACES,
    Worked,
    execution_rate,
    execution_score,
    execution_worked,
    money,
    negative_score,
    negative_worked,
    overachievement_deducted,
    percent,
    positive_score,
    positive_worked,
    show,
    upward,
    upward_score,
)
from jixiao.domain.scoring_policy import QualitativeGrade, ScoringPolicy, parse_grade
from jixiao.rules.audit.numbers import Reading, agrees, in_unit, reading, text_key, unit_word
from jixiao.rules.profile import AuditPolicy, Profile

_UP: Final = (Operator.GE, Operator.GT, Operator.EQ)
_DOWN: Final = (Operator.LE, Operator.LT)
_ZERO: Final = Decimal(0)
_HUNDRED: Final = Decimal(100)
_GRADE_PREFIXES: Final = (
    ("未达成", QualitativeGrade.NOT_ACHIEVED), ("未完成", QualitativeGrade.NOT_ACHIEVED),
    ("未达到", QualitativeGrade.NOT_ACHIEVED), ("部分达成", QualitativeGrade.PARTLY),
    ("部分完成", QualitativeGrade.PARTLY), ("部分达到", QualitativeGrade.PARTLY),
    ("达成", QualitativeGrade.ACHIEVED), ("已达成", QualitativeGrade.ACHIEVED), ("完成", QualitativeGrade.ACHIEVED),
    ("已完成", QualitativeGrade.ACHIEVED), ("全部完成", QualitativeGrade.ACHIEVED),
    ("全面完成", QualitativeGrade.ACHIEVED), ("达到", QualitativeGrade.ACHIEVED), ("已达到", QualitativeGrade.ACHIEVED),
)


@lru_cache(maxsize=4096)
def judged_grade(actual: str, target: str | None) -> QualitativeGrade | None:
    """The 定性 grade a published 实际完成值 states: one of the three grades (in full or short), a phrase that
    starts like one ("达成预期指标", "未完成"), or the target repeated (the target was reached)."""
    grade = parse_grade(actual)
    if grade is not None:
        return grade
    key = text_key(actual, None)
    for prefix, found in _GRADE_PREFIXES:
        if key.startswith(prefix):
            return found
    if target is not None and key == text_key(target, None):
        return QualitativeGrade.ACHIEVED
    return None


class RowFacts:
    """One indicator row as published and as recomputed.

    ``counted``: the row's points count towards the total (a 其中 sub-row counts only when its parent row has
    neither 分值 nor 得分). ``kind``: the comparison (the 指标性质, or the one printed in the 指标值 cell);
    ``assumed``: a numeric target with no comparison printed at all, recomputed as 正向 (≥), the usual reading of
    a bare "100" — the messages say so;
    ``judged``: 定性 or 定量（其他）, scored by the evaluator, not by formula; ``quantitative``: the target
    is a number, so the actual is compared with it. ``a``, ``b``: target and actual in the row's unit;
    ``recomputed``: the score the profile's formula gives (``None`` when it cannot be worked out); ``met``:
    the formula gives full marks; ``over``: over-achieved (B ≥ ratio × A).
    """

    # Class-level defaults: a row sets only what it finds (most rows set a handful of the fields), which is
    # cheaper than setting every slot on every row of every table.
    kind: Operator | None = None
    judged = False
    quantitative = False
    grade: QualitativeGrade | None = None
    unit = ""
    a: Decimal | None = None
    b: Decimal | None = None
    recomputed: Decimal | None = None
    met = False
    over = False
    assumed = False
    verdict: str | None = None  # A001, A002 or A003 when the published score calls for one

    def __init__(self, index: int, item: EvaluatedIndicator, counted: bool) -> None:
        self.index = index
        self.item = item
        self.counted = counted

    def worked(self, policy: ScoringPolicy) -> Worked:
        """How :attr:`recomputed` was found, in words (only asked for when a finding is made)."""
        w, a, b, kind = self.item.weight, self.a, self.b, self.kind
        assert w is not None and a is not None and b is not None
        if self.assumed:
            worked = positive_worked(w, a, b)
            return worked._replace(formula=worked.formula.replace("正向", ASSUMED_UPWARD, 1))
        if kind in _DOWN:
            return negative_worked(w, a, b, policy.negative_formula)
        if kind in _UP:
            worked = positive_worked(w, a, b, kind is Operator.EQ)
            if self.over and policy.overachievement_deduction > 0:
                deducted = overachievement_deducted(w, policy)
                score = upward_score(w, a, b, kind is Operator.EQ, policy)
                worked = worked._replace(score=score, arithmetic=(
                    f"{worked.arithmetic}；超额扣减 {show(w)} × {show(policy.overachievement_deduction)} = "
                    f"{show(deducted)} → {show(score)}"))
            return worked
        return Worked(w, "未标明指标性质：实际完成值等于指标值，无论正向、反向均得满分",
                      f"B = A = {show(a)} → {show(w)}", f"B = {show(a)}")


# How a message says a bare numeric target was taken as 正向.
ASSUMED_UPWARD: Final = "未标明指标性质，按正向（≥）计"


def _row(index: int, item: EvaluatedIndicator, counted: bool, policy: ScoringPolicy, audit: AuditPolicy) -> RowFacts:
    facts = RowFacts(index, item, counted)
    target, actual = item.target, item.actual
    kind = parse_operator(item.operator) if item.operator else None
    target_reading: Reading | None = None
    if target is not None:
        target_reading = reading(target.text)
        if kind is None and target_reading is not None:
            kind = target_reading.operator  # "≥95%" in the 指标值 cell, no 指标性质 column
    facts.kind = kind
    if kind is Operator.QUALITATIVE or kind is Operator.OTHER_QUANTITATIVE or (
            kind is None and target is not None and target_reading is None):
        facts.judged = True
        if actual is not None and kind is not Operator.OTHER_QUANTITATIVE:
            facts.grade = judged_grade(actual.text, target.text if target is not None else None)
        return facts
    if target_reading is None:
        return facts
    facts.quantitative = True
    unit = facts.unit = unit_word(item.unit_of_measure) or target_reading.unit
    a = in_unit(target_reading, unit)
    b = in_unit(reading(actual.text), unit) if actual is not None else None
    w = item.weight
    facts.a, facts.b = a, b
    if a is None or b is None or w is None or w < _ZERO:  # a negative 分值 is A006's, nothing to recompute
        return facts
    if kind in _UP:
        facts.recomputed, facts.met, facts.over = upward(w, a, b, kind is Operator.EQ, policy)
    elif kind in _DOWN:
        facts.recomputed = money(negative_score(w, a, b, policy.negative_formula))
        facts.met = facts.recomputed == w
    elif a == b:  # no comparison printed: an actual equal to its target earns full marks in either direction
        facts.recomputed = money(w)
        facts.met = True
    elif not any(word in (item.name or "") for word in audit.unsure_direction_words):
        # no comparison printed and the actual differs: a bare "100" reads as 正向 (≥); the messages say so
        facts.assumed = True
        facts.recomputed = money(positive_score(w, a, b))
        facts.met = facts.recomputed == w
    return facts


MET_DEDUCTED: Final = "A002"
MISSED_FULL: Final = "A003"
DIFFERS: Final = "A001"


def verdict(row: RowFacts, audit: AuditPolicy) -> str | None:
    """Which of A001–A003 a row's published score calls for (at most one), or ``None``: a target met yet points
    deducted, missed yet full marks (both beyond the tolerance only, rounding is no excuse), or a score that
    neither the tolerance nor the printed places explain."""
    score, weight, recomputed = row.item.score, row.item.weight, row.recomputed
    if score is None or recomputed is None or weight is None:
        return None
    tolerance = audit.score_tolerance
    if row.met and recomputed == weight and weight > 0 and score < weight - tolerance:
        return MET_DEDUCTED
    if not row.met and weight > 0 and score >= weight and weight - recomputed > tolerance:
        return MISSED_FULL
    if not agrees(score, recomputed, tolerance, audit.accept_rounding):
        return DIFFERS
    return None


def _nonzero(value: Decimal | None) -> bool:
    return value is not None and value != 0


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, _ZERO) if present else None


class Execution:
    """The funding block: which figures the execution rate rests on, and its score as printed and recomputed.

    ``zero_total``: the 年度资金总额 row prints zeros while a component row has money, so the rate rests on the
    components' sums (``basis`` says which). ``points_row`` is the row that prints the 分值/得分 (the total row
    when it does, else the first component that does).
    """

    __slots__ = ("adjusted", "basis", "components", "points_row", "rate", "rate_arithmetic", "recomputed", "score",
                 "spent", "total", "weight", "zero_total")

    def __init__(self, table: SelfEvaluationTable, policy: ScoringPolicy) -> None:
        total = self.total = table.budget
        components = self.components = table.funding_rows
        components_money = any(_nonzero(row.adjusted_wan) or _nonzero(row.spent_wan) for row in components)
        total_zero = total is not None and not (_nonzero(total.adjusted_wan) or _nonzero(total.spent_wan)) and (
            total.adjusted_wan is not None or total.spent_wan is not None)
        self.zero_total = total_zero and components_money
        self.basis = "total"
        self.adjusted = total.adjusted_wan if total is not None else None
        spent = total.spent_wan if total is not None else None
        if components_money and (self.zero_total or self.adjusted is None or spent is None):
            self.basis = "components"
            self.adjusted = _sum([row.adjusted_wan for row in components])
            spent = _sum([row.spent_wan for row in components])
        self.spent = spent
        rows = (total, *components) if total is not None else components
        self.points_row: FundingRow | None = next(
            (row for row in rows if row.execution_weight is not None or row.execution_score is not None), None)
        self.weight = self.points_row.execution_weight if self.points_row is not None else None
        self.score = self.points_row.execution_score if self.points_row is not None else None
        self.rate: Decimal | None = None
        self.rate_arithmetic = ""
        adjusted = self.adjusted
        if adjusted is not None and adjusted > 0 and spent is not None:
            self.rate = execution_rate(adjusted, spent)
            where = "其中各项资金合计：" if self.basis == "components" else ""
            self.rate_arithmetic = f"{where}{show(spent)} ÷ {show(adjusted)} = {percent(self.rate)}%"
        else:
            printed = next((row.execution_rate for row in rows if row.execution_rate is not None), None)
            if printed is not None and printed.is_finite():
                self.rate = (printed / _HUNDRED).quantize(RATE_PLACES)
                self.rate_arithmetic = f"按公布的执行率 {show(printed)}%"
        self.recomputed: Decimal | None = None
        if self.rate is not None and (self.score is not None or self.weight is not None):
            self.recomputed = execution_score(self.rate, self.scoring_weight(policy), policy)

    def scoring_weight(self, policy: ScoringPolicy) -> Decimal:
        """The 分值 printed, else the profile's."""
        return self.weight if self.weight is not None else policy.execution_weight

    def worked(self, policy: ScoringPolicy) -> Worked:
        assert self.rate is not None
        return execution_worked(self.rate, self.scoring_weight(policy), policy, self.rate_arithmetic)


class AuditContext:
    """One published self-evaluation under audit, with the facts the rules share."""

    __slots__ = (
        "approved",
        "audit",
        "blank_scores",
        "conclusion",
        "execution",
        "indicators",
        "out_of_range",
        "policy",
        "profile",
        "prompt_left",
        "recomputed_grade",
        "recomputed_total",
        "rows",
        "scores",
        "table",
        "verdicts",
        "weights",
    )

    def __init__(self, table: SelfEvaluationTable, profile: Profile, approved: TargetTable | None = None) -> None:
        self.table = table
        self.profile = profile
        self.approved = approved
        self.policy: ScoringPolicy = profile.scoring
        self.audit: AuditPolicy = profile.audit
        indicators = self.indicators = table.indicators
        scored_parents = {item.name for item in indicators
                          if item.parent is None and (item.weight is not None or item.score is not None)}
        policy, audit = self.policy, self.audit
        rows: list[RowFacts] = []
        weights: list[Decimal] = []  # of the counted rows, in order
        scores: list[Decimal] = []
        blank = 0
        verdicts = out_of_range = False
        tolerance = audit.score_tolerance
        for index, item in enumerate(indicators):
            counted = item.parent is None or item.parent not in scored_parents
            facts = _row(index, item, counted, policy, audit)
            score = item.score
            if score is not None:
                if facts.recomputed is not None:
                    facts.verdict = verdict(facts, audit)
                    verdicts = verdicts or facts.verdict is not None
                weight = item.weight
                if score < _ZERO or (weight is not None and score > weight + tolerance):
                    out_of_range = True
            if item.weight is not None and item.weight < _ZERO:
                out_of_range = True
            if item.recheck_score is not None:
                out_of_range = True  # rare: let A006 look
            if counted:
                if item.weight is not None:
                    weights.append(item.weight)
                    blank += score is None
                if score is not None:
                    scores.append(score)
            rows.append(facts)
        self.rows: tuple[RowFacts, ...] = tuple(rows)
        self.weights, self.scores, self.blank_scores = weights, scores, blank
        self.verdicts = verdicts  # some row has one of A001–A003
        self.out_of_range = out_of_range  # some row's score may lie outside 0 … its weight (A006 walks them)
        funded = table.budget is not None or bool(table.funding_rows)
        self.execution: Execution | None = Execution(table, policy) if funded else None
        self.conclusion = _conclusion(table, audit)
        # The 实际完成情况 still holds the form's prompt: the table was published without being filled in.
        self.prompt_left = table.goal_actual if table.goal_actual and audit.is_prompt(table.goal_actual) else None
        self.recomputed_total, self.recomputed_grade = self._recompute()

    def _recompute(self) -> tuple[Decimal | None, str | None]:
        """jixiao's 总分: the execution score and each counted row recomputed; a row the formulas cannot
        score (定性, no number) is taken as printed, within 0 and its weight."""
        parts: list[Decimal] = []
        execution = self.execution
        if execution is not None:
            value = execution.recomputed if execution.recomputed is not None else execution.score
            if value is not None:
                parts.append(value)
        for row in self.rows:
            if not row.counted:
                continue
            if row.recomputed is not None:
                parts.append(row.recomputed)
            elif row.item.score is not None:
                score, weight = row.item.score, row.item.weight
                parts.append(max(_ZERO, min(score, weight)) if weight is not None else score)
        if not parts:
            return None, None
        total = money(sum(parts, _ZERO))
        return total, self.policy.grade(total)


def _conclusion(table: SelfEvaluationTable, audit: AuditPolicy) -> str | None:
    """What the table already concludes (a grade, a total, a written 实际完成情况), for the blank-cell rule;
    the form's own prompt left in the 实际完成情况 cell concludes nothing."""
    parts: list[str] = []
    if table.published_grade:
        parts.append(f"自评等级“{table.published_grade}”")
    if table.published_total_score is not None:
        parts.append(f"总分 {show(table.published_total_score)}")
    if not audit.is_prompt(table.goal_actual):
        parts.append("年度总体目标实际完成情况")
    return "、".join(parts) or None
