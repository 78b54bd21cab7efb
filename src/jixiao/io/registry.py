"""Every reader, text layouts and binary formats alike, and which one reads a file.

To support a new layout or format, write a module with a class following
:class:`jixiao.io.readers.base.TextReader` or :class:`~jixiao.io.readers.base.BinaryReader` and add
one ``register(...)`` line below. A registered module holds the reader's name and sniff; what reads is
imported by ``read`` (the libraries — calamine, python-docx, pdfplumber — and jixiao's own grammar modules
such as ``office/docx_rows.py``), so registering a reader costs ``jixiao parse`` little at start-up.
"""

from __future__ import annotations

from typing import overload

from jixiao.io.office.docx_reader import DocxReader
from jixiao.io.office.pdf_reader import PdfReader
from jixiao.io.office.refusals import OldOfficeReader, OtherZipReader
from jixiao.io.office.xlsx_reader import XlsxReader
from jixiao.io.readers.anylayout.reader import AnyLayoutReader
from jixiao.io.readers.base import AnyReader, BinaryReader
from jixiao.io.readers.json_reader import JsonReader
from jixiao.io.readers.label_value_text import LabelValueTextReader
from jixiao.io.readers.selfeval.cell_lines import CellLinesSelfEvaluationReader
from jixiao.io.readers.selfeval.flat import FlatSelfEvaluationReader
from jixiao.io.readers.selfeval.pipe import PipeSelfEvaluationReader
from jixiao.io.readers.selfeval.runon_reader import RunOnSelfEvaluationReader
from jixiao.io.readers.selfeval_html import SelfEvalHtmlReader
from jixiao.io.readers.selfeval_text import SelfEvalTextReader

MIN_CONFIDENCE = 0.25
_READERS: list[AnyReader] = []


def register(reader: AnyReader) -> AnyReader:
    """Add ``reader``; on equal confidence the one registered first wins. Names are unique."""
    if any(known.name == reader.name for known in _READERS):
        raise ValueError(f"已有名为“{reader.name}”的读取器")
    _READERS.append(reader)
    return reader


def unregister(name: str) -> None:
    """Remove a reader (tests that register one of their own clean up with this)."""
    _READERS[:] = [reader for reader in _READERS if reader.name != name]


def all_readers() -> tuple[AnyReader, ...]:
    return tuple(_READERS)


def names() -> list[str]:
    return [reader.name for reader in _READERS]


def by_name(name: str) -> AnyReader | None:
    return next((reader for reader in _READERS if reader.name == name), None)


def claimants(first_bytes: bytes) -> list[BinaryReader]:
    """The binary readers whose magic starts ``first_bytes``; any means the file is bytes, not text."""
    return [reader for reader in _READERS if reader.kind == "binary" and first_bytes.startswith(reader.magic)]


@overload
def choose(first_bytes: bytes, head: str) -> AnyReader: ...
@overload
def choose(first_bytes: bytes, head: None) -> AnyReader | None: ...
def choose(first_bytes: bytes, head: str | None) -> AnyReader | None:
    """The most confident reader: among text readers when ``head`` is given (:data:`DEFAULT` when none
    is sure enough: it reports clearly when it finds no table), else among binary readers (or ``None``)."""
    kind = "binary" if head is None else "text"
    best: AnyReader | None = None
    score = MIN_CONFIDENCE
    for reader in _READERS:
        if reader.kind != kind:
            continue
        confidence = reader.sniff(first_bytes, head)
        if confidence > score or (best is None and confidence >= score):
            best, score = reader, confidence
    if best is None and head is not None:
        return DEFAULT
    return best


DEFAULT = LabelValueTextReader()  # the published 重庆 text layout: the fallback for any text
# The layout-independent reader: never chosen by sniffing; io/reading.py runs it after the chosen reader on a
# small text and keeps its reading when it recovers more indicator rows.
FALLBACK = AnyLayoutReader()

register(JsonReader())
register(DEFAULT)
register(SelfEvalTextReader())  # after label-text: on equal confidence a target table stays a target table
register(PipeSelfEvaluationReader())
register(CellLinesSelfEvaluationReader())
register(FlatSelfEvaluationReader())
register(RunOnSelfEvaluationReader())
register(SelfEvalHtmlReader())
register(FALLBACK)
register(XlsxReader())
register(DocxReader())
register(PdfReader())
register(OldOfficeReader())
register(OtherZipReader())
