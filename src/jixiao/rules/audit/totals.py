"""Weights and totals: 分值 that add up to the profile's total and to each printed block weight, a 总分 that the
rows add up to and can reach, and a 自评等级 that the 总分 earns."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from jixiao.domain import Severity
from jixiao.rules.audit.context import AuditContext
from jixiao.rules.audit.numbers import agrees, plus, signed
from jixiao.rules.audit.rule import audit_rule
from jixiao.rules.model import Hit
from jixiao.rules.registry import bands_text

_ZERO: Final = Decimal(0)
# Published grade words and the band they name.
_GRADE_WORDS: Final[dict[str, str]] = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}


def _plus(values: list[Decimal]) -> str:
    return plus(values)


@audit_rule("A007", Severity.ERROR, "分值合计不符",
            "分值合计为 {total}（{parts}），应为 {expected}{missing}",
            "自评表的分值（资金执行率加各项指标）合计应为配置的满分（本配置指标 90 + 执行率 10 = 100）；"
            "资金执行率未列分值的，指标分值合计为 90（执行率另计）或 100 均可。其中的子行不计入。"
            "指标有得分而未列分值，或资金执行率列了分值而各项指标都未列分值的，同样报告（分值无从核对）。"
            "表中途截断（读取时报告 table-cut-off）的不检查：缺的行说明了差额。A008–A010 同。",
            "执行率 10 + 指标 25 + 25 + 30 + 20 = 110")
def weight_total(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.table.cut_off:  # rows are missing: the reader's table-cut-off says so, nothing to add up
        return
    weights = ctx.weights
    profile = ctx.profile
    full = profile.indicator_weight_total + profile.execution_weight
    execution = ctx.execution
    execution_weight = execution.weight if execution is not None else None
    unweighted = [row.item for row in ctx.rows
                  if row.counted and row.item.weight is None and row.item.score is not None]
    missing = ""
    if unweighted:
        named = "、".join(f"「{item.name}」（得分 {signed(item.score)}）" for item in unweighted[:3]
                         if item.score is not None)
        more = f"等 {len(unweighted)} 项" if len(unweighted) > 3 else ""
        missing = f"；{named}{more}却未列分值，得分无从核对"
    if not weights:
        if execution_weight is None and not unweighted:
            return  # nothing printed that needs a weight
        parts = "各项指标均未列分值"
        if execution_weight is not None:
            parts = f"资金执行率 {signed(execution_weight)}，{parts}"
        total = execution_weight if execution_weight is not None else _ZERO
        yield Hit({"total": signed(total), "parts": parts, "expected": signed(full), "missing": missing},
                  field="indicators")
        return
    indicators = sum(weights, _ZERO)
    if execution_weight is not None:
        total = indicators + execution_weight
        if total != full or unweighted:
            parts = f"资金执行率 {signed(execution_weight)} + 指标 {_plus(weights)}"
            yield Hit({"total": signed(total), "parts": parts, "expected": signed(full), "missing": missing},
                      field="indicators")
        return
    allowed = (full,) if ctx.table.variant == "score_sheet" else (profile.indicator_weight_total, full)
    if indicators not in allowed or unweighted:
        expected = " 或 ".join(signed(value) for value in allowed)
        yield Hit({"total": signed(indicators), "parts": f"指标 {_plus(weights)}", "expected": expected,
                   "missing": missing}, field="indicators")


@audit_rule("A008", Severity.ERROR, "一级指标分值与其下各行合计不符",
            "{level1}印有 {block} 分，其下各行分值合计 {parts} = {total}",
            "一级指标格中印出的分值（如“产出指标(50分)”）应等于其下各项指标的分值之和。",
            "产出指标(50分)，其下 20 + 10 + 10 + 5 = 45")
def block_weight(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.table.cut_off:  # rows are missing: the reader's table-cut-off says so, nothing to add up
        return
    blocks: dict[str, tuple[Decimal, int]] = {}
    for row in ctx.rows:
        item = row.item
        if row.counted and item.level1_weight is not None and item.level1 and item.level1 not in blocks:
            blocks[item.level1] = (item.level1_weight, row.index)
    if not blocks:
        return
    tolerance = ctx.audit.score_tolerance
    for level1, (block, first) in blocks.items():
        weights = [row.item.weight for row in ctx.rows
                   if row.counted and row.item.level1 == level1 and row.item.weight is not None]
        total = sum(weights, _ZERO)
        if weights and abs(total - block) > tolerance:
            yield Hit({"level1": level1, "block": signed(block), "parts": _plus(weights), "total": signed(total)},
                      indicator=first)


@audit_rule("A009", Severity.ERROR, "各项得分之和与总分不符",
            "{parts} = {total}，公布总分 {published}（相差 {diff} 分）{blank}",
            "总分应等于资金执行率得分与各项指标得分之和（其中的子行不重复计入）；相差超过容差即报告。",
            "10 + 10 + 7 + 10 + 10 + 9 + 10 + 10 + 10 + 10 = 96，公布总分 98")
def score_sum(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.table.cut_off:  # rows are missing: the reader's table-cut-off says so, nothing to add up
        return
    published = ctx.table.published_total_score
    execution = ctx.execution
    executed = execution.score if execution is not None else None
    scores = ctx.scores
    if published is None or (not scores and executed is None):
        return
    total = sum(scores, executed if executed is not None else _ZERO)
    audit = ctx.audit
    if agrees(published, total, audit.score_tolerance, audit.accept_rounding):
        return
    parts = [f"资金执行率得分 {signed(executed)}"] if executed is not None else []
    if scores:
        parts.append(f"指标得分 {_plus(scores)}")
    blank = ctx.blank_scores
    yield Hit({"parts": " + ".join(parts), "total": signed(total), "published": signed(published),
               "diff": signed(abs(published - total)),
               "blank": f"；另有 {blank} 项得分空白（按 0 计）" if blank else ""},
              field="published_total_score")


@audit_rule("A010", Severity.ERROR, "总分高于各项满分之和",
            "公布总分 {published} 高于{what} {cap}（{parts}），即使每项都得满分也达不到",
            "总分不能超过资金执行率和各项指标分值之和（未列分值时，不能超过配置的满分 100）。",
            "各项分值合计 100，公布总分 102")
def total_above_cap(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.table.cut_off:  # rows are missing: the reader's table-cut-off says so, nothing to add up
        return
    published = ctx.table.published_total_score
    if published is None:
        return
    weights = ctx.weights
    execution = ctx.execution
    execution_weight = None
    if weights:
        cap = sum(weights, _ZERO)
        if execution is not None and (execution.weight is not None or execution.score is not None):
            execution_weight = execution.scoring_weight(ctx.policy)
            cap += execution_weight
    else:
        cap = ctx.profile.indicator_weight_total + ctx.profile.execution_weight
    if published <= cap + ctx.audit.score_tolerance:
        return
    if weights:
        parts = f"指标 {_plus(weights)}"
        if execution_weight is not None:
            parts = f"资金执行率 {signed(execution_weight)} + {parts}"
        what = "各项分值之和"
    else:
        parts, what = "本表未列分值", "配置的满分"
    yield Hit({"published": signed(published), "what": what, "cap": signed(cap), "parts": parts},
              field="published_total_score")


@audit_rule("A011", Severity.ERROR, "自评等级与总分不符",
            "{which} {total} 按本配置的等级分档（{bands}）应为“{expected}”，公布等级为“{grade}”",
            "自评等级由总分按配置的分档（[scoring.grade_bands]，默认 优 ≥ 90、良 ≥ 80、中 ≥ 60、差 < 60）确定；"
            "“优秀”“良好”“中等”“较差”按对应等级理解，其他写法不检查。公布总分空白或无法读作数字时，"
            "与 jixiao 按各项复算的总分比较。",
            "总分 85，公布等级“优”")
def grade_mismatch(ctx: AuditContext) -> Iterator[Hit]:
    table = ctx.table
    grade, total = table.published_grade, table.published_total_score
    which = "总分"
    if total is None and not table.cut_off:  # blank or unreadable: the grade is held against the rows' total
        total, which = ctx.recomputed_total, "公布总分空白或无法读取，按各项复算的总分"
    if not grade or total is None:
        return
    policy = ctx.policy
    names = {name for name, _ in policy.grade_bands}
    stated = grade.strip()
    stated = _GRADE_WORDS.get(stated, stated)
    if stated not in names:
        return
    expected = policy.grade(total)
    if stated != expected:
        yield Hit({"which": which, "total": signed(total), "bands": bands_text(policy.grade_bands),
                   "expected": expected, "grade": grade},
                  field="published_grade")


@audit_rule("A023", Severity.ERROR, "总分空白或无法读取却已有结论",
            "公布总分空白或无法读作数字，而本表已写出{conclusion}；按各项得分复算的总分为 {recomputed}",
            "自评表给出了自评等级或实际完成情况，就应填写可以核对的总分；总分空白，或写成“九十八分”“98,02”“-”"
            "等读不出数字的（读取时另有 selfeval-bad-number 说明），总分与各项、等级都无从核对。"
            "消息给出 jixiao 按配置公式复算的总分和等级。表中途截断（table-cut-off）、总分未读到的不报告。",
            "总分写作“九十八分”，自评等级“优”")
def total_blank_beside_conclusion(ctx: AuditContext) -> Iterator[Hit]:
    table = ctx.table
    if table.published_total_score is not None or ctx.conclusion is None or table.cut_off:
        return  # cut off: the capture stops before the 总分 (the reader's table-cut-off says so)
    total, grade = ctx.recomputed_total, ctx.recomputed_grade
    recomputed = f"{signed(total)}（{grade}）" if total is not None else "无法复算（各项均无得分）"
    yield Hit({"conclusion": ctx.conclusion, "recomputed": recomputed}, field="published_total_score")
