"""The indicator library as a workbook (导出 Excel): one row per entry, the columns an import reads back first.

The first eight columns (指标名称 … 其他写法) are what :mod:`jixiao.services.library_xlsx` imports, so an
exported library edited in a spreadsheet imports back; the statistics after them are for reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jixiao.reports.xlsx import FONT, HEADER_FILL, NOTE_COLOUR, ListSheet, Target, number, workbook

TITLE = "指标库"
EDITABLE = ("指标名称", "一级指标", "二级指标", "计量单位", "指标方向", "指标性质", "核心指标", "其他写法")
HEADERS = (*EDITABLE, "编号", "状态", "可比项目数", "下四分位数", "中位数", "上四分位数", "常用权重", "达成率")


def write_library(items: Sequence[dict[str, Any]], target: Target, *, note: str = "") -> None:
    """``items``: entries as :func:`jixiao.services.library_xlsx.export_rows` gives them."""
    book = workbook(target)
    try:
        book.set_properties({"title": TITLE, "comments": note})
        header = book.add_format(FONT | {"bold": True, "bg_color": HEADER_FILL, "bottom": 1, "valign": "top"})
        text = book.add_format(FONT | {"valign": "top"})
        wrap = book.add_format(FONT | {"valign": "top", "text_wrap": True})
        figure = book.add_format(FONT | {"valign": "top", "num_format": "General"})
        share = book.add_format(FONT | {"valign": "top", "num_format": "0.0%"})
        grey = book.add_format(FONT | {"font_color": NOTE_COLOUR, "italic": True})
        out = ListSheet(book, TITLE, HEADERS, header)
        out.sheet.set_header(f"&C{TITLE}")
        for item in items:
            for col, key in enumerate(("name", "level1", "level2", "unit", "direction", "operator")):
                out.text(col, item.get(key), wrap if col == 0 else text)
            out.text(6, "是" if item.get("core") else "否", text)
            out.text(7, "；".join(item.get("aliases", ())), wrap)
            out.number(8, item["id"], text)
            out.text(9, item.get("status_label"), text)
            out.number(10, item.get("projects") or None, figure)
            for col, key in ((11, "q1"), (12, "median"), (13, "q3"), (14, "weight")):
                out.number(col, number(item.get(key)), figure)
            out.number(15, number(item.get("met_share")), share)
            out.row += 1
        out.finish(fixed={0: 28, 7: 36})
        if note:  # on a sheet of its own: the list sheet is what an import reads, row by row
            about = book.add_worksheet("说明")
            about.set_column(0, 0, 80)
            about.write_string(0, 0, note, grey)
    finally:
        book.close()
