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
from jixiao.domain import AnyTable, Diagnostic, Severity

OUTPUT_HELP = "输出文件（json、text 可省略，写到标准输出）"
PROFILE_HELP = "规则配置（决定一级/二级指标下拉选项）"
template_app = typer.Typer(help="生成填报模板。", no_args_is_help=True)


class ExportFormat(StrEnum):
    json = "json"
    text = "text"
    xlsx = "xlsx"
    docx = "docx"
    pdf = "pdf"


def read_all(files: list[Path], errors: Console) -> tuple[list[AnyTable], list[Diagnostic]]:
    """Every table of either kind of every file (any format, told by its content), with a progress bar for several."""
    from jixiao.services.tables import read_any_tables

    diagnostics: list[Diagnostic] = []
    with Progress(TextColumn("读取"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors,
                  transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("read", total=len(files))
        tables = read_any_tables(files, diagnostics=diagnostics, on_file=lambda _path: progress.advance(task))
    return tables, diagnostics


def export(
    files: Annotated[list[Path], typer.Argument(help="要转换的文件（txt、json、xlsx、docx、pdf，按内容识别）",
                                                show_default=False)],
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="输出格式")] = ExportFormat.xlsx,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=OUTPUT_HELP)] = None,
) -> None:
    """把任何格式的绩效目标表或绩效自评表转换为 json、公开文本、Excel、Word 或 PDF（公开版式）。"""
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    binary = output_format in (ExportFormat.xlsx, ExportFormat.docx, ExportFormat.pdf)
    if binary and output is None:
        errors.print(f"[bold red]错误[/]：{output_format.value} 格式必须用 --output 指定文件")
        raise typer.Exit(2)
    tables, diagnostics = read_all(files, errors)
    for diagnostic in diagnostics:
        errors.print(diagnostic_text(diagnostic))
    if not tables:
        errors.print("[bold red]没有读到任何绩效目标表或绩效自评表[/]，未生成文件")
        raise typer.Exit(1)
    from jixiao.services.tables import export_problem

    problem = export_problem(tables, output_format.value)
    if problem is not None:
        errors.print(f"[bold red]错误[/]：{problem}，未生成文件")
        raise typer.Exit(1)
    _write(tables, output_format, output)
    if output is not None:
        errors.print(f"已写出 {len(tables)} 张表到 {output}")
    raise typer.Exit(1 if any(d.severity is not Severity.INFO for d in diagnostics) else 0)  # a note: no failure


def _write(tables: list[AnyTable], output_format: ExportFormat, output: Path | None) -> None:
    from jixiao.services.tables import BINARY_FORMATS, export_tables, tables_text

    if output is None and output_format.value not in BINARY_FORMATS:
        sys.stdout.write(tables_text(tables, output_format.value))
    else:
        export_tables(tables, output_format.value, output or Path(f"tables.{output_format.value}"))


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
    from jixiao.services import profiles
    from jixiao.services.tables import only_target_tables, write_template_xlsx

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        chosen = profiles.load(profile).rules
    except (profiles.ProfileError, OSError) as error:
        errors.print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None
    read, diagnostics = read_all(list(source or []), errors)
    tables = only_target_tables(read, "目标表填报模板", on_diagnostic=diagnostics.append)
    for diagnostic in diagnostics:
        errors.print(diagnostic_text(diagnostic))
    write_template_xlsx(tables, output, chosen.catalogue, blank_rows=rows)
    errors.print(f"已生成模板 {output}（{max(len(tables), 1)} 个工作表）")
