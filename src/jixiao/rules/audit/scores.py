"""Indicator scores: each published 得分 against the profile's formula, its 定性 band and its weight."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from jixiao.domain import Severity
from jixiao.domain.score_formulas import HUNDRED, in_band, overachievement_share, qualitative_band, show
from jixiao.domain.scoring_policy import QUALITATIVE_BANDS, QualitativeGrade
from jixiao.rules.audit.context import DIFFERS, MET_DEDUCTED, MISSED_FULL, AuditContext, RowFacts
from jixiao.rules.audit.numbers import signed
from jixiao.rules.audit.rule import audit_rule
from jixiao.rules.audit.words import actual_text, funding_field, funding_label, target_text
from jixiao.rules.model import Hit

_ZERO: Final = Decimal(0)


def _rows(ctx: AuditContext, code: str) -> Iterator[RowFacts]:
    if ctx.verdicts:
        for row in ctx.rows:
            if row.verdict == code:
                yield row


@audit_rule(DIFFERS, Severity.WARNING, "得分与按公式复算的结果不符",
            "公布得分 {score}，按本配置公式复算为 {recomputed}（相差 {diff} 分）：{formula}；"
            "A = 指标值 {target}，B = 实际完成值 {actual}，{arithmetic}",
            "按本配置的计分公式（正向 w × B ÷ A；反向按配置的线性或比值公式；超额扣减按配置）由公布的指标值、"
            "实际完成值和分值复算得分，与公布得分相差超过配置的容差（[audit] score_tolerance，默认 0.01 分）"
            "时报告；公布得分位数较少且等于复算值按其位数四舍五入的结果（accept_rounding）时不报告。"
            "达标却扣分、未达标却满分由 A002、A003 报告，不在此重复。",
            "纸张使用量 ≥720000张，实际 700000张，分值 25，公布得分 23（复算 24.31）")
def score_differs(ctx: AuditContext) -> Iterator[Hit]:
    policy = ctx.policy
    for row in _rows(ctx, DIFFERS):
        item, worked = row.item, row.worked(policy)
        assert item.score is not None and row.recomputed is not None
        yield Hit({"score": show(item.score), "recomputed": show(row.recomputed),
                   "diff": show(abs(item.score - row.recomputed)), "formula": worked.formula,
                   "target": target_text(item), "actual": actual_text(item), "arithmetic": worked.arithmetic},
                  indicator=row.index)


@audit_rule(MET_DEDUCTED, Severity.WARNING, "指标已达成却被扣分",
            "实际完成值 {actual} 已达成指标值 {target}（{arithmetic}），应得满分 {weight}，公布得分 {score}，"
            "扣了 {lost} 分",
            "实际完成值达到指标值时按公式应得满分；公布得分低于分值（超过容差）说明计分与完成情况不符，"
            "常见于“各项指标均已完成却统一扣 10%”的自评表。",
            "资金到位及时率 ≥100%，实际 100%，分值 10，公布得分 7")
def met_yet_deducted(ctx: AuditContext) -> Iterator[Hit]:
    policy = ctx.policy
    for row in _rows(ctx, MET_DEDUCTED):
        item = row.item
        assert item.score is not None and item.weight is not None
        yield Hit({"actual": actual_text(item), "target": target_text(item),
                   "arithmetic": row.worked(policy).arithmetic, "weight": show(item.weight),
                   "score": show(item.score), "lost": show(item.weight - item.score)}, indicator=row.index)


@audit_rule(MISSED_FULL, Severity.ERROR, "指标未达成却得满分",
            "实际完成值 {actual} 未达成指标值 {target}，按公式应得 {recomputed}（{formula}：{arithmetic}），"
            "公布得分却为满分 {score}（多给 {extra} 分）",
            "实际完成值未达到指标值时按公式不得满分；公布满分（即使是把复算值四舍五入到整数）会抬高总分。",
            "政策知晓率 =100%，实际 96%，分值 10，公布得分 10（复算 9.6）")
def missed_yet_full(ctx: AuditContext) -> Iterator[Hit]:
    policy = ctx.policy
    for row in _rows(ctx, MISSED_FULL):
        item, worked = row.item, row.worked(policy)
        assert item.score is not None and row.recomputed is not None
        yield Hit({"actual": actual_text(item), "target": target_text(item), "formula": worked.formula,
                   "recomputed": show(row.recomputed), "arithmetic": worked.arithmetic, "score": show(item.score),
                   "extra": show(item.score - row.recomputed)}, indicator=row.index)


def _share(value: Decimal) -> str:
    return f"{show(value * HUNDRED)}%"


@audit_rule("A004", Severity.WARNING, "定性得分不在完成等级的分档内",
            "实际完成情况 {actual} 属“{grade}”档，应得 {low} 至 {high} 分（分值 {weight} × {band}），公布得分 {score}",
            "定性指标按完成等级在分档内打分（财预〔2020〕10号）：达成年度指标 80%–100%，部分达成并具有一定效果 "
            "60%–80%，未达成且效果较差 0–60%（档的上限属于上一档）。实际完成情况写作“达成预期指标”“已完成”"
            "或照抄指标值的，视为达成；看不出等级的不检查。",
            "“未达成年度指标且效果较差”却得 10 分（分值 10）")
def qualitative_out_of_band(ctx: AuditContext) -> Iterator[Hit]:
    tolerance = ctx.audit.score_tolerance
    for row in ctx.rows:
        item, grade = row.item, row.grade
        if grade is None or item.score is None or item.weight is None or item.score > item.weight + tolerance:
            continue  # a score above the weight is A006's
        low, high = qualitative_band(item.weight, grade)
        if in_band(item.score, grade, low - tolerance, high):
            continue
        shares = QUALITATIVE_BANDS[grade]
        yield Hit({"actual": actual_text(item), "grade": grade.value, "low": show(low), "high": show(high),
                   "weight": show(item.weight), "band": f"{_share(shares[0])}–{_share(shares[1])}"
                   + ("" if grade is QualitativeGrade.ACHIEVED else f"，不含 {_share(shares[1])}"),
                   "score": show(item.score)}, indicator=row.index)


@audit_rule("A005", Severity.INFO, "超额完成未说明原因",
            "实际完成值 {actual} 为指标值 {target} 的 {share}%（{b} ÷ {a}），达到配置的超额标准 {threshold}%，"
            "偏差原因分析未填写",
            "实际完成值远超目标可能说明目标定得过低；配置的 overachievement_ratio（默认 1.3）及以上须说明原因，"
            "配置了 overachievement_deduction 时还要扣分（由 A001 复算）。",
            "纸张使用量 ≥720000张，实际 1000000张，偏差原因空白")
def overachievement_unexplained(ctx: AuditContext) -> Iterator[Hit]:
    threshold = show(ctx.policy.overachievement_ratio * HUNDRED)
    for row in ctx.rows:
        if not row.over or row.item.deviation_reason:
            continue
        a, b = row.a, row.b
        assert a is not None and b is not None
        yield Hit({"actual": actual_text(row.item), "target": target_text(row.item),
                   "share": show(overachievement_share(a, b)), "b": show(b), "a": show(a), "threshold": threshold},
                  indicator=row.index)


@audit_rule("A006", Severity.ERROR, "得分超过分值或为负数",
            "{what} {score} {problem}",
            "一项的得分只能在 0 与其分值之间（超过容差即报告），包括复核分和资金执行率的得分；分值本身也不能"
            "小于 0（负的分值不参与复算）。",
            "分值 10 的指标公布得分 12")
def score_out_of_range(ctx: AuditContext) -> Iterator[Hit]:
    tolerance = ctx.audit.score_tolerance
    for row in ctx.rows if ctx.out_of_range else ():
        item = row.item
        if item.weight is not None and item.weight < _ZERO:
            yield Hit({"what": "分值", "score": signed(item.weight), "problem": "小于 0：分值不能为负数"},
                      indicator=row.index)
        for what, score in (("得分", item.score), ("复核分", item.recheck_score)):
            problem = _out_of_range(score, item.weight, tolerance)
            if problem is not None:
                assert score is not None
                yield Hit({"what": what, "score": signed(score), "problem": problem}, indicator=row.index)
    table = ctx.table
    funding = (table.budget, *table.funding_rows) if table.budget is not None else table.funding_rows
    for position, funding_row in enumerate(funding):
        total = position == 0 and table.budget is not None
        label = funding_label(funding_row, total)
        weight = funding_row.execution_weight
        if weight is not None and weight < _ZERO:
            yield Hit({"what": f"{label}的执行率分值", "score": signed(weight), "problem": "小于 0：分值不能为负数"},
                      field=funding_field(funding_row, total))
        problem = _out_of_range(funding_row.execution_score, weight, tolerance)
        if problem is not None:
            assert funding_row.execution_score is not None
            yield Hit({"what": f"{label}的执行率得分",
                       "score": signed(funding_row.execution_score), "problem": problem},
                      field=funding_field(funding_row, total))


def _out_of_range(score: Decimal | None, weight: Decimal | None, tolerance: Decimal) -> str | None:
    if score is None:
        return None
    if score < _ZERO:
        return "小于 0：得分不能为负数"
    if weight is not None and weight >= _ZERO and score > weight + tolerance:
        return f"超过分值 {show(weight)}（多 {show(score - weight)} 分）"
    return None
