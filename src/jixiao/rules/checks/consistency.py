"""Consistency (一致性): the funding split, the goal's words and the indicators agree.

The goal-text checks show their arithmetic, so a unit can see exactly which figures
disagree (e.g. "75000元 + 77240元 = 152240元，而项目总额为 15万元").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.domain import Severity
from jixiao.domain.text import format_decimal
from jixiao.rules.context import TableContext, is_satisfaction
from jixiao.rules.context import quantity_conflicts as _quantity_conflicts
from jixiao.rules.model import Category, Hit
from jixiao.rules.registry import fmt, rule
from jixiao.rules.textnum import Mention, MoneyPicture, format_yuan

T = Category.CONSISTENCY
_WAN = Decimal(10_000)
_YUAN_TOLERANCE = Decimal(50)  # half of the 0.01万元 the header is rounded to


@rule("T001", T, Severity.ERROR, "资金来源合计与项目总额不符",
      "资金来源合计 {parts} = {sum} 万元，项目总额为 {total} 万元，相差 {diff} 万元",
      "“其中”各项资金（财政资金、财政专户管理资金、单位资金、社会投入资金、银行贷款）之和"
      "应等于项目总额（实务：各地项目支出绩效目标表式）。")
def funding_adds_up(ctx: TableContext) -> Iterator[Hit]:
    funding_sum = ctx.funding_total
    total = ctx.table.total_wan
    if funding_sum is None or total is None or funding_sum == total:
        return
    parts = " + ".join(f"{label} {fmt(amount)}" for _, label, amount in ctx.table.funding.items()
                       if amount is not None)
    yield Hit({"parts": parts, "sum": fmt(funding_sum), "total": format_decimal(total),
               "diff": fmt(abs(funding_sum - total))}, field="funding")


def _explain_amounts(mentions: tuple[Mention, ...], picture: MoneyPicture) -> str:
    """"75000元 + 77240元 = 合计152240元" style arithmetic for the goal's top-level amounts."""
    made_of = {total.start: parts for total, parts in picture.parts}
    texts = []
    for mention in mentions:
        parts = made_of.get(mention.start)
        texts.append(f"（{' + '.join(p.text for p in parts)}）" if parts else mention.text)
    total = sum((m.value for m in mentions), Decimal(0))
    return f"{' + '.join(texts)} = {format_yuan(total)}"


@rule("T002", T, Severity.WARNING, "年度目标所述金额与项目总额不符",
      "年度目标所述金额：{arithmetic}，而项目总额为 {total} 万元，相差 {diff} 万元",
      "年度目标中列明的金额（合同金额、分项费用及其合计）应与项目总额一致；不一致说明测算"
      "依据与申报金额脱节（适当性审核，财预〔2015〕88号）。")
def goal_money_vs_total(ctx: TableContext) -> Iterator[Hit]:
    total = ctx.table.total_wan
    picture = ctx.money
    if total is None or not picture.top_level:
        return
    stated = picture.total
    if abs(stated - total * _WAN) > _YUAN_TOLERANCE:
        yield Hit({"arithmetic": _explain_amounts(picture.top_level, picture),
                   "total": format_decimal(total),
                   "diff": fmt(abs(stated - total * _WAN) / _WAN)}, field="annual_goal")


@rule("T003", T, Severity.WARNING, "年度目标中分项金额之和与所述合计不符",
      "年度目标中 {parts} = {sum}，但所述合计为 {stated}",
      "分项费用之和应等于文中给出的合计数；不等说明测算有误。")
def goal_parts_vs_stated_sum(ctx: TableContext) -> Iterator[Hit]:
    for stated, parts in ctx.money.bad_sums:
        total = sum((m.value for m in parts), Decimal(0))
        yield Hit({"parts": " + ".join(m.text for m in parts), "sum": format_yuan(total),
                   "stated": stated.text}, field="annual_goal")


def _describe(mentions: list[Mention]) -> str:
    pieces = []
    for m in mentions:
        if m.period:
            pieces.append(f"每{m.period}{m.text} × {m.per_year} = {fmt(m.annual)}{m.unit}")
        else:
            pieces.append(m.text)
    return "、".join(pieces)


@rule("T004", T, Severity.WARNING, "年度目标所述数量与指标不一致",
      "年度目标提到 {mentioned}（合计 {sum}{unit}），指标“{name}”的目标却是 {target}{unit}",
      "年度目标中的数量（人数、件数、面积等）应与同单位的数量指标一致——等于其中一项或各项之和。")
def goal_quantity_vs_indicator(ctx: TableContext) -> Iterator[Hit]:
    for index, target, same in _quantity_conflicts(ctx):
        if any(m.period for m in same):
            continue  # reported by T005 with the per-period arithmetic
        total = sum((m.annual for m in same), Decimal(0))
        yield Hit({"mentioned": _describe(same), "sum": fmt(total), "unit": same[0].unit,
                   "name": ctx.indicators[index].name, "target": fmt(target)}, indicator=index)


@rule("T005", T, Severity.WARNING, "月度或季度数量折算全年后与指标不一致",
      "年度目标提到 {mentioned}，指标“{name}”的全年目标却是 {target}{unit}",
      "文中按月、按季给出的数量折算全年（×12、×4）后应与年度指标一致"
      "（如“每月6万张”对应全年 72 万张）。")
def goal_periodic_vs_indicator(ctx: TableContext) -> Iterator[Hit]:
    for index, target, same in _quantity_conflicts(ctx):
        if any(m.period for m in same):
            yield Hit({"mentioned": _describe(same), "name": ctx.indicators[index].name,
                       "target": fmt(target), "unit": same[0].unit}, indicator=index)


@rule("T006", T, Severity.WARNING, "年度目标所述满意度与指标不一致",
      "年度目标写明满意度 {stated}%，满意度指标“{name}”的目标却是 {target}%",
      "年度目标承诺的满意度应与满意度指标的目标值一致。")
def goal_satisfaction_vs_indicator(ctx: TableContext) -> Iterator[Hit]:
    stated = [m for m in ctx.mentions if m.kind == "percent" and "满意" in m.context]
    if not stated:
        return
    promised = stated[-1].value
    for index, item in enumerate(ctx.indicators):
        value = item.current_target or item.target
        if is_satisfaction(item) and value is not None and value.number is not None \
                and value.number != promised:
            yield Hit({"stated": fmt(promised), "name": item.name, "target": value.text},
                      indicator=index)


_FUNDING_WORDS: tuple[tuple[str, str, str], ...] = (
    ("财政专户", "special_account", "财政专户管理资金"),
    ("财政资金", "fiscal", "财政资金"),
    ("财政拨款", "fiscal", "财政资金"),
    ("财政补助", "fiscal", "财政资金"),
    ("单位资金", "unit_own", "单位资金"),
    ("单位自筹", "unit_own", "单位资金"),
    ("自有资金", "unit_own", "单位资金"),
    ("社会投入", "social", "社会投入资金"),
    ("社会资金", "social", "社会投入资金"),
    ("银行贷款", "bank_loan", "银行贷款"),
)


_FUNDING_FINDER = re.compile("|".join(word for word, _, _ in _FUNDING_WORDS))  # most amounts name no source


@rule("T007", T, Severity.WARNING, "年度目标所述资金来源与资金来源栏不符",
      "年度目标写明{label} {stated}，而“其中：{label}”一栏为 {row}",
      "年度目标中按来源列明的金额（财政资金、单位自筹、社会投入、银行贷款等）应与表头“其中”各栏一致。")
def goal_funding_vs_rows(ctx: TableContext) -> Iterator[Hit]:
    seen: set[str] = set()
    for mention in ctx.mentions:
        if mention.kind != "money" or mention.role == "unit_price" or _FUNDING_FINDER.search(mention.context) is None:
            continue
        found = next(((key, label) for word, key, label in _FUNDING_WORDS if word in mention.context), None)
        if found is None or found[0] in seen:
            continue
        key, label = found
        seen.add(key)
        row = getattr(ctx.table.funding, key)
        if row is None or abs(mention.value - row * _WAN) > _YUAN_TOLERANCE:
            shown = "空白" if row is None else f"{format_decimal(row)} 万元"
            yield Hit({"label": label, "stated": format_yuan(mention.value), "row": shown}, field="funding")
