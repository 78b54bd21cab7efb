"""Signs that a published self-evaluation was not really worked out: blanks beside a conclusion, full marks
for an actual that is not a number, and actuals copied from the targets."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.domain import EvaluatedIndicator, Severity
from jixiao.domain.score_formulas import HUNDRED, money, show
from jixiao.rules.audit.context import AuditContext, RowFacts
from jixiao.rules.audit.numbers import has_digit, text_key, without_operator
from jixiao.rules.audit.rule import audit_rule
from jixiao.rules.audit.words import actual_text, funding_field, target_text
from jixiao.rules.model import Hit


@audit_rule("A017", Severity.ERROR, "得分或实际完成值空白却已有结论",
            "{what}空白，{conclusion}",
            "自评表给出了总分、自评等级或实际完成情况，就应逐项填写实际完成值和得分；空白的项无从核对，"
            "结论也就没有依据。评分表（决策/过程/产出/效益）只检查得分。残留的填表提示（配置的 prompt_patterns，"
            "如“说明相关任务目标的完成情况(100字以内)”）视同空白，不算结论；实际完成情况仍是填表提示而表已公布的，"
            "按未填写即公布报告。",
            "实际完成值和得分都空着，却写了自评等级“优”")
def blank_beside_conclusion(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.conclusion is not None:
        conclusion = f"而本表已写出{ctx.conclusion}"
    elif ctx.prompt_left is not None:
        conclusion = f"年度总体目标实际完成情况也仍是填表提示“{ctx.prompt_left}”：本表未填写即公布"
    else:
        return
    sheet = ctx.table.variant == "score_sheet"
    is_prompt = ctx.audit.is_prompt
    for row in ctx.rows:
        item = row.item
        if not row.counted or item.weight is None:
            continue
        missing = []
        if not sheet and (item.actual is None or is_prompt(item.actual.text)):
            missing.append("实际完成值")
        if item.score is None:
            missing.append("得分")
        if missing:
            yield Hit({"what": "和".join(missing), "conclusion": conclusion}, indicator=row.index)
    execution = ctx.execution
    points = execution.points_row if execution is not None else None
    if points is not None and points.execution_weight is not None and points.execution_score is None:
        yield Hit({"what": "资金执行率得分", "conclusion": conclusion},
                  field=funding_field(points, points is ctx.table.budget))


@audit_rule("A018", Severity.ERROR, "实际完成值没有数字却得满分",
            "定量指标的实际完成值 {actual} 没有数字，无法与指标值 {target} 比较，却得满分 {score}",
            "定量指标（指标值是数字）的实际完成值须写出完成的数量；只写“完成”“达成预期指标”而给满分，"
            "得分无从复核。",
            "指标值 ≥50个，实际完成值“完成”，得满分 8")
def full_marks_without_number(ctx: AuditContext) -> Iterator[Hit]:
    tolerance = ctx.audit.score_tolerance
    for row in ctx.rows:
        item = row.item
        actual, score, weight = item.actual, item.score, item.weight
        if (not row.quantitative or row.b is not None or actual is None or score is None or weight is None
                or weight <= 0 or score < weight - tolerance or has_digit(actual.text)):
            continue
        yield Hit({"actual": actual_text(item), "target": target_text(item), "score": show(score)},
                  indicator=row.index)


def copied(item: EvaluatedIndicator) -> bool:
    """The actual is the target as printed (its unit and any leading ≥ aside)."""
    assert item.target is not None and item.actual is not None
    target = text_key(item.target.text, item.unit_of_measure)
    actual = text_key(item.actual.text, item.unit_of_measure)
    return actual == target or actual == without_operator(target)


@audit_rule("A019", Severity.WARNING, "实际完成值照抄指标值",
            "{copied}/{rows} 行（{share}%）的实际完成值与指标值完全相同，如{examples}：完成情况可能照抄了目标",
            "各行的实际完成值与指标值一字不差（度量单位和“≥”等符号除外），往往是把目标抄作完成情况；"
            "按表报告，给出相同的行数和占比。达到配置的占比（[audit] copied_share，默认 1 即全部）"
            "且有完成值的行不少于 copied_min_rows（默认 3）时报告。",
            "4 行指标的实际完成值都与指标值相同")
def actuals_copied(ctx: AuditContext) -> Iterator[Hit]:
    rows = [row for row in ctx.rows if row.item.target is not None and row.item.actual is not None]
    audit = ctx.audit
    count = len(rows)
    if count < audit.copied_min_rows:
        return
    allowed = count - audit.copied_share * count  # rows that may differ while the share is still reached
    same: list[RowFacts] = []
    differ = 0
    for row in rows:
        if copied(row.item):
            same.append(row)
        else:
            differ += 1
            if differ > allowed:  # the share can no longer be reached (the usual table stops at its first row)
                return
    share = money(len(same) * HUNDRED / count)
    if not same or share < audit.copied_share * HUNDRED:
        return
    names = [f"“{row.item.name}”（{target_text(row.item)} → {actual_text(row.item)}）" for row in same[:2]]
    yield Hit({"copied": len(same), "rows": len(rows), "share": show(share),
               "examples": "、".join(names) + ("等" if len(same) > 2 else "")}, field="indicators")
