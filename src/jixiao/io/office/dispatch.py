"""Which office reader a file needs, told by its first bytes (and, for zip files, their contents).

Extensions lie and stdin has none: a zip holding ``xl/workbook.xml`` is a workbook, one holding
``word/document.xml`` a Word document, and ``%PDF`` starts a PDF, whatever the name says.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from jixiao.io.office.limits import DEFAULT, ZIP_ERRORS, Limits, TooBig, check_size, refuse
from jixiao.io.readers.base import ReadResult

ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls/.doc (and encrypted Office files)


def is_office(head: bytes) -> bool:
    return head.startswith((ZIP_MAGIC, PDF_MAGIC, OLE_MAGIC))


def read_office(data: bytes, source: str, limits: Limits = DEFAULT) -> Iterator[ReadResult]:
    try:
        check_size(data, limits)
    except TooBig as error:
        yield ReadResult(None, (refuse(source, str(error)),))
        return
    if data.startswith(PDF_MAGIC):
        from jixiao.io.office.pdf_reader import PdfReader

        yield from PdfReader().read_bytes(data, source, limits)
        return
    if data.startswith(OLE_MAGIC):
        yield ReadResult(None, (refuse(source, "这是旧版 Office 文件（.xls/.doc）或加密的 Office 文件，无法读取；"
                                               "请另存为 .xlsx 或 .docx（不设密码）后再导入"),))
        return
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except ZIP_ERRORS:
        yield ReadResult(None, (refuse(source, "文件已损坏：不是有效的 .xlsx 或 .docx 文件"),))
        return
    if "xl/workbook.xml" in names:
        from jixiao.io.office.xlsx_reader import XlsxReader

        yield from XlsxReader().read_bytes(data, source, limits)
    elif "word/document.xml" in names:
        from jixiao.io.office.docx_reader import DocxReader

        yield from DocxReader().read_bytes(data, source, limits)
    else:
        message = "这是一个 zip 压缩包，不是 .xlsx 或 .docx 文件；请解压后导入其中的文件"
        yield ReadResult(None, (refuse(source, message),))
