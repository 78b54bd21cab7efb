"""Refusals of damaged files are in Chinese throughout: expat's English error strings are translated and no
exception class name reaches the user."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from jixiao.io.limits import Limits
from jixiao.io.reading import read_bytes

_WORKBOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheets><sheet name="表" sheetId="1" r:id="rId1" xmlns:r="r"/></sheets></workbook>')


def _xlsx(sheet: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def _messages(data: bytes, name: str) -> list[str]:
    return [d.message for r in read_bytes(data, name, Limits(isolate=False)) for d in r.diagnostics]


def _english(message: str) -> list[str]:
    """Latin words in a message other than the names of formats and parts it may cite."""
    allowed = {"Excel", "XML", "PDF", "Word", "xlsx", "docx", "xl", "worksheets", "sheet", "xml", "DTD"}
    return [word for word in re.findall(r"[A-Za-z]{2,}", message) if word not in allowed]


@pytest.mark.parametrize(("sheet", "phrase"), [
    ("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"", "标记未结束"),
    ("<worksheet><sheetData></row></sheetData></worksheet>", "标记不配对"),
])
def test_malformed_xml_is_refused_in_chinese(sheet: str, phrase: str) -> None:
    messages = _messages(_xlsx(sheet), "bad.xlsx")
    assert any("不是有效的 XML" in m and phrase in m for m in messages), messages
    assert not [word for m in messages for word in _english(m)], messages


def test_a_damaged_pdf_is_refused_without_an_exception_name() -> None:
    messages = _messages(b"%PDF-1.4\n" + b"\x00garbage" * 50, "bad.pdf")
    assert any("文件已损坏或不是 PDF" in m for m in messages), messages
    assert not [word for m in messages for word in _english(m)], messages


def test_a_damaged_workbook_is_refused_without_an_exception_name() -> None:
    out = io.BytesIO()  # a workbook whose sheet has no relationship: calamine cannot open it
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", _WORKBOOK)
    messages = _messages(out.getvalue(), "bad.xlsx")
    assert any("文件已损坏或不是 .xlsx" in m for m in messages), messages
    assert messages and not [word for m in messages for word in _english(m)], messages
