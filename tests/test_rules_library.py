"""The review rule that compares targets with the indicator library (P006): the figures come in as data."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from msgspec.structs import replace

from jixiao import profiles
from jixiao.domain import TargetTable
from jixiao.domain.comparable import ComparableRange
from jixiao.rules.engine import active_rules, review_table
from tests.rule_cases import LIBRARY_CASES, clean_table


def _found(code: str, comparables: dict[int, ComparableRange], profile: str = "chongqing",
           table: TargetTable | None = None) -> list[str]:
    rules = profiles.load(profile).rules
    review = review_table(table or clean_table(), rules, active_rules(rules), comparables=comparables)
    return [finding.message for finding in review.findings if finding.code == code]


@pytest.mark.parametrize("code", sorted(LIBRARY_CASES))
def test_library_rule_triggers_and_near_miss(code: str) -> None:
    profile, trigger, near_miss = LIBRARY_CASES[code]
    assert _found(code, trigger, profile)
    assert _found(code, near_miss, profile) == []


def test_the_message_has_the_figures() -> None:
    message, = _found("P006", {3: ComparableRange("服务对象满意度", "%", Decimal("96"), Decimal("97.5"),
                                                   Decimal("98"), 41)})
    assert message == ("正向指标“群众满意度”的目标 95% 低于可比项目的下四分位数 96%"
                       "（可比项目设定 96–98%（中位数 97.5%，41 个项目））")


def test_a_negative_target_above_the_upper_quartile_is_reported() -> None:
    # 复印差错率 ≤ 1%: comparable projects allow 0.2–0.5 %
    def errors(q3: str) -> ComparableRange:
        return ComparableRange("复印差错率", "%", Decimal("0.2"), Decimal("0.3"), Decimal(q3), 9)

    found = _found("P006", {1: errors("0.5")})
    assert found and "高于可比项目的上四分位数 0.5%" in found[0]
    assert _found("P006", {1: errors("1")}) == []


def test_too_few_projects_or_another_unit_say_nothing() -> None:
    few = ComparableRange("服务对象满意度", "%", Decimal("96"), Decimal("97"), Decimal("98"), 4)
    assert _found("P006", {3: few}) == []  # the profile's library_min_projects is 5
    points = ComparableRange("服务对象满意度", "分", Decimal("96"), Decimal("97"), Decimal("98"), 41)
    assert _found("P006", {3: points}) == []


def test_without_comparables_the_rule_is_silent_and_the_table_clean() -> None:
    assert _found("P006", {}) == []
    rules = profiles.load("chongqing").rules
    assert review_table(clean_table(), rules, active_rules(rules)).findings == ()


def test_a_profile_can_disable_it() -> None:
    loaded = profiles.load("chongqing").rules
    rules = dataclasses.replace(loaded, disabled=loaded.disabled | {"P006"})
    trigger = LIBRARY_CASES["P006"][1]
    review = review_table(clean_table(), rules, active_rules(rules), comparables=trigger)
    assert "P006" not in {finding.code for finding in review.findings}


def test_the_current_target_is_compared() -> None:
    table = clean_table()
    items = list(table.indicators)
    items[3] = replace(items[3], current_target=replace(items[3].target, text="97", number=Decimal(97)))
    table = replace(table, indicators=tuple(items))
    assert _found("P006", LIBRARY_CASES["P006"][1], table=table) == []
