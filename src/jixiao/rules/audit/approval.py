"""The published self-evaluation against the approved target table of the same project (when jixiao holds it):
targets, weights and indicators are fixed at approval, so a self-evaluation that scores other ones grades
itself against a target nobody approved."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from jixiao.domain import Indicator, Severity, TargetTable
from jixiao.domain.indicator import parse_operator
from jixiao.domain.score_formulas import show
from jixiao.domain.text import fold_width
from jixiao.rules.audit.context import AuditContext, RowFacts
from jixiao.rules.audit.numbers import in_unit, reading, text_key, unit_word
from jixiao.rules.audit.rule import audit_rule
from jixiao.rules.audit.words import funding_field, target_text
from jixiao.rules.model import Hit

_NAME_NOISE: Final = str.maketrans({" ": None, "\u3000": None, "★": None, "☆": None, "*": None, "\t": None})


def name_key(name: str | None) -> str:
    """An indicator name for matching: folded, without spaces, stars or a leading 其中."""
    key = fold_width(name or "").translate(_NAME_NOISE)
    return key.removeprefix("其中:").removeprefix("其中")


def _approved_rows(approved: TargetTable) -> dict[str, Indicator]:
    rows: dict[str, Indicator] = {}
    for item in approved.indicators:
        rows.setdefault(name_key(item.name), item)
    return rows


def _matched(ctx: AuditContext) -> Iterator[tuple[RowFacts, Indicator]]:
    if ctx.approved is None or ctx.table.variant == "score_sheet":
        return
    approved = _approved_rows(ctx.approved)
    for row in ctx.rows:
        if row.item.parent is None:
            found = approved.get(name_key(row.item.name))
            if found is not None:
                yield row, found


def _approved_target(item: Indicator) -> str:
    value = item.current_target or item.target
    if value is None:
        return "（空）"
    text = value.text
    unit = item.unit_of_measure
    if unit and unit not in text:
        text += unit
    if item.operator and item.operator not in ("定性", "定量（其他）") and not text.startswith(item.operator):
        text = item.operator + text
    return f"“{text}”"


def _same_target(row: RowFacts, approved: Indicator) -> bool:
    published = row.item.target
    value = approved.current_target or approved.target
    if published is None or value is None:
        return published is None and value is None
    approved_kind = approved.operator_kind
    approved_reading = reading(value.text)
    published_reading = reading(published.text)
    if approved_reading is not None and published_reading is not None:
        unit = unit_word(approved.unit_of_measure) or approved_reading.unit
        before, after = in_unit(approved_reading, unit), in_unit(published_reading, unit_word(
            row.item.unit_of_measure) or unit)
        if before is None or after is None or before != after:
            return False
        kind = row.kind or (parse_operator(row.item.operator) if row.item.operator else None)
        return kind is None or approved_kind is None or kind is approved_kind
    return text_key(published.text, row.item.unit_of_measure) == text_key(value.text, approved.unit_of_measure)


@audit_rule("A020", Severity.WARNING, "指标值与批复的目标不同",
            "指标值 {published} 与批复的目标表（{approved}）不同",
            "自评以批复的绩效目标为准：指标值（含指标性质和度量单位）在批复后被改动，自评便是对着新目标打分。"
            "仅在提供了同一项目已批复的目标表时检查。",
            "批复 ≥720000张，自评表印 ≥700000张")
def target_changed(ctx: AuditContext) -> Iterator[Hit]:
    for row, approved in _matched(ctx):
        if not _same_target(row, approved):
            yield Hit({"published": target_text(row.item), "approved": _approved_target(approved)},
                      indicator=row.index)


def _weight(item: Indicator) -> Decimal | None:
    return item.current_weight if item.current_weight is not None else item.weight


@audit_rule("A021", Severity.WARNING, "分值与批复的权重不同",
            "{what} {published} 与批复的{approved_what} {approved} 不同",
            "各项指标的分值和资金执行率的分值应沿用批复的权重；批复后改动会改变总分的构成。"
            "仅在提供了同一项目已批复的目标表时检查。",
            "批复权重 25，自评表分值 30")
def weight_changed(ctx: AuditContext) -> Iterator[Hit]:
    for row, approved in _matched(ctx):
        before, after = _weight(approved), row.item.weight
        if before is not None and after is not None and before != after:
            yield Hit({"what": "分值", "published": show(after), "approved_what": "权重", "approved": show(before)},
                      indicator=row.index)
    approved_table, execution = ctx.approved, ctx.execution
    if approved_table is None or execution is None or ctx.table.variant == "score_sheet":
        return
    before, after = approved_table.execution_weight, execution.weight
    if before is not None and after is not None and before != after and execution.points_row is not None:
        yield Hit({"what": "资金执行率分值", "published": show(after), "approved_what": "预算执行率权重",
                   "approved": show(before)},
                  field=funding_field(execution.points_row, execution.points_row is ctx.table.budget))


@audit_rule("A022", Severity.WARNING, "指标与批复的目标表不一致",
            "{problem}",
            "自评表的指标应是批复的那些（按三级指标名称对照，忽略空格和★）：批复后新增的指标不是批复的目标，"
            "删去的指标没有自评。仅在提供了同一项目已批复的目标表时检查。",
            "批复的“复印差错率”在自评表中没有")
def indicators_changed(ctx: AuditContext) -> Iterator[Hit]:
    approved_table = ctx.approved
    if approved_table is None or ctx.table.variant == "score_sheet":
        return
    approved = _approved_rows(approved_table)
    published: set[str] = set()
    for row in ctx.rows:
        if row.item.parent is not None:
            continue
        key = name_key(row.item.name)
        published.add(key)
        if key and key not in approved:
            yield Hit({"problem": f"自评表中的指标“{row.item.name}”不在批复的绩效目标表中"}, indicator=row.index)
    for key, item in approved.items():
        if key and key not in published:
            where = "/".join(part for part in (item.level1, item.level2) if part)
            yield Hit({"problem": f"批复的指标“{item.name}”（{where}）在自评表中没有"}, field="indicators")
