"""The review rules that compare a table with its project's past years (P007–P010): the history comes in as data."""

from __future__ import annotations

import dataclasses

import pytest

from jixiao import profiles
from jixiao.domain.history import ProjectHistory
from jixiao.rules.engine import active_rules, review_table
from tests.rule_cases import HISTORY_CASES, _past, _sheets, _year, clean_table


def _found(code: str, past: ProjectHistory | None, profile: str = "chongqing") -> list[str]:
    rules = profiles.load(profile).rules
    review = review_table(clean_table(), rules, active_rules(rules), past=past)
    return [finding.message for finding in review.findings if finding.code == code]


@pytest.mark.parametrize("code", sorted(HISTORY_CASES))
def test_history_rule_triggers_and_near_miss(code: str) -> None:
    profile, trigger, near_miss = HISTORY_CASES[code]
    assert _found(code, trigger, profile)
    assert _found(code, near_miss, profile) == []


def test_the_messages_have_the_figures() -> None:
    assert _found("P007", HISTORY_CASES["P007"][1]) == [
        "“纸张使用量”本年目标 720000 张 比上年目标 750000 张 更宽松，而上年实际完成 800000 张，已超过上年目标"]
    assert _found("P008", HISTORY_CASES["P008"][1]) == [
        "“纸张使用量”连续 2 年的目标都等于上年实际完成值（2021 年目标 700000 = 2020 年实际 700000；"
        "2022 年目标 720000 = 2021 年实际 720000）"]
    assert _found("P009", HISTORY_CASES["P009"][1]) == [
        "“群众满意度”过去 2 年的实际完成值都恰好为 100%（2020 年 100%；2021 年 100%），请核实是否如实填报"]
    assert _found("P010", HISTORY_CASES["P010"][1]) == [
        "上年指标“复印机完好率”（目标 ≥98，实际 95）未完成，本年目标表中不再设置"]


def test_without_history_the_rules_are_silent_and_the_table_clean() -> None:
    for code in HISTORY_CASES:
        assert _found(code, None) == []
    rules = profiles.load("chongqing").rules
    assert review_table(clean_table(), rules, active_rules(rules), past=ProjectHistory(2022)).findings == ()


def test_a_reverse_indicator_loosened_after_doing_better_is_reported() -> None:
    # 复印差错率 ≤ 1% this year; 2021 allowed ≤ 0.5% and made 0.2%: the target went up (looser)
    looser = _past({1: (_year(2021, "≤", "0.5", "0.2"),)})
    assert _found("P007", looser)
    assert _found("P007", _past({1: (_year(2021, "≤", "0.5", "0.8"),)})) == []  # 2021 missed


def test_last_year_must_be_the_year_before() -> None:
    older = _past({0: (_year(2020, "≥", "750000", "800000", "张"),)})
    assert _found("P007", older) == []
    gone = ProjectHistory(2022, {}, (_sheets("95").missing[0],))
    assert _found("P010", gone)
    assert _found("P010", ProjectHistory(2023, {}, gone.missing)) == []


def test_exactly_the_target_every_year_and_the_years_the_profile_wants() -> None:
    exact = _past({3: (_year(2020, "≥", "90", "90"), _year(2021, "≥", "95", "95"))})
    assert "恰好等于当年目标" in _found("P009", exact)[0]
    one_year = _past({3: (_year(2021, "≥", "95", "100"),)})
    assert _found("P009", one_year) == []  # history_min_years = 2
    rules = dataclasses.replace(profiles.load("chongqing").rules, history_min_years=1)
    review = review_table(clean_table(), rules, active_rules(rules), past=one_year)
    assert [f.code for f in review.findings] == ["P009"]


def test_a_year_without_an_actual_breaks_the_run() -> None:
    gap = _past({0: (_year(2020, "≥", "680000", "700000", "张"), _year(2021, "≥", "700000", None, "张"))})
    assert _found("P008", gap) == []
    partly = _past({3: (_year(2020, "≥", "90", "100"), _year(2021, "≥", "95", None))})
    assert _found("P009", partly) == []
