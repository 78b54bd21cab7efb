"""整改汇总 as a workbook: the summary by department (open, overdue, awaiting confirmation, done) and every item,
overdue first, through the shared factory (A4 landscape, one page wide, header rows repeated)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jixiao.reports.xlsx import FONT, HEADER_FILL, NOTE_COLOUR, ListSheet, Target, workbook

TITLE = "整改汇总"
SUMMARY_HEADERS = ("主管部门", "整改事项", "未完成", "其中逾期", "待确认", "已完成")
ITEM_HEADERS = ("状态", "整改期限", "逾期天数", "项目编码", "项目名称", "主管部门", "单位", "问题来源", "问题",
                "整改要求")


def write_rectifications(summary: dict[str, Any], items: Sequence[dict[str, Any]], target: Target) -> None:
    book = workbook(target)
    try:
        book.set_properties({"title": TITLE, "comments": f"截至 {summary['today']}"})
        header = book.add_format(FONT | {"bold": True, "bg_color": HEADER_FILL, "bottom": 1, "valign": "top"})
        text = book.add_format(FONT | {"valign": "top"})
        wrap = book.add_format(FONT | {"valign": "top", "text_wrap": True})
        late = book.add_format(FONT | {"valign": "top", "bold": True, "font_color": "#B00020"})
        note = book.add_format(FONT | {"font_color": NOTE_COLOUR, "italic": True})
        out = ListSheet(book, TITLE, SUMMARY_HEADERS, header)
        out.sheet.set_header(f"&C{TITLE}")
        for line in [*summary["rows"], {"department": "合计", **summary["totals"]}]:
            out.text(0, line["department"], text)
            for col, key in enumerate(("total", "open", "overdue", "awaiting", "done"), start=1):
                out.number(col, line[key], late if key == "overdue" and line[key] else text)
            out.row += 1
        out.finish()
        out.sheet.write_string(out.row + 1, 0, f"截至 {summary['today']}（逾期：已过整改期限且未完成）", note)
        listed = ListSheet(book, "整改事项", ITEM_HEADERS, header)
        listed.sheet.set_header("&C整改事项")
        for item in items:
            listed.text(0, item["status_label"], late if item["overdue"] else text)
            listed.text(1, item["deadline"], text)
            listed.number(2, item["days_overdue"] or None, text)
            listed.text(3, item["code"], text)
            listed.text(4, item.get("name"), wrap)
            listed.text(5, item.get("department"), wrap)
            listed.text(6, item.get("unit"), wrap)
            listed.text(7, item["source_label"], text)
            listed.text(8, item["finding"], wrap)
            listed.text(9, item["requirement"], wrap)
            listed.row += 1
        listed.finish(fixed={4: 30, 5: 24, 6: 24, 8: 40, 9: 40})
    finally:
        book.close()
