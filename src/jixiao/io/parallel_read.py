"""Converting one large text file to JSON on several cores, with the output of reading it through.

``jixiao parse BIG.txt --format json`` spends its time reading tables and encoding them, table after
table, each on its own: so the file is cut at title lines into one piece per core. This process reads
and encodes the first piece while forked children read and encode the others; their JSON and
diagnostics then follow in file order, and the file-level news (text outside every table, no table)
comes last, once, as when the file is read through. The bytes written and the diagnostics are those of
:func:`jixiao.io.reading.read_path` (tests/test_parallel_read.py holds them to it).

Only what is sure to read the same in pieces is cut: a UTF-8 file (no BOM, no carriage return, every
byte valid) of :data:`MIN_BYTES` to :data:`MAX_BYTES` that the 重庆 layout reader takes with the
built-in words. Anything else — or a child that cannot start or dies — is read through, in this process.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from jixiao.domain import Diagnostic
from jixiao.io import registry
from jixiao.io.json_any import json_array_encoder
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.label_value_text import LabelValueTextReader, TextPiece, first_title, outside_result
from jixiao.io.readers.vocabulary import BUILTIN
from jixiao.io.summary import FileSummary

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

MIN_BYTES = 4 << 20  # below this a child costs more than it saves
MAX_BYTES = 512 << 20  # each process holds its piece: above this the file streams through one process
_WINDOW = 1 << 20  # where a cut is looked for: a title line within this many bytes of the even split
_COUNT_BLOCK = 8 << 20
# This process reads a piece this much larger than each child's (0.08: 52 % of the file on two cores): a forked
# child starts after the imports but pays for copy-on-write pages, and writes its JSON only once this process is
# done, so with even pieces it finished last. `python -m bench.run --stages cli` on two cores: median 5.1x → 4.9x.
PARENT_EXTRA = 0.08


class EncodedTables:
    """A piece read in a child: how many tables, their diagnostics, and their JSON (array items with
    ``,\n`` between them), which the child still holds until :meth:`write_to` says where it goes."""

    def __init__(self, conn: Connection, tables: int, indicators: int, diagnostics: tuple[Diagnostic, ...],
                 size: int, missing: dict[str, int] | None = None) -> None:
        self._conn, self.tables, self.indicators, self.diagnostics, self.size = (
            conn, tables, indicators, diagnostics, size)
        self.missing = missing or {}  # what the tables lack, counted as io.summary counts it

    def write_to(self, out: BinaryIO) -> None:
        """Write the JSON at the position of ``out``: a regular file gets it from the child itself, in
        place (nothing crosses the pipe); anything else (a pipe, a terminal) through this process."""
        conn, place = self._conn, _file_place(out)
        if place is None:
            conn.send(None)
            out.write(conn.recv_bytes())
            return
        fd, offset = place
        conn.send((fd, offset))
        answer = conn.recv()
        if isinstance(answer, OSError):
            raise answer
        out.seek(offset + self.size)


def _file_place(out: BinaryIO) -> tuple[int, int] | None:
    """(descriptor, position) of a regular file, flushed; ``None`` for anything else."""
    try:
        fd = out.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode) or not out.seekable():
            return None
        out.flush()
        return fd, out.tell()
    except (OSError, ValueError, AttributeError):
        return None


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_path_json(path: Path, reader_name: str | None, jobs: int) -> Iterator[ReadResult | EncodedTables] | None:
    """The results of reading ``path``, the children's pieces as :class:`EncodedTables`; ``None`` when the
    file is not one to cut (read it with ``read_path``)."""
    if jobs < 2 or os.name != "posix" or str(path) == "-":
        return None
    cuts = _plan(path, reader_name, jobs)
    if cuts is None:
        return None
    return _read(path, cuts, reader_name)


def _plan(path: Path, reader_name: str | None, jobs: int) -> list[int] | None:
    """Byte offsets cutting the file into pieces (first 0, last the size), or ``None``."""
    try:
        size = path.stat().st_size
        if not MIN_BYTES <= size <= MAX_BYTES or not path.is_file():
            return None
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
            if head.startswith(b"\xef\xbb\xbf") or not _layout_reader(head, reader_name):
                return None
            cuts = [0]
            for k in range(1, jobs):
                cut = _cut_near(handle, int(size * (k + PARENT_EXTRA) / (jobs + PARENT_EXTRA)), size)
                if cut is not None and cut > cuts[-1]:
                    cuts.append(cut)
    except OSError:
        return None
    cuts.append(size)
    return cuts if len(cuts) > 2 else None


def _layout_reader(head: bytes, reader_name: str | None) -> bool:
    """Whether the file would be read by the 重庆 layout reader with the built-in words."""
    text = head[: head.rfind(b"\n") + 1].decode("utf-8", "replace")
    if reader_name is not None:
        chosen = registry.by_name(reader_name)
    else:
        lines = text.splitlines(keepends=True)[:80]  # reading.SNIFF_LINES, as read_stream sniffs
        chosen = registry.choose(head[:8], "".join(lines))
    return isinstance(chosen, LabelValueTextReader) and chosen.vocabulary is BUILTIN


def _cut_near(handle: Any, offset: int, size: int) -> int | None:
    """The start of the first title line at or after the line following ``offset``."""
    handle.seek(offset)
    window = handle.read(_WINDOW)
    start = window.find(b"\n") + 1
    end = window.rfind(b"\n") + 1
    if start <= 0 or end <= start:
        return None
    try:
        text = window[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    found = first_title(text)
    if found is None:
        return None
    cut = offset + start + len(text[:found].encode("utf-8"))
    return cut if cut < size else None


def _piece_text(path: Path, start: int, stop: int) -> str | None:
    """The piece decoded as read through would decode it, or ``None`` when that is not sure."""
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(stop - start)
    if b"\r" in data:  # universal newlines would change the text
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _first_line(path: Path, start: int) -> int:
    """The number of the line that begins at byte ``start``."""
    lines = 1
    with open(path, "rb") as handle:
        while start > 0:
            block = handle.read(min(_COUNT_BLOCK, start))
            if not block:
                break
            lines += block.count(b"\n")
            start -= len(block)
    return lines


def _child(conn: Connection, path: Path, start: int, stop: int) -> None:
    """Read and encode one piece. Says first whether it decodes (the parent writes nothing before),
    then what it read; then writes the JSON where the parent says (:meth:`EncodedTables.write_to`)."""
    try:
        text = _piece_text(path, start, stop)
        conn.send(text is not None)
        if text is None:
            return
        source, buffer = str(path), bytearray()
        append = json_array_encoder(buffer)
        piece = TextPiece(source)
        diagnostics: list[Diagnostic] = []
        counted = FileSummary(source, registry.by_name(LabelValueTextReader.name))
        for result in piece.read(text, _first_line(path, start)):
            diagnostics += result.diagnostics
            if result.table is not None:
                counted.add_table(result.table)
                append(result.table)
        del text
        conn.send((counted.tables, counted.rows, diagnostics, piece.state(), len(buffer), dict(counted.missing)))
        place = conn.recv()
        if place is None:
            conn.send_bytes(buffer)
            return
        fd, offset = place
        try:
            view, written = memoryview(buffer), 0
            while written < len(view):
                written += os.pwrite(fd, view[written:], offset + written)
            conn.send(written)
        except OSError as error:
            conn.send(OSError(error.errno, error.strerror))
    except (EOFError, BrokenPipeError):  # the parent stopped
        pass
    finally:
        conn.close()


class _Children:
    """The forked children reading pieces 2…n, and their answers in order."""

    def __init__(self, path: Path, cuts: list[int]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.running: list[tuple[Any, Connection]] = []
        for start, stop in pairwise(cuts[1:]):
            mine, theirs = context.Pipe()
            process = context.Process(target=_child, args=(theirs, path, start, stop), daemon=True)
            process.start()
            theirs.close()
            self.running.append((process, mine))

    def all_decode(self) -> bool:
        return all(_receive(conn) is True for _, conn in self.running)

    def results(self, index: int) -> tuple[Connection, Any] | None:
        """What child ``index`` read (its JSON stays with it), or ``None`` when it died."""
        answer = _receive(self.running[index][1])
        return None if answer is None else (self.running[index][1], answer)

    def stop(self) -> None:
        for process, conn in self.running:
            conn.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


def _receive(conn: Connection) -> object:
    try:
        return conn.recv()
    except (EOFError, OSError):
        return None


def _read(path: Path, cuts: list[int], reader_name: str | None) -> Iterator[ReadResult | EncodedTables]:
    source = str(path)
    try:
        children = _Children(path, cuts)  # first: they start while this process decodes its piece
    except OSError:  # no fork (limits, memory): read through
        yield from _through(path, reader_name)
        return
    try:
        text = _piece_text(path, 0, cuts[1])
        if text is None or not children.all_decode():
            children.stop()
            yield from _through(path, reader_name)
            return
        first = TextPiece(source)
        yield from first.read(text, 1)
        del text
        states = [first.state()]
        for index, (start, stop) in enumerate(pairwise(cuts[1:])):
            answer = children.results(index)
            if answer is None:  # the child died: read its piece here
                yield from _here(path, start, stop, states, source)
                continue
            conn, (tables, indicators, diagnostics, state, size, missing) = answer
            states.append(state)
            yield EncodedTables(conn, tables, indicators, tuple(diagnostics), size, missing)
        done = outside_result(source, states)
        if done is not None:
            yield done
    finally:
        children.stop()


def _here(path: Path, start: int, stop: int, states: list[Any], source: str) -> Iterator[ReadResult]:
    text = _piece_text(path, start, stop) or ""
    piece = TextPiece(source)
    yield from piece.read(text, _first_line(path, start))
    states.append(piece.state())


def _through(path: Path, reader_name: str | None) -> Iterator[ReadResult]:
    from jixiao.io.reading import read_path

    return read_path(path, reader_name)
