"""The official layout as cells: what every office writer puts where, so all formats read back alike.

A header grid of label/value pairs (two pairs per row, money labelled in 万元 and written as plain
numbers exactly as published), the 年度目标 across the width, then the eleven indicator columns.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain import Indicator, TargetTable
from jixiao.domain.text import format_decimal
from jixiao.io.readers.columns import COLUMN_LABELS, INDICATOR_FIELDS
from jixiao.io.writers.published_text import cell_text, coded_text

TITLE = "项目支出绩效目标表"
Pair = tuple[str, str]


def _number(value: Decimal | None) -> str:
    return format_decimal(value) or ""


def header_rows(table: TargetTable) -> list[tuple[Pair, Pair | None]]:
    funding = table.funding
    return [
        (("单位信息", coded_text(table.unit)), ("预算项目", table.project.display() if table.project else "")),
        (("职能职责与活动", coded_text(table.function)), ("主管部门", coded_text(table.department))),
        (("项目经办人", table.contact_person or ""), ("项目总额（万元）", _number(table.total_wan))),
        (("预算执行率权重", _number(table.execution_weight)), ("项目经办人电话", table.contact_phone or "")),
        (("财政资金（万元）", _number(funding.fiscal)), ("财政专户管理资金（万元）", _number(funding.special_account))),
        (("单位资金（万元）", _number(funding.unit_own)), ("社会投入资金（万元）", _number(funding.social))),
        (("银行贷款（万元）", _number(funding.bank_loan)), None),
    ]


def goal_pair(table: TargetTable) -> Pair:
    return ("年度目标", table.annual_goal or "")


def column_labels() -> list[str]:
    return [COLUMN_LABELS[field] for field in INDICATOR_FIELDS]


def indicator_cells(item: Indicator) -> list[str]:
    return [cell_text(getattr(item, field)) for field in INDICATOR_FIELDS]


def sheet_name(table: TargetTable, index: int, taken: set[str]) -> str:
    """A unique Excel sheet name (≤ 31 characters, none of []:*?/\\) from the project's name."""
    base = "".join(c for c in (table.project_name or f"表{index}") if c not in "[]:*?/\\'")[:24] or f"表{index}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[:24]}（{n}）"
    taken.add(name)
    return name
