"""Limits that keep a corrupt or hostile office file from harming anything else.

A file over a limit is reported (in Chinese, with the limit) and skipped; the files after it are
read normally. Zip containers (xlsx, docx) are checked before anything is decompressed: a zip bomb
is refused from its directory alone. Time is bounded cooperatively: readers check a deadline between
sheets, rows and pages.
"""

from __future__ import annotations

import io
import re
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
    seconds: float = 60.0  # wall-clock time for one file


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


_CELL_REF = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_sheets(archive: zipfile.ZipFile, limits: Limits, deadline: Deadline) -> None:
    """Refuse a workbook whose sheets would expand into too many cells, from the cell references in
    the sheet XML (streamed), before any reader builds a grid: two cells at A1 and XFD1000 make a
    16-million-cell grid in a 5 KB file."""
    for member in archive.namelist():
        if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
            continue
        rows = columns = 0
        tail = b""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    deadline.check()
                    text = tail + chunk
                    for letters, digits in _CELL_REF.findall(text):
                        rows, columns = max(rows, int(digits)), max(columns, _column_number(letters))
                    tail = text[-256:]
        except ZIP_ERRORS as error:
            raise TooBig(f"文件已损坏：工作表数据“{member}”无法解压") from error
        if rows > limits.max_rows:
            raise TooBig(f"工作表有 {rows:,} 行，超过上限 {limits.max_rows:,} 行，已跳过")
        if rows * columns > limits.max_cells:
            raise TooBig(f"工作表的范围达 {rows:,} 行 × {columns:,} 列，超过上限 {limits.max_cells:,} 个单元格，已跳过")
