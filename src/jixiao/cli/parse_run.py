"""What ``jixiao parse`` does, without Typer, and without Rich unless something needs styling.

Typer's command (:mod:`jixiao.cli.parse_cmd`) and the plain fast path of :mod:`jixiao.cli.main` both
run :func:`run_parse`. A clean conversion to a file or a pipe imports neither Typer nor Rich: Rich is
loaded for the terminal table view, a diagnostic, an error message, the progress bar of several files,
or a summary on a terminal (where it is bold); elsewhere Rich would print the summary as plain text,
and so does this module.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from jixiao.domain import AnyTable, Diagnostic, Severity, kind_label
from jixiao.services.tables import (
    AnyReader,
    EncodedTables,
    FileSummary,
    cut_reader,
    default_jobs,
    format_any,
    json_array_encoder,
    read_path,
    read_path_json,
    reader_problem,
)

if TYPE_CHECKING:
    from rich.console import Console

    from jixiao.cli.parse_args import ParseRequest

FLUSH_BYTES = 1 << 20  # JSON is written in pieces of about this size: few system calls, flat memory
HELD_NOTES = 10_000  # a file's diagnostics held to print its summary line above them


@contextmanager
def _open_output(path: Path | None) -> Iterator[TextIO]:
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


class _JsonArrayWriter:
    """Streams a JSON array so memory stays flat however many tables are read.

    The tables are encoded into one buffer (``services.tables.json_array_encoder``) written out every
    :data:`FLUSH_BYTES` (every table on a terminal): as bytes straight to the file under a UTF-8 text
    stream, else decoded to text.
    """

    def __init__(self, out: TextIO) -> None:
        self.out, self.count = out, 0
        buffer = getattr(out, "buffer", None)
        utf8 = (getattr(out, "encoding", "") or "").lower().replace("-", "") == "utf8"
        self.raw: BinaryIO | None = buffer if utf8 and buffer is not None else None
        if self.raw is not None:
            out.flush()
        self.pending = bytearray(b"[\n")
        self.append = json_array_encoder(self.pending)
        # on a terminal each table shows at once, between the diagnostics of its neighbours
        self.flush_bytes = 0 if out.isatty() else FLUSH_BYTES

    def add(self, table: AnyTable) -> None:
        self.append(table)
        self.count += 1
        if len(self.pending) >= self.flush_bytes:
            self._flush()

    def add_encoded(self, piece: EncodedTables) -> None:
        """Tables a child process read and encoded (:mod:`jixiao.io.parallel_read`)."""
        if piece.tables:
            if self.count:
                self.pending += b",\n"
            self._flush()
            if self.raw is not None:
                piece.write_to(self.raw)
            else:
                scratch = io.BytesIO()
                piece.write_to(scratch)
                self.out.write(scratch.getvalue().decode("utf-8"))
            self.count += piece.tables
            self.append = json_array_encoder(self.pending, first=False)

    def _flush(self) -> None:
        if self.raw is not None:
            self.raw.write(self.pending)
        else:
            self.out.write(self.pending.decode("utf-8"))
        self.pending.clear()

    def close(self) -> None:
        if self.count == 0:
            self.pending[:] = b"[]\n"
        else:
            self.pending += b"\n]\n"
        self._flush()
        if self.raw is not None:
            self.raw.flush()


def _plain_stderr() -> bool:
    """Whether Rich would print to standard error without styles (no terminal, none forced)."""
    if os.environ.get("TTY_COMPATIBLE") or os.environ.get("FORCE_COLOR"):
        return False
    try:
        return not sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Errors:
    """Standard error as :func:`run_parse` writes it; the Rich console is made on first need."""

    def __init__(self) -> None:
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._console

    def line(self, text: str, progress: Any = None) -> None:
        """A plain line (no markup) on standard error, above the progress bar when there is one."""
        if progress:
            progress.console.print(text, markup=False)
        elif self._console is None and _plain_stderr():
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
        else:
            self.console.print(text, markup=False)

    def summary(self, text: str, style: str) -> None:
        """``text`` has no markup: plain, it is the line Rich would write."""
        if self._console is None and _plain_stderr():
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
        else:
            self.console.print(text, style=style)


def _progress(errors: _Errors, files: int) -> Any:
    """A progress bar on standard error for several files; none (and no import of it) for one."""
    if files < 2:
        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=errors.console, transient=True)


def _table_printer(out: TextIO) -> Callable[[AnyTable, str], None]:
    """Print tables to ``out`` as Rich panels (the terminal view), each with its kind and layout below."""
    from rich.console import Console

    from jixiao.cli.render import table_view
    from jixiao.cli.selfeval_table_view import selfeval_table_view
    from jixiao.domain import SelfEvaluationTable

    console = Console(file=out, highlight=False, soft_wrap=False, width=None if out.isatty() else 140)

    def show(table: AnyTable, recognised: str) -> None:
        if isinstance(table, SelfEvaluationTable):
            console.print(selfeval_table_view(table, recognised))
        else:
            console.print(table_view(table, recognised))

    return show


def _layout(reader: AnyReader | None) -> str:
    return f"读取器 {reader.name}（{reader.title}）" if reader is not None else "读取器未知"


def run_parse(files: list[Path], output_format: str, output: Path | None, reader: str | None,
              jobs: int | None = None) -> int:
    """Read ``files`` and write their tables as ``output_format`` (table, json or text); the exit code.

    Converting to JSON, a large text file is read on ``jobs`` processes (all cores when ``None``).
    """
    errors = _Errors()
    missing = [str(f) for f in files if str(f) != "-" and not f.is_file()]
    if missing:
        for name in missing:
            errors.console.print(f"[bold red]错误[/]：找不到文件或不是普通文件：{name}")
        return 2
    problem = reader_problem(reader) if reader is not None else None
    if problem is not None:
        errors.console.print(f"[bold red]错误[/]：{problem}")
        return 2

    diagnostic_count = serious = tables = indicators = 0
    with _open_output(output) as out:
        show = _table_printer(out) if output_format == "table" else None
        json_writer = _JsonArrayWriter(out) if output_format == "json" else None
        with _progress(errors, len(files)) as progress:
            task = progress.add_task("读取文件", total=len(files)) if progress else None
            cores = (jobs or default_jobs()) if json_writer is not None and json_writer.flush_bytes else 1
            for path in files:
                chosen: list[AnyReader] = []
                summary = FileSummary(str(path))
                notes = _FileNotes(errors, progress)

                def on_reader(reader: AnyReader, chosen: list[AnyReader] = chosen,
                              summary: FileSummary = summary) -> None:
                    chosen.append(reader)
                    summary.reader = reader

                results = read_path_json(path, reader, cores)
                if results is not None and (layout := cut_reader()) is not None:
                    on_reader(layout)
                for result in results or read_path(path, reader, on_reader=on_reader):
                    if isinstance(result, EncodedTables):
                        assert json_writer is not None
                        notes.extend(result.diagnostics)
                        summary.add_counts(result.tables, result.indicators, result.diagnostics, result.missing)
                        json_writer.add_encoded(result)
                        continue
                    notes.extend(result.diagnostics)
                    for item in result.diagnostics:
                        summary.count_diagnostic(item)
                    table = result.table
                    if table is None:
                        continue
                    summary.add_table(table)
                    if json_writer is not None:
                        json_writer.add(table)
                    elif show is None:
                        out.write(("\n" if tables + summary.tables > 1 else "") + format_any(table))
                    else:
                        show(table, f"{kind_label(table)} · {_layout(chosen[0] if chosen else None)}")
                # the file's summary first, its diagnostics under it (what a reader said, in its order)
                notes.finish(summary.line(), summary.tables)
                diagnostic_count += notes.count
                serious += notes.serious
                tables += summary.tables
                indicators += summary.rows
                if progress and task is not None:
                    progress.advance(task)
        if json_writer is not None:
            json_writer.close()
    notes_only = "（均为提示）" if diagnostic_count and not serious else ""
    total = (f"共读取 {len(files)} 个文件、{tables} 张表、{indicators} 条指标；"
             f"诊断 {diagnostic_count} 条{notes_only}")
    errors.summary(total, "bold" if not serious else "bold yellow")
    return 1 if serious else 0  # a note (提示: 元 converted to 万元, a summary sheet skipped) is no failure


class _FileNotes:
    """One file's diagnostics, held until its summary line is printed above them (:meth:`finish`). A file that says
    more than :data:`HELD_NOTES` things has them printed as they come after that many (memory stays flat), and
    its summary line after them."""

    def __init__(self, errors: _Errors, progress: Any) -> None:
        self.errors, self.progress = errors, progress
        self.held: list[Diagnostic] | None = []
        self.count = self.serious = 0

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for item in diagnostics:
            self.count += 1
            self.serious += item.severity is not Severity.INFO
            if self.held is None:
                self._print((item,))
                continue
            self.held.append(item)
            if len(self.held) > HELD_NOTES:
                self._print(self.held)
                self.held = None

    def finish(self, line: str, tables: int) -> None:
        """The summary ``line``, then the held diagnostics; of a file without a table only what is not a note
        (a text that is no table gets a 提示 per line it could not place: one count says it)."""
        held = self.held or []
        shown = held if tables else [item for item in held if item.severity is not Severity.INFO]
        if len(shown) < len(held):
            line += f"（{len(held) - len(shown)} 条提示从略）"
        self.errors.line(line, self.progress)
        if shown:
            self._print(shown)

    def _print(self, items: Iterable[Diagnostic]) -> None:
        from jixiao.cli.render import diagnostic_text

        console = self.progress.console if self.progress else self.errors.console
        for item in items:
            console.print(diagnostic_text(item))


def run_request(request: ParseRequest) -> int:
    """:func:`run_parse` as a whole command (main's fast path): Click's handling of an interrupt or a
    closed pipe included, as the Typer path has it."""
    try:
        return run_parse(*request)
    except KeyboardInterrupt:
        return 130
    except EOFError:
        print(file=sys.stderr)
        _Errors().console.print("已中断。")
        return 130
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        from typer._click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        return 1
