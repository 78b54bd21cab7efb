"""``jixiao parse``: read published tables and show them or convert them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TextIO

import typer
from rich.console import Console

from jixiao.cli.render import diagnostic_text, table_view
from jixiao.domain import Diagnostic, TargetTable
from jixiao.services.tables import encode_table, format_table, read_path, reader_problem

FILES_HELP = "要读取的文件；“-”表示标准输入"
FORMAT_HELP = "输出格式：table 终端表格；json JSON 交换格式第1版；text 公开文本版式"
OUTPUT_HELP = "写入文件而不是标准输出"
READER_HELP = "指定读取器，如 label-text、json、xlsx、docx、pdf（默认按文件内容自动识别）"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    text = "text"


@contextmanager
def _open_output(path: Path | None) -> Iterator[TextIO]:
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


class _JsonArrayWriter:
    """Streams a JSON array so memory stays flat however many tables are read."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.count = out, 0
        # Bytes straight to the file under a UTF-8 text stream (msgspec writes UTF-8); else text.
        buffer = getattr(out, "buffer", None)
        utf8 = (getattr(out, "encoding", "") or "").lower().replace("-", "") == "utf8"
        self.raw: BinaryIO | None = buffer if utf8 and buffer is not None else None
        if self.raw is not None:
            out.flush()

    def _write(self, text: str, data: bytes | None = None) -> None:
        if self.raw is not None:
            self.raw.write(data if data is not None else text.encode("utf-8"))
        else:
            self.out.write(text if data is None else data.decode("utf-8"))

    def add(self, table: TargetTable) -> None:
        self._write("[\n" if self.count == 0 else ",\n")
        self._write("", encode_table(table))
        self.count += 1

    def close(self) -> None:
        self._write("[]\n" if self.count == 0 else "\n]\n")
        if self.raw is not None:
            self.raw.flush()


def _progress(errors: Console, files: int) -> Any:
    """A progress bar on standard error for several files; none (and no import of it) for one."""
    if files < 2:
        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=errors, transient=True)


def parse(
    files: Annotated[list[Path], typer.Argument(help=FILES_HELP, show_default=False)],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help=FORMAT_HELP)] = (
        OutputFormat.table
    ),
    output: Annotated[Path | None, typer.Option("--output", "-o", help=OUTPUT_HELP)] = None,
    reader: Annotated[str | None, typer.Option(help=READER_HELP)] = None,
) -> None:
    """读取绩效目标表（公开文本、JSON、Excel、Word、PDF），显示或转换为其他格式。

    退出码：0 全部读取无误；1 有诊断信息（输出在标准错误）；2 用法错误或文件无法打开。
    """
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    missing = [str(f) for f in files if str(f) != "-" and not f.is_file()]
    if missing:
        for name in missing:
            errors.print(f"[bold red]错误[/]：找不到文件或不是普通文件：{name}")
        raise typer.Exit(2)
    problem = reader_problem(reader) if reader is not None else None
    if problem is not None:
        errors.print(f"[bold red]错误[/]：{problem}")
        raise typer.Exit(2)

    diagnostics: list[Diagnostic] = []
    tables = indicators = 0
    with _open_output(output) as out:
        console = Console(file=out, highlight=False, soft_wrap=False,
                          width=None if out.isatty() else 140)
        json_writer = _JsonArrayWriter(out) if output_format is OutputFormat.json else None
        with _progress(errors, len(files)) as progress:
            task = progress.add_task("读取文件", total=len(files)) if progress else None
            notes = progress.console if progress else errors
            for path in files:
                for result in read_path(path, reader):
                    for item in result.diagnostics:
                        diagnostics.append(item)
                        notes.print(diagnostic_text(item))
                    if result.table is None:
                        continue
                    tables += 1
                    indicators += len(result.table.indicators)
                    if json_writer is not None:
                        json_writer.add(result.table)
                    elif output_format is OutputFormat.text:
                        out.write(("\n" if tables > 1 else "") + format_table(result.table))
                    else:
                        console.print(table_view(result.table))
                if progress and task is not None:
                    progress.advance(task)
        if json_writer is not None:
            json_writer.close()
    summary = (f"共读取 {len(files)} 个文件、{tables} 张表、{indicators} 条指标；"
               f"诊断 {len(diagnostics)} 条")
    errors.print(summary, style="bold" if not diagnostics else "bold yellow")
    if diagnostics:
        raise typer.Exit(1)
