"""Weights (权重): indicator weights add up to the profile's split and are positive."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from jixiao.domain import Severity
from jixiao.rules.context import TableContext
from jixiao.rules.model import Category, Hit
from jixiao.rules.registry import fmt, rule

W = Category.WEIGHTS


_ZERO = Decimal(0)
_ONE = Decimal(1)


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


@rule("W001", W, Severity.ERROR, "指标权重合计不符",
      "指标权重合计为 {total}（{parts}），应为 {expected}",
      "指标权重与预算执行率权重合计 100：本配置为指标 90 + 执行率 10（四川、重庆表式；"
      "财预〔2020〕10号自评默认分值同）。")
def weight_total(ctx: TableContext) -> Iterator[Hit]:
    weights = ctx.weights
    total = _sum(weights)
    expected = ctx.profile.indicator_weight_total
    if total is not None and total != expected:
        parts = " + ".join(fmt(w) for w in weights if w is not None)
        yield Hit({"total": fmt(total), "parts": parts, "expected": fmt(expected)},
                  field="indicators")


@rule("W002", W, Severity.WARNING, "预算执行率权重不符",
      "预算执行率权重为 {actual}，本配置应为 {expected}",
      "预算执行率在自评中一般计 10 分（财预〔2020〕10号）；地方另有规定的在配置中调整。")
def execution_weight(ctx: TableContext) -> Iterator[Hit]:
    actual = ctx.table.execution_weight
    if actual is not None and actual != ctx.profile.execution_weight:
        yield Hit({"actual": fmt(actual), "expected": fmt(ctx.profile.execution_weight)},
                  field="execution_weight")


@rule("W003", W, Severity.ERROR, "权重为零或负数", "{which}为 {value}，权重必须大于 0",
      "权重为零的指标不计分，设置它没有意义；负权重无法计分。")
def non_positive(ctx: TableContext) -> Iterator[Hit]:
    weights, currents = ctx.weights, ctx.current_weights
    # No blank or zero (all) and nothing negative (min): no row can be at fault. A NaN makes the
    # comparison raise; then the rows are walked, so the fault comes after the same hits as before.
    try:
        clean = all(weights) and all(currents) and min(filter(None, weights), default=_ONE) > _ZERO \
            and min(filter(None, currents), default=_ONE) > _ZERO
    except ArithmeticError:
        clean = False
    if clean:
        return
    for index, (weight, current) in enumerate(zip(weights, currents, strict=True)):
        if weight is not None and weight <= _ZERO:  # the first of the two only
            yield Hit({"which": "权重", "value": fmt(weight)}, indicator=index)
        elif current is not None and current <= _ZERO:
            yield Hit({"which": "本年权重", "value": fmt(current)}, indicator=index)


@rule("W004", W, Severity.INFO, "权重与本年权重不同",
      "权重 {weight} 与本年权重 {current} 不同，请说明理由",
      "权重对应整个项目期、本年权重对应当年（实务）；两者不同须在申报说明中解释。")
def weight_vs_current(ctx: TableContext) -> Iterator[Hit]:
    if ctx.weights == ctx.current_weights:
        return
    for index, item in enumerate(ctx.indicators):
        if (item.weight is not None and item.current_weight is not None
                and item.weight != item.current_weight):
            yield Hit({"weight": fmt(item.weight), "current": fmt(item.current_weight)},
                      indicator=index)


@rule("W005", W, Severity.ERROR, "本年权重合计不符", "本年权重合计为 {total}，应为 {expected}",
      "本年权重用于当年的监控和自评，合计同样须为指标总分（本配置 90）。")
def current_weight_total(ctx: TableContext) -> Iterator[Hit]:
    weights = ctx.weights
    current = ctx.current_weights
    if current == weights:  # the common table: nothing to add up
        return
    total = _sum(current)
    expected = ctx.profile.indicator_weight_total
    if total is not None and total != expected:
        yield Hit({"total": fmt(total), "expected": fmt(expected)}, field="indicators")


@rule("W006", W, Severity.INFO, "一级指标权重分配与默认分值不同",
      "{level1}权重合计 {actual}，默认分值为 {expected}",
      "财预〔2020〕10号自评默认分值为产出 50、效益 30、满意度 10（可按项目调整）；"
      "偏离默认分值时宜说明理由。仅在配置了 level1_weights 时检查。")
def level1_split(ctx: TableContext) -> Iterator[Hit]:
    expected_split = ctx.profile.level1_weights
    if not expected_split or not ctx.indicators:
        return
    for level1, expected in expected_split.items():
        actual = _sum([item.weight for item in ctx.indicators if item.level1 == level1])
        if actual is not None and actual != expected:
            yield Hit({"level1": level1, "actual": fmt(actual), "expected": fmt(expected)},
                      field="indicators")
