"""Limits that keep a corrupt or hostile office file from harming anything else.

A file over a limit is reported (in Chinese, with the limit) and skipped; the files after it are
read normally. Zip containers (xlsx, docx) are checked before anything is decompressed: a zip bomb
is refused from its directory alone; their XML is then measured (io/office/xml_scan.py) and PDF streams
decompressed within a budget (io/office/pdf_scan.py) before a library builds anything. Time is checked
cooperatively between sheets, rows and pages; and :mod:`jixiao.io.reading` runs each office read in a
child process with ``max_memory`` and ``seconds`` (:mod:`jixiao.io.bounded`), so a file that still
runs away is killed, not the server.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from dataclasses import dataclass

from jixiao.domain import Diagnostic, Severity

# What zipfile raises for a damaged or exotic container (it signals unsupported zip features, such as a
# newer "version needed to extract", with the built-in NotImplementedError).
ZIP_ERRORS: tuple[type[Exception], ...] = (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError,
                                           zlib.error)


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # the file itself
    max_unzipped: int = 200 * 1024 * 1024  # all members of a zip container together
    max_ratio: int = 200  # uncompressed ÷ compressed size of any member
    max_rows: int = 100_000  # rows of one sheet
    max_cells: int = 2_000_000  # rows × columns of one sheet (readers build the sheet as a full grid)
    max_pages: int = 500  # pages of one PDF
    max_characters: int = 20_000_000  # text of all cells of a workbook (a shared string counts in every cell)
    max_columns: int = 16_384  # grid columns of one Word table row (the sum of its gridSpan); Excel's own limit
    max_merge_work: int = 2_000_000  # steps python-docx takes to resolve a document's vertical merges
    max_drawn: int = 20_000  # drawn lines, rectangles and curves on one PDF page (a ruled table draws ~2,000)
    max_decoded: int = 200 * 1024 * 1024  # all streams of a PDF, decompressed
    max_memory: int = 1024 * 1024 * 1024  # what the reading process may allocate (office files; see io/bounded.py)
    seconds: float = 60.0  # wall-clock time for one file
    isolate: bool = True  # read office files in a child process with max_memory and seconds (False: in-process)


DEFAULT = Limits()


class TooBig(Exception):
    """The file breaks a limit; the message says which, in Chinese."""


def refuse(source: str, message: str, code: str = "file-refused") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, source)


def check_size(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        size, limit = len(data) / 1024 / 1024, limits.max_bytes // 1024 // 1024
        raise TooBig(f"文件过大（{size:.1f} MB，上限 {limit} MB），已跳过")


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The zip container, after checking from its directory that it cannot expand beyond the limits."""
    check_size(data, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as error:
        raise TooBig("文件已损坏：不是有效的 Office 文件（zip 结构无法读取）") from error
    total = 0
    for member in archive.infolist():
        total += member.file_size
        if member.compress_size and member.file_size / member.compress_size > limits.max_ratio \
                and member.file_size > 1024 * 1024:
            raise TooBig(f"文件中的“{member.filename}”解压后异常膨胀（{member.file_size // 1024 // 1024} MB，"
                         f"压缩比超过 {limits.max_ratio}），疑似压缩炸弹，已跳过")
    if total > limits.max_unzipped:
        raise TooBig(f"文件解压后过大（{total // 1024 // 1024} MB，上限 {limits.max_unzipped // 1024 // 1024} MB），"
                     "已跳过")
    return archive


class Deadline:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.until = time.monotonic() + limits.seconds

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise TooBig(f"处理时间超过 {self.limits.seconds:g} 秒，已停止读取这个文件")
