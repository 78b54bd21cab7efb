"""Number formats of a workbook's cells, so that a number reads as the sheet shows it ("15.00", "95.00%").

calamine gives a numeric cell's value only (15.0), which read as its shortest form loses the digits a form
publishes: jixiao's own workbooks write amounts, scores and rates as numbers with the format that shows them
exactly (``0.00``, ``0.00"%"``). The formats that only fix decimals and perhaps a percent — ``0``, ``0.00``,
``#,##0.00``, ``0.00%`` (the value × 100) and ``0.00"%"`` (a literal sign) — are taken from xl/styles.xml
(:func:`cell_styles`); :mod:`jixiao.io.office.xml_scan` notes which cells use one while it measures the
sheets, and :func:`shown` renders a value through it. A format that would round the value away is not
applied (the value reads as before): the table keeps every digit it holds.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.io.limits import Deadline

# numFmtId → format code of the built-in formats that fix decimals (ECMA-376 §18.8.30)
BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_CODE = re.compile(r'(?:#,##)?0(?:\.(?P<decimals>0+))?(?P<percent>%|"%"|\\%)?')
STYLES = "xl/styles.xml"


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


def cell_styles(archive: zipfile.ZipFile, deadline: Deadline) -> dict[str, NumberFormat]:
    """Cell style index (the ``s`` of ``<c>``, as text) → its number format, for the formats :func:`parse_code`
    knows; empty when the workbook has no styles part or uses none of them."""
    from jixiao.io.office.xml_scan import _local, parse_member

    if STYLES not in archive.namelist():
        return {}
    codes: dict[int, str] = dict(BUILTIN)
    formats: list[int | None] = []
    depth = {"cellXfs": 0}

    def setup(parser: Any) -> None:
        def start(name: str, attributes: dict[str, str]) -> None:
            local = _local(name)
            if local == "numFmt":
                number, code = attributes.get("numFmtId", ""), attributes.get("formatCode")
                if number.isdigit() and code is not None:
                    codes[int(number)] = code
            elif local == "cellXfs":
                depth["cellXfs"] = 1
            elif local == "xf" and depth["cellXfs"]:
                number = attributes.get("numFmtId", "0")
                formats.append(int(number) if number.isdigit() and len(number) < 9 else None)

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                depth["cellXfs"] = 0

        parser.StartElementHandler, parser.EndElementHandler = start, end

    parse_member(archive, STYLES, deadline, setup)
    found: dict[str, NumberFormat] = {}
    for index, number in enumerate(formats):
        fmt = parse_code(codes[number]) if number is not None and number in codes else None
        if fmt is not None and (fmt.decimals or fmt.percent):  # "0" shows a number as it reads anyway
            found[str(index)] = fmt
    return found


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
