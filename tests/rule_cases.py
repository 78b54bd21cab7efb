"""A clean target table and, per rule, a change that must trigger it (and a near miss)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from msgspec.structs import replace

from jixiao.domain import CodedName, Funding, Indicator, ProjectCode, ProjectRef, TargetTable, Value

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
