"""The one xlsx workbook factory of the reports: workbook options, shared formats, widths and numbers.

Every report workbook is opened by :func:`workbook`, so text always stays text (a project name
that starts with “=” never becomes a formula, a code never becomes a number or a link). List
sheets (汇总, 问题清单, 计分说明 …) are written through :class:`ListSheet`, which sizes columns
from their content the same way everywhere.

Every sheet prints as a person expects (:func:`print_setup`, applied to each sheet the factory's
workbook adds): A4, landscape unless the sheet asks for portrait, fitted to one page wide, page
numbers in the footer; list sheets repeat their header row on every page.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from jixiao.domain.text import display_width

Target = str | os.PathLike[str] | IO[bytes]

OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
FONT = {"font_name": "等线", "font_size": 11}
HEADER_FILL = "#F2F4F7"
NOTE_COLOUR = "#52606D"
MAX_WIDTH = 50
# (font, fill) of a grade badge by its place among the profile's bands, best first; as in the HTML pages.
GRADE_COLOURS = (("#067647", "#DCFAE6"), ("#0E6E8C", "#D5F3FB"), ("#93370D", "#FEF0C7"),
                 ("#B42318", "#FEE4E2"))


A4 = 9  # xlsxwriter's paper index
FOOTER = "&C第 &P 页，共 &N 页"


def print_setup(sheet: Any, landscape: bool = True) -> None:
    """A4, fitted to one page wide (as many pages down as it takes), narrow margins, page numbers."""
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer(FOOTER)


class _Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """A workbook whose every sheet gets :func:`print_setup` when it is added (a sheet may change it after)."""

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
        sheet = super().add_worksheet(name, worksheet_class)
        print_setup(sheet)
        return sheet


def workbook(target: Target) -> xlsxwriter.Workbook:
    """A workbook writing to ``target``: a file path, or a binary stream such as ``BytesIO``."""
    return _Workbook(os.fspath(target) if isinstance(target, os.PathLike) else target, OPTIONS)


def number(text: str | Decimal | None) -> int | float | None:
    """A decimal as Excel stores it: whole numbers as integers (20, not 20.0)."""
    if text is None:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def grade_colours(grades: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(font, fill) per grade: the best band green, the worst red, those between in order."""
    colours = {}
    for index, grade in enumerate(grades):
        place = len(GRADE_COLOURS) - 1 if index == len(grades) - 1 and len(grades) > 1 else index
        colours[grade] = GRADE_COLOURS[min(place, len(GRADE_COLOURS) - 2)]
    return colours


class ListSheet:
    """A list sheet written row by row: a header row, typed cells, widths from the content,
    a filter over the rows written, a frozen header that is also repeated on every printed page."""

    def __init__(self, book: Any, name: str, headers: Sequence[str], header_format: Any) -> None:
        self.sheet = book.add_worksheet(name)
        self.headers = headers
        self.widths = [display_width(header) + 4 for header in headers]  # room for the filter button
        for col, header in enumerate(headers):
            self.sheet.write_string(0, col, header, header_format)
        self.sheet.repeat_rows(0)
        self.row = 1
        self.wrapped: dict[int, list[tuple[int, str]]] = {}  # row → wrapping cells, for the row heights

    def text(self, col: int, value: str | None, cell_format: Any = None) -> None:
        if value is None or value == "":
            self.sheet.write_blank(self.row, col, None, cell_format)
            return
        self.sheet.write_string(self.row, col, value, cell_format)
        if getattr(cell_format, "text_wrap", 0):
            self.wrapped.setdefault(self.row, []).append((col, value))
        self.widths[col] = max(self.widths[col], max(display_width(line) for line in value.splitlines() or [""]) + 2)

    def number(self, col: int, value: int | float | None, cell_format: Any = None) -> None:
        if value is None:
            self.sheet.write_blank(self.row, col, None, cell_format)
            return
        self.sheet.write_number(self.row, col, value, cell_format)
        self.widths[col] = max(self.widths[col], len(str(value)) + 2)

    def put(self, col: int, value: str | int | float | None, cell_format: Any = None) -> None:
        """Text as text, numbers as numbers, nothing as a blank cell."""
        if isinstance(value, str) or value is None:
            self.text(col, value, cell_format)
        else:
            self.number(col, value, cell_format)

    def finish(self, fixed: dict[int, int] | None = None) -> None:
        """Filter over the header and the rows written so far, freeze the header, set the widths."""
        self.sheet.autofilter(0, 0, self.row - 1, len(self.headers) - 1)
        self.sheet.freeze_panes(1, 0)
        widths = [(fixed or {}).get(col, min(width, MAX_WIDTH)) for col, width in enumerate(self.widths)]
        for col, width in enumerate(widths):
            self.sheet.set_column(col, col, width)
        # Spreadsheet programs do not grow a row for wrapped text when they open a file (LibreOffice prints
        # it cut off), so each row with wrapping cells is given the height its longest cell needs.
        for row, cells in self.wrapped.items():
            lines = max(wrapped_lines(text, widths[col]) for col, text in cells)
            if lines > 1:
                self.sheet.set_row(row, LINE_HEIGHT * lines + 3)


LINE_HEIGHT = 15  # points per line of 11-point text


def wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (an estimate from display widths)."""
    return sum(max(1, math.ceil(display_width(line) / max(width - 1, 1))) for line in text.splitlines() or [""])
