"""A small list table (the organisation tree) from an uploaded CSV or .xlsx, as numbered rows of cell texts.

The first worksheet of a workbook, or the CSV (UTF-8 with or without BOM, else GB18030, as Excel saves
it in China). Rows are numbered as a spreadsheet shows them, so a message can say "第3行". A workbook is
measured (zip expansion, cells, characters, no DTDs) before openpyxl builds anything, like every other
workbook jixiao reads.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from jixiao.io.inputs.xlsx_reader import _xlsx_cell_text
from jixiao.io.limits import DEFAULT, Deadline, Limits, TooBig, open_zip
from jixiao.io.office.xml_scan import check_workbook

Rows = list[tuple[int, list[str]]]


class GridRefused(ValueError):
    """The file cannot be read as a table; the message (Chinese) says why."""


def read_grid(data: bytes, name: str, limits: Limits = DEFAULT) -> Rows:
    """Numbered rows (1 = the header) with cells as stripped text; blank rows are left out (their numbers too)."""
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        return list(_non_blank(_workbook_rows(data, limits)))
    if name.lower().endswith((".xls", ".et", ".numbers")) or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise GridRefused("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传")
    return list(_non_blank(_csv_rows(data, limits)))


def _non_blank(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for number, cells in rows:
        if any(cells):
            yield number, cells


def _csv_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    if len(data) > limits.max_bytes:
        raise GridRefused(f"文件过大（超过 {limits.max_bytes // 1024 // 1024} MB）")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise GridRefused(f"文件既不是 UTF-8 也不是 GB18030 编码（第{error.start + 1}个字节无法解码），"
                              "请在 Excel 中另存为“CSV UTF-8”或 .xlsx") from None
    if "\x00" in text:
        raise GridRefused("文件含有空字符（NUL），不是文本 CSV；请上传 .xlsx 或 CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            if reader.line_num > limits.max_rows:
                raise GridRefused(f"行数超过 {limits.max_rows} 行")
            yield reader.line_num, [cell.strip() for cell in cells]
    except csv.Error as error:
        raise GridRefused(f"第{reader.line_num}行不是有效的 CSV：{error}") from None


def _workbook_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    try:
        with open_zip(data, limits) as archive:
            check_workbook(archive, limits, Deadline(limits))
    except TooBig as error:
        raise GridRefused(str(error)) from None
    except zipfile.BadZipFile:
        raise GridRefused("不是有效的 .xlsx 工作簿") from None
    import openpyxl  # here: CSV uploads do not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, EOFError):
        raise GridRefused("不是有效的 .xlsx 工作簿") from None
    try:
        if not book.worksheets:
            raise GridRefused("工作簿中没有工作表")
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some writers store a wrong used range; read every cell
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [(_xlsx_cell_text(cell) or "").strip() for cell in cells]
    finally:
        book.close()
