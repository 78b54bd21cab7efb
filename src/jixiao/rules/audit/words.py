"""How audit messages name what they point at: a row's target and actual as printed, a funding row."""

from __future__ import annotations

from jixiao.domain import EvaluatedIndicator, FundingRow
from jixiao.domain.selfeval_table import FUNDING_ROW_LABELS
from jixiao.domain.values import Value
from jixiao.rules.audit.numbers import reading

_OPERATOR_START = "≥≤><=＞＜＝≧≦═⩾⩽大小不等达"


def _with_unit(value: Value, unit: str | None) -> str:
    """The value with the row's unit when it is printed apart ("720000" → "720000张"; "完成" stays)."""
    text = value.text
    if not unit or unit in text:
        return text
    read = reading(text)
    return f"{text}{unit}" if read is not None and not read.unit else text


def target_text(item: EvaluatedIndicator) -> str:
    """The 指标值 as a reader sees it: "≥720000张" (the operator and unit added when printed apart)."""
    if item.target is None:
        return "（空）"
    text = _with_unit(item.target, item.unit_of_measure)
    operator = item.operator
    if operator and operator not in ("定性", "定量（其他）") and text[0] not in _OPERATOR_START:
        text = f"{operator}{text}"
    return f"“{text}”"


def actual_text(item: EvaluatedIndicator) -> str:
    return "（空）" if item.actual is None else f"“{_with_unit(item.actual, item.unit_of_measure)}”"


def funding_label(row: FundingRow, total: bool = False) -> str:
    """The row's name as printed, else its official label."""
    if row.label:
        return row.label
    if total:
        return FUNDING_ROW_LABELS["total"]
    return FUNDING_ROW_LABELS.get(row.key, "资金") if row.key else "资金"


def funding_field(row: FundingRow, total: bool) -> str:
    """The location field of a funding row: ``budget`` for 年度资金总额, ``funding.fiscal`` … for the others."""
    if total or row.key == "total":
        return "budget"
    return f"funding.{row.key}" if row.key else "funding_rows"
