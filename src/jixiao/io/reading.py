"""Read tables from files, byte strings or text, whatever the layout and encoding.

This is the one entry point the CLI, services and web use. Results stream: a file of
100,000 tables is never held in memory.
"""

from __future__ import annotations

import errno
import io
import itertools
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from jixiao.domain import Diagnostic, Severity
from jixiao.io import registry
from jixiao.io.encoding import open_text
from jixiao.io.guesses import marked
from jixiao.io.limits import DEFAULT as DEFAULT_LIMITS
from jixiao.io.limits import Limits, TooBig, check_size, refuse
from jixiao.io.readers.anylayout.quality import plausible_rows
from jixiao.io.readers.base import AnyReader, BinaryReader, ReadResult
from jixiao.io.readers.vocabulary import Vocabulary

if TYPE_CHECKING:  # (a child process for office reads: multiprocessing is imported when one is read)
    from jixiao.io.bounded import BoundedRun

SNIFF_LINES = 80
PEEK_BYTES = 8  # enough for every binary reader's magic
FALLBACK_CHARS = 1 << 19  # a text this short is read whole, and by the layout-independent reader too
TEXT_BLOCK = 1 << 18  # characters handed at once to a reader that takes blocks (BlockTextReader)
_OS_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
}
STDIN_NAME = "<标准输入>"


def read_stream(stream: BinaryIO, source: str, reader: AnyReader | None = None,
                limits: Limits = DEFAULT_LIMITS, vocabulary: Vocabulary | None = None,
                on_reader: Callable[[AnyReader], None] | None = None) -> Iterator[ReadResult]:
    """Read a binary stream with ``reader``, or with the registered reader that is surest of it.

    Whatever the reader, a file never ends in silence: see :func:`_never_silent`.

    ``vocabulary`` (a region profile's words, see ``services.tables.vocabulary_for``) is what the chosen
    reader recognises labels, column headings and titles by; the built-in words when ``None``.
    ``on_reader`` is told the reader that reads the file, once it is chosen (``jixiao parse`` names the layout).

    First bytes a binary reader knows (its magic) make the file binary: it is read whole, within
    ``limits``, and the binary readers sniff it. Anything else is decoded (BOM / UTF-8 / GB18030)
    and the text readers sniff its head; the lines then stream, so memory stays flat. Undecodable
    bytes arrive as U+FFFD; readers report those lines (``decode-error``).
    """
    return _never_silent(_read_stream(stream, source, reader, limits, vocabulary, on_reader), source)


def _never_silent(results: Iterator[ReadResult], source: str) -> Iterator[ReadResult]:
    """A file from which nothing could be read says so as an error, whichever reader took it: no table and
    no error at all gives one ``no-table``; a self-evaluation table read without any indicator row and
    without an error of its own gets ``selfeval-no-indicators`` (a reader that recognised the title or the
    funding block but found no indicator table in what followed)."""
    tables = errors = 0
    for result in results:
        table = result.table
        erred = any(d.severity is Severity.ERROR for d in result.diagnostics)
        if table is not None:
            tables += 1
            if table.kind == "self_evaluation" and not table.indicators and not erred:
                line = table.source.line if table.source else None
                result = ReadResult(table, (*result.diagnostics, Diagnostic(
                    "selfeval-no-indicators", Severity.ERROR,
                    "自评表中没有找到绩效指标（应有“一级指标 二级指标 三级指标 … 实际完成值 … 得分”表头行）",
                    source, line)))
                erred = True
        errors += erred
        yield result
    if tables == 0 and errors == 0:
        yield ReadResult(None, (Diagnostic(
            "no-table", Severity.ERROR, "没有从文件中读出任何绩效目标表或绩效自评表（上面的提示说明了未读入的内容）",
            source),))


def _read_stream(stream: BinaryIO, source: str, reader: AnyReader | None, limits: Limits,
                 vocabulary: Vocabulary | None,
                 on_reader: Callable[[AnyReader], None] | None) -> Iterator[ReadResult]:
    first = prefix = _peek(stream)
    claimants = registry.claimants(first)
    if not claimants and reader is None and first and _office_suffix(source) is not None:
        yield ReadResult(None, (refuse(source, f"文件扩展名是 {_office_suffix(source)}，但内容不是这种格式"
                                               "（文件可能已损坏、只下载了一部分，或是改了扩展名的其他文件）；"
                                               "请用原程序重新另存后再读取"),))
        return
    if reader is not None and reader.kind == "binary" and not claimants:
        yield ReadResult(None, (_mismatch(reader, None, source),))
        return
    if claimants:
        data = first + stream.read(limits.max_bytes + 1 - len(first))
        try:
            check_size(data, limits)
        except TooBig as error:
            yield ReadResult(None, (refuse(source, str(error)),))
            return
        chosen = registry.choose(data, None)
        if reader is not None and (reader.kind == "text" or reader not in claimants):
            yield ReadResult(None, (_mismatch(reader, chosen, source),))
            return
        chosen = reader or chosen
        if chosen is not None and chosen.kind == "binary":
            if vocabulary is not None:
                chosen = chosen.with_vocabulary(vocabulary)
            if on_reader is not None:
                on_reader(chosen)
            yield from marked(read_binary(chosen, data, source, limits), chosen.name)
            return
        stream, prefix = io.BytesIO(data), b""  # no binary reader is sure of it after all: try it as text
    text, _encoding = open_text(_Prefixed(prefix, stream))  # type: ignore[arg-type]
    head = list(itertools.islice(text, SNIFF_LINES))
    chosen = reader or registry.choose(first, "".join(head))
    if vocabulary is not None:
        chosen = chosen.with_vocabulary(vocabulary)
    confidence = chosen.sniff(first, "".join(head)) if reader is None and chosen.kind == "text" else 1.0
    if reader is None and chosen.kind == "text" and len(head) == SNIFF_LINES:
        rest = text.read(FALLBACK_CHARS)
        if len(rest) == FALLBACK_CHARS:
            rest += text.readline()  # the line that was cut stays whole
        head += rest.splitlines(keepends=True)
        whole = len(rest) < FALLBACK_CHARS
    else:
        whole = reader is None and chosen.kind == "text"
    if whole:
        if len(head) > SNIFF_LINES:  # a text read whole: its reader judged on all of it (tables after a preamble)
            confidence = max(confidence, chosen.sniff(first, "".join(head)))
        yield from _with_fallback(chosen, head, source, on_reader, confidence)
        return
    if on_reader is not None:
        on_reader(chosen)
    if chosen.kind == "text":
        read_blocks = getattr(chosen, "read_text_blocks", None)
        if read_blocks is not None:  # the text in large blocks: no Python code runs per line here
            yield from read_blocks(itertools.chain(("".join(head),), iter(partial(text.read, TEXT_BLOCK), "")), source)
        else:
            yield from marked(_once_each(chosen.read(enumerate(itertools.chain(head, text), start=1), source)),
                              chosen.name)


def _read_text(reader: AnyReader, lines: list[str], source: str) -> list[ReadResult]:
    read_blocks = getattr(reader, "read_text_blocks", None)
    if read_blocks is not None:
        return list(read_blocks(["".join(lines)], source))
    assert reader.kind == "text"
    return list(_once_each(reader.read(enumerate(lines, start=1), source)))


def _with_fallback(chosen: AnyReader, lines: list[str], source: str,
                   on_reader: Callable[[AnyReader], None] | None, confidence: float) -> Iterator[ReadResult]:
    """A small text (all of it in ``lines``) read by ``chosen`` and by the layout-independent reader
    (:mod:`jixiao.io.readers.anylayout`), and the fallback's reading kept only when it has more than
    ``1 + confidence`` times as many plausible rows (:func:`~jixiao.io.readers.anylayout.quality.plausible_rows`):
    the surer ``chosen`` was of its layout, the more the fallback must read to replace it. A reader that reads
    its layout completely thus reads exactly as before (its header fields and diagnostics with it); one that
    recognised nothing (the default, chosen because no reader was sure) gives way to an equal reading too."""
    results = _read_text(chosen, lines, source)
    fallback = registry.FALLBACK
    if chosen is not fallback and not (confidence >= 1.0 and _complete(results)):
        other = _read_text(fallback, lines, source)
        found, needed = plausible_rows(other), plausible_rows(results) * (1 + max(confidence, 0.0))
        if found > needed or (confidence < registry.MIN_CONFIDENCE and found and found >= needed):
            chosen, results = fallback, other
    if on_reader is not None:
        on_reader(chosen)
    yield from marked(results, chosen.name)


def _complete(results: list[ReadResult]) -> bool:
    """Some row was read: a reader sure of its layout (confidence 1) keeps its reading whatever the fallback
    would make of the text (jixiao's own exports and the 重庆 layout read exactly as before)."""
    return any(r.table is not None and r.table.indicators for r in results)


def _once_each(results: Iterator[ReadResult]) -> Iterator[ReadResult]:
    """Each result with each of its diagnostics once: jsonschema reports a document missing three required
    keys as three errors, which the JSON reader explains in the one same sentence naming all three."""
    for result in results:
        if len(result.diagnostics) > 1 and len(set(result.diagnostics)) < len(result.diagnostics):
            result = ReadResult(result.table, tuple(dict.fromkeys(result.diagnostics)))
        yield result


def read_binary(reader: BinaryReader, data: bytes, source: str, limits: Limits) -> Iterator[ReadResult]:
    """An office read (a reader with ``isolated = True``) runs in a bounded child process
    (:mod:`jixiao.io.bounded`); if the child runs out of memory or time, or dies, a refusal follows
    whatever it yielded before. ``limits.isolate = False`` reads in this process."""
    if not (limits.isolate and getattr(reader, "isolated", False)):
        yield from reader.read(data, source, limits)
        return
    run = bounded_read(reader, data, source, limits)
    yield from run
    if run.failed:
        yield ReadResult(None, (aborted(source, run, limits),))


def bounded_read(reader: BinaryReader, data: bytes, source: str, limits: Limits) -> BoundedRun[ReadResult]:
    """The bounded child run of ``reader`` on ``data`` (iterate it; then see its outcome and peak RSS)."""
    from jixiao.io.bounded import Bounds, run_bounded

    return run_bounded(_read_all, (reader, data, source, limits), Bounds(limits.max_memory, limits.seconds))


def _read_all(reader: BinaryReader, data: bytes, source: str, limits: Limits) -> Iterator[ReadResult]:
    return reader.read(data, source, limits)


def aborted(source: str, run: BoundedRun[ReadResult], limits: Limits) -> Diagnostic:
    """Why the bounded read of ``source`` was stopped, in Chinese."""
    if run.outcome == "memory":
        reason = f"读取这个文件需要的内存超过上限（{limits.max_memory // 1024 // 1024} MB）"
    elif run.outcome == "busy":
        reason = "服务器正在同时读取很多文件，本文件未能在时限内开始读取"
    elif run.outcome == "time":
        reason = f"读取这个文件的时间超过上限（{limits.seconds:g} 秒）"
    else:
        reason = "读取这个文件时读取程序意外中止"
    if run.outcome == "busy":
        return refuse(source, f"{reason}，请稍后重新导入", "read-aborted")
    return refuse(source, f"{reason}，已停止读取；文件可能已损坏或经过特殊构造，请检查后另存再导入", "read-aborted")


def _mismatch(reader: AnyReader, actual: AnyReader | None, source: str) -> Diagnostic:
    """The reader asked for cannot read this file (text for a binary file, or the other way): say what it is."""
    if actual is not None:
        space = " " if actual.title[:1].isascii() else ""
        what, instead = f"这是{space}{actual.title}", f"，或改用读取器“{actual.name}”"
    else:
        what, instead = ("这是二进制文件" if reader.kind == "text" else "这是文本文件"), ""
    return refuse(source, f"{what}，不能用读取器“{reader.name}”（{reader.title}）读取；"
                          f"请去掉 --reader 让程序自动识别{instead}", "reader-mismatch")


_OFFICE_SUFFIXES = (".xlsx", ".xlsm", ".docx", ".pdf")


def _office_suffix(source: str) -> str | None:
    """The office extension of a file name (a text export named .xlsx is a damaged or renamed file)."""
    lowered = source.lower()
    return next((suffix for suffix in _OFFICE_SUFFIXES if lowered.endswith(suffix)), None)


def _peek(stream: BinaryIO) -> bytes:
    """The first bytes, which tell a binary file from text (read off; :class:`_Prefixed` puts them back)."""
    return stream.read(PEEK_BYTES)


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


def read_path(path: str | Path, reader_name: str | None = None,
              vocabulary: Vocabulary | None = None,
              on_reader: Callable[[AnyReader], None] | None = None) -> Iterator[ReadResult]:
    """Read one file (``-`` is standard input) with the reader of that name, or the one that fits best
    (``on_reader`` is told which, as :func:`read_stream` says).

    A missing file or an unknown reader name is a diagnostic, not a crash.
    """
    reader = registry.by_name(reader_name) if reader_name else None
    if reader_name and reader is None:
        yield ReadResult(None, (unknown_reader(reader_name, str(path)),))
        return
    if str(path) == "-":
        yield from read_stream(sys.stdin.buffer, STDIN_NAME, reader, vocabulary=vocabulary, on_reader=on_reader)
        return
    name = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after streaming
    except OSError as error:
        yield ReadResult(None, (unreadable(name, error),))
        return
    with handle:
        yield from read_stream(handle, name, reader, vocabulary=vocabulary, on_reader=on_reader)


def unknown_reader(name: str, source: str | None = None) -> Diagnostic:
    """No reader is registered under ``name``: say which are."""
    known = "、".join(registry.names())
    return Diagnostic("unknown-reader", Severity.ERROR, f"没有名为“{name}”的读取器；可用：{known}", source)


def read_bytes(data: bytes, source: str = "<输入>", limits: Limits = DEFAULT_LIMITS,
               vocabulary: Vocabulary | None = None,
               on_reader: Callable[[AnyReader], None] | None = None) -> Iterator[ReadResult]:
    return read_stream(io.BytesIO(data), source, limits=limits, vocabulary=vocabulary, on_reader=on_reader)


def read_text(text: str, source: str = "<输入>") -> list[ReadResult]:
    """Read text already in memory (tests, web forms)."""
    return list(read_bytes(text.encode("utf-8"), source))
