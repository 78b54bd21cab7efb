"""The self-evaluation workbook (.xlsx): the sheets “实际完成值” and “预算执行”, as the template writes them.

Cells are turned into the text the person saw (numbers without binary artefacts, percentages as
typed) before the shared walk of :mod:`jixiao.io.inputs.rows` checks and builds the rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.domain import Diagnostic
from jixiao.domain.reported import ActualRow, BudgetRow
from jixiao.domain.text import parse_decimal
from jixiao.io.inputs.rows import (
    ACTUALS,
    ACTUALS_SHEET,
    BUDGET,
    BUDGET_SHEET,
    Cells,
    Collector,
    Layout,
    PathArg,
    R,
    Row,
    build_actual,
    build_budget,
    os_reason,
    read_rows,
)
from jixiao.io.limits import DEFAULT, Deadline, Limits, TooBig, open_zip
from jixiao.io.office.xml_scan import check_workbook


def _float_text(value: float) -> str:
    """A float cell as the person typed it: 15 significant digits drop binary artefacts (0.1 + 0.2).

    Beyond 1e15 the digits are not trustworthy, so the exponent form is kept and the cell
    is reported rather than silently rounded (a long project code typed as a number).
    """
    short = format(value, ".15g")
    if "e" in short and abs(value) >= 1e15:
        return short
    try:
        return format(Decimal(short), "f")
    except InvalidOperation:  # nan, inf
        return short


def _xlsx_cell_text(cell: Any) -> str | None:
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        text = str(value) if isinstance(value, int) else _float_text(value)
        number_format = getattr(cell, "number_format", None) or ""
        if "%" in number_format:
            # Excel stores 96% as 0.96; show it as the user saw it, so it is reported, not read as 0.96.
            percent = parse_decimal(text)
            return f"{format((percent * 100).normalize(), 'f')}%" if percent is not None else text
        return text
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, Cells]]:
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        yield number, [_xlsx_cell_text(cell) for cell in cells]


def _refusal(path: PathArg, limits: Limits) -> str | None:
    """Why the workbook must not be opened, measured before openpyxl builds anything: the same checks as the
    target-table reader (file size, zip expansion, every sheet's cells and characters, no DTDs or entities)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError:
        return None  # openpyxl says why it cannot be opened
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return None  # (nor an .xlsx at all: openpyxl says so)
    try:
        with open_zip(data, limits) as archive:
            check_workbook(archive, limits, Deadline(limits))
    except TooBig as error:
        return str(error)
    return None


def read_selfeval_workbook(path: PathArg, limits: Limits = DEFAULT,
                           ) -> tuple[list[ActualRow], list[BudgetRow], list[Diagnostic]]:
    """Read the sheets “实际完成值” and “预算执行” of a self-evaluation workbook (within ``limits``)."""
    diagnostics: list[Diagnostic] = []
    name = str(path)
    out = Collector(name, diagnostics)
    refused = _refusal(path, limits)
    if refused is not None:
        out.error("file-refused", refused)
        return [], [], diagnostics
    import openpyxl  # imported here: CSV-only callers do not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, EOFError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else "不是有效的 .xlsx 工作簿"
        out.error("unreadable-file", f"无法打开工作簿：{reason}")
        return [], [], diagnostics
    try:
        actuals = _sheet(book, name, ACTUALS_SHEET, ACTUALS, build_actual, diagnostics)
        budgets = _sheet(book, name, BUDGET_SHEET, BUDGET, build_budget, diagnostics)
    finally:
        book.close()
    return actuals, budgets, diagnostics


def _sheet(book: Any, name: str, sheet_name: str, layout: Layout, build: Callable[[Row], R | None],
           diagnostics: list[Diagnostic]) -> list[R]:
    if sheet_name not in book.sheetnames:
        present = "、".join(book.sheetnames) or "（无）"
        Collector(name, diagnostics).error(
            "missing-sheet", f"缺少工作表“{sheet_name}”（现有工作表：{present}）", column=None)
        return []
    sheet = book[sheet_name]
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers store a wrong used range; read every cell
    return read_rows(_sheet_rows(sheet), layout, Collector(f"{name} [{sheet_name}]", diagnostics), build)
