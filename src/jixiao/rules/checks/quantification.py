"""Quantification (量化): targets are measurable, with numbers and units that make sense."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.domain import Operator, Severity
from jixiao.rules.context import NOT_QUANTITATIVE, TableContext, has_none
from jixiao.rules.model import Category, Hit
from jixiao.rules.registry import rule

Q = Category.QUANTIFICATION
_HUNDRED = Decimal(100)
_PERCENT = ("%", "％")
_PERCENT_SET = frozenset(_PERCENT)


@rule("Q001", Q, Severity.WARNING, "定量指标缺少度量单位",
      "指标性质为“{operator}”，却没有度量单位",
      "除定性指标外，每个指标都须有度量单位（实务：各地项目支出绩效目标表式），否则目标值无法解读。")
def unit_required(ctx: TableContext) -> Iterator[Hit]:
    units = ctx.units
    if all(units):
        return
    kinds = ctx.operator_kinds
    for index, unit in enumerate(units):
        if not unit and kinds[index] not in NOT_QUANTITATIVE:
            yield Hit({"operator": ctx.operators[index]}, indicator=index)


@rule("Q002", Q, Severity.WARNING, "定量指标的指标值不是数字",
      "指标性质为“{operator}”，指标值却是“{target}”",
      "定量指标的目标值须为数字，才能与实际完成值比较（财预〔2020〕10号）。")
def numeric_target(ctx: TableContext) -> Iterator[Hit]:
    numbers = ctx.year_numbers
    if not has_none(numbers):
        return
    kinds, values, placeholders = ctx.operator_kinds, ctx.year_values, ctx.profile.placeholders
    for index, number in enumerate(numbers):
        if number is not None or kinds[index] in NOT_QUANTITATIVE:
            continue
        value = values[index]
        if value is not None and value.text not in placeholders:
            yield Hit({"operator": ctx.operators[index], "target": value.text}, indicator=index)


@rule("Q003", Q, Severity.WARNING, "定性指标填写了数字",
      "定性指标的指标值是裸数字“{target}”{unit}，看不出要达到什么状态",
      "定性指标应描述要达成的状态（如“有效”“显著提升”），按达成程度分档评分；"
      "填写数字说明它其实是定量指标，应改为定量并写明单位（实务：财政审核常见问题）。")
def qualitative_with_number(ctx: TableContext) -> Iterator[Hit]:
    if Operator.QUALITATIVE not in ctx.operator_kinds:
        return
    values, units = ctx.year_values, ctx.units
    for index, kind in enumerate(ctx.operator_kinds):
        if kind is not Operator.QUALITATIVE:
            continue
        value = values[index]
        if value is not None and value.number is not None:
            measure = units[index]
            unit = f"（度量单位“{measure}”）" if measure else "（无度量单位）"
            yield Hit({"target": value.text, "unit": unit}, indicator=index)


@rule("Q004", Q, Severity.ERROR, "百分比超过 100", "以 % 计的指标值为 {value}，超过 100%",
      "比率类指标（覆盖率、合格率、满意度等）不能超过 100%。")
def percent_over_hundred(ctx: TableContext) -> Iterator[Hit]:
    if _PERCENT_SET.isdisjoint(ctx.units):
        return
    targets, currents = ctx.targets, ctx.current_targets
    for index, unit in enumerate(ctx.units):
        if unit not in _PERCENT:
            continue
        for value in (targets[index], currents[index]):
            if value is not None and value.number is not None and value.number > _HUNDRED:
                yield Hit({"value": value.text}, indicator=index)
                break


@rule("Q005", Q, Severity.ERROR, "占位或无意义的指标值", "指标值“{target}”{why}",
      "“*”“-”“≥0”之类的值是占位符，不构成绩效目标（实务：财政审核常见问题）。占位符清单由配置决定。")
def placeholder_target(ctx: TableContext) -> Iterator[Hit]:
    if ctx.profile.placeholders.isdisjoint(ctx.year_texts) and 0 not in ctx.year_numbers:
        return
    for index, item in enumerate(ctx.indicators):
        value = item.current_target or item.target
        if value is None:
            continue
        if value.text in ctx.profile.placeholders:
            yield Hit({"target": value.text, "why": "是占位符"}, indicator=index)
        elif item.operator_kind in (Operator.GE, Operator.GT) and value.number == 0:
            yield Hit({"target": f"{item.operator}{value.text}", "why": "任何结果都能达到，没有约束力"},
                      indicator=index)


@rule("Q006", Q, Severity.WARNING, "指标名称含模糊表述",
      "三级指标“{name}”含模糊表述“{word}”，无法衡量",
      "指标应可衡量（SMART）；“有效提升”“进一步”等表述应改为可比较的数值或明确的状态。"
      "词表由配置决定。")
def vague_names(ctx: TableContext) -> Iterator[Hit]:
    for index, word in ctx.names_with(ctx.profile.vague_words):
        yield Hit({"name": ctx.indicators[index].name, "word": word}, indicator=index)


@rule("Q007", Q, Severity.INFO, "指标值与本年指标值不同",
      "指标值“{target}”与本年指标值“{current}”不同，请说明理由",
      "指标值对应整个项目期、本年指标值对应当年（实务）；两者不同须说明。")
def target_vs_current(ctx: TableContext) -> Iterator[Hit]:
    if ctx.targets == ctx.current_targets:  # every row's two values equal (or both blank): no row differs
        return
    for index, item in enumerate(ctx.indicators):
        if item.target is not None and item.current_target is not None \
                and item.target.text != item.current_target.text \
                and item.target.number != item.current_target.number:
            yield Hit({"target": item.target.text, "current": item.current_target.text},
                      indicator=index)


@rule("Q008", Q, Severity.INFO, "“定量（其他）”需要文字说明",
      "指标性质为“定量（其他）”，须附文字说明计算口径",
      "预算一体化系统中“定量（其他）”用于无法用比较符表达的定量指标，要求附说明（实务）。")
def other_quantitative(ctx: TableContext) -> Iterator[Hit]:
    if Operator.OTHER_QUANTITATIVE not in ctx.operator_kinds:
        return
    for index, item in enumerate(ctx.indicators):
        if item.operator_kind is Operator.OTHER_QUANTITATIVE:
            yield Hit({}, indicator=index)


