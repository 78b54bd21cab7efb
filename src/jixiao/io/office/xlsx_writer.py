"""Target tables as an Excel workbook in the official layout: one sheet per table, ready to print.

Also the fill-in template (``jixiao template xlsx``): the same layout with dropdowns for 一级/二级
指标 (from the profile's catalogue, passed in as plain names so io does not depend on rules), 指标性质
and 指标方向性, and checks on numbers and weights.
Every value cell is formatted as text, so what a unit types ("15.00") is kept exactly as typed and
reads back as published; the checks accept text that is a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from jixiao.domain import Direction, Operator, TargetTable
from jixiao.io.office.layout import TITLE, column_labels, goal_pair, header_rows, indicator_cells, sheet_name

COLUMNS = 11
HEADER_START = 2  # 0-based row of the first label row (row 3 in Excel)
GOAL_ROW = HEADER_START + 7
INDICATOR_HEADER = GOAL_ROW + 2
LIST_SHEET = "_选项"
Catalogue = Mapping[str, Sequence[str]]  # 一级指标 → its 二级指标, as a rule profile lists them
MONEY_LABELS = ("项目总额（万元）", "财政资金（万元）", "财政专户管理资金（万元）", "单位资金（万元）",
                "社会投入资金（万元）", "银行贷款（万元）", "预算执行率权重")


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        border = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": "Noto Sans CJK SC",
                  "font_size": 10}
        self.title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter",
                                      "font_name": "Noto Sans CJK SC"})
        self.label = book.add_format(border | {"bold": True, "bg_color": "#EEF0F3"})
        self.value = book.add_format(border | {"num_format": "@"})
        self.goal = book.add_format(border | {"num_format": "@", "valign": "top"})
        self.column = book.add_format(border | {"bold": True, "bg_color": "#EEF0F3", "align": "center"})
        self.cell = book.add_format(border | {"num_format": "@"})


def _lists(book: xlsxwriter.Workbook, catalogue: Catalogue) -> dict[str, str]:
    """A hidden sheet with the choices; returns list name → absolute range."""
    sheet = book.add_worksheet(LIST_SHEET)
    columns = {"level1": list(catalogue), "level2": [n for names in catalogue.values() for n in names],
               "operator": [o.value for o in Operator], "direction": [d.value for d in Direction]}
    ranges = {}
    for index, (key, values) in enumerate(columns.items()):
        for row, value in enumerate(values):
            sheet.write_string(row, index, value)
        letter = chr(ord("A") + index)
        ranges[key] = f"='{LIST_SHEET}'!${letter}$1:${letter}${len(values)}"
    sheet.hide()
    return ranges


def _validate(sheet: Worksheet, first: int, last: int, ranges: dict[str, str]) -> None:
    """Dropdowns and number checks on indicator rows ``first``..``last`` (0-based)."""
    fields = {"level1": 0, "level2": 1, "operator": 3, "direction": 10}
    for key, column in fields.items():
        sheet.data_validation(first, column, last, column, {
            "validate": "list", "source": ranges[key], "error_title": "请从列表中选择",
            "error_message": "请从下拉列表中选择；如需其他写法，请先与主管部门确认。", "error_type": "warning"})
    for column in (8, 9):
        top = xl_rowcol_to_cell(first, column, row_abs=False, col_abs=False)
        sheet.data_validation(first, column, last, column, {
            "validate": "custom", "value": f'=OR({top}="",AND(ISNUMBER(VALUE({top})),VALUE({top})>=0,'
                                           f"VALUE({top})<=100))",
            "error_title": "权重应为数字", "error_message": "权重应为 0–100 之间的数字，如 20"})


def _write_table(book: xlsxwriter.Workbook, sheet: Worksheet, formats: _Formats, table: TargetTable | None,
                 blank_rows: int, ranges: dict[str, str] | None) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.set_header(f"&C&\"Noto Sans CJK SC\"{TITLE}")
    sheet.set_footer("&C第 &P 页，共 &N 页")
    sheet.set_column(0, 0, 13)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 22)
    sheet.set_column(3, 10, 10)
    sheet.merge_range(0, 0, 0, COLUMNS - 1, TITLE, formats.title)
    sheet.set_row(0, 30)
    pairs = header_rows(table) if table else None
    labels = pairs or header_rows_blank()
    for offset, (left, right) in enumerate(labels):
        row = HEADER_START + offset
        sheet.write_string(row, 0, left[0], formats.label)
        sheet.merge_range(row, 1, row, 4, "", formats.value)
        sheet.write_string(row, 1, left[1], formats.value)
        if right is not None:
            sheet.merge_range(row, 5, row, 6, "", formats.label)
            sheet.write_string(row, 5, right[0], formats.label)
            sheet.merge_range(row, 7, row, COLUMNS - 1, "", formats.value)
            sheet.write_string(row, 7, right[1], formats.value)
        if ranges is not None:
            for column, pair in ((1, left), (7, right)):
                if pair is not None and pair[0] in MONEY_LABELS:
                    cell = xl_rowcol_to_cell(row, column)
                    sheet.data_validation(row, column, row, column, {
                        "validate": "custom", "value": f'=OR({cell}="",ISNUMBER(VALUE({cell})))',
                        "error_title": "应为数字", "error_message": "请填写数字，如 15.00（单位已在左侧注明）"})
    goal = goal_pair(table) if table else ("年度目标", "")
    sheet.write_string(GOAL_ROW, 0, goal[0], formats.label)
    sheet.merge_range(GOAL_ROW, 1, GOAL_ROW, COLUMNS - 1, "", formats.goal)
    sheet.write_string(GOAL_ROW, 1, goal[1], formats.goal)
    sheet.set_row(GOAL_ROW, max(60, 15 * (len(goal[1]) // 90 + 1)))
    for column, label in enumerate(column_labels()):
        sheet.write_string(INDICATOR_HEADER, column, label, formats.column)
    sheet.repeat_rows(INDICATOR_HEADER)
    rows = [indicator_cells(item) for item in table.indicators] if table else []
    rows += [[""] * COLUMNS for _ in range(blank_rows)]
    for offset, cells in enumerate(rows):
        for column, text in enumerate(cells):
            sheet.write_string(INDICATOR_HEADER + 1 + offset, column, text, formats.cell)
    if ranges is not None and rows:
        _validate(sheet, INDICATOR_HEADER + 1, INDICATOR_HEADER + len(rows), ranges)
    sheet.freeze_panes(INDICATOR_HEADER + 1, 0)


def header_rows_blank() -> list[tuple[tuple[str, str], tuple[str, str] | None]]:
    from jixiao.domain import TargetTable

    return [((left[0], ""), (right[0], "") if right else None) for left, right in header_rows(TargetTable())]


def write_tables_xlsx(tables: Iterable[TargetTable], target: str | Path | IO[bytes],
                      catalogue: Catalogue | None = None, blank_rows: int = 0) -> int:
    """One sheet per table; with a ``catalogue`` (a profile's), the template's dropdowns and checks (and
    ``blank_rows`` empty indicator rows under each table). No tables and a catalogue: one empty template sheet."""
    book = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    formats = _Formats(book)
    taken: set[str] = set()
    written: Sequence[TargetTable | None] = list(tables)
    count = len(written)
    if not written and catalogue is not None:
        written = [None]
    sheets = [(table, book.add_worksheet(sheet_name(table, n, taken) if table else "绩效目标表"))
              for n, table in enumerate(written, start=1)]
    ranges = _lists(book, catalogue) if catalogue is not None else None
    for table, sheet in sheets:
        _write_table(book, sheet, formats, table, blank_rows if catalogue is not None else 0, ranges)
    book.close()
    return count
