"""Self-evaluation tables as an Excel workbook: one sheet per table, merged cells as the printed form has them.

The grid is :func:`jixiao.io.office.selfeval_layout.layout`'s. Amounts, weights, scores and rates are number
cells (a spreadsheet sums and sorts them) whose format shows exactly the published digits: 15.00 in ``0.00``,
95.5 in ``0.0"%"`` (the percent as the form prints it, not a fraction), so they print and read back as
published (:mod:`jixiao.io.office.number_formats`); a number a float cannot hold exactly stays text. Every
other value is a text cell (format ``@``). A4 landscape, fitted to the width, the indicator header repeated
on each printed page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from jixiao.domain.selfeval_table import SelfEvaluationTable
from jixiao.domain.text import display_width
from jixiao.io.office.selfeval_layout import Cell, Layout, layout, save, sheet_name

FONT = "Noto Sans CJK SC"
TITLE_ROWS = 2  # the title and the year line above the grid
EXCEL_WIDTH = 150  # the table's width in Excel character units


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True, "num_format": "@"}
    cell = base | {"border": 1}
    return {
        "title": book.add_format(base | {"bold": True, "font_size": 16, "align": "center"}),
        "subtitle": book.add_format(base | {"align": "center"}),
        "label": book.add_format(cell | {"bold": True, "bg_color": "#EEF0F3", "align": "center"}),
        "value": book.add_format(cell),
        "number": book.add_format(cell | {"align": "center"}),
        "goal": book.add_format(cell | {"valign": "top"}),
    }


class _NumberFormats:
    """The number format of each style, decimals and percent, made once per workbook."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[str, int, bool], Any] = {}

    def get(self, style: str, decimals: int, percent: bool) -> Any:
        key = (style, decimals, percent)
        if key not in self.made:
            code = "0" + ("." + "0" * decimals if decimals else "") + ('"%"' if percent else "")
            base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "border": 1, "align": "center"}
            self.made[key] = self.book.add_format(base | {"num_format": code})
        return self.made[key]


def _as_number(cell: Cell) -> tuple[float, int] | None:
    """The float a number cell holds and the decimals its format shows, when the float is the Decimal exactly."""
    value = cell.number
    if value is None or not value.is_finite():
        return None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent > 0 or len(value.as_tuple().digits) > 15:
        return None
    held = float(value)
    if Decimal(repr(held)) != value:
        return None
    return held, -exponent


def _sheet(book: Any, name: str, grid: Layout, formats: dict[str, Any], numbers: _NumberFormats) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    sheet.hide_gridlines(2)
    for column, width in enumerate(grid.widths):
        sheet.set_column(column, column, round(width * EXCEL_WIDTH / 100, 1))
    sheet.merge_range(0, 0, 0, grid.width - 1, grid.title, formats["title"])
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, grid.width - 1, grid.year_line, formats["subtitle"])
    columns = [width * EXCEL_WIDTH / 100 for width in grid.widths]
    lines: dict[int, int] = {}  # row → the lines its tallest single-row cell wraps to
    for cell in grid.cells:
        row, fmt = cell.row + TITLE_ROWS, formats[cell.style]
        if cell.rows > 1 or cell.cols > 1:
            sheet.merge_range(row, cell.col, row + cell.rows - 1, cell.col + cell.cols - 1, "", fmt)
        as_number = _as_number(cell)
        if as_number is None:
            sheet.write_string(row, cell.col, cell.text, fmt)
        else:
            sheet.write_number(row, cell.col, as_number[0], numbers.get(cell.style, as_number[1], cell.percent))
        if cell.rows == 1 and cell.text:
            room = max(sum(columns[cell.col:cell.col + cell.cols]) - 1, 1)
            wrapped = sum(max(1, math.ceil(display_width(part) / room)) for part in cell.text.split("\n"))
            lines[row] = max(lines.get(row, 1), wrapped)
    for row, count in lines.items():
        if count > 1:
            sheet.set_row(row, min(409, 13.5 * count + 4))
    sheet.repeat_rows(grid.header_row + TITLE_ROWS, grid.header_row + TITLE_ROWS + grid.header_rows - 1)


def write_selfeval_xlsx(tables: Sequence[SelfEvaluationTable]) -> bytes:
    """The workbook's bytes: one sheet per table, named after its project."""
    stream = BytesIO()
    book = xlsxwriter.Workbook(stream, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "in_memory": True})
    formats, numbers = _formats(book), _NumberFormats(book)
    taken: set[str] = set()
    for index, table in enumerate(tables, start=1):
        _sheet(book, sheet_name(table, index, taken), layout(table), formats, numbers)
    if not tables:
        book.add_worksheet("绩效自评表")
    book.close()
    return stream.getvalue()


def save_selfeval_xlsx(tables: Sequence[SelfEvaluationTable], target: str | Path | IO[bytes]) -> None:
    """:func:`write_selfeval_xlsx` to a path or a binary stream (``services.tables.SELFEVAL_WRITERS``)."""
    save(write_selfeval_xlsx(tables), target)
