"""The project list as the web shows it (one row per project, the page's filters), as an xlsx workbook.

Finance officers take the list they filtered on screen into Excel to sort, count and print it; the
workbook says which filters made it, so a printed copy is not mistaken for the whole list.
Built from the rows of :func:`jixiao.services.queries.list_projects` (plain dicts), through the
shared factory, so it prints like every other workbook (A4 landscape, one page wide, header repeated).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.domain.diagnostics import SEVERITY_LABELS
from jixiao.reports.xlsx import FONT, HEADER_FILL, NOTE_COLOUR, ListSheet, Target, workbook

TITLE = "项目清单"
HEADERS = ("项目编码", "项目名称", "单位", "年度", "项目总额（万元）", "状态", "审核等级", "问题级别")
SEVERITY_WORDS = {severity.value: f"有{label}" for severity, label in SEVERITY_LABELS.items()}


def severity_text(worst: str | None) -> str:
    """The worst finding's level as the list shows it ("有错误"); "无问题" when there is none."""
    if worst is None:
        return "无问题"
    return SEVERITY_WORDS.get(worst, worst)


def amount(text: object) -> float | None:
    """The stored total ("15.00") as a cell number (shown with two decimals); blank when not a number."""
    try:
        return float(Decimal(str(text))) if text not in (None, "") else None
    except InvalidOperation:
        return None


def state_text(item: dict[str, Any]) -> str:
    """The state as the list shows it, with the 已退回 badge of a table returned to its unit."""
    return str(item.get("state_label") or "") + ("（已退回）" if item.get("returned") else "")


def write_project_list(items: Sequence[dict[str, Any]], target: Target, *, total: int,
                       filters: Sequence[str] = ()) -> None:
    """``items``: the list rows; ``total``: how many matched (more than ``items`` when the export was capped);
    ``filters``: the chosen filters in words ("状态：已批复")."""
    book = workbook(target)
    try:
        book.set_properties({"title": TITLE, "comments": "；".join(filters) or "全部项目"})
        header = book.add_format(FONT | {"bold": True, "bg_color": HEADER_FILL, "bottom": 1, "valign": "top"})
        text = book.add_format(FONT | {"valign": "top"})
        wrap = book.add_format(FONT | {"valign": "top", "text_wrap": True})
        money = book.add_format(FONT | {"valign": "top", "num_format": "0.00"})
        note = book.add_format(FONT | {"font_color": NOTE_COLOUR, "italic": True})
        out = ListSheet(book, TITLE, HEADERS, header)
        out.sheet.set_header(f"&C{TITLE}")
        for item in items:
            out.text(0, item["code"], text)
            out.text(1, item.get("name"), wrap)
            out.text(2, item.get("unit"), wrap)
            out.put(3, item.get("fiscal_year"), text)
            out.number(4, amount(item.get("total_wan")), money)
            out.text(5, state_text(item), text)
            out.text(6, item.get("review_grade"), text)
            out.text(7, severity_text(item.get("worst_severity")), text)
            out.row += 1
        out.finish(fixed={1: 36, 2: 36})
        row = out.row + 1
        shown = f"共 {total} 个项目" + ("" if total == len(items) else f"，只导出了前 {len(items)} 个")
        for line in (shown, "筛选条件：" + ("；".join(filters) or "无（全部项目）")):
            out.sheet.write_string(row, 0, line, note)
            row += 1
    finally:
        book.close()
