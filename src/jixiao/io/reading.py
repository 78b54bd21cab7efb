"""Read tables from files, byte strings or text, whatever the layout and encoding.

This is the one entry point the CLI, services and web use. Results stream: a file of
100,000 tables is never held in memory.
"""

from __future__ import annotations

import errno
import io
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from jixiao.domain import Diagnostic, Severity
from jixiao.io.encoding import open_text
from jixiao.io.office.dispatch import is_office, read_office
from jixiao.io.office.limits import DEFAULT as DEFAULT_LIMITS
from jixiao.io.readers.base import Reader, ReadResult
from jixiao.io.readers.registry import choose_reader, reader_by_name

SNIFF_LINES = 80
_OS_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
}
STDIN_NAME = "<标准输入>"


def read_stream(stream: BinaryIO, source: str, reader: Reader | None = None) -> Iterator[ReadResult]:
    """Read a binary stream: sniff encoding and layout, then stream numbered lines to a reader.

    Undecodable bytes arrive as U+FFFD; readers report those lines (``decode-error``).
    """
    first = _peek(stream)
    if reader is None and is_office(first):
        data = first + stream.read(DEFAULT_LIMITS.max_bytes + 1)
        yield from read_office(data, source)
        return
    text, _encoding = open_text(_Prefixed(first, stream))  # type: ignore[arg-type]
    head = list(itertools.islice(text, SNIFF_LINES))
    chosen = reader or choose_reader("".join(head))
    yield from chosen.read(enumerate(itertools.chain(head, text), start=1), source)


def _peek(stream: BinaryIO) -> bytes:
    """The first bytes, which tell an office file from text (read off; :class:`_Prefixed` puts them back)."""
    return stream.read(8)


class _Prefixed(io.RawIOBase):
    """A stream that yields ``prefix`` and then the rest of ``stream`` (stdin cannot seek back)."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self.prefix, self.stream = prefix, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), len(self.prefix))
        chunk = self.prefix[:size] + self.stream.read(len(buffer) - size)  # one read fills the buffer
        self.prefix = self.prefix[size:]
        buffer[: len(chunk)] = chunk
        return len(chunk)


def unreadable(name: str, error: OSError) -> Diagnostic:
    """The diagnostic for a file that cannot be opened, with the reason in Chinese."""
    reason = _OS_REASONS.get(error.errno or 0, f"系统错误 {error.errno}")
    return Diagnostic("unreadable-file", Severity.ERROR, f"无法打开文件：{reason}", name)


def read_path(path: str | Path, reader_name: str | None = None) -> Iterator[ReadResult]:
    """Read one file (``-`` is standard input). A missing file is a diagnostic, not a crash."""
    reader = reader_by_name(reader_name) if reader_name else None
    if str(path) == "-":
        yield from read_stream(sys.stdin.buffer, STDIN_NAME, reader)
        return
    name = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after streaming
    except OSError as error:
        yield ReadResult(None, (unreadable(name, error),))
        return
    with handle:
        yield from read_stream(handle, name, reader)


def read_bytes(data: bytes, source: str = "<输入>") -> Iterator[ReadResult]:
    return read_stream(io.BytesIO(data), source)


def read_text(text: str, source: str = "<输入>") -> list[ReadResult]:
    """Read text already in memory (tests, web forms)."""
    return list(read_bytes(text.encode("utf-8"), source))
