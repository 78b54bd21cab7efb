"""Self-evaluation arithmetic, worked by hand, and properties every score must have."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import profiles
from jixiao.domain import Indicator, Value
from jixiao.scoring import (
    Actual,
    Budget,
    NegativeFormula,
    QualitativeGrade,
    score_execution,
    score_indicator,
    score_project,
)
from tests.rule_cases import clean_table

D = Decimal
POLICY = profiles.load("chongqing").scoring
RATIO = replace(POLICY, negative_formula=NegativeFormula.RATIO)


def row(op: str, target: str, weight: int = 20, direction: str = "正向指标") -> Indicator:
    return Indicator("产出指标", "数量指标", "指标", op, None, Value(target), Value(target), "项", D(weight),
                     D(weight), direction)


def score(op: str, target: str, actual: str, weight: int = 20, policy=POLICY) -> Decimal | None:  # type: ignore[no-untyped-def]
    return score_indicator(0, row(op, target, weight), Actual(Value(actual)), policy).score


@pytest.mark.parametrize(
    ("op", "target", "actual", "expected"),
    [
        ("≥", "720000", "720000", "20.00"),  # exactly at target
        ("≥", "720000", "800000", "20.00"),  # above
        ("≥", "720000", "600000", "16.67"),  # 20 × 600000 / 720000 = 16.666… → 16.67
        ("＞", "100", "50", "10.00"),
        ("≥", "0", "0", "20.00"),  # zero target: met when B ≥ 0
        ("≥", "0", "5", "20.00"),
        ("≥", "95", "-5", "0.00"),  # never negative
        ("=", "12", "12", "20.00"),
        ("=", "12", "9", "15.00"),
        ("=", "0", "0", "20.00"),  # = with zero target: full only when B = 0
        ("=", "0", "1", "0.00"),
        ("≤", "1", "1", "20.00"),
        ("≤", "1", "0.5", "20.00"),
        ("≤", "10", "15", "10.00"),  # linear: 20 × (1 − 5/10)
        ("≤", "10", "20", "0.00"),  # 2A → 0
        ("≤", "10", "30", "0.00"),  # beyond 2A stays 0
        ("＜", "4", "5", "15.00"),
        ("≤", "0", "0", "20.00"),
        ("≤", "0", "1", "0.00"),  # zero target for 反向: anything above is 0
    ],
)
def test_formulas_by_hand(op: str, target: str, actual: str, expected: str) -> None:
    assert score(op, target, actual) == D(expected)


def test_negative_ratio_formula() -> None:
    assert score("≤", "10", "15", policy=RATIO) == D("13.33")  # 20 × 10 / 15
    assert score("≤", "10", "40", policy=RATIO) == D("5.00")  # never 0 under the ratio formula


def test_explanation_shows_the_arithmetic_and_full_marks() -> None:
    result = score_indicator(0, row("≥", "720000"), Actual(Value("600000")), POLICY)
    assert result.explanation.arithmetic == "20 × 600000 ÷ 720000 = 16.67"
    assert result.explanation.full_marks_at == "B ≥ 720000"
    assert result.explanation.inputs == {"A": "720000", "B": "600000", "w": "20"}
    assert result.explanation.profile == "chongqing 2022.1"
    assert result.needs_reason and result.lost == D("3.33")


def test_overachievement_is_flagged_and_deducted_only_by_profile() -> None:
    at_threshold = score_indicator(0, row("≥", "100"), Actual(Value("130")), POLICY)
    assert at_threshold.overachieved and at_threshold.score == D("20.00") and at_threshold.needs_reason
    assert "130%" in at_threshold.warnings[0]
    below = score_indicator(0, row("≥", "100"), Actual(Value("129")), POLICY)
    assert not below.overachieved and not below.needs_reason
    deducting = replace(POLICY, overachievement_deduction=D("0.1"))
    assert score_indicator(0, row("≥", "100"), Actual(Value("150")), deducting).score == D("18.00")


QUAL = row("定性", "有效", 20)


@pytest.mark.parametrize(
    ("grade", "points", "expected"),
    [
        (QualitativeGrade.ACHIEVED, "20", "20.00"),
        (QualitativeGrade.ACHIEVED, "16", "16.00"),  # 80 % edge belongs to 达成
        (QualitativeGrade.PARTLY, "12", "12.00"),  # 60 % edge belongs to 部分达成
        (QualitativeGrade.PARTLY, "15.99", "15.99"),
        (QualitativeGrade.NOT_ACHIEVED, "0", "0.00"),
        (QualitativeGrade.NOT_ACHIEVED, "11.99", "11.99"),
        (QualitativeGrade.ACHIEVED, "15.99", None),  # below the 达成 band
        (QualitativeGrade.PARTLY, "16", None),  # 80 % is not 部分达成
        (QualitativeGrade.NOT_ACHIEVED, "12", None),
        (QualitativeGrade.ACHIEVED, "21", None),
    ],
)
def test_qualitative_bands(grade: QualitativeGrade, points: str, expected: str | None) -> None:
    result = score_indicator(0, QUAL, Actual(Value(grade.value), grade, D(points)), POLICY)
    assert result.score == (None if expected is None else D(expected))
    if expected is None:
        assert "不在" in result.warnings[0]


def test_qualitative_needs_a_grade_and_points() -> None:
    assert score_indicator(0, QUAL, Actual(Value("很好")), POLICY).score is None
    no_points = score_indicator(0, QUAL, Actual(Value("达成"), QualitativeGrade.ACHIEVED), POLICY)
    assert no_points.score is None and "定性得分" in no_points.warnings[0]


def test_unscorable_rows_say_why() -> None:
    assert "缺少实际完成值" in score_indicator(0, row("≥", "5"), None, POLICY).warnings[0]
    assert "不是数字" in score_indicator(0, row("≥", "有效"), Actual(Value("3")), POLICY).warnings[0]
    assert "不是数字" in score_indicator(0, row("≥", "5"), Actual(Value("很多")), POLICY).warnings[0]


@pytest.mark.parametrize(
    ("adjusted", "executed", "rate", "points"),
    [("100", "100", "1.0000", "10.00"), ("100", "95", "0.9500", "9.50"), ("100", "120", "1.2000", "10.00"),
     ("251.89", "251.89", "1.0000", "10.00"), ("3", "2", "0.6667", "6.67"), ("100", "0", "0.0000", "0.00")],
)
def test_execution_rate_proportional_and_capped(adjusted: str, executed: str, rate: str, points: str) -> None:
    result = score_execution(Budget(None, D(adjusted), D(executed)), POLICY)
    assert (result.rate, result.score) == (D(rate), D(points))


def test_execution_below_90_percent_needs_a_reason_and_banded_option() -> None:
    low = score_execution(Budget(D(100), D(100), D(85)), POLICY)
    assert low.needs_reason and "85%" in low.warnings[0]
    banded = replace(POLICY, execution_method=POLICY.execution_method.BANDED,
                     execution_bands=((D("0.9"), D(1)), (D("0.8"), D("0.8")), (D("0.6"), D("0.5"))))
    assert score_execution(Budget(None, D(100), D(85)), banded).score == D("8.00")
    assert score_execution(Budget(None, D(100), D(59)), banded).score == D("0.00")
    assert score_execution(Budget(None, D(0), D(5)), POLICY).score is None
    adjusted = score_execution(Budget(D("238.93"), D("251.89"), D("251.89")), POLICY)
    assert any("调整" in w for w in adjusted.warnings)


def test_project_total_and_grade() -> None:
    table = clean_table()  # weights 25 + 25 + 30 + 10
    actuals = {0: Actual(Value("720000")), 1: Actual(Value("1")), 2: Actual(Value("15")), 3: Actual(Value("96"))}
    result = score_project(table, actuals, Budget(None, D("15.22"), D("15.22")), POLICY)
    # 10 + 25 + 25 + 30 × 15 / 20 (= 22.50) + 10 = 92.50
    assert result.total == D("92.50") and result.grade == "优" and result.complete
    missing = score_project(table, {}, None, POLICY)
    assert missing.total == D("0.00") and missing.grade == "差" and not missing.complete


@st.composite
def scored(draw: st.DrawFn) -> tuple[Indicator, Decimal, Decimal]:
    op = draw(st.sampled_from(["≥", "＞", "=", "≤", "＜"]))
    target = draw(st.decimals(min_value=0, max_value=10_000, places=2))
    weight = draw(st.integers(1, 60))
    actual = draw(st.decimals(min_value=0, max_value=20_000, places=2))
    return row(op, str(target), weight), actual, D(weight)


@settings(max_examples=300, deadline=None)
@given(scored(), st.sampled_from([POLICY, RATIO]))
def test_score_lies_between_zero_and_weight(case: tuple[Indicator, Decimal, Decimal], policy) -> None:  # type: ignore[no-untyped-def]
    item, actual, weight = case
    result = score_indicator(0, item, Actual(Value(str(actual))), policy)
    assert result.score is not None and D(0) <= result.score <= weight


@settings(max_examples=200, deadline=None)
@given(scored(), st.decimals(min_value=0, max_value=1000, places=2), st.sampled_from([POLICY, RATIO]))
def test_scores_are_monotonic(case: tuple[Indicator, Decimal, Decimal], more: Decimal, policy) -> None:  # type: ignore[no-untyped-def]
    item, actual, _ = case
    low = score_indicator(0, item, Actual(Value(str(actual))), policy).score
    high = score_indicator(0, item, Actual(Value(str(actual + more))), policy).score
    assert low is not None and high is not None
    if item.operator in ("≤", "＜"):
        assert high <= low  # 反向: more is never better
    elif item.operator != "=" or (item.target and item.target.number != 0):
        assert high >= low  # 正向 and =: more is never worse (except = with a zero target)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=5000, places=2), min_size=4, max_size=4),
       st.decimals(min_value=0, max_value=200, places=2))
def test_total_is_the_sum_of_parts_and_within_100(actuals: list[Decimal], executed: Decimal) -> None:
    table = clean_table()
    result = score_project(table, {i: Actual(Value(str(a))) for i, a in enumerate(actuals)},
                           Budget(None, D(100), executed), POLICY)
    parts = [result.execution.score, *(i.score for i in result.indicators)]
    assert all(p is not None for p in parts)
    assert result.total == sum(parts)  # type: ignore[arg-type]
    assert D(0) <= result.total <= D(100)
