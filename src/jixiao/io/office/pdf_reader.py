"""The registered reader of published PDFs: its name, magic and sniff, cheap to import.

What it reads and how is in :mod:`jixiao.io.office.pdf_rows`, imported by ``read`` (with the library
it reads with), so that registering it costs a text conversion such as ``jixiao parse`` nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from jixiao.io.limits import DEFAULT, Limits
from jixiao.io.office.containers import PDF_MAGIC
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.vocabulary import BUILTIN, Vocabulary


class PdfReader:
    name = "pdf"
    title = "PDF（有表格线的公开版式）"
    kind: Literal["binary"] = "binary"
    isolated = True  # read in a bounded child process (io/reading.read_binary)
    magic: tuple[bytes, ...] = (PDF_MAGIC,)

    def __init__(self, vocabulary: Vocabulary = BUILTIN) -> None:
        self.vocabulary = vocabulary

    def with_vocabulary(self, vocabulary: Vocabulary) -> PdfReader:
        """This reader reading with ``vocabulary`` (a region's words; see :mod:`~jixiao.io.readers.vocabulary`)."""
        return self if vocabulary is self.vocabulary else PdfReader(vocabulary)

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        return 1.0 if head is None and first_bytes.startswith(PDF_MAGIC) else 0.0

    def read(self, data: bytes, source: str, limits: Limits = DEFAULT) -> Iterator[ReadResult]:
        from jixiao.io.office.pdf_rows import read_pdf

        return read_pdf(data, source, limits, self.vocabulary)
