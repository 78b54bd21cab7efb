"""Number formats of a workbook's cells, so that a number reads as the sheet shows it ("15.00", "95.00%").

calamine gives a numeric cell's value only (15.0), which read as its shortest form loses the digits a form
publishes: jixiao's own workbooks write amounts, scores and rates as numbers with the format that shows them
exactly (``0.00``, ``0.00"%"``). The formats that only fix decimals and perhaps a percent — ``0``, ``0.00``,
``#,##0.00``, ``0.00%`` (the value × 100) and ``0.00"%"`` (a literal sign) — are taken from xl/styles.xml
by :mod:`jixiao.io.office.xml_scan` (``cell_styles``), which notes the cells that use one while it measures
the sheets; :func:`shown` renders a value through it. A format that would round the value away is not
applied (the value reads as before): the table keeps every digit it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# numFmtId → format code of the built-in formats that fix decimals (ECMA-376 §18.8.30)
BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_CODE = re.compile(r'(?:#,##)?0(?:\.(?P<decimals>0+))?(?P<percent>%|"%"|\\%)?')


@dataclass(frozen=True, slots=True)
class NumberFormat:
    decimals: int
    percent: bool = False  # shown with a % sign
    scaled: bool = False  # ``0.00%``: the value is a fraction, shown × 100


def cell_key(row: int, column: int) -> int:
    """One int for a cell's position (rows and columns from 1): a sheet may note a million of them."""
    return row << 15 | column


def parse_code(code: str) -> NumberFormat | None:
    """The format of ``code`` when it only fixes decimals (and perhaps a percent); ``None`` for any other."""
    found = _CODE.fullmatch(code.strip())
    if found is None:
        return None
    percent = found.group("percent")
    return NumberFormat(len(found.group("decimals") or ""), percent is not None, percent == "%")


def shown(value: float | int, fmt: NumberFormat) -> str | None:
    """``value`` as ``fmt`` shows it, or ``None`` when the format would drop digits the value has."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    if fmt.scaled:
        number = number * 100
    places = -number.normalize().as_tuple().exponent  # type: ignore[operator]
    if places > fmt.decimals:
        return None
    text = f"{number:.{fmt.decimals}f}"
    return text + "%" if fmt.percent else text
