"""How binary readers tell their files: the magic bytes and, for zip containers, the member names.

Extensions lie and stdin has none: a zip holding ``xl/workbook.xml`` is a workbook, one holding
``word/document.xml`` a Word document, and ``%PDF`` starts a PDF, whatever the name says. Only the
standard library is used here, so sniffing never loads a spreadsheet or PDF library.
"""

from __future__ import annotations

import io
import zipfile

from jixiao.io.limits import ZIP_ERRORS

ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls/.doc (and encrypted Office files)


def zip_names(data: bytes) -> frozenset[str] | None:
    """The member names of a zip container (read from its directory alone), ``None`` when it is no zip."""
    if not data.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return frozenset(archive.namelist())
    except ZIP_ERRORS:
        return None


def zip_holds(data: bytes, member: str) -> float:
    """Sniff confidence of a zip-based format: 1 when the container holds ``member``, else 0."""
    names = zip_names(data)
    return 1.0 if names is not None and member in names else 0.0
