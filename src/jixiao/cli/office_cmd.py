"""``jixiao export`` (any input to any format) and ``jixiao template xlsx`` (the fill-in workbook)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jixiao.cli.render import diagnostic_text
from jixiao.domain import Diagnostic, TargetTable
from jixiao.io.reading import read_path

OUTPUT_HELP = "输出文件（json、text 可省略，写到标准输出）"
PROFILE_HELP = "规则配置（决定一级/二级指标下拉选项）"
template_app = typer.Typer(help="生成填报模板。", no_args_is_help=True)


class ExportFormat(StrEnum):
    json = "json"
    text = "text"
    xlsx = "xlsx"
    docx = "docx"
    pdf = "pdf"


def read_all(files: list[Path], errors: Console) -> tuple[list[TargetTable], list[Diagnostic]]:
    """Every table of every file (any format, told by its content), with a progress bar for several."""
    tables: list[TargetTable] = []
    diagnostics: list[Diagnostic] = []
    with Progress(TextColumn("读取"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors,
                  transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("read", total=len(files))
        for path in files:
            for result in read_path(path):
                diagnostics += result.diagnostics
                if result.table is not None:
                    tables.append(result.table)
            progress.advance(task)
    return tables, diagnostics


def export(
    files: Annotated[list[Path], typer.Argument(help="要转换的文件（txt、json、xlsx、docx、pdf，按内容识别）",
                                                show_default=False)],
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="输出格式")] = ExportFormat.xlsx,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=OUTPUT_HELP)] = None,
) -> None:
    """把任何格式的绩效目标表转换为 json、公开文本、Excel、Word 或 PDF（公开版式）。"""
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    binary = output_format in (ExportFormat.xlsx, ExportFormat.docx, ExportFormat.pdf)
    if binary and output is None:
        errors.print(f"[bold red]错误[/]：{output_format.value} 格式必须用 --output 指定文件")
        raise typer.Exit(2)
    tables, diagnostics = read_all(files, errors)
    for diagnostic in diagnostics:
        errors.print(diagnostic_text(diagnostic))
    if not tables:
        errors.print("[bold red]没有读到任何绩效目标表[/]，未生成文件")
        raise typer.Exit(1)
    _write(tables, output_format, output)
    if output is not None:
        errors.print(f"已写出 {len(tables)} 张表到 {output}")
    raise typer.Exit(1 if diagnostics else 0)


def _write(tables: list[TargetTable], output_format: ExportFormat, output: Path | None) -> None:
    if output_format is ExportFormat.xlsx:
        from jixiao.io.office.xlsx_writer import write_tables_xlsx

        write_tables_xlsx(tables, output or Path("tables.xlsx"))
    elif output_format is ExportFormat.docx:
        from jixiao.io.office.docx_writer import write_tables_docx

        write_tables_docx(tables, output or Path("tables.docx"))
    elif output_format is ExportFormat.pdf:
        from jixiao.io.office.pdf_writer import write_tables_pdf

        write_tables_pdf(tables, output or Path("tables.pdf"))
    else:
        from jixiao.io.json_format import dumps_tables
        from jixiao.io.writers.published_text import format_table

        text = dumps_tables(tables) if output_format is ExportFormat.json else "\n".join(map(format_table, tables))
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")


@template_app.command("xlsx")
def template_xlsx(
    output: Annotated[Path, typer.Option("--output", "-o", help="要生成的 xlsx 文件")],
    source: Annotated[list[Path] | None, typer.Option("--from", help="以这些文件中的表为底稿（可多次给出）")] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help=PROFILE_HELP)] = None,
    rows: Annotated[int, typer.Option(min=0, max=500, help="每张表下方留出的空白指标行数")] = 20,
) -> None:
    """生成目标表填报模板（xlsx）：公开版式，一级/二级指标、指标性质、方向为下拉选项，数字和权重有校验。

    每张表一个工作表；不给 --from 时生成一张空白表。填好后用 jixiao parse 或 jixiao import 读入。
    """
    from jixiao import profiles
    from jixiao.io.office.xlsx_writer import write_tables_xlsx
    from jixiao.rules import ProfileError

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        chosen = profiles.load(profile).rules
    except (ProfileError, OSError) as error:
        errors.print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None
    tables, diagnostics = read_all(list(source or []), errors)
    for diagnostic in diagnostics:
        errors.print(diagnostic_text(diagnostic))
    write_tables_xlsx(tables, output, chosen.catalogue, blank_rows=rows)
    errors.print(f"已生成模板 {output}（{max(len(tables), 1)} 个工作表）")
