"""A clean target table and, per rule, a change that must trigger it (and a near miss); the same for the
audit of published self-evaluations (a clean self-evaluation of the same project, AUDIT_CASES)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from msgspec.structs import replace

from jixiao.domain import (
    CodedName,
    EvaluatedIndicator,
    Funding,
    FundingRow,
    Indicator,
    ProjectCode,
    ProjectRef,
    SelfEvaluationTable,
    TargetTable,
    Value,
)
from jixiao.domain.comparable import ComparableRange
from jixiao.domain.history import IndicatorHistory, ProjectHistory, YearPoint

D = Decimal
GOAL = ("在区行政服务中心开展免费打印复印便民服务，每月用纸量约6万张，全年纸张、墨粉等耗材费75000元，"
        "窗口工作人员年工资福利77200元，合计152200元。")


def ind(level1: str, level2: str, name: str, op: str, history: str | None, target: str,
        unit: str | None, weight: int, direction: str = "正向指标") -> Indicator:
    return Indicator(level1, level2, name, op, Value.of(history), Value.of(target), Value.of(target),
                     unit, D(weight), D(weight), direction)


def clean_table() -> TargetTable:
    return TargetTable(
        unit=CodedName("145001", "重庆市长寿区政务服务管理办公室（本级）"),
        project=ProjectRef(ProjectCode("50011522T000000157087"), "免费复印", "（一般性）"),
        function=CodedName("02", "开展行政审批制度改革，创新政务服务方式。"),
        department=CodedName("145", "重庆市长寿区政务服务管理办公室"),
        contact_person="张三",
        contact_phone="023-40000000",
        total_wan=D("15.22"),
        execution_weight=D(10),
        funding=Funding(fiscal=D("15.22")),
        annual_goal=GOAL,
        indicators=(
            ind("产出指标", "数量指标", "纸张使用量", "≥", "700000", "720000", "张", 25),
            ind("产出指标", "质量指标", "复印差错率", "≤", "2", "1", "%", 25, "反向指标"),
            ind("效益指标", "社会效益指标", "群众办事时间节约", "≥", None, "20", "分钟", 30),
            ind("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "95", "%", 10),
        ),
    )


def clean_central_table() -> TargetTable:
    """The 101号 catalogue wants 成本指标 as a first-level indicator."""
    table = clean_table()
    items = list(table.indicators)
    items[0] = replace(items[0], weight=D(20), current_weight=D(20))
    items[1] = replace(items[1], weight=D(20), current_weight=D(20))
    items.append(ind("成本指标", "经济成本指标", "单张复印成本", "≤", "0.2", "0.15", "元", 10, "反向指标"))
    return replace(table, indicators=tuple(items))


Change = Callable[[TargetTable], TargetTable]


def at(index: int, **changes: object) -> Change:
    """Change indicator ``index``; ``target`` sets both 指标值 and 本年指标值."""

    def apply(table: TargetTable) -> TargetTable:
        items = list(table.indicators)
        fields = dict(changes)
        if "target" in fields:
            raw = fields["target"]
            fields["current_target"] = fields["target"] = Value.of(str(raw)) if raw else None
        for key in ("history", "current_target"):
            if isinstance(fields.get(key), str):
                fields[key] = Value.of(str(fields[key]))
        items[index] = replace(items[index], **fields)  # type: ignore[arg-type]
        return replace(table, indicators=tuple(items))

    return apply


def header(**changes: object) -> Change:
    return lambda table: replace(table, **changes)  # type: ignore[arg-type]


def goal(text: str) -> Change:
    return header(annual_goal=text)


def drop(index: int) -> Change:
    return lambda table: replace(
        table, indicators=tuple(i for n, i in enumerate(table.indicators) if n != index))


def both(*changes: Change) -> Change:
    def apply(table: TargetTable) -> TargetTable:
        for change in changes:
            table = change(table)
        return table

    return apply


# code → (profile, change that triggers the rule, a near miss that must not trigger it or None)
CASES: dict[str, tuple[str, Change, Change | None]] = {
    "C001": ("chongqing", header(unit=None), header(unit=CodedName(None, "某单位"))),
    "C002": ("chongqing", header(project=ProjectRef(None, "免费复印")), None),
    "C003": ("chongqing", header(project=ProjectRef(ProjectCode("50011522T000000157087"), None)), None),
    "C004": ("chongqing", header(department=None), None),
    "C005": ("chongqing", header(function=None), None),
    "C006": ("chongqing", header(total_wan=None), None),
    "C007": ("chongqing", header(execution_weight=None), None),
    "C008": ("chongqing", header(annual_goal=None), None),
    "C009": ("chongqing", header(funding=Funding()), header(funding=Funding(unit_own=D("15.22")))),
    "C010": ("chongqing", header(indicators=()), None),
    "C011": ("chongqing", at(0, level2=None), None),
    "C012": ("national", header(contact_phone=None), None),
    "C013": ("chongqing", at(0, operator=None), None),
    "C014": ("chongqing", at(0, target=None, current_target=None), at(0, current_target=None)),
    "C015": ("chongqing", at(0, weight=None, current_weight=None), None),
    "S001": ("chongqing", header(project=ProjectRef(ProjectCode("2022-157087"), "免费复印")), None),
    "S002": ("chongqing", at(0, level1="投入指标"), None),
    "S003": ("chongqing", at(2, level2="可持续发展指标"), at(2, level2="可持续影响指标")),
    "S004": ("chongqing", drop(3), None),
    "S005": ("chongqing", at(0, operator="约"), at(0, operator="≧")),
    "S006": ("chongqing", at(0, operator="≤"), at(1, operator="＜")),
    "S007": ("chongqing", at(0, direction=None), None),
    "S008": ("chongqing", at(1, name="纸张使用量"), None),
    "S009": ("chongqing", at(0, name="纸" * 31), at(0, name="纸" * 30)),
    "S010": ("chongqing", header(unit=CodedName("146001", "另一单位")), None),
    "S011": ("chongqing", at(0, level2="社会效益指标"), None),
    "W001": ("chongqing", at(0, weight=D(30), current_weight=D(30)), None),
    "W002": ("chongqing", header(execution_weight=D(20)), None),
    "W003": ("chongqing", at(0, weight=D(0)), None),
    "W004": ("chongqing", at(0, current_weight=D(20)), None),
    "W005": ("chongqing", both(at(0, current_weight=D(20)), at(1, current_weight=D(25))),
             both(at(0, current_weight=D(20)), at(1, current_weight=D(30)))),
    "W006": ("national", both(at(0, weight=D(20), current_weight=D(20)),
                              at(2, weight=D(35), current_weight=D(35))), None),
    "Q001": ("chongqing", at(0, unit_of_measure=None), at(3, operator="定性", target="有效",
                                                          unit_of_measure=None)),
    "Q002": ("chongqing", at(0, target="大幅增加"), at(0, operator="定性", target="大幅增加")),
    "Q003": ("chongqing", at(2, operator="定性"), at(2, operator="定性", target="明显缩短")),
    "Q004": ("chongqing", at(3, target="120"), at(3, target="100")),
    "Q005": ("chongqing", at(0, target="*"), None),
    "Q006": ("chongqing", at(0, name="有效提升服务水平"), None),
    "Q007": ("chongqing", at(0, current_target="600000", history=None), None),
    "Q008": ("chongqing", at(0, operator="定量（其他）"), None),
    "P001": ("chongqing", at(3, target="70"), at(3, target="80")),
    "P002": ("chongqing", at(0, name="预算执行率"), None),
    "P003": ("chongqing", at(0, target="600000"), at(0, target="700000")),
    "P004": ("chongqing", at(1, target="3"), at(1, target="2")),
    "P005": ("chongqing", at(3, target="100"), None),
    "T001": ("chongqing", header(funding=Funding(fiscal=D(10), unit_own=D(3))),
             header(funding=Funding(fiscal=D(10), unit_own=D("5.22")))),
    "T002": ("chongqing", header(total_wan=D("20.00"), funding=Funding(fiscal=D("20.00"))),
             header(total_wan=D("15.22"))),
    "T003": ("chongqing", goal("全年耗材费75000元，工资福利77200元，合计160000元。"),
             goal("全年耗材费75000元，工资福利77200元，合计152200元。")),
    "T004": ("chongqing", goal("全年用纸70万张，耗材费75000元，工资福利77200元，合计152200元。"),
             goal("全年用纸72万张，耗材费75000元，工资福利77200元，合计152200元。")),
    "T005": ("chongqing", goal("每月用纸量约5万张，耗材费75000元，工资福利77200元，合计152200元。"),
             goal("每季度用纸18万张，耗材费75000元，工资福利77200元，合计152200元。")),
    "T007": ("chongqing", goal("其中财政资金12万元，单位自筹3.22万元，用于免费复印服务。"),
             goal("其中财政资金15.22万元，用于免费复印服务。")),
    "T006": ("chongqing", goal(GOAL + "确保群众满意度达到98%以上。"),
             goal(GOAL + "确保群众满意度达到95%以上。")),
}


# -- published self-evaluations (自评审计, rules A001–A022) ----------------------------------------------------
def ev(level1: str, level2: str, name: str, op: str | None, target: str | None, unit: str | None,
       weight: str | None, actual: str | None, score: str | None, reason: str | None = None,
       block: str | None = None) -> EvaluatedIndicator:
    return EvaluatedIndicator(level1, level2, name, op, Value.of(target), unit, D(weight) if weight else None,
                              Value.of(actual), D(score) if score else None, reason,
                              level1_weight=D(block) if block else None)


ACHIEVED = "全年提供免费复印约70万张，群众办事时间平均节约20分钟；资金执行率95.27%，结余0.72万元为耗材集中采购节约。"


def clean_selfeval_table() -> SelfEvaluationTable:
    """The self-evaluation of clean_table()'s project, filled in as a careful unit would: every published
    figure is what the profiles' formulas give, to the cent (25 × 700000 ÷ 720000 = 24.31; 14.5 ÷ 15.22 = 95.27%,
    × 10 = 9.53; 9.53 + 24.31 + 25 + 30 + 10 = 98.84, 优)."""
    target = clean_table()
    return SelfEvaluationTable(
        project=target.project, department=target.department, implementing_unit=target.unit,
        contact_person="张三", contact_phone="023-40000000", year=2022,
        budget=FundingRow("total", "年度资金总额", D("15.22"), D("15.22"), D("14.50"), D(10), D("95.27"), D("9.53")),
        funding_rows=(FundingRow("fiscal", "本年财政拨款", D("15.22"), D("15.22"), D("14.50"), None, D("95.27")),
                      FundingRow("carryover", "上年结转资金"), FundingRow("other", "其他资金")),
        goal_expected=GOAL, goal_actual=ACHIEVED,
        indicators=(
            ev("产出指标", "数量指标", "纸张使用量", "≥", "720000", "张", "25", "700000", "24.31",
               "群众自带材料增多，用纸少于预期；下年按实际需求测算目标。", block="50"),
            ev("产出指标", "质量指标", "复印差错率", "≤", "1", "%", "25", "0.8", "25", block="50"),
            ev("效益指标", "社会效益指标", "群众办事时间节约", "≥", "20", "分钟", "30", "20", "30", block="30"),
            ev("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "95", "%", "10", "96", "10", block="10"),
        ),
        published_total_score=D("98.84"), published_grade="优",
    )


SelfEvalChange = Callable[[SelfEvaluationTable], SelfEvaluationTable]


def row(index: int, **changes: object) -> SelfEvalChange:
    """Change indicator ``index`` of a self-evaluation; text values become ``Value``s, numbers ``Decimal``s."""

    def apply(table: SelfEvaluationTable) -> SelfEvaluationTable:
        items = list(table.indicators)
        fields: dict[str, object] = {}
        for key, raw in changes.items():
            if key in ("target", "actual"):
                fields[key] = Value.of(raw) if isinstance(raw, str) else raw
            elif key in ("weight", "score", "level1_weight", "recheck_score"):
                fields[key] = D(raw) if isinstance(raw, str) else raw
            else:
                fields[key] = raw
        items[index] = replace(items[index], **fields)  # type: ignore[arg-type]
        return replace(table, indicators=tuple(items))

    return apply


def rows(*changes: SelfEvalChange) -> SelfEvalChange:
    def apply(table: SelfEvaluationTable) -> SelfEvaluationTable:
        for change in changes:
            table = change(table)
        return table

    return apply


def top(**changes: object) -> SelfEvalChange:
    return lambda table: replace(table, **changes)  # type: ignore[arg-type]


def total_row(**changes: object) -> SelfEvalChange:
    """Change the 年度资金总额 row (strings become ``Decimal``s)."""
    values = {key: D(raw) if isinstance(raw, str) else raw for key, raw in changes.items()}
    return lambda table: replace(table, budget=replace(table.budget, **values))  # type: ignore[arg-type]


def fiscal_row(**changes: object) -> SelfEvalChange:
    """Change the 本年财政拨款 row (strings become ``Decimal``s)."""
    values = {key: D(raw) if isinstance(raw, str) else raw for key, raw in changes.items()}

    def apply(table: SelfEvaluationTable) -> SelfEvaluationTable:
        first, *others = table.funding_rows
        return replace(table, funding_rows=(replace(first, **values), *others))  # type: ignore[arg-type]

    return apply


_LOW_SPENDING = rows(total_row(spent_wan="10", execution_rate="65.70", execution_score="6.57"),
                     fiscal_row(spent_wan="10", execution_rate="65.70"))
_ZEROS = total_row(initial_wan="0", adjusted_wan="0", spent_wan="0", execution_rate="0", execution_score="0")

# code → (profile, change that triggers the rule, a near miss that must not trigger it). Audited with
# tests.rule_cases.clean_table() as the approved target table of the project.
AUDIT_CASES: dict[str, tuple[str, SelfEvalChange, SelfEvalChange | None]] = {
    "A001": ("chongqing", row(0, score="23"), row(0, score="24.3")),
    "A002": ("chongqing", row(2, score="27"), row(2, score="29.99")),
    "A003": ("chongqing", row(0, score="25"), row(0, actual="719999", score="25")),
    "A004": ("chongqing", row(1, operator="定性", target="差错率低", unit_of_measure=None,
                              actual="部分达成年度指标并具有一定效果", score="20"),
             row(1, operator="定性", target="差错率低", unit_of_measure=None,
                 actual="部分达成年度指标并具有一定效果", score="19.99")),
    "A005": ("national", row(2, actual="26"), row(2, actual="25.99")),
    "A006": ("chongqing", row(3, score="12"), row(3, score="10.01")),
    "A007": ("chongqing", row(3, weight="20"), total_row(execution_weight=None)),
    "A008": ("chongqing", row(0, level1_weight="60"), rows(row(0, weight="20"), row(1, weight="30"))),
    "A009": ("chongqing", top(published_total_score=D(96)), top(published_total_score=D("98.8"))),
    "A010": ("chongqing", top(published_total_score=D(101)), top(published_total_score=D(100))),
    "A011": ("chongqing", top(published_grade="良"), top(published_grade="优秀")),
    "A012": ("chongqing", total_row(execution_rate="100"), total_row(execution_rate="95.3")),
    "A013": ("chongqing", total_row(execution_score="10"), total_row(execution_score="9.5")),
    "A014": ("chongqing", _ZEROS, total_row(initial_wan=None, adjusted_wan=None, spent_wan=None, execution_rate=None)),
    "A015": ("chongqing", fiscal_row(execution_weight="10", execution_score="9.53"),
             rows(total_row(execution_weight=None, execution_score=None),
                  fiscal_row(execution_weight="10", execution_score="9.53"))),
    "A016": ("chongqing", rows(_LOW_SPENDING, top(goal_actual="全年提供免费复印约70万张。")),
             rows(_LOW_SPENDING, top(goal_actual="全年提供免费复印约70万张；执行率偏低因耗材集中采购延至次年。"))),
    "A017": ("chongqing", row(0, actual=None), rows(row(0, actual=None), top(
        published_total_score=None, published_grade=None, goal_actual=None))),
    "A018": ("national", row(0, actual="完成", score="25"), row(0, actual="完成", score="20")),
    "A019": ("chongqing", rows(row(0, actual="720000"), row(1, actual="1"), row(3, actual="95")),
             rows(row(0, actual="720000"), row(3, actual="95"))),
    "A020": ("chongqing", row(0, target="700000"), row(0, target="720000张")),
    "A021": ("chongqing", rows(row(0, weight="30"), row(1, weight="20")), row(0, weight="25.00")),
    "A022": ("chongqing", row(1, name="复印错误率"), row(1, name="★复印差错率")),
    "A023": ("chongqing", top(published_total_score=None),
             top(published_total_score=None, published_grade=None, goal_actual=None)),
}


def _range(q1: str, median: str, q3: str, projects: int = 41, unit: str = "%",
           entry: str = "服务对象满意度") -> ComparableRange:
    return ComparableRange(entry, unit, D(q1), D(median), D(q3), projects)


# Rules that compare a table with the indicator library: (profile, comparables that trigger, a near miss),
# each a mapping of indicator row → what comparable projects set, handed to the review with clean_table().
LIBRARY_CASES: dict[str, tuple[str, dict[int, ComparableRange], dict[int, ComparableRange]]] = {
    # 群众满意度 ≥ 95%: comparable projects set 96–98 (trigger); 95–98 is inside the range (near miss)
    "P006": ("chongqing", {3: _range("96", "97", "98")}, {3: _range("95", "96", "98")}),
}


def _year(year: int, operator: str | None, target: str | None, actual: str | None, unit: str | None = "%",
          met: bool | None = None) -> YearPoint:
    return YearPoint(year, operator, D(target) if target else None, target, unit, D(actual) if actual else None,
                     actual, met=met)


def _past(rows: dict[int, tuple[YearPoint, ...]], missing: tuple[IndicatorHistory, ...] = ()) -> ProjectHistory:
    """clean_table() is of 2022: its rows 0 纸张使用量 ≥ 720000 张, 1 复印差错率 ≤ 1%, 3 群众满意度 ≥ 95%."""
    names = {0: ("纸张使用量", "张"), 1: ("复印差错率", "%"), 3: ("群众满意度", "%")}
    return ProjectHistory(2022, {row: IndicatorHistory(*names[row], years) for row, years in rows.items()}, missing)


def _sheets(actual: str) -> ProjectHistory:
    return _past({}, (IndicatorHistory("复印机完好率", "%", (_year(2021, "≥", "98", actual),)),))


# Rules that compare a table with its project's past years: (profile, history that triggers, a near miss),
# each a ProjectHistory handed to the review with clean_table().
HISTORY_CASES: dict[str, tuple[str, ProjectHistory, ProjectHistory]] = {
    # 纸张使用量: 2021 set ≥ 750000 and did 800000, 2022 sets 720000 (trigger); 2021 did only 740000 (near miss)
    "P007": ("chongqing", _past({0: (_year(2021, "≥", "750000", "800000", "张"),)}),
             _past({0: (_year(2021, "≥", "750000", "740000", "张"),)})),
    # 纸张使用量: 2021's target = 2020's actual and 2022's = 2021's (trigger); 2021 did 710000 (near miss)
    "P008": ("chongqing", _past({0: (_year(2020, "≥", "680000", "700000", "张"),
                                     _year(2021, "≥", "700000", "720000", "张"))}),
             _past({0: (_year(2020, "≥", "680000", "700000", "张"),
                        _year(2021, "≥", "700000", "710000", "张"))})),
    # 群众满意度 100% two years running (trigger); 99.5% in 2021 (near miss)
    "P009": ("chongqing", _past({3: (_year(2020, "≥", "90", "100"), _year(2021, "≥", "95", "100"))}),
             _past({3: (_year(2020, "≥", "90", "100"), _year(2021, "≥", "95", "99.5"))})),
    # 复印机完好率 ≥ 98% done 95% in 2021 and gone in 2022 (trigger); done 99% (near miss)
    "P010": ("chongqing", _sheets("95"), _sheets("99")),
}
