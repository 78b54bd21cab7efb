"""The audit of published self-evaluations, worked by hand: scores right to the cent are never flagged, and
each message shows the arithmetic with the numbers it used.

The rule cases (one trigger and one near miss per rule) are in tests/rule_cases.py (AUDIT_CASES) and
tests/test_rules.py; these are the hand-worked formula cases, the profile settings, the score-sheet variant
and tables rebuilt from real published self-evaluations (../shared/data/real, expected/*.json).
"""

from __future__ import annotations

from dataclasses import replace as replace_dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from jixiao import profiles
from jixiao.domain import EvaluatedIndicator, FundingRow, Indicator, SelfEvaluationTable, Value
from jixiao.domain.score_formulas import money
from jixiao.rules import ProfileError, audit_self_evaluation, review_any
from jixiao.rules.engine import ENGINE_FAULT
from jixiao.rules.profile import Profile
from jixiao.scoring import Actual, Budget, NegativeFormula, ProjectScore, QualitativeGrade, score_project
from tests.rule_cases import (
    AUDIT_CASES,
    clean_selfeval_table,
    clean_table,
    ev,
    fiscal_row,
    row,
    rows,
    top,
    total_row,
)

D = Decimal
ROOT = Path(__file__).resolve().parents[1]
NATIONAL = (ROOT / "src/jixiao/rules/profiles/national.toml").read_text("utf-8")


def profile_with(tmp_path: Path, *replacements: tuple[str, str]) -> Profile:
    text = NATIONAL.replace('name = "national"', 'name = "my-bureau"')
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "bureau.toml"
    path.write_text(text, "utf-8")
    return profiles.load(str(path)).rules


def found(table: SelfEvaluationTable, profile: Profile | str = "national", approved: bool = True) -> dict[str, str]:
    chosen = profiles.load(profile).rules if isinstance(profile, str) else profile
    review = audit_self_evaluation(table, chosen, clean_table() if approved else None)
    assert ENGINE_FAULT not in [f.code for f in review.findings]
    return {f.code: f.message for f in review.findings}


def one_row(item: EvaluatedIndicator) -> SelfEvaluationTable:
    """A table of one scored row (besides the clean one's others), audited for that row's codes only."""
    return replace(clean_selfeval_table(), indicators=(item,), published_total_score=None, published_grade=None,
                   goal_actual=None)


SCORE_CODES = ("A001", "A002", "A003", "A004", "A005", "A006", "A018")


def score_findings(item: EvaluatedIndicator, profile: Profile | str = "national") -> dict[str, str]:
    return {code: message for code, message in found(one_row(item), profile, approved=False).items()
            if code in SCORE_CODES}


# -- 正向 and "=": w × B ÷ A, to two decimals, rounded half up ------------------------------------------------
@pytest.mark.parametrize(("weight", "target", "actual", "published"), [
    ("25", "720000", "700000", "24.31"),  # 24.30555… → 24.31
    ("20", "720000", "600000", "16.67"),  # 16.666… → 16.67
    ("10", "100", "98%", "9.8"),
    ("30", "20", "19", "28.5"),
    ("15", "3", "2", "10"),  # 10.000…
    ("10", "≥95%", "96%", "10"),  # the comparison printed in the 指标值 cell, no 指标性质
    ("20", "29.5", "29.5亩", "20"),  # the unit printed with the actual only
    ("20", "11.376", "12万元", "20"),
    ("10", "1.2", "12000", "10"),  # 1.2 万人 against 12000 人: the unit below says 万人
])
def test_positive_scores_right_to_the_cent_are_not_flagged(weight: str, target: str, actual: str,
                                                           published: str) -> None:
    unit = "万人" if target == "1.2" else ("%" if "%" in target or actual.endswith("%") else None)
    operator = None if target.startswith("≥") else "≥"
    item = ev("产出指标", "数量指标", "某指标", operator, target, unit, weight, actual, published, "原因")
    assert score_findings(item) == {}


def test_one_cent_beyond_the_tolerance_is_flagged_with_the_arithmetic() -> None:
    item = ev("产出指标", "数量指标", "纸张使用量", "≥", "720000", "张", "20", "600000", "16.65", "原因")
    (message,) = score_findings(item).values()
    assert "公布得分 16.65，按本配置公式复算为 16.67（相差 0.02 分）" in message
    assert "20 × 600000 ÷ 720000 = 16.67" in message and "B = 实际完成值 “600000张”" in message


def test_equal_targets_score_like_upward_and_zero_targets_are_explicit() -> None:
    assert score_findings(ev("效益指标", "社会效益指标", "政策知晓率", "=", "100", "%", "10", "98", "9.8")) == {}
    assert score_findings(ev("产出指标", "质量指标", "事故数", "=", "0", "起", "10", "0", "10")) == {}
    assert set(score_findings(ev("产出指标", "质量指标", "事故数", "=", "0", "起", "10", "2", "10"))) == {"A003"}
    assert score_findings(ev("产出指标", "质量指标", "新增数", "≥", "0", "个", "10", "3", "10")) == {}


def test_rounding_to_the_printed_places_is_accepted_but_not_for_full_marks() -> None:
    assert score_findings(ev("产出指标", "数量指标", "x", "≥", "720000", "张", "20", "600000", "16.7", "原因")) == {}
    assert score_findings(ev("产出指标", "数量指标", "x", "≥", "720000", "张", "20", "600000", "17", "原因")) == {}
    missed = score_findings(ev("效益指标", "社会效益指标", "x", "=", "100", "%", "10", "96", "10", "原因"))
    assert set(missed) == {"A003"}
    assert "应得 9.6" in missed["A003"] and "10 × 96 ÷ 100 = 9.6" in missed["A003"] and "多给 0.4 分" in missed["A003"]


# -- 反向: both formulas ---------------------------------------------------------------------------------------
@pytest.fixture
def ratio(tmp_path: Path) -> Profile:
    return profile_with(tmp_path, ('negative_formula = "linear"', 'negative_formula = "ratio"'))


def test_negative_linear_formula(ratio: Profile) -> None:
    linear_right = ev("产出指标", "质量指标", "复印差错率", "≤", "1", "%", "25", "1.2", "20", "原因")
    assert score_findings(linear_right, "national") == {}  # 25 × (1 − (1.2 − 1) ÷ 1) = 20
    message = score_findings(linear_right, ratio)["A001"]
    assert "25 × 1 ÷ 1.2 = 20.83" in message and "公布得分 20，按本配置公式复算为 20.83" in message
    assert score_findings(replace(linear_right, actual=Value("2.4"), score=D(0)), "national") == {}  # B ≥ 2A → 0


def test_negative_ratio_formula(ratio: Profile) -> None:
    ratio_right = ev("产出指标", "质量指标", "复印差错率", "≤", "1", "%", "25", "1.2", "20.83", "原因")
    assert score_findings(ratio_right, ratio) == {}
    message = score_findings(ratio_right, "national")["A001"]
    assert "25 × (1 − (1.2 − 1) ÷ 1) = 20" in message
    met = ev("产出指标", "质量指标", "复印差错率", "≤", "1", "%", "25", "0.9", "22.5", "原因")
    assert set(score_findings(met, ratio)) == {"A002"}


# -- 定性 bands and their edges -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("actual", "published", "flagged"), [
    ("达成年度指标", "25", False), ("达成年度指标", "20", False), ("达成年度指标", "19.99", False),
    ("达成年度指标", "19.98", True),
    ("部分达成年度指标并具有一定效果", "15", False), ("部分达成年度指标并具有一定效果", "19.99", False),
    ("部分达成年度指标并具有一定效果", "20", True), ("部分达成", "14", True),
    ("未达成年度指标且效果较差", "0", False), ("未达成年度指标且效果较差", "14.99", False),
    ("未达成年度指标且效果较差", "15", True), ("未完成", "25", True),
    ("达成预期指标", "25", False), ("达成预期指标", "18", True),
    ("服务规范", "20", False), ("服务规范", "19", True),  # the target repeated: 达成
    ("较好", "5", False),  # no grade can be read: not judged
])
def test_qualitative_band_edges(actual: str, published: str, flagged: bool) -> None:
    item = ev("产出指标", "质量指标", "服务质量", "定性", "服务规范", None, "25", actual, published, "原因")
    assert ("A004" in score_findings(item)) is flagged


def test_qualitative_message_shows_the_band() -> None:
    item = ev("产出指标", "质量指标", "服务质量", "定性", "服务规范", None, "25", "部分达成", "22", "原因")
    message = score_findings(item)["A004"]
    assert "应得 15 至 20 分（分值 25 × 60%–80%，不含 80%），公布得分 22" in message


# -- over-achievement ------------------------------------------------------------------------------------------
def test_overachievement_deduction_is_part_of_the_recomputation(tmp_path: Path) -> None:
    deducting = profile_with(tmp_path, ("overachievement_deduction = 0 ", "overachievement_deduction = 0.1 "))
    item = ev("产出指标", "数量指标", "纸张使用量", "≥", "720000", "张", "25", "1000000", "22.5", "需求增长")
    assert score_findings(item, deducting) == {}  # 25 − 25 × 0.1 = 22.5
    flagged = score_findings(replace(item, score=D(25)), deducting)
    assert set(flagged) == {"A001"} and "超额扣减 25 × 0.1 = 2.5 → 22.5" in flagged["A001"]
    assert score_findings(replace(item, score=D(25))) == {}  # the national profile deducts nothing
    unexplained = score_findings(replace(item, score=D(25), deviation_reason=None))
    assert set(unexplained) == {"A005"} and "为指标值 “≥720000张” 的 138.89%" in unexplained["A005"]


# -- execution: min(rate, 1) × 10, or bands --------------------------------------------------------------------
@pytest.mark.parametrize(("spent", "rate", "score"), [
    ("14.50", "95.27", "9.53"), ("16", "105.12", "10"), ("15.22", "100", "10"), ("15.22", "100.00%", "10"),
    ("7.61", "50", "5"), ("0", "0", "0"),
])
def test_execution_scores_right_to_the_cent_are_not_flagged(spent: str, rate: str, score: str) -> None:
    printed = D(rate.rstrip("%"))
    table = rows(total_row(spent_wan=spent, execution_rate=str(printed), execution_score=score),
                 fiscal_row(spent_wan=spent, execution_rate=str(printed)),
                 top(goal_actual="资金未执行，因项目暂停。"))(clean_selfeval_table())
    assert not {"A012", "A013"} & set(found(table))


def test_execution_score_for_no_spending_shows_the_arithmetic() -> None:
    table = total_row(spent_wan="0", execution_rate="0", execution_score="10")(clean_selfeval_table())
    message = found(table)["A013"]
    assert "公布资金执行率得分 10，按本配置复算为 0：0 ÷ 15.22 = 0%；min(0%, 100%) × 10 = 0" in message


def test_banded_execution(tmp_path: Path) -> None:
    banded = profile_with(tmp_path, ('execution_method = "proportional"', 'execution_method = "banded"'),
                          ("execution_bands = []", "execution_bands = [[0.9, 1], [0.8, 0.8], [0.6, 0.6]]"))
    table = rows(total_row(spent_wan="13", execution_rate="85.41", execution_score="8"),
                 fiscal_row(spent_wan="13", execution_rate="85.41"),
                 top(goal_actual="部分工程款未到结算期。"))(clean_selfeval_table())
    assert "A013" not in found(table, banded)  # 13 ÷ 15.22 = 85.41% → the 80% band → 8
    message = found(total_row(execution_score="8.54")(table), banded)["A013"]
    assert "落在 80% 档：10 × 0.8 = 8" in message


def test_rate_from_the_year_start_budget_is_named() -> None:
    table = total_row(initial_wan="14.50", adjusted_wan="15.22", spent_wan="14.50",
                      execution_rate="100")(clean_selfeval_table())
    message = found(table)["A012"]
    assert "全年执行数 14.5 ÷ 全年预算数 15.22 = 95.27%，公布执行率 100%" in message
    assert "与按年初预算数计算的 14.5 ÷ 14.5 = 100% 相符" in message


def test_a_rate_printed_as_a_fraction_agrees() -> None:
    assert "A012" not in found(total_row(execution_rate="0.9527")(clean_selfeval_table()))
    assert "A012" not in found(total_row(spent_wan="15.22", execution_rate="1", execution_score="10")(
        fiscal_row(spent_wan="15.22", execution_rate="100")(clean_selfeval_table())))


# -- the profile sets severities, disables rules and the tolerances ---------------------------------------------
def test_profile_severity_disable_and_tolerance(tmp_path: Path) -> None:
    custom = profile_with(tmp_path, ("[rules.severity]", '[rules.severity]\n"A001" = "error"'),
                          ("disabled = []", 'disabled = ["A009"]'))
    table = AUDIT_CASES["A001"][1](clean_selfeval_table())
    review = audit_self_evaluation(table, custom, clean_table())
    assert [(f.code, str(f.severity)) for f in review.findings] == [("A001", "error")]
    loose = profile_with(tmp_path, ("score_tolerance = 0.01", "score_tolerance = 2"), ("disabled = []",
                                                                                       'disabled = ["A009"]'))
    assert audit_self_evaluation(table, loose, clean_table()).findings == ()
    rounded = row(0, score="24")(clean_selfeval_table())  # 24.31 printed without decimals
    assert "A001" not in found(rounded)
    strict = profile_with(tmp_path, ("accept_rounding = true", "accept_rounding = false"))
    assert "A001" in found(rounded, strict)


def test_bad_audit_settings_are_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="未知的项：tolerance"):
        profile_with(tmp_path, ("score_tolerance = 0.01", "tolerance = 0.01"))
    with pytest.raises(ProfileError, match="copied_min_rows"):
        profile_with(tmp_path, ("copied_min_rows = 3", "copied_min_rows = 0"))
    with pytest.raises(ProfileError, match="score_tolerance"):
        profile_with(tmp_path, ("score_tolerance = 0.01", "score_tolerance = -1"))


# -- the approved target table ---------------------------------------------------------------------------------
def test_changes_after_approval_need_the_approved_table() -> None:
    changed = rows(row(0, target="700000"), row(1, name="复印错误率"))(clean_selfeval_table())
    assert {"A020", "A022"} <= set(found(changed))
    assert not {"A020", "A021", "A022"} & set(found(changed, approved=False))


def test_execution_weight_changed_after_approval() -> None:
    table = rows(total_row(execution_weight="15", execution_score="14.29"), row(3, weight="5", score="5"))(
        clean_selfeval_table())
    assert "资金执行率分值 15 与批复的预算执行率权重 10 不同" in found(table)["A021"]


# -- the score sheet (决策/过程/产出/效益) ------------------------------------------------------------------------
def score_sheet() -> SelfEvaluationTable:
    def line(level1: str, block: str, name: str, weight: str, score: str) -> EvaluatedIndicator:
        return EvaluatedIndicator(level1, None, name, weight=D(weight), score=D(score), level1_weight=D(block),
                                  criteria="按评价标准逐项打分")

    return SelfEvaluationTable(
        variant="score_sheet", project=clean_table().project, year=2022,
        indicators=(line("决策", "20", "立项依据充分性", "10", "10"), line("决策", "20", "绩效目标合理性", "10", "8"),
                    line("过程", "20", "预算执行率", "10", "9.5"), line("过程", "20", "资金使用合规性", "10", "10"),
                    line("产出", "30", "实际完成率", "30", "28"), line("效益", "30", "实施效益", "30", "27")),
        published_total_score=D("92.5"), published_grade="优")


def test_the_score_sheet_variant() -> None:
    assert found(score_sheet()) == {}
    sheet = score_sheet()
    assert set(found(replace(sheet, published_total_score=D(95)))) == {"A009"}
    assert set(found(replace(sheet, published_grade="良"))) == {"A011"}
    above = row(4, score="32")(sheet)
    assert {"A006", "A009"} <= set(found(above))
    heavier = row(4, weight="40")(sheet)
    assert "产出印有 30 分，其下各行分值合计 40 = 40" in found(heavier)["A008"]
    assert "分值合计为 110（指标 10 + 10 + 10 + 10 + 40 + 30），应为 100" in found(heavier)["A007"]
    assert "得分空白" in found(row(5, score=None)(sheet))["A017"]


# -- real published self-evaluations, rebuilt from their annotations (../shared/data/real/expected) ----------------
def test_yunnan_036_met_yet_deducted_and_a_score_below_the_formula() -> None:
    def line(level1: str, level2: str, name: str, op: str, target: str, unit: str | None, actual: str,
             score: str) -> EvaluatedIndicator:
        return ev(level1, level2, name, op, target, unit, "10", actual, score)

    table = SelfEvaluationTable(
        project=None, year=2022,
        budget=FundingRow("total", "年度资金总额", None, D("38.766462"), D("38.766462"), D(10), D(100), D(10)),
        indicators=(
            line("产出指标", "数量指标", "学生受资助人数", "≥", "735", "人次", "735", "10"),
            line("产出指标", "质量指标", "营养改善计划覆盖率", "≥", "100", "%", "100%", "10"),
            line("产出指标", "时效指标", "资金到位及时率", "≥", "100", "%", "100%", "7"),
            line("产出指标", "成本指标", "生均补助标准达标率", "=", "100", "%", "100%", "10"),
            line("效益指标", "经济效益指标", "减轻贫困学生家庭经济负担", "定性", "有效", None, "有效", "10"),
            line("效益指标", "社会效益指标", "政策知晓率", "=", "100", "%", "98%", "9"),
            line("效益指标", "可持续影响指标", "促进学校教育事业健康发展", "≥", "100", "%", "100%", "10"),
            line("满意度指标", "服务对象满意度指标等", "学生满意度", "≥", "95", "%", "100%", "10"),
            line("满意度指标", "服务对象满意度指标等", "家长满意度", "≥", "95", "%", "100%", "10"),
        ),
        published_total_score=D(96), published_grade="优")
    review = audit_self_evaluation(table, profiles.load("national").rules)
    messages = {(f.code, f.location.indicator): f.message for f in review.findings}
    assert set(messages) == {("A002", 2), ("A001", 5)}
    assert "公布得分 7，扣了 3 分" in messages["A002", 2]
    assert "10 × 98 ÷ 100 = 9.8" in messages["A001", 5]
    assert (review.recomputed_score, review.recomputed_grade) == (D("99.80"), "优")


def test_anhui_001_total_row_of_zeros_beside_its_component() -> None:
    table = SelfEvaluationTable(
        budget=FundingRow("total", "年度资金总额", D(0), D(0), D(0), D(10), D(0), D(0)),
        funding_rows=(FundingRow("fiscal", "本年财政拨款", D(90), D("89.974"), D("89.974")),),
        indicators=(ev("产出指标", "数量指标", "基建工程委托业务项目数量", "≥", "50", "个", "8", "50", "8"),
                    ev("产出指标", "质量指标", "经费支出合规性", "定性", "严格执行相关制度规定", None, "8",
                       "达成预期指标", "8"),
                    ev("产出指标", "成本指标", "项目总成本", "≤", "90", "万元", "8", "90", "8")))
    codes = {f.code: f.message for f in audit_self_evaluation(table, profiles.load("national").rules).findings}
    assert {"A013", "A014"} <= set(codes) and not {"A001", "A004", "A012"} & set(codes)
    assert "其中本年财政拨款 全年预算数 89.974、全年执行数 89.974" in codes["A014"]
    assert "按本配置复算为 10：其中各项资金合计：89.974 ÷ 89.974 = 100%" in codes["A013"]


def test_anhui_023_points_on_both_funding_rows_and_sub_rows_counted_once() -> None:
    table = SelfEvaluationTable(
        budget=FundingRow("total", "年度资金总额", None, D("9.48"), D("9.48"), D(10), D(100), D(10)),
        funding_rows=(FundingRow("fiscal", "其中:本年财政拨款", None, D("9.48"), D("9.48"), D(10), D(100), D(10)),),
        indicators=(
            ev("产出指标", "数量指标", "★补助各类瓜果蔬菜种植面积", None, "29.5", "亩", "20", "29.5亩", "20",
               block="50"),
            replace(ev("产出指标", "数量指标", "其中桃树种植面积", None, "1.5", "亩", None, "1.5亩", None, block="50"),
                    parent="★补助各类瓜果蔬菜种植面积"),
            ev("产出指标", "数量指标", "★补助鱼塘面积", None, "3", "亩", "10", "3亩", "10", block="50"),
            ev("产出指标", "质量指标", "种植作物成活率", None, "95", "%", "5", "95%", "5", block="50"),
            ev("产出指标", "质量指标", "养殖家畜家禽成活率", None, "95", "%", "15", "100%", "15", block="50"),
        ))
    codes = {f.code for f in audit_self_evaluation(table, profiles.load("national").rules).findings}
    assert "A015" in codes and "A008" not in codes and "A001" not in codes  # 20 + 10 + 5 + 15 = 50


# -- mixed input, odd data ---------------------------------------------------------------------------------------
def test_review_any_chooses_the_rules_by_kind() -> None:
    profile = profiles.load("chongqing").rules
    broken = AUDIT_CASES["A011"][1](clean_selfeval_table())
    report = review_any([clean_table(), broken], profile)
    assert [review.kind for review in report.reviews] == ["target", "self_evaluation"]
    assert [f.code for f in report.reviews[0].findings] == [] and [f.code for f in report.reviews[1].findings] == [
        "A011"]
    assert {rule.kind for rule in report.rules} == {"target", "self_evaluation"}
    assert report.reviews[1].recomputed_score == D("98.84") and report.reviews[0].recomputed_score is None
    only_targets = review_any([clean_table()], profile)
    assert {rule.kind for rule in only_targets.rules} == {"target"}
    only_audits = review_any([broken], profile)
    assert {rule.kind for rule in only_audits.rules} == {"self_evaluation"}


def test_odd_tables_never_raise() -> None:
    profile = profiles.load("national").rules
    empty = audit_self_evaluation(SelfEvaluationTable(), profile)
    assert empty.findings == () and empty.recomputed_score is None
    odd = SelfEvaluationTable(
        budget=FundingRow("total", None, None, D("-5"), D("3"), D(0), D("Infinity"), D(12)),
        funding_rows=(FundingRow(None, "其他", None, D(0), None, None, None, None),),
        indicators=(EvaluatedIndicator(None, None, None, "≥", Value("≥"), "%", D(0), Value("－"), D(-1)),
                    EvaluatedIndicator("产出指标", None, "x", "≤", Value("0"), None, D(10), Value("5"), D(10),
                                       parent="missing"),
                    EvaluatedIndicator("产出指标", None, "y", "≥", Value("1E+30"), None, D("1E+20"), Value("1E-30"),
                                       D(10))),
        published_total_score=D("1E+9"), published_grade="???")
    codes = [f.code for f in audit_self_evaluation(odd, profile, clean_table()).findings]
    assert ENGINE_FAULT not in codes and {"A003", "A006", "A007", "A009"} <= set(codes)
    not_a_number = replace(odd, indicators=(replace(odd.indicators[0], weight=D("NaN")),))
    (fault,) = audit_self_evaluation(not_a_number, profile).findings  # said, not raised
    assert fault.code == ENGINE_FAULT and "无法复算本表" in fault.message


# -- what jixiao scores, the audit accepts: scoring and audit share the formulas -----------------------------------
_OPERATORS = ("≥", "＞", "=", "≤", "＜")
_QUALITATIVE_POINTS = {QualitativeGrade.ACHIEVED: D("0.9"), QualitativeGrade.PARTLY: D("0.7"),
                       QualitativeGrade.NOT_ACHIEVED: D("0.3")}


@st.composite
def scored_projects(draw: st.DrawFn) -> tuple[ProjectScore, str]:
    """A target table with actuals and spending drawn at random, scored by jixiao.scoring under a profile."""
    count = draw(st.integers(1, 6))
    weights = [D(draw(st.integers(1, 30))) for _ in range(count)]
    items, actuals = [], {}
    for index, weight in enumerate(weights):
        if draw(st.booleans()) and index:  # a 定性 row, now and then
            grade = draw(st.sampled_from(list(QualitativeGrade)))
            items.append(Indicator("效益指标", "社会效益指标", f"定性{index}", "定性", None, Value("效果明显"),
                                   Value("效果明显"), None, weight, weight, "正向指标"))
            actuals[index] = Actual(Value(grade.value), grade, money(weight * _QUALITATIVE_POINTS[grade]))
            continue
        operator = draw(st.sampled_from(_OPERATORS))
        target = D(draw(st.integers(0, 5000))) / draw(st.sampled_from([D(1), D(10), D(100)]))
        actual = D(draw(st.integers(0, 9000))) / draw(st.sampled_from([D(1), D(10), D(100)]))
        items.append(Indicator("产出指标", "数量指标", f"指标{index}", operator, None, Value(str(target)),
                               Value(str(target)), "项", weight, weight, "正向指标"))
        actuals[index] = Actual(Value(str(actual)), reason="偏差原因")
    table = replace(clean_table(), indicators=tuple(items))
    adjusted = D(draw(st.integers(1, 100_000))) / 100
    spent = D(draw(st.integers(0, 120_000))) / 100
    name = draw(st.sampled_from(["national", "chongqing", "central-2021"]))
    policy = profiles.load(name).scoring
    if draw(st.booleans()):
        policy = replace_dataclass(policy, negative_formula=NegativeFormula.RATIO)
    return score_project(table, actuals, Budget(adjusted, adjusted, spent), policy), name


def as_published(scored: ProjectScore) -> SelfEvaluationTable:
    """The self-evaluation a unit publishes from jixiao's scoring: every figure as scored."""
    execution = scored.execution
    assert execution.budget is not None and execution.rate is not None
    rate = money(execution.rate * 100)
    budget = FundingRow("total", "年度资金总额", execution.budget.initial, execution.budget.adjusted,
                        execution.budget.executed, execution.weight, rate, execution.score)
    rows = []
    for item, result in zip(scored.table.indicators, scored.indicators, strict=True):
        assert result.actual is not None and result.actual.value is not None
        rows.append(EvaluatedIndicator(item.level1, item.level2, item.name, item.operator, item.target,
                                       item.unit_of_measure, item.weight, result.actual.value, result.score,
                                       "偏差原因"))
    return SelfEvaluationTable(budget=budget, indicators=tuple(rows), published_total_score=scored.total,
                               published_grade=scored.grade, goal_actual="资金执行情况见上表。")


@settings(max_examples=150, deadline=None)
@given(scored_projects())
def test_what_jixiao_scores_the_audit_accepts(drawn: tuple[ProjectScore, str]) -> None:
    scored, name = drawn
    assume(scored.complete)
    base = profiles.load(name).rules
    profile = replace_dataclass(base, scoring=replace_dataclass(base.scoring,
                                                                negative_formula=scored_policy(scored)))
    review = audit_self_evaluation(as_published(scored), profile)
    arithmetic = {"A001", "A002", "A003", "A004", "A006", "A009", "A010", "A011", "A012", "A013", "X001"}
    assert [f.message for f in review.findings if f.code in arithmetic] == []
    assert review.recomputed_score == scored.total and review.recomputed_grade == scored.grade


def scored_policy(scored: ProjectScore) -> NegativeFormula:
    """The 反向 formula the scoring used, as its explanations name it."""
    ratio = any("w × A ÷ B" in item.explanation.formula for item in scored.indicators)
    return NegativeFormula.RATIO if ratio else NegativeFormula.LINEAR


_RECOMPUTED = {"A001", "A002", "A003", "A004", "A006", "A007", "A008", "A009", "A010", "A011", "A012", "A013",
               "A014", "A015", "A017", "A018", ENGINE_FAULT}


@pytest.mark.parametrize("name", ["seed_form.txt", "seed_score_sheet.json", "sheet_layout.txt", "mixed.json"])
def test_the_committed_corpus_scored_by_jixiao_adds_up(name: str) -> None:
    """The corpus of tests/data/selfeval_tables is filled in with jixiao's own scores (block weights in the 一级
    cell, 其中 sub-rows, the score sheet, amounts in 元): read back, nothing in its arithmetic is flagged."""
    from jixiao.io.reading import read_path

    tables = [result.table for result in read_path(ROOT / "tests/data/selfeval_tables" / name)
              if isinstance(result.table, SelfEvaluationTable)]
    assert len(tables) >= 3
    profile = profiles.load("chongqing").rules
    flagged = [(table.label(), f.code, f.message) for table in tables
               for f in audit_self_evaluation(table, profile).findings if f.code in _RECOMPUTED]
    assert flagged == []


def test_a_cut_off_capture_is_not_blamed_for_its_missing_rows() -> None:
    """The reader said table-cut-off: the weights and the 总分 cannot add up over rows that were never read,
    so A007–A010 stay silent; the same table read in full is flagged."""
    short = replace(clean_selfeval_table(), indicators=clean_selfeval_table().indicators[:2])  # 10 + 25 + 25 = 60
    whole = found(short)
    assert {"A007", "A009"} <= set(whole)
    cut = found(replace(short, cut_off=True))
    assert not {"A007", "A008", "A009", "A010"} & set(cut)
    assert replace(short, cut_off=True) == short  # provenance, like source: not part of equality


_LOW = (total_row(spent_wan="7.93", execution_rate="52.08", execution_score="5.21"),
        fiscal_row(spent_wan="7.93", execution_rate="52.08"))


@pytest.mark.parametrize(("goal_actual", "reason", "flagged"), [
    ("全年提供免费复印约70万张，预算执行率52.08%。", None, True),  # the rate restated is no reason
    ("全年预算15.22万元，执行7.93万元，资金执行率52.08%。", None, True),  # nor is the budget
    ("全年提供免费复印约70万张。", "说明偏差原因(100字以内)", True),  # the form's prompt is blank
    ("因项目延期，执行率52.08%", None, False),
    ("全年提供免费复印约70万张。", "设备采购推迟至次年", False),
])
def test_a_low_rate_needs_a_reason_not_the_rate_restated(goal_actual: str, reason: str | None,
                                                         flagged: bool) -> None:
    table = rows(*_LOW, top(goal_actual=goal_actual), row(0, deviation_reason=reason))(clean_selfeval_table())
    findings = found(table)
    assert ("A016" in findings) == flagged, findings.get("A016")
    if flagged:
        assert "预算执行率 52.1%（7.93 ÷ 15.22 = 52.1%）" in findings["A016"]


def test_a_bare_numeric_target_is_recomputed_as_upward_and_says_so() -> None:
    missed = score_findings(ev("产出指标", "时效指标", "政府采购执行率", None, "100", None, "2", "72.74%", "2"))
    assert set(missed) == {"A003"}
    assert "未标明指标性质，按正向（≥）计" in missed["A003"] and "2 × 72.74 ÷ 100 = 1.45" in missed["A003"]
    # a name that may be 反向 (预算调整率 3% → 0%) is not given a direction
    assert score_findings(ev("产出指标", "质量指标", "预算调整率", None, "3%", None, "2", "0%", "2")) == {}


def test_negative_weights_and_scores_are_said_plainly() -> None:
    table = row(3, weight="-5", score="-5")(clean_selfeval_table())
    findings = audit_self_evaluation(table, profiles.load("national").rules).findings
    a006 = sorted(f.message for f in findings if f.code == "A006")
    assert a006 == ["分值 −5 小于 0：分值不能为负数", "得分 −5 小于 0：得分不能为负数"]
    messages = " ".join(f.message for f in findings)
    assert "+ -" not in messages and "+ −" not in messages
    assert "25 + 25 + 30 − 5" in messages  # the sums subtract the negative part
    assert not {"A001", "A002", "A003"} & {f.code for f in findings}  # a negative 分值 is not recomputed
    funding = total_row(execution_weight="-10", execution_score="-1")(clean_selfeval_table())
    said = [f.message for f in audit_self_evaluation(funding, profiles.load("national").rules).findings
            if f.code == "A006"]
    assert "年度资金总额的执行率分值 −10 小于 0：分值不能为负数" in said
    assert "年度资金总额的执行率得分 −1 小于 0：得分不能为负数" in said


def test_prompt_patterns_come_from_the_profile(tmp_path: Path) -> None:
    table = rows(row(0, actual="填写实际完成值"), top(published_total_score=None, published_grade=None))(
        clean_selfeval_table())
    assert "A017" not in found(table)  # the default patterns do not know this prompt
    mine = profile_with(tmp_path, ("prompt_patterns = [", "prompt_patterns = ['^填写实际完成值$', "))
    assert "实际完成值空白" in found(table, mine)["A017"]
    with pytest.raises(ProfileError, match="prompt_patterns"):
        profile_with(tmp_path, ("prompt_patterns = [", "prompt_patterns = ['([', "))
