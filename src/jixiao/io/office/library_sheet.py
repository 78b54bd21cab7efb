"""A bureau's indicator library as a workbook: the first visible sheet's cells, with their names (B5).

Measured before it is read, like every office file (:func:`jixiao.io.office.xml_scan.check_workbook`
within :mod:`jixiao.io.limits`), then read with python-calamine. What the cells mean is the import
service's business (:mod:`jixiao.services.library_xlsx`); this only says what is in which cell.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.io.limits import DEFAULT, Deadline, Limits, TooBig, open_zip
from jixiao.io.office.xml_scan import check_workbook, column_letters


class SheetUnreadable(Exception):
    """The file is not a workbook jixiao can read; the message is Chinese."""


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    rows: list[list[str]]  # cell texts, "" for blank; rows[0] is the sheet's row 1

    def cell(self, row: int, col: int) -> str:
        """The name of a cell, 0-based row and column: ``cell(4, 1)`` is ``B5``."""
        return f"{column_letters(col + 1)}{row + 1}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    return str(value).strip()


def read_sheet(data: bytes, limits: Limits = DEFAULT) -> Sheet:
    """The first visible sheet of an xlsx file (the export's 说明 sheet comes after its list), every cell as text."""
    import python_calamine as calamine

    deadline = Deadline(limits)
    try:
        with open_zip(data, limits) as archive:
            check_workbook(archive, limits, deadline)
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except TooBig as error:
        raise SheetUnreadable(str(error)) from None
    except Exception:  # calamine and zipfile raise several kinds for damaged files
        raise SheetUnreadable("无法读取 Excel 文件：文件已损坏或不是 .xlsx") from None
    try:
        for meta in book.sheets_metadata:
            if meta.visible != calamine.SheetVisibleEnum.Visible:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.end[0] + 1 if sheet.end else 0
            if rows > limits.max_rows:
                raise SheetUnreadable(f"工作表“{meta.name}”有 {rows:,} 行，超过上限 {limits.max_rows:,} 行")
            values = sheet.to_python(skip_empty_area=False)
            return Sheet(meta.name, [[_text(value) for value in row] for row in values])
    except SheetUnreadable:
        raise
    except Exception:
        raise SheetUnreadable("工作簿已损坏，无法读取") from None
    finally:
        book.close()
    raise SheetUnreadable("工作簿中没有可见的工作表")
