"""How much of a reading is plausibly indicator rows: what decides between a specific reader and the fallback.

A reader that misreads a layout still returns rows — a figure taken for a name, a target of bare pipes — so
rows are not counted but weighed: a row counts when its name reads as a name (it has Chinese text, does not
start with an operator or a figure, is not a unit, holds no table debris) and it has a value (target, actual,
weight or score).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.selfeval_vocabulary import UNITS

_NOT_A_NAME_RE = re.compile(r"^\s*(?:[≥≤><=＞＜≧≦]|\d)")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_VALUES = ("target", "actual", "weight", "score")


def _text(value: object) -> str:
    return str(getattr(value, "text", value)) if value is not None else ""


def plausible(row: object) -> bool:
    name = getattr(row, "name", None) or ""
    if not _CJK_RE.search(name) or _NOT_A_NAME_RE.match(name) or "|" in name or name.strip() in UNITS:
        return False
    values = [_text(getattr(row, key, None)) for key in _VALUES]
    return any(value and "|" not in value for value in values)


def plausible_rows(results: Iterable[ReadResult]) -> int:
    return sum(1 for result in results if result.table is not None for row in result.table.indicators
               if plausible(row))
