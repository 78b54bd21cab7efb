"""Numbers in cells whose format fixes their decimals read as the sheet shows them, never rounded away."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from jixiao.io.limits import DEFAULT, Deadline
from jixiao.io.office.number_formats import NumberFormat, cell_key, parse_code, shown
from jixiao.io.office.xml_scan import check_workbook


@pytest.mark.parametrize(("code", "expected"), [
    ("0", NumberFormat(0)), ("0.00", NumberFormat(2)), ("#,##0.00", NumberFormat(2)),
    ("0.00%", NumberFormat(2, True, True)), ('0.0"%"', NumberFormat(1, True)), ("0\\%", NumberFormat(0, True)),
    ("General", None), ("yyyy-mm-dd", None), ("0.00;[Red]-0.00", None), ("@", None)])
def test_only_formats_that_fix_decimals_are_known(code: str, expected: NumberFormat | None) -> None:
    assert parse_code(code) == expected


@pytest.mark.parametrize(("value", "code", "text"), [
    (15, "0.00", "15.00"), (15.0, "0.00", "15.00"), (14.25, "0.00", "14.25"), (9.5, "0.00", "9.50"),
    (0.95, "0.00%", "95.00%"), (1, "0%", "100%"), (95.5, '0.0"%"', "95.5%"), (100, '0"%"', "100%"),
    (1234.5, "#,##0.00", "1234.50"),
    (12.3456, "0.00", None), (0.956789, "0.00%", None)])  # the format would round: read the value as before
def test_a_number_is_shown_through_its_format_unless_digits_would_be_lost(value: float, code: str,
                                                                          text: str | None) -> None:
    fmt = parse_code(code)
    assert fmt is not None and shown(value, fmt) == text


def test_the_scan_notes_the_numeric_cells_of_such_formats_by_sheet() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "表"
    sheet["A1"], sheet["B1"], sheet["C1"], sheet["D1"] = 15, 0.95, "15.00", 7
    sheet["A1"].number_format, sheet["B1"].number_format, sheet["C1"].number_format = "0.00", "0.00%", "0.00"
    sheet["D1"].number_format = "0"  # shows the number as it reads anyway: not noted
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        formats = check_workbook(archive, DEFAULT, Deadline(DEFAULT)).formats
    assert formats == {"表": {cell_key(1, 1): NumberFormat(2), cell_key(1, 2): NumberFormat(2, True, True)}}
