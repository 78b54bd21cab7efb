"""The screen (rules.screen) only skips rules that would find nothing: screened == unscreened.

Every review is compared with ``review_table(..., screen=False)``, which runs every rule on
every table as the engine did before the screen: the same findings, in the same order, with
the same score — on each rule's triggering case and near miss, on generated corpus tables, on
random tables, and on data that makes a rule fail (the fault is still reported).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from bench.generate import iter_tables
from hypothesis import HealthCheck, given, settings
from msgspec.structs import force_setattr, replace

from jixiao import profiles
from jixiao.domain import Indicator, TargetTable, Value
from jixiao.rules import RULES
from jixiao.rules.context import TableContext
from jixiao.rules.engine import ENGINE_FAULT, TableReview, active_rules, review_table
from jixiao.rules.screen import SCREENED_CODES, may_fire
from tests.rule_cases import CASES, HISTORY_CASES, LIBRARY_CASES, clean_table
from tests.strategies import target_tables

PROFILES = profiles.shipped_profiles()


def _same(table: TargetTable, profile_name: str, **given: Any) -> TableReview:
    profile = profiles.load(profile_name).rules
    rules = active_rules(profile)
    screened = review_table(table, profile, rules, **given)
    reference = review_table(table, profile, rules, screen=False, **given)
    assert screened.findings == reference.findings
    assert (screened.score, screened.grade, screened.deductions) == \
        (reference.score, reference.grade, reference.deductions)
    return screened


def test_every_screened_code_is_a_rule() -> None:
    assert set(RULES) >= SCREENED_CODES


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_cases_review_the_same(code: str, profile: str) -> None:
    case_profile, change, near_miss = CASES[code]
    review = _same(change(clean_table()), profile)
    if profile == case_profile:
        assert code in {finding.code for finding in review.findings}
    if near_miss is not None:
        _same(near_miss(clean_table()), profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_generated_tables_review_the_same(profile: str) -> None:
    found = 0
    for table, _text in iter_tables(300, seed=11):
        found += len(_same(table, profile).findings)
    assert found > 0  # the corpus has findings, so the comparison compares something


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("code", sorted(HISTORY_CASES))
def test_history_cases_review_the_same(code: str, profile: str) -> None:
    """P007–P010 are screened by whether the caller passed the project's past (most reviews have none)."""
    case_profile, trigger, near_miss = HISTORY_CASES[code]
    review = _same(clean_table(), profile, past=trigger)
    if profile == case_profile:
        assert code in {finding.code for finding in review.findings}
    _same(clean_table(), profile, past=near_miss)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("code", sorted(LIBRARY_CASES))
def test_library_cases_review_the_same(code: str, profile: str) -> None:
    case_profile, trigger, near_miss = LIBRARY_CASES[code]
    review = _same(clean_table(), profile, comparables=trigger)
    if profile == case_profile:
        assert code in {finding.code for finding in review.findings}
    _same(clean_table(), profile, comparables=near_miss)


def test_without_past_or_comparables_the_cross_project_rules_are_not_run() -> None:
    profile = profiles.load("chongqing").rules
    flagged = set(may_fire(TableContext(clean_table(), profile)))
    assert flagged.isdisjoint({"P006", "P007", "P008", "P009", "P010"})
    assert "P010" in may_fire(TableContext(clean_table(), profile, None, HISTORY_CASES["P010"][1]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target_tables())
def test_random_tables_review_the_same(table: TargetTable) -> None:
    for profile in PROFILES:
        _same(table, profile)


def _with_weight(weight: Decimal) -> TargetTable:
    table = clean_table()
    first: Indicator = replace(table.indicators[0], weight=weight)
    return replace(table, indicators=(first, *table.indicators[1:]))


@pytest.mark.parametrize("odd", [Decimal("NaN"), Decimal("sNaN")])
def test_a_rule_that_fails_on_odd_data_is_still_reported(odd: Decimal) -> None:
    review = _same(_with_weight(odd), "chongqing")
    assert ENGINE_FAULT in {finding.code for finding in review.findings}


@pytest.mark.parametrize("field", ["history", "target"])
def test_an_odd_row_number_is_reported_as_before(field: str) -> None:
    """A signalling NaN (only code, not a reader, can make one) makes comparisons raise."""
    odd = Value("100")
    force_setattr(odd, "number", Decimal("sNaN"))
    table = clean_table()
    rows = tuple(replace(row, **{field: odd}) for row in table.indicators)
    review = _same(replace(table, indicators=rows), "chongqing")
    assert ENGINE_FAULT in {finding.code for finding in review.findings}


def test_a_clean_table_runs_no_rule() -> None:
    profile = profiles.load("chongqing").rules
    assert [code for code in may_fire(TableContext(clean_table(), profile)) if code not in profile.disabled] == []


def test_context_kinds_are_the_indicator_properties() -> None:
    profile = profiles.load("chongqing").rules
    spellings = ["≥", ">=", "＞", "大于", " ≤ ", "定性", "定量（其他）", "定量(其他)", "约", None]
    directions = ["正向指标", "反向", "逆向指标", "正 向", "向上", None]
    rows = tuple(Indicator("产出指标", "数量指标", f"指标{n}", op, None, None, None, None, None, None, direction)
                 for n, (op, direction) in enumerate(zip(spellings, directions * 2, strict=False)))
    ctx = TableContext(replace(clean_table(), indicators=rows), profile)
    assert ctx.operator_kinds == [row.operator_kind for row in rows]
    assert ctx.direction_kinds == [row.direction_kind for row in rows]
    assert ctx.names == tuple(row.name for row in rows)
