"""``jixiao parse``: read published tables and show them or convert them (the work is in ``parse_run``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli import parse_run

FILES_HELP = "要读取的文件；“-”表示标准输入"
FORMAT_HELP = "输出格式：table 终端表格；json JSON 交换格式第1版；text 公开文本版式（每种表按其公开版式）"
OUTPUT_HELP = "写入文件而不是标准输出"
JOBS_HELP = "转换为 JSON 时同时使用的进程数（默认：可用的处理器核数；大文件分段并行读取，结果与逐段读取相同）"
READER_HELP = "指定读取器，如 label-text、selfeval-text、json、xlsx、docx、pdf（默认按文件内容自动识别）"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    text = "text"


def parse(
    files: Annotated[list[Path], typer.Argument(help=FILES_HELP, show_default=False)],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help=FORMAT_HELP)] = (
        OutputFormat.table
    ),
    output: Annotated[Path | None, typer.Option("--output", "-o", help=OUTPUT_HELP)] = None,
    reader: Annotated[str | None, typer.Option(help=READER_HELP)] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=JOBS_HELP, show_default=False)] = None,
) -> None:
    """读取绩效目标表和绩效自评表（公开文本、JSON、Excel、Word、PDF），显示或转换为其他格式。

    每个文件读完后，标准错误中说明读出的表的种类（绩效目标表、绩效自评表）和版式（读取器）；
    终端表格中每张表下方也注明。JSON 中绩效自评表带 "kind": "self_evaluation"，绩效目标表不带 kind。

    退出码：0 全部读取无误（只有“提示”级诊断，如金额由元换算为万元，也算无误）；1 有“警告”或“错误”级诊断
    （输出在标准错误）；2 用法错误或文件无法打开。
    """
    code = parse_run.run_parse(files, output_format.value, output, reader, jobs)
    if code:
        raise typer.Exit(code)
