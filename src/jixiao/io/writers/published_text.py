"""Writer for the published text layout of the 重庆 seed (the reader's inverse).

The output reads back to an equal model: parse → write → parse is lossless.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from jixiao.domain import CodedName, Indicator, TargetTable, Value
from jixiao.domain.text import format_decimal
from jixiao.io.readers.columns import COLUMN_LABELS, INDICATOR_FIELDS

TITLE = "绩效目标表"


def coded_text(value: CodedName | None) -> str:
    return value.display() if value else ""


def _money(value: Decimal | None) -> str:
    text = format_decimal(value)
    return f" {text} 万元" if text is not None else " 万元"


def cell_text(value: str | Value | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value) or ""
    return str(value)


def _row(item: Indicator) -> str:
    return "\t".join(cell_text(getattr(item, field)) for field in INDICATOR_FIELDS)


def format_table(table: TargetTable) -> str:
    """One table in the seed's order of lines, blank lines between header fields."""
    funding = table.funding
    header = [
        f"单位信息：{coded_text(table.unit)}",
        f"预算项目：{table.project.display() if table.project else ''}",
        f"职能职责与活动：{coded_text(table.function)}",
        f"主管部门：{coded_text(table.department)}",
        f"项目经办人：{table.contact_person or ''}",
        f"项目总额：{_money(table.total_wan)}",
        f"预算执行率权重：{format_decimal(table.execution_weight) or ''}",
        f"项目经办人电话：{table.contact_phone or ''}",
        f"其中：财政资金：{_money(funding.fiscal)}",
        f"年度目标：{table.annual_goal or ''}",
        f"财政专户管理资金：{_money(funding.special_account)}",
        f"单位资金：{_money(funding.unit_own)}",
        f"社会投入资金：{_money(funding.social)}",
        f"银行贷款：{_money(funding.bank_loan)}",
    ]
    columns = "\t".join(COLUMN_LABELS[field] for field in INDICATOR_FIELDS)
    rows = "\n".join(_row(item) for item in table.indicators)
    body = "\n\n".join(header)
    return f"{TITLE}\n\n{body}\n\n{columns}\n{rows}\n" if rows else f"{TITLE}\n\n{body}\n\n{columns}\n"


def write_tables(tables: Iterable[TargetTable], out: TextIO) -> int:
    """Write tables one after another (streaming); return how many were written."""
    count = 0
    for table in tables:
        if count:
            out.write("\n")
        out.write(format_table(table))
        count += 1
    return count
