"""A stored target table (JSON format v1 document) as CSV: header fields, a blank line, indicator rows.

UTF-8 with a byte-order mark, so Excel on Windows opens the Chinese text correctly; text that Excel would
run as a formula is neutralised. Fields the
caller removed (the public view has no phone) are simply absent.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from jixiao.domain.labels import COLUMN_LABELS, INDICATOR_FIELDS, TABLE_FIELDS


def field_text(content: dict[str, Any], path: str) -> str | None:
    """A header field as text ("code name" for coded ones); ``None`` when the document lacks it."""
    value: Any = content
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    if isinstance(value, dict):
        return " ".join(str(v) for v in (value.get("code"), value.get("name")) if v)
    return "" if value is None else str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet would run as a formula (=HYPERLINK(…)) gets a leading apostrophe; numbers stay,
    and so does the 指标性质 "=" (a lone "=" runs nothing, and "'=" would read as another operator)."""
    if value.startswith(_FORMULA_START) and value != "=":
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def table_to_csv(content: dict[str, Any]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["字段", "内容"])
    for path, label in TABLE_FIELDS:
        value = field_text(content, path)
        if value is not None:
            writer.writerow([label, safe_text(value)])
    writer.writerow([])
    writer.writerow([COLUMN_LABELS[key] for key in INDICATOR_FIELDS])
    for row in content.get("indicators") or []:
        writer.writerow(["" if row.get(key) is None else safe_text(str(row.get(key))) for key in INDICATOR_FIELDS])
    return out.getvalue()
