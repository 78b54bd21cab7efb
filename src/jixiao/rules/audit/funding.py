"""The funding block (年度资金总额 / 其中 本年财政拨款 / 上年结转资金 / 其他资金): execution rates that follow
from the figures printed, an execution score that follows from the rate, a total row that agrees with its
components, points counted once, and a low rate explained."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from jixiao.domain import FundingRow, Severity
from jixiao.domain.score_formulas import HUNDRED, execution_rate, percent, show
from jixiao.rules.audit.context import AuditContext
from jixiao.rules.audit.numbers import agrees
from jixiao.rules.audit.rule import audit_rule
from jixiao.rules.audit.words import funding_field, funding_label
from jixiao.rules.model import Hit

_ONE: Final = Decimal(1)
# A clause that only restates the rate ("上年结转资金执行率52.08%", "预算执行率为 76%"): no reason, whatever
# words it holds, so it is removed before the reason words are looked for.
_RATE_STATEMENT: Final = re.compile(
    r"[^，,。；;、\s]*(?:执行率|执行进度|支出进度)[^，,。；;\d]{0,6}\d+(?:\.\d+)?\s*[%％]")


def _rows(ctx: AuditContext) -> Iterator[tuple[FundingRow, bool]]:
    """Every printed funding row and whether it is the 年度资金总额 row."""
    table = ctx.table
    if table.budget is not None:
        yield table.budget, True
    for row in table.funding_rows:
        yield row, False


def _rate_agrees(published: Decimal, exact: Decimal, ctx: AuditContext) -> bool:
    """A percentage as printed (98.47), or as a fraction (0.9847, 1 for 100%)."""
    audit = ctx.audit
    if agrees(published, exact, audit.rate_tolerance, audit.accept_rounding):
        return True
    return published <= _ONE and agrees(published * HUNDRED, exact, audit.rate_tolerance, audit.accept_rounding)


@audit_rule("A012", Severity.ERROR, "执行率不等于全年执行数 ÷ 全年预算数",
            "{row}：全年执行数 {spent} ÷ 全年预算数 {adjusted} = {rate}%，公布执行率 {published}%{note}",
            "执行率 = 全年执行数 ÷ 全年预算数（调整后的预算，不是年初预算数）；公布的执行率与此相差超过配置的容差"
            "（[audit] rate_tolerance，默认 0.01 个百分点，且按公布位数四舍五入相同者不报告）即报告。",
            "全年预算数 15.22、全年执行数 14.5，公布执行率 100%（应为 95.27%）")
def rate_mismatch(ctx: AuditContext) -> Iterator[Hit]:
    for row, total in _rows(ctx):
        published, adjusted, spent = row.execution_rate, row.adjusted_wan, row.spent_wan
        if published is None or adjusted is None or spent is None or adjusted <= 0 or not published.is_finite():
            continue
        exact = spent / adjusted * HUNDRED
        if _rate_agrees(published, exact, ctx):
            continue
        note = ""
        initial = row.initial_wan
        if initial is not None and initial > 0 and initial != adjusted and _rate_agrees(
                published, spent / initial * HUNDRED, ctx):
            note = (f"；与按年初预算数计算的 {show(spent)} ÷ {show(initial)} = "
                    f"{percent(execution_rate(initial, spent))}% 相符，执行率应按全年预算数（调整后）计算")
        yield Hit({"row": funding_label(row, total), "spent": show(spent), "adjusted": show(adjusted),
                   "rate": percent(execution_rate(adjusted, spent)), "published": show(published), "note": note},
                  field=funding_field(row, total))


@audit_rule("A013", Severity.ERROR, "资金执行率得分与复算不符",
            "公布资金执行率得分 {score}，按本配置复算为 {recomputed}：{arithmetic}{basis}",
            "资金执行率得分按配置计算（默认 min(执行率, 100%) × 分值，也可按档计分）；全年执行数为 0 而给分、"
            "执行率不足 100% 却给满分等都会在此报告。年度资金总额行为 0 而其中各项有数的，按各项合计复算。",
            "全年执行数 0，公布执行率得分 10")
def execution_score_differs(ctx: AuditContext) -> Iterator[Hit]:
    execution = ctx.execution
    if execution is None or execution.score is None or execution.recomputed is None:
        return
    score, recomputed = execution.score, execution.recomputed
    audit, weight = ctx.audit, execution.scoring_weight(ctx.policy)
    if score >= weight and weight - recomputed > audit.score_tolerance:
        pass  # full marks for a rate below what earns them: never excused as rounding
    elif agrees(score, recomputed, audit.score_tolerance, audit.accept_rounding):
        return
    basis = "（年度资金总额行为 0，按其中各项资金合计复算）" if execution.zero_total else ""
    points = execution.points_row
    assert points is not None
    arithmetic = execution.worked(ctx.policy).arithmetic
    yield Hit({"score": show(score), "recomputed": show(recomputed), "arithmetic": arithmetic, "basis": basis},
              field=funding_field(points, points is ctx.table.budget))


def _money(row: FundingRow) -> str:
    return f"全年预算数 {show(row.adjusted_wan)}、全年执行数 {show(row.spent_wan)}"


@audit_rule("A014", Severity.ERROR, "年度资金总额为零而其中各项有数",
            "年度资金总额的{total}，而其中{parts}",
            "年度资金总额应为其中各项资金之和；总额行填 0 而分项有数，执行率和得分便按 0 计算。",
            "年度资金总额 0 / 0 / 0，其中本年财政拨款 90 / 89.974 / 89.974")
def zero_total(ctx: AuditContext) -> Iterator[Hit]:
    execution = ctx.execution
    if execution is None or not execution.zero_total or execution.total is None:
        return
    parts = [f"{funding_label(row)} {_money(row)}" for row in execution.components
             if row.adjusted_wan or row.spent_wan]
    yield Hit({"total": _money(execution.total), "parts": "；".join(parts)}, field="budget")


def _points(row: FundingRow) -> str:
    shown = []
    if row.execution_weight is not None:
        shown.append(f"分值 {show(row.execution_weight)}")
    if row.execution_score is not None:
        shown.append(f"得分 {show(row.execution_score)}")
    return "、".join(shown)


@audit_rule("A015", Severity.WARNING, "执行率分值重复列示",
            "年度资金总额行（{total}）和“{row}”行（{component}）都列有分值或得分，资金执行率的分值可能被重复计算",
            "资金执行率的分值和得分只列在年度资金总额行；其中各项再列一次，合计时容易计两次。",
            "年度资金总额和本年财政拨款两行都印“分值 10、得分 10”")
def points_twice(ctx: AuditContext) -> Iterator[Hit]:
    total = ctx.table.budget
    if total is None or (total.execution_weight is None and total.execution_score is None):
        return
    for row in ctx.table.funding_rows:
        if row.execution_weight is not None or row.execution_score is not None:
            yield Hit({"total": _points(total), "row": funding_label(row), "component": _points(row)},
                      field=funding_field(row, False))


@audit_rule("A016", Severity.WARNING, "执行率偏低未说明原因",
            "预算执行率 {rate}%（{arithmetic}）低于配置的 {threshold}%，表中未说明原因",
            "执行率低于配置的 execution_explain_below（默认 90%）须说明原因；年度总体目标的实际完成情况或"
            "各项偏差原因分析中，除去复述执行率的话（如“预算执行率52.08%”），含说明原因的词（配置的 "
            "execution_reason_words，如“因”“由于”“滞后”“未到位”“结转”“延期”）即视为已说明；只复述执行率或预算数"
            "不算说明，残留的填表提示（prompt_patterns）视同空白。",
            "执行率 52.08%，实际完成情况只写“预算执行率52.08%”")
def low_rate_unexplained(ctx: AuditContext) -> Iterator[Hit]:
    execution = ctx.execution
    policy = ctx.policy
    if execution is None or execution.rate is None or execution.rate >= policy.execution_explain_below:
        return
    audit = ctx.audit
    texts = [_RATE_STATEMENT.sub("", text) for text in (ctx.table.goal_actual, *(item.deviation_reason
                                                                               for item in ctx.indicators))
             if text and not audit.is_prompt(text)]
    words = audit.execution_reason_words
    if any(word in text for text in texts for word in words):
        return
    yield Hit({"rate": percent(execution.rate), "arithmetic": execution.rate_arithmetic,
               "threshold": show(policy.execution_explain_below * HUNDRED)}, field="budget")
