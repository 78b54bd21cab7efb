"""``jixiao selfeval report``: draft a project's 自评报告 (Word or PDF) with every figure traced to its source."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape


class ReportFormat(StrEnum):
    docx = "docx"
    pdf = "pdf"


def report(targets: Annotated[list[Path], typer.Argument(help="绩效目标表文件")],
           actuals: Annotated[Path, typer.Option("--actuals", "-a",
                                                 help="实际完成值：CSV 或 selfeval template 生成的 xlsx")],
           project: Annotated[str, typer.Option("--project", help="项目编码")],
           output: Annotated[Path, typer.Option("--output", "-o", help="写入的文件")],
           budget: Annotated[Path | None, typer.Option("--budget", "-b", help="预算执行 CSV")] = None,
           profile: Annotated[str | None, typer.Option("--profile", "-p",
                                                       help="配置：内置名称或 TOML 文件路径")] = None,
           output_format: Annotated[ReportFormat, typer.Option("--format", "-f",
                                                               help="docx 或 pdf")] = ReportFormat.docx,
           ) -> None:
    """起草项目的绩效自评报告：基本情况、目标完成、偏差分析、存在问题、改进措施、结果应用；每个数字注明来源，须单位填写的段落标为待填写。"""
    from jixiao.services.profiles import ProfileError
    from jixiao.services.selfeval_reports import ReportRefused, files_report

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        drafted, content = files_report(targets, actuals, budget, project, output_format.value, profile)
    except (ReportRefused, ProfileError) as error:
        errors.print(f"[bold red]错误[/]：{escape(str(error))}")
        raise typer.Exit(1) from None
    try:
        output.write_bytes(content)
    except OSError as error:
        errors.print(f"[bold red]错误[/]：无法写入 {output}：{escape(str(error))}")
        raise typer.Exit(2) from None
    todo = sum(1 for section in drafted.sections for runs in section.paragraphs for run in runs
               if type(run).__name__ == "ToWrite")
    errors.print(f"已写入 {output}：{len(drafted.traces())} 个数字均注明来源，{todo} 处待单位填写")
