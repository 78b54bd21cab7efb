"""结果应用 (issue 18, item 1): the profile's mapping from results to budget actions, worked by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.domain.results_policy import BudgetAction, ResultRule, ResultsPolicy
from jixiao.profiles import load
from jixiao.profiles.results_policy import results_policy
from jixiao.scoring.results_use import ProjectOutcome, suggest, zero_based_order

GRADES = ("优", "良", "中", "差")


def outcome(grade: str | None = "良", budget: str | None = "120", light: str | None = None, errors: int = 0,
            total: str | None = "85", **more: object) -> ProjectOutcome:
    return ProjectOutcome("P1", "项目", "部门", "单位", None if budget is None else D(budget), grade, "自评",
                          None if total is None else D(total), light, errors, **more)  # type: ignore[arg-type]


@pytest.mark.parametrize("profile", ["national", "chongqing", "central-2021"])
def test_each_shipped_profile_maps_every_grade_to_an_action(profile: str) -> None:
    policy = load(profile).results
    expected = {"优": (BudgetAction.PRIORITY, D(120)), "良": (BudgetAction.AS_NEEDED, D(120)),
                "中": (BudgetAction.CUT, D(108)), "差": (BudgetAction.CANCEL, D(0))}
    for grade, (action, amount) in expected.items():
        done = suggest(outcome(grade), policy)
        assert (done.action, done.amount) == (action, amount), (profile, grade, done.arithmetic)
    assert suggest(outcome("中"), policy).arithmetic == "本年全年预算 120.00 万元 × (1 − 10%) = 108.00 万元"


def test_the_strictest_rule_decides_and_the_interview_goes_along() -> None:
    policy = ResultsPolicy(by_light={"红": ResultRule(BudgetAction.CUT, D(20), "监控办法第八条")})
    red = suggest(outcome("中", light="红", errors=2), policy)
    assert red.action is BudgetAction.CUT and red.percent == D(20) and red.amount == D(96) and red.interview
    assert [item.why for item in red.applied] == ["自评等级“中”（85 分）", "运行监控截止时红灯",
                                                  "自评表审计发现 2 处错误"]
    assert red.arithmetic == "本年全年预算 120.00 万元 × (1 − 20%) = 96.00 万元；按较严的“运行监控截止时红灯”"
    cancelled = suggest(outcome("差", light="红"), policy)
    assert cancelled.action is BudgetAction.CANCEL and cancelled.amount == D(0)
    assert suggest(outcome("优", light="绿"), policy).action is BudgetAction.PRIORITY


def test_no_grade_or_no_budget_is_said_not_guessed() -> None:
    policy = ResultsPolicy()
    none = suggest(outcome(None, errors=1, total=None), policy)
    assert none.action is None and none.amount is None and none.interview
    assert none.arithmetic == "没有自评或复核等级，结果应用须人工确定"
    no_base = suggest(outcome("中", budget=None), policy)
    assert no_base.action is BudgetAction.CUT and no_base.amount is None
    assert no_base.arithmetic == "核减；没有本年全年预算数，建议金额须人工确定"


def test_a_profile_sets_its_own_mapping_and_bad_ones_are_refused() -> None:
    policy = results_policy({"source": "《某市结果应用办法》", "grade": {"中": {"action": "核减", "percent": 15},
                                                                      "差": {"action": "暂停"}},
                             "light": {"黄": {"action": "约谈"}}, "audit_errors_at_least": 3}, "t", GRADES)
    assert suggest(outcome("中"), policy).amount == D(102)
    assert suggest(outcome("差"), policy).action is BudgetAction.SUSPEND
    assert suggest(outcome("优"), policy).action is None  # not mapped by this region: a person decides
    assert suggest(outcome("中", light="黄", errors=2), policy).interview  # the light's 约谈, not the audit's (2 < 3)
    with pytest.raises(ValueError, match="核减须写明 percent"):
        results_policy({"grade": {"中": {"action": "核减"}}}, "t", GRADES)
    with pytest.raises(ValueError, match="等级“A”不存在"):
        results_policy({"grade": {"A": {"action": "取消"}}}, "t", GRADES)
    with pytest.raises(ValueError, match="action 应为 优先保障、据实保障、核减、暂停、取消、约谈 之一"):
        results_policy({"light": {"红": {"action": "砍掉"}}}, "t", GRADES)
    with pytest.raises(ValueError, match="只有“核减”带 percent"):
        results_policy({"grade": {"优": {"action": "优先保障", "percent": 5}}}, "t", GRADES)


def test_zero_based_order_takes_the_largest_longest_and_falling_first() -> None:
    items = [outcome(budget="50", years_running=3, total="80", previous_total=D("90")),
             outcome(budget="500", years_running=2),
             outcome(budget="50", years_running=3, total="92", previous_total=D("90")),
             outcome(budget="900", years_running=1)]
    order = zero_based_order(items)
    assert [entry.outcome.budget for entry in order] == [D(500), D(50), D(50)]  # the one-year project is not listed
    assert order[1].outcome.total == D(80)  # falling before rising
    assert order[1].why == "已连续 3 年，本年预算 50.00 万元，得分较上年下降 10 分"
