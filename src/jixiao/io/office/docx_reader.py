"""The registered reader of Word documents (.docx): its name, magic and sniff, cheap to import.

What it reads and how is in :mod:`jixiao.io.office.docx_rows`, imported by ``read`` (with the library
it reads with), so that registering it costs a text conversion such as ``jixiao parse`` nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from jixiao.io.limits import DEFAULT, Limits
from jixiao.io.office.containers import ZIP_MAGIC, zip_holds
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.vocabulary import BUILTIN, Vocabulary


class DocxReader:
    name = "docx"
    title = "Word 文档（.docx）"
    kind: Literal["binary"] = "binary"
    isolated = True  # read in a bounded child process (io/reading.read_binary)
    magic: tuple[bytes, ...] = (ZIP_MAGIC,)

    def __init__(self, vocabulary: Vocabulary = BUILTIN) -> None:
        self.vocabulary = vocabulary

    def with_vocabulary(self, vocabulary: Vocabulary) -> DocxReader:
        """This reader reading with ``vocabulary`` (a region's words; see :mod:`~jixiao.io.readers.vocabulary`)."""
        return self if vocabulary is self.vocabulary else DocxReader(vocabulary)

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        return zip_holds(first_bytes, "word/document.xml") if head is None else 0.0

    def read(self, data: bytes, source: str, limits: Limits = DEFAULT) -> Iterator[ReadResult]:
        from jixiao.io.office.docx_rows import read_docx

        return read_docx(data, source, limits, self.vocabulary)
