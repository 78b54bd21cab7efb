"""Structure (结构): codes, the indicator framework, operators and directions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from jixiao.domain import Direction, Operator, Severity
from jixiao.rules.context import TableContext
from jixiao.rules.model import Category, Hit
from jixiao.rules.registry import rule

S = Category.STRUCTURE


@rule("S001", S, Severity.WARNING, "项目编码不规范",
      "项目编码“{code}”不是 21 位的标准形式（6位区划+2位年度+类别字母+12位流水号）",
      "实务中预算一体化系统的项目编码为 21 位：行政区划代码（GB/T 2260）、年度、项目类别（R 人员类、"
      "T 特定目标类）和流水号（实务：各地项目支出绩效目标表式）。")
def project_code_form(ctx: TableContext) -> Iterator[Hit]:
    project = ctx.table.project
    if project is not None and project.code is not None and not project.code.is_standard:
        yield Hit({"code": project.code.raw}, field="project_code")


@rule("S002", S, Severity.ERROR, "一级指标不在指标体系中",
      "一级指标“{level1}”不在“{profile}”指标体系中（应为 {allowed}）",
      "一级指标须取自所适用的指标体系（88号/10号 或 101号），否则无法分类汇总和计分。")
def level1_known(ctx: TableContext) -> Iterator[Hit]:
    if ctx.profile.level1_known.issuperset(ctx.level1s):
        return
    allowed = "、".join(ctx.profile.catalogue)
    for index, item in enumerate(ctx.indicators):
        if item.level1 and item.level1 not in ctx.profile.catalogue:
            yield Hit({"level1": item.level1, "profile": ctx.profile.title, "allowed": allowed},
                      indicator=index)


@rule("S003", S, Severity.WARNING, "二级指标不在指标体系中",
      "二级指标“{level2}”不在“{profile}”指标体系中；“{level1}”下应为 {allowed}",
      "二级指标须取自指标体系（如效益指标下为经济效益、社会效益、生态效益、可持续影响指标），"
      "自拟的名称无法与同类项目比较。")
def level2_known(ctx: TableContext) -> Iterator[Hit]:
    if ctx.profile.level2_known.issuperset(ctx.level2s):
        return
    owner = ctx.profile.level2_owner
    for index, item in enumerate(ctx.indicators):
        if item.level2 and item.level2 not in owner and item.level1 and item.level1 in ctx.profile.catalogue:
            allowed = "、".join(ctx.profile.catalogue[item.level1])
            yield Hit({"level2": item.level2, "level1": item.level1, "allowed": allowed,
                       "profile": ctx.profile.title}, indicator=index)


@rule("S004", S, Severity.ERROR, "缺少必备的一级指标", "缺少一级指标：{missing}",
      "产出、效益、满意度指标原则上都应设置（财预〔2020〕10号）；101号体系还要求成本指标。"
      "必备类别由配置文件的 required_level1 决定。")
def required_level1(ctx: TableContext) -> Iterator[Hit]:
    if not ctx.indicators:
        return
    present = set(ctx.level1s)
    missing = [name for name in ctx.profile.required_level1 if name not in present]
    if missing:
        yield Hit({"missing": "、".join(missing)}, field="indicators")


@rule("S005", S, Severity.ERROR, "指标性质无法识别",
      "指标性质“{operator}”不是 ≥、＞、=、＜、≤、定性 或 定量（其他）",
      "自评计分公式由指标性质决定（财预〔2020〕10号 自评计分）；无法识别的性质无法计分。")
def operator_known(ctx: TableContext) -> Iterator[Hit]:
    if None not in ctx.operator_kinds:
        return
    for index, item in enumerate(ctx.indicators):
        if item.operator is not None and item.operator_kind is None:
            yield Hit({"operator": item.operator}, indicator=index)


_UPWARD = (Operator.GE, Operator.GT)
_DOWNWARD = (Operator.LE, Operator.LT)
_CONTRARY = frozenset([(kind, Direction.NEGATIVE) for kind in _UPWARD]
                      + [(kind, Direction.POSITIVE) for kind in _DOWNWARD])


@rule("S006", S, Severity.WARNING, "指标性质与方向性矛盾",
      "指标性质为“{operator}”，方向性却是“{direction}”",
      "≥、＞ 表示越多越好，应为正向指标；≤、＜ 表示越少越好，应为反向指标（实务：各地项目支出绩效目标表式）。")
def operator_direction(ctx: TableContext) -> Iterator[Hit]:
    if _CONTRARY.isdisjoint(zip(ctx.operator_kinds, ctx.direction_kinds, strict=True)):
        return
    for index, item in enumerate(ctx.indicators):
        kind, direction = item.operator_kind, item.direction_kind
        if (kind in _UPWARD and direction is Direction.NEGATIVE) or (
                kind in _DOWNWARD and direction is Direction.POSITIVE):
            yield Hit({"operator": item.operator, "direction": item.direction}, indicator=index)


@rule("S007", S, Severity.WARNING, "指标方向性缺失或无法识别",
      "指标方向性{problem}（应为 正向指标 或 反向指标）",
      "方向性决定自评时超出或未达目标如何计分。")
def direction_known(ctx: TableContext) -> Iterator[Hit]:
    if None not in ctx.direction_kinds:
        return
    for index, item in enumerate(ctx.indicators):
        if item.direction is None:
            yield Hit({"problem": "未填写"}, indicator=index)
        elif item.direction_kind is None:
            yield Hit({"problem": f"“{item.direction}”无法识别"}, indicator=index)


@rule("S008", S, Severity.WARNING, "指标名称重复", "三级指标“{name}”在本表中出现 {count} 次",
      "同一指标重复设置会重复计分，也说明指标没有细化。")
def duplicate_names(ctx: TableContext) -> Iterator[Hit]:
    names = [name for name in ctx.names if name]
    if len(set(names)) == len(names):
        return
    counts = Counter(names)
    reported: set[str] = set()
    for index, item in enumerate(ctx.indicators):
        if item.name and counts[item.name] > 1 and item.name not in reported:
            reported.add(item.name)
            yield Hit({"name": item.name, "count": counts[item.name]}, indicator=index)


@rule("S009", S, Severity.INFO, "指标名称过长",
      "三级指标名称有 {length} 个字，超过 {limit} 个字，宜精炼为可衡量的指标名",
      "指标名称应简明（实务中一般不超过 30 字）；长句往往把目标描述当成了指标。上限由配置决定。")
def long_names(ctx: TableContext) -> Iterator[Hit]:
    limit = ctx.profile.max_name_length
    if max(map(len, filter(None, ctx.names)), default=0) <= limit:
        return
    for index, item in enumerate(ctx.indicators):
        if item.name and len(item.name) > limit:
            yield Hit({"length": len(item.name), "limit": limit}, indicator=index)


@rule("S010", S, Severity.WARNING, "单位与主管部门编码不对应",
      "单位编码“{unit}”不以主管部门编码“{department}”开头",
      "预算单位编码按主管部门编码逐级编排（如 145 → 145001），不对应说明表头填错了部门或单位。")
def unit_under_department(ctx: TableContext) -> Iterator[Hit]:
    unit, department = ctx.table.unit, ctx.table.department
    if unit and department and unit.code and department.code and not unit.code.startswith(
            department.code):
        yield Hit({"unit": unit.code, "department": department.code}, field="unit")


@rule("S011", S, Severity.WARNING, "二级指标放错了一级指标",
      "二级指标“{level2}”属于“{expected}”，却放在“{level1}”下",
      "指标体系中每个二级指标只属于一个一级指标；放错会导致分类汇总和权重分配错误。")
def level2_under_wrong_level1(ctx: TableContext) -> Iterator[Hit]:
    if ctx.profile.level_pairs.issuperset(zip(ctx.level1s, ctx.level2s, strict=True)):
        return
    owner = ctx.profile.level2_owner
    for index, item in enumerate(ctx.indicators):
        expected = owner.get(item.level2 or "")
        if expected is not None and expected != item.level1 and item.level1 in ctx.profile.catalogue:
            yield Hit({"level2": item.level2, "expected": expected, "level1": item.level1},
                      indicator=index)
