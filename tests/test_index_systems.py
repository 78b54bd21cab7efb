"""Index systems (issue 19): the scoring methods by hand-worked cases and properties, the shipped templates,
the weight rules that refuse a broken system, the profile's [evaluation] settings and the entry files."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.domain.index_system import (
    Condition,
    Element,
    EvaluationSettings,
    GradeBand,
    IndexIndicator,
    IndexSystemError,
    IndicatorEntry,
    MethodKind,
    ScoringMethod,
)
from jixiao.io.inputs.index_entries import read_index_entries
from jixiao.profiles import load
from jixiao.profiles.index_systems import (
    evaluation_settings,
    load_index_system,
    parse_index_system,
    shipped_templates,
)
from jixiao.scoring.index_methods import aggregate, score_indicator
from jixiao.scoring.index_sheet import score_sheet

BANDS = (GradeBand("好", D("0.9"), D(1)), GradeBand("较好", D("0.8"), D("0.9")), GradeBand("一般", D("0.6"), D("0.8")),
         GradeBand("差", D(0), D("0.6")))


def indicator(method: ScoringMethod, weight: str = "10") -> IndexIndicator:
    return IndexIndicator("X1", "产出", "产出数量", "实际完成率", D(weight), "解释", (), (), method)


FORMULA = ScoringMethod(MethodKind.FORMULA, "实际产出数", "计划产出数")


# -- each method, worked by hand ------------------------------------------------------------------------------
def test_formula_is_the_ratio_times_the_weight_capped_at_full_marks() -> None:
    assert score_indicator(indicator(FORMULA), IndicatorEntry(numerator=D(45), denominator=D(50))).score == D("9.00")
    over = score_indicator(indicator(FORMULA), IndicatorEntry(numerator=D(60), denominator=D(50)))
    assert over.score == D(10) and "≥ 100% → 10" in over.arithmetic


def test_formula_full_at_and_zero_below() -> None:
    survey = ScoringMethod(MethodKind.FORMULA, "满意人数", "调查人数", D("0.9"), D("0.6"))
    assert score_indicator(indicator(survey, "12"), IndicatorEntry(numerator=D(170),
                                                                   denominator=D(200))).score == D("11.33")
    assert score_indicator(indicator(survey, "12"), IndicatorEntry(numerator=D(190), denominator=D(200))).score == D(12)
    low = score_indicator(indicator(survey, "12"), IndicatorEntry(numerator=D(110), denominator=D(200)))
    assert low.score == D(0) and "< 60% → 0" in low.arithmetic


def test_formula_without_a_figure_or_with_zero_denominator_is_not_scored_and_says_why() -> None:
    missing = score_indicator(indicator(FORMULA), IndicatorEntry(numerator=D(1)))
    assert missing.score is None and missing.problem == "缺少计划产出数，无法计算"
    zero = score_indicator(indicator(FORMULA), IndicatorEntry(numerator=D(1), denominator=D(0)))
    assert zero.score is None and "计划产出数应为正数" in (zero.problem or "")


def test_elements_equal_shares_and_given_points() -> None:
    equal = ScoringMethod(MethodKind.ELEMENTS, elements=tuple(Element(str(n), D(4) / 3) for n in range(3)))
    worked = score_indicator(indicator(equal, "4"), IndicatorEntry(met=(True, False, True)))
    assert worked.score == D("2.67") and worked.arithmetic == "满足 2/3 项：4 × 2 ÷ 3 = 2.67"
    given_points = ScoringMethod(MethodKind.ELEMENTS, elements=(Element("甲", D(3)), Element("乙", D(1))))
    assert score_indicator(indicator(given_points, "4"), IndicatorEntry(met=(True, False))).score == D(3)
    wrong = score_indicator(indicator(given_points, "4"), IndicatorEntry(met=(True,)))
    assert wrong.score is None and wrong.problem == "应判断 2 个要素，实际判断了 1 个"


def test_conditions_take_the_share_of_the_chosen_case() -> None:
    cases = (Condition("不超支", D(1)), Condition("超支 10% 内", D("0.5")), Condition("其他", D(0)))
    method = ScoringMethod(MethodKind.CONDITIONS, conditions=cases)
    assert score_indicator(indicator(method, "6"), IndicatorEntry(condition=1)).score == D(3)
    assert score_indicator(indicator(method, "6"), IndicatorEntry(condition=3)).problem == "情形应为 1–3 之一，实际为 4"


def test_deduction_stops_at_the_floor() -> None:
    method = ScoringMethod(MethodKind.DEDUCTION, per_occurrence=D("1.5"), floor=D(1))
    assert score_indicator(indicator(method, "4"), IndicatorEntry(occurrences=1)).score == D("2.50")
    floored = score_indicator(indicator(method, "4"), IndicatorEntry(occurrences=5))
    assert floored.score == D(1) and "低于最低分，按 1" in floored.arithmetic


def test_grades_need_points_inside_the_band() -> None:
    method = ScoringMethod(MethodKind.GRADES, bands=BANDS)
    assert score_indicator(indicator(method), IndicatorEntry(grade="较好", points=D("8.5"))).score == D("8.50")
    outside = score_indicator(indicator(method), IndicatorEntry(grade="较好", points=D(10)))
    assert outside.score is None and outside.problem == "“较好”档的分数应在 8–9 之间，实际为 10"
    assert "不是 好、较好、一般、差 之一" in (score_indicator(indicator(method),
                                                 IndicatorEntry(grade="优")).problem or "")


def test_judgement_needs_a_reason() -> None:
    method = ScoringMethod(MethodKind.JUDGEMENT)
    assert score_indicator(indicator(method, "6"), IndicatorEntry(points=D(5))).problem == "专家评判须写明打分理由"
    assert score_indicator(indicator(method, "6"), IndicatorEntry(points=D(5), reason="按计划完成")).score == D(5)


# -- properties -----------------------------------------------------------------------------------------------
decimals = st.decimals(min_value=-50, max_value=500, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=D("0.5"), max_value=40, places=1)
methods = st.sampled_from([
    FORMULA, ScoringMethod(MethodKind.FORMULA, "甲", "乙", D("0.9"), D("0.6")),
    ScoringMethod(MethodKind.ELEMENTS, elements=(Element("a", D(1)), Element("b", D(2)))),
    ScoringMethod(MethodKind.CONDITIONS, conditions=(Condition("a", D(1)), Condition("b", D("0.3")))),
    ScoringMethod(MethodKind.DEDUCTION, per_occurrence=D("0.5"), floor=D(0)),
    ScoringMethod(MethodKind.GRADES, bands=BANDS), ScoringMethod(MethodKind.JUDGEMENT)])
entries = st.builds(IndicatorEntry, numerator=st.none() | decimals, denominator=st.none() | decimals,
                    met=st.none() | st.tuples(st.booleans(), st.booleans()), condition=st.none() | st.integers(-1, 3),
                    occurrences=st.none() | st.integers(-2, 100), grade=st.none() | st.sampled_from(["好", "差", "优"]),
                    points=st.none() | decimals, reason=st.none() | st.just("理由"))


@given(methods, weights, entries)
def test_a_score_is_within_zero_and_the_weight_or_absent_with_a_reason(method: ScoringMethod, weight: D,
                                                                         entry: IndicatorEntry) -> None:
    result = score_indicator(indicator(method, str(weight)), entry)
    if result.score is None:
        assert result.problem
    else:
        assert D(0) <= result.score <= weight and result.problem is None


@given(st.lists(st.decimals(min_value=0, max_value=20, places=2), min_size=1, max_size=7), st.booleans())
def test_aggregation_lies_between_the_lowest_and_highest_score(scores: list[D], trim: bool) -> None:
    combined = aggregate(scores, D(20), EvaluationSettings(trim=trim))
    assert combined is not None
    assert min(scores) - D("0.01") <= combined.score <= max(scores) + D("0.01")
    assert combined.disagreement == (max(scores) - min(scores) > D(4))


def test_trimmed_mean_drops_the_highest_and_lowest() -> None:
    combined = aggregate([D(2), D(8), D(9), D(10)], D(10), EvaluationSettings(trim=True))
    assert combined is not None and combined.score == D("8.50") and combined.disagreement
    assert aggregate([], D(10), EvaluationSettings()) is None


# -- the shipped templates and the weight rules ---------------------------------------------------------------------
def test_shipped_templates_load_and_pass_their_weight_rules() -> None:
    assert shipped_templates() == ["department-evaluation", "ex-ante", "project-evaluation"]
    for name in shipped_templates():
        system = load_index_system(name)
        assert sum(item.weight for item in system.indicators) == system.total == 100
        for level in system.levels:
            assert level.weight == system.weight_of(level.parent or level.name, level.name if level.parent else None)
    assert load_index_system("ex-ante").level1_names() == (
        "立项必要性", "投入经济性", "绩效目标合理性", "实施方案可行性", "筹资合规性")


def _template(name: str = "project-evaluation") -> str:
    from importlib import resources

    return resources.files("jixiao.profiles.index_templates").joinpath(f"{name}.toml").read_text("utf-8")


def test_a_level_that_does_not_add_up_is_refused_naming_it() -> None:
    broken = _template().replace('code = "A11"\nname = "立项依据充分性"\nweight = 4',
                                 'code = "A11"\nname = "立项依据充分性"\nweight = 5')
    with pytest.raises(IndexSystemError) as refused:
        parse_index_system(broken, "t.toml", EvaluationSettings())
    messages = [problem.message for problem in refused.value.problems]
    assert "一级指标“决策”分值为 20，其下三级指标合计 21" in messages
    assert "二级指标“决策／项目立项”分值为 7，其下三级指标合计 8" in messages
    assert "三级指标分值合计 101，应等于总分 100" in messages
    assert {problem.code for problem in refused.value.problems} == {"index-weight-sum"}


def test_output_and_outcome_below_the_profiles_share_is_refused() -> None:
    with pytest.raises(IndexSystemError) as refused:
        load_index_system("project-evaluation", EvaluationSettings(min_output_outcome_share=D("0.7")))
    assert [problem.code for problem in refused.value.problems] == ["index-output-share"]
    assert "产出、效益指标（产出、效益）合计占 60%，低于本地区规定的 70%" in str(refused.value)
    load_index_system("ex-ante", EvaluationSettings(min_output_outcome_share=D("0.7")))  # not for ex-ante


def test_bad_methods_and_missing_explanations_name_the_indicator() -> None:
    text = _template().replace('method = "deduction"\noccurrence = "每发现一处不合规使用资金"\nper_occurrence = 1',
                               'method = "deduction"\noccurrence = "每发现一处不合规使用资金"\nper_occurrence = 0')
    text = text.replace('explanation = "项目申请、设立过程是否符合相关要求，用以反映和考核项目立项的规范情况。"\n', "")
    text = text.replace('method = "grades"', 'method = "stars"', 1)
    with pytest.raises(IndexSystemError) as refused:
        parse_index_system(text, "t.toml", EvaluationSettings())
    found = {(problem.code, problem.message.split("（")[0][:40]) for problem in refused.value.problems}
    assert any(code == "index-bad-method" and "B13“过程／资金管理／资金使用合规性”" in message for code,
               message in found)
    assert ("index-bad-field", "三级指标 A12“决策／项目立项／立项程序规范性” 缺少指标解释 explanation") in {
        (problem.code, problem.message) for problem in refused.value.problems}
    wanted = "D11“效益／项目效益／实施效益” 的计分方法 method 应为"
    assert any(wanted in problem.message for problem in refused.value.problems)


def test_a_file_that_is_not_toml_or_missing_is_refused_in_chinese(tmp_path: object) -> None:
    with pytest.raises(IndexSystemError, match="不是有效的 TOML"):
        parse_index_system("key = ", "t.toml", EvaluationSettings())
    with pytest.raises(IndexSystemError, match="内置模板有：department-evaluation"):
        load_index_system("/nonexistent/x.toml")


# -- the profile's [evaluation] --------------------------------------------------------------------------------------
def test_profiles_carry_evaluation_settings() -> None:
    national = load("national").evaluation
    assert national.grade(D("89.99")) == "良" and national.grade(D(90)) == "优" and national.grade(D(59)) == "差"
    assert national.min_output_outcome_share == D("0.6") and national.ex_ante_threshold == D(500)
    custom = evaluation_settings({"grade_bands": {"优": 85, "合格": 60, "不合格": 0}, "trim": True}, "t")
    assert custom.grade(D(86)) == "优" and custom.grade(D(60)) == "合格" and custom.trim
    with pytest.raises(ValueError, match="min_output_outcome_share 应在 0–1 之间"):
        evaluation_settings({"min_output_outcome_share": 60}, "t")
    with pytest.raises(ValueError, match="只能含"):
        evaluation_settings({"bands": {}}, "t")


# -- entry files and a whole sheet ------------------------------------------------------------------------------------
def test_entry_file_scores_a_sheet_with_subtotals_and_grade() -> None:
    system = load_index_system("project-evaluation")
    text = "".join(f"[{item.code}]\n" + _full(item) for item in system.indicators)
    text = text.replace("[D12]\ngrade = \"好\"\npoints = 8\n",
                        "[[D12]]\ngrade = \"好\"\npoints = 8\n[[D12]]\ngrade = \"差\"\npoints = 2\n")
    sheet = score_sheet(system, read_index_entries(text, "e.toml", {item.code for item in system.indicators}),
                        EvaluationSettings())
    assert sheet.total == D(97) and sheet.grade == "优" and not sheet.unscored
    assert [result.indicator.code for result in sheet.disagreements] == ["D12"]
    assert ("效益", None, D(27), D(30)) in sheet.subtotals  # D12 (w 8) averaged: (8 + 2) ÷ 2 = 5


def _full(item: IndexIndicator) -> str:
    """An entry that earns full marks by the indicator's method."""
    kind = item.method.kind
    if kind is MethodKind.FORMULA:
        return "numerator = 100\ndenominator = 100\n"
    if kind is MethodKind.ELEMENTS:
        return f"met = [{', '.join(['true'] * len(item.method.elements))}]\n"
    if kind is MethodKind.CONDITIONS:
        return "condition = 1\n"
    if kind is MethodKind.DEDUCTION:
        return "occurrences = 0\n"
    if kind is MethodKind.GRADES:
        return f'grade = "好"\npoints = {item.weight}\n'
    return f'points = {item.weight}\nreason = "完成"\n'


def test_entry_file_problems_are_all_listed_and_nothing_is_read() -> None:
    with pytest.raises(IndexSystemError) as refused:
        read_index_entries('[A11]\nmet = "yes"\ncolour = 1\n[Z9]\npoints = 1\n[B11]\ncondition = 0\n', "e.toml",
                           {"A11", "B11"})
    messages = [problem.message for problem in refused.value.problems]
    assert messages == ["[A11]含未知的键“colour”"
                        "（可用：numerator、denominator、met、condition、occurrences、grade、points、reason）",
                        "[A11]“要素是否满足”（met）应为true/false 的列表，实际为 'yes'",
                        "[Z9]：指标体系中没有这个指标编码",
                        "[B11]“符合的情形”（condition）应为从 1 起的整数，实际为 0"]
    assert "e.toml" in str(refused.value)
