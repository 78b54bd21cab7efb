"""What every reader of self-evaluation tables does the same way, whatever the layout.

The text reader (:mod:`selfeval_rows`), the grid reader (:mod:`selfeval_grid`) and the readers of
real published layouts (:mod:`selfeval`) each cut cells their own way, but a 其中 sub-row, a funding
block printed in 元 and its note must come out alike: a table read from any format compares equal and
tells the user the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

SUBROW_PREFIX = "其中"
TEN_THOUSAND = Decimal(10000)
_EXPLICIT_PARENT_RE = re.compile(r"^\s*其中\s*[(（](.+?)[)）]\s*[:：]\s*(.*)$", re.DOTALL)


def yuan_to_wan(amount: Decimal) -> Decimal:
    """An amount in 元 as 万元, exactly (Decimal division keeps every digit: 387664.62 → 38.766462)."""
    return amount / TEN_THOUSAND


def yuan_message(row_label: str, converted: Sequence[tuple[str, Decimal]]) -> str:
    """The ``amount-in-yuan`` note for one funding row: each amount as printed (元) and the 万元 read."""
    shown = "、".join(f"{printed.strip().removesuffix('元').rstrip()} 元 = {wan} 万元" for printed, wan in converted)
    return f"项目资金以元为单位，“{row_label}”的金额已换算为万元（÷ 10000）：{shown}"


def split_subrow(cell: str | None) -> tuple[str | None, str | None, bool]:
    """(name, parent named in the cell, whether it is a 其中 row): "其中：A4纸" → ("A4纸", None, True);
    "其中（纸张使用量）：A4纸" names its parent (a sub-row that does not follow it); other names as printed."""
    if cell is None:
        return None, None, False
    explicit = _EXPLICIT_PARENT_RE.match(cell)
    if explicit is not None:
        return explicit.group(2).strip() or None, explicit.group(1).strip(), True
    text = cell.strip()
    if not text.startswith(SUBROW_PREFIX):
        return cell, None, False
    rest = text[len(SUBROW_PREFIX):].lstrip()
    rest = rest[1:].lstrip() if rest[:1] in ("：", ":") else rest
    return rest or None, None, True
