"""A 统计分析 view as an xlsx workbook: the view's table, the filters that made it, and its second table if any.

Built from the data-first view (``services.analytics.View``, passed as plain columns and rows) through the shared
factory, so it prints like every other workbook; counts and amounts are cells Excel can sum, not text.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.reports.xlsx import FONT, HEADER_FILL, NOTE_COLOUR, ListSheet, Target, workbook

NUMBER_FORMATS = {"count": "0", "money": "0.00", "score": "0.00", "percent": "0.0"}


def _cell(value: Any, kind: str) -> str | int | float | None:
    if value is None or value == "":
        return None
    if kind in NUMBER_FORMATS:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return int(number) if kind == "count" else float(number)
    return str(value)


def _sheet(book: Any, name: str, columns: Sequence[tuple[str, str, str]], rows: Sequence[dict[str, Any]],
           formats: dict[str, Any], header: Any) -> ListSheet:
    out = ListSheet(book, name, [label for _, label, _ in columns], header)
    for row in rows:
        for col, (key, _, kind) in enumerate(columns):
            out.put(col, _cell(row.get(key), kind), formats.get(kind, formats["text"]))
        out.row += 1
    return out


Columns = Sequence[tuple[str, str, str]]


def write_analytics(title: str, note: str, columns: Columns, rows: Sequence[dict[str, Any]], target: Target, *,
                    filters: Sequence[str] = (), second: tuple[str, Columns, Sequence[dict[str, Any]]] | None = None,
                    caption: str = "") -> None:
    """``columns``: (key, label, kind) as the view has them; ``second``: (sheet name, columns, rows) of a second
    table (the flagged projects of the execution view); ``caption``: said under the rows (a list cut short)."""
    book = workbook(target)
    try:
        book.set_properties({"title": title, "comments": "；".join(filters) or "全部项目"})
        header = book.add_format(FONT | {"bold": True, "bg_color": HEADER_FILL, "bottom": 1, "valign": "top"})
        formats = {"text": book.add_format(FONT | {"valign": "top", "text_wrap": True})}
        formats |= {kind: book.add_format(FONT | {"valign": "top", "num_format": pattern})
                    for kind, pattern in NUMBER_FORMATS.items()}
        note_format = book.add_format(FONT | {"font_color": NOTE_COLOUR, "italic": True})
        out = _sheet(book, title[:31], columns, rows, formats, header)
        out.sheet.set_header(f"&C{title}")
        if not rows:
            out.sheet.write_string(out.row, 0, "所选范围内没有数据。", note_format)
            out.row += 1
        below = out.row + 1
        out.finish()
        for offset, line in enumerate([note, "筛选：" + ("；".join(filters) or "全部项目")]):
            out.sheet.write_string(below + offset, 0, line, note_format)
        if second is not None:
            name, second_columns, second_rows = second
            extra = _sheet(book, name[:31], second_columns, second_rows, formats, header)
            extra.sheet.set_header(f"&C{name}")
            last = extra.row + 1
            extra.finish()
            if caption:
                extra.sheet.write_string(last, 0, caption, note_format)
    finally:
        book.close()
