"""Completeness (完整性): required header fields and indicator cells are filled in."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.domain import Severity
from jixiao.domain.text import format_decimal
from jixiao.rules.context import TableContext, has_none
from jixiao.rules.model import Category, Hit
from jixiao.rules.registry import fmt, rule

C = Category.COMPLETENESS
_BASIS = "财预〔2020〕10号：绩效目标应当完整、清晰，表内各要素齐全。"


@rule("C001", C, Severity.ERROR, "单位信息缺失", "未填写单位信息（预算单位编码和名称）",
      f"每张表须写明编报的预算单位。{_BASIS}")
def unit_missing(ctx: TableContext) -> Iterator[Hit]:
    unit = ctx.table.unit
    if unit is None or not unit.name:
        yield Hit({}, field="unit")


@rule("C002", C, Severity.ERROR, "项目编码缺失", "未填写预算项目编码",
      "项目编码是项目库中的唯一标识，批复、监控和自评都以它关联。")
def project_code_missing(ctx: TableContext) -> Iterator[Hit]:
    if ctx.table.project_code is None:
        yield Hit({}, field="project_code")


@rule("C003", C, Severity.ERROR, "项目名称缺失", "未填写预算项目名称",
      f"项目名称让审核人和公众知道钱花在什么事上。{_BASIS}")
def project_name_missing(ctx: TableContext) -> Iterator[Hit]:
    if not ctx.table.project_name:
        yield Hit({}, field="project")


@rule("C004", C, Severity.WARNING, "主管部门缺失", "未填写主管部门",
      "主管部门负责第一道审核（财预〔2020〕10号：部门和单位逐级审核），须写明。")
def department_missing(ctx: TableContext) -> Iterator[Hit]:
    if ctx.table.department is None:
        yield Hit({}, field="department")


@rule("C005", C, Severity.WARNING, "职能职责与活动缺失", "未填写职能职责与活动",
      "相关性审核要求指标与单位职能相关（财预〔2015〕88号），须写明对应的职能职责与活动。")
def function_missing(ctx: TableContext) -> Iterator[Hit]:
    if ctx.table.function is None:
        yield Hit({}, field="function")


@rule("C006", C, Severity.ERROR, "项目总额缺失", "未填写项目总额（万元）",
      "适当性审核要比较资金规模与目标（财预〔2015〕88号），没有金额就无从审核。")
def total_missing(ctx: TableContext) -> Iterator[Hit]:
    if ctx.table.total_wan is None:
        yield Hit({}, field="total_wan")


@rule("C007", C, Severity.ERROR, "预算执行率权重缺失", "未填写预算执行率权重（本配置应为 {expected}）",
      "自评时预算执行率单独计分（财预〔2020〕10号：一般为10分），目标表须写明其权重。")
def execution_weight_missing(ctx: TableContext) -> Iterator[Hit]:
    if ctx.table.execution_weight is None:
        yield Hit({"expected": fmt(ctx.profile.execution_weight)}, field="execution_weight")


@rule("C008", C, Severity.ERROR, "年度目标缺失", "未填写年度目标",
      "年度目标说明项目当年要做成什么，是设置绩效指标的依据（财预〔2015〕88号）。")
def goal_missing(ctx: TableContext) -> Iterator[Hit]:
    if not ctx.table.annual_goal:
        yield Hit({}, field="annual_goal")


@rule("C009", C, Severity.WARNING, "资金来源未填写",
      "项目总额为 {total} 万元，但“其中”各项资金来源均未填写",
      "项目总额应按财政资金、财政专户管理资金、单位资金、社会投入资金、银行贷款分列。")
def funding_missing(ctx: TableContext) -> Iterator[Hit]:
    if ctx.table.total_wan is not None and ctx.funding_total is None:
        yield Hit({"total": format_decimal(ctx.table.total_wan)}, field="funding")


@rule("C010", C, Severity.ERROR, "没有绩效指标", "指标表中没有任何绩效指标",
      "绩效目标须细化为可衡量的绩效指标（财预〔2015〕88号）。")
def no_indicators(ctx: TableContext) -> Iterator[Hit]:
    if not ctx.indicators:
        yield Hit({}, field="indicators")


@rule("C011", C, Severity.ERROR, "指标层级或名称缺失", "指标缺少{missing}",
      "每条指标都须有一级、二级指标和三级指标名称，才能归类和计分。")
def indicator_names_missing(ctx: TableContext) -> Iterator[Hit]:
    if all(ctx.level1s) and all(ctx.level2s) and all(ctx.names):
        return
    for index, item in enumerate(ctx.indicators):
        if item.level1 and item.level2 and item.name:
            continue
        missing = [label for label, value in (("一级指标", item.level1), ("二级指标", item.level2),
                                              ("三级指标名称", item.name)) if not value]
        if missing:
            yield Hit({"missing": "、".join(missing)}, indicator=index)


@rule("C012", C, Severity.INFO, "经办人信息缺失", "未填写{missing}",
      "审核退回和监控时需要联系经办人。公开版本不刊登经办人电话，公开表可在配置中停用本规则。")
def contact_missing(ctx: TableContext) -> Iterator[Hit]:
    missing = [label for label, value in (("项目经办人", ctx.table.contact_person),
                                          ("经办人电话", ctx.table.contact_phone)) if not value]
    if missing:
        yield Hit({"missing": "、".join(missing)}, field="contact_person")


@rule("C013", C, Severity.ERROR, "指标性质缺失", "指标未填写指标性质（≥、＞、=、＜、≤ 或 定性）",
      "指标性质决定自评时如何比较实际值与目标值（财预〔2020〕10号 自评计分）。")
def operator_missing(ctx: TableContext) -> Iterator[Hit]:
    if None not in ctx.operators:
        return
    for index, item in enumerate(ctx.indicators):
        if item.operator is None:
            yield Hit({}, indicator=index)


@rule("C014", C, Severity.ERROR, "指标值缺失", "指标未填写指标值或本年指标值",
      "没有目标值就无法监控和自评（财预〔2020〕10号）。")
def target_missing(ctx: TableContext) -> Iterator[Hit]:
    if not (has_none(ctx.targets) and has_none(ctx.current_targets)):
        return
    for index, item in enumerate(ctx.indicators):
        if item.target is None and item.current_target is None:
            yield Hit({}, indicator=index)


@rule("C015", C, Severity.ERROR, "指标权重缺失", "指标未填写权重",
      "自评按权重计分；缺少权重的指标无法得分。")
def weight_missing(ctx: TableContext) -> Iterator[Hit]:
    if not (has_none(ctx.weights) and has_none(ctx.current_weights)):
        return
    for index, item in enumerate(ctx.indicators):
        if item.weight is None and item.current_weight is None:
            yield Hit({}, indicator=index)
