"""Plausibility (合理性): targets a reviewer would find too low, or not outputs at all."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from decimal import Decimal

from jixiao.domain import Direction, Operator, Severity
from jixiao.domain.comparable import unit_key, with_unit
from jixiao.rules.context import TableContext
from jixiao.rules.model import Category, Hit
from jixiao.rules.registry import fmt, rule

P = Category.PLAUSIBILITY


@rule("P001", P, Severity.WARNING, "满意度目标偏低",
      "满意度指标“{name}”的目标为 {value}%，低于下限 {floor}%",
      "满意度目标过低失去约束力；实务中一般不低于 80%–85%。下限由配置 satisfaction_floor 决定。")
def satisfaction_floor(ctx: TableContext) -> Iterator[Hit]:
    floor = ctx.profile.satisfaction_floor
    for index in ctx.satisfaction_rows():
        item = ctx.indicators[index]
        value = item.current_target or item.target
        if value is not None and value.number is not None \
                and (item.unit_of_measure or "%").strip() in ("%", "％") and value.number < floor:
            yield Hit({"name": item.name, "value": value.text, "floor": fmt(floor)},
                      indicator=index)


@rule("P002", P, Severity.WARNING, "把投入当作产出",
      "三级指标“{name}”（含“{word}”）衡量的是资金或人员投入，不是产出或效益",
      "预算执行率、资金到位率等是投入和过程，另有执行率计分，不应作为产出或效益指标"
      "（实务：各地项目支出绩效目标表式）。词表由配置 input_words 决定。")
def inputs_as_outputs(ctx: TableContext) -> Iterator[Hit]:
    for index, word in ctx.names_with(ctx.profile.input_words):
        item = ctx.indicators[index]
        if not (item.level1 or "").startswith("成本"):
            yield Hit({"name": item.name, "word": word}, indicator=index)


def _against_history(ctx: TableContext, direction: Direction) -> Iterator[Hit]:
    """Rows of ``direction`` whose target is on the wrong side of their historical reference."""
    if direction not in ctx.direction_kinds:
        return
    worse: Callable[[Decimal, Decimal], bool] = operator.lt if direction is Direction.POSITIVE else operator.gt
    kinds, values = ctx.direction_kinds, ctx.year_values
    for index, history in enumerate(ctx.histories):
        if history is None or history.number is None or kinds[index] is not direction:
            continue
        value = values[index]
        if value is not None and value.number is not None and worse(value.number, history.number):
            yield Hit({"target": value.text, "history": history.text}, indicator=index)


@rule("P003", P, Severity.WARNING, "正向指标目标低于历史水平",
      "正向指标本年目标 {target} 低于历史参考值 {history}",
      "目标值应参考历史标准设定（财预〔2015〕88号）；正向指标低于历史水平，说明目标定得过低。")
def below_history(ctx: TableContext) -> Iterator[Hit]:
    return _against_history(ctx, Direction.POSITIVE)


@rule("P004", P, Severity.WARNING, "反向指标目标高于历史水平",
      "反向指标本年目标 {target} 高于历史参考值 {history}",
      "反向指标（越少越好）的目标高于历史水平，说明目标定得过松。")
def above_history(ctx: TableContext) -> Iterator[Hit]:
    return _against_history(ctx, Direction.NEGATIVE)


@rule("P005", P, Severity.INFO, "满意度目标为 100%",
      "满意度指标“{name}”的目标为 100%，实际很难做到，自评时容易失分",
      "满意度调查几乎不可能全部满意；目标应参考历史调查结果设定。")
def satisfaction_hundred(ctx: TableContext) -> Iterator[Hit]:
    for index in ctx.satisfaction_rows():
        item = ctx.indicators[index]
        value = item.current_target or item.target
        if value is not None and value.number == 100:
            yield Hit({"name": item.name}, indicator=index)


@rule("P006", P, Severity.WARNING, "目标宽于可比项目",
      "{direction}“{name}”的目标 {value} {side}可比项目的{quartile} {bound}（{comparison}）",
      "与指标库中的可比项目相比，目标定在容易的一侧之外：正向指标低于下四分位数，反向指标高于上四分位数。"
      "可比范围由调用方从指标库传入（同一指标、同一计量单位的已批复目标）；可比项目少于配置 "
      "library_min_projects 时不比较。")
def looser_than_comparable(ctx: TableContext) -> Iterator[Hit]:
    comparables = ctx.comparables
    if not comparables:
        return
    least = ctx.profile.library_min_projects
    for index, found in sorted(comparables.items()):
        if found.projects < least or not 0 <= index < len(ctx.indicators):
            continue
        value = ctx.year_values[index]
        if value is None or value.number is None or unit_key(ctx.units[index]) != found.unit:
            continue
        direction = ctx.direction_kinds[index] or _by_operator(ctx.operator_kinds[index]) or found.direction
        if direction is Direction.POSITIVE and value.number < found.q1:
            side, quartile, bound = "低于", "下四分位数", found.q1
        elif direction is Direction.NEGATIVE and value.number > found.q3:
            side, quartile, bound = "高于", "上四分位数", found.q3
        else:
            continue
        yield Hit({"direction": direction.value, "name": ctx.names[index] or found.entry,
                   "value": with_unit(value.number, found.unit), "side": side, "quartile": quartile,
                   "bound": with_unit(bound, found.unit), "comparison": found.sentence()}, indicator=index)


def _by_operator(kind: Operator | None) -> Direction | None:
    """≥/> say more is better, ≤/< less; = and 定性 say nothing of a direction."""
    if kind in (Operator.GE, Operator.GT):
        return Direction.POSITIVE
    if kind in (Operator.LE, Operator.LT):
        return Direction.NEGATIVE
    return None
