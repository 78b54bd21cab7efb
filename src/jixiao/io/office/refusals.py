"""Binary files no reader can read, refused with a Chinese sentence that says what to do instead.

They are readers like any other (registered, sniffed), so a file starting with the magic of an old
Office file, or a zip that is neither workbook nor Word document, gets a clear answer rather than
being decoded as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from jixiao.io.limits import Limits, refuse
from jixiao.io.office.containers import OLE_MAGIC, ZIP_MAGIC, zip_names
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.vocabulary import Vocabulary


class OldOfficeReader:
    name = "old-office"
    title = "旧版 Office 文件（.xls/.doc，或加密的 Office 文件）"
    kind: Literal["binary"] = "binary"
    magic: tuple[bytes, ...] = (OLE_MAGIC,)

    def with_vocabulary(self, vocabulary: Vocabulary) -> OldOfficeReader:
        """A refusal reads no words: the same reader whatever the vocabulary."""
        return self

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        return 1.0 if head is None and first_bytes.startswith(OLE_MAGIC) else 0.0

    def read(self, data: bytes, source: str, limits: Limits) -> Iterator[ReadResult]:
        yield ReadResult(None, (refuse(source, "这是旧版 Office 文件（.xls/.doc）或加密的 Office 文件，无法读取；"
                                               "请另存为 .xlsx 或 .docx（不设密码）后再导入"),))


class OtherZipReader:
    """Any zip container: chosen only when no zip-based format (xlsx, docx) claims the file."""

    name = "zip"
    title = "其他 zip 压缩包（不是 .xlsx 或 .docx）"
    kind: Literal["binary"] = "binary"
    magic: tuple[bytes, ...] = (ZIP_MAGIC,)

    def with_vocabulary(self, vocabulary: Vocabulary) -> OtherZipReader:
        """A refusal reads no words: the same reader whatever the vocabulary."""
        return self

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        return 0.3 if head is None and first_bytes.startswith(ZIP_MAGIC) else 0.0

    def read(self, data: bytes, source: str, limits: Limits) -> Iterator[ReadResult]:
        if zip_names(data) is None:
            message = "文件已损坏：不是有效的 .xlsx 或 .docx 文件"
        else:
            message = "这是一个 zip 压缩包，不是 .xlsx 或 .docx 文件；请解压后导入其中的文件"
        yield ReadResult(None, (refuse(source, message),))
