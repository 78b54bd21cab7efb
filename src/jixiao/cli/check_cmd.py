"""``jixiao check``: automatic review (智能审核) of target tables and audit (自评审计) of published self-evaluations."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from jixiao.cli.render import diagnostic_text
from jixiao.domain import Severity

if TYPE_CHECKING:
    from jixiao.services.review import ReviewReport


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    xlsx = "xlsx"
    pdf = "pdf"


def _binary(output_format: ReportFormat) -> bool:
    from jixiao import reports

    return reports.is_binary(output_format.value)


def _codes(values: list[str] | None) -> list[str]:
    return [code.strip().upper() for value in values or [] for code in value.split(",") if code.strip()]


def check(
    files: Annotated[list[Path], typer.Argument(help="要审核的文件；“-”表示标准输入", show_default=False)],
    profile: Annotated[str | None, typer.Option(
        "--profile", "-p", help="审核配置：内置名称（national、central-2021、chongqing）或 TOML 文件路径")
    ] = None,
    output_format: Annotated[ReportFormat, typer.Option(
        "--format", "-f", help="报告格式：text 终端；json；html 独立网页；xlsx 电子表格；pdf（A4，带页码）")
    ] = ReportFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件（xlsx、pdf 格式必须指定）")] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", help="只运行这些规则（代码或前缀，逗号分隔，如 T,W001；A 为自评审计规则）")] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", help="不运行这些规则（代码或前缀，逗号分隔）")] = None,
    library: Annotated[bool, typer.Option(
        "--library", help="与数据库中的指标库比较（规则 P006：目标宽于可比项目）；数据库为 JIXIAO_DATABASE_URL "
                          "（默认 ./data/jixiao.sqlite3），指标库由 jixiao library build 建立")] = False,
) -> None:
    """审核绩效目标表和已公开的绩效自评表：按规则目录查找缺陷，逐条说明，并给出建议审核等级。

    按每张表的种类选择规则：绩效目标表运行审核规则，绩效自评表运行自评审计规则（A 开头：按配置公式复算
    得分、执行率、总分和等级）；报告逐表注明种类。

    退出码：0 没有“错误”级问题；1 有“错误”级问题、文件读取出错或没有读出任何表；2 用法错误。
    """
    from jixiao.services import profiles  # local: the rule engine is not loaded for other commands
    from jixiao.services.review import review_files, unknown_codes
    from jixiao.services.tables import vocabulary_for

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    missing = [str(f) for f in files if str(f) != "-" and not f.is_file()]
    for name in missing:
        errors.print(f"[bold red]错误[/]：找不到文件或不是普通文件：{name}")
    try:
        region = profiles.load(profile)
        chosen = region.rules
    except profiles.ProfileError as error:
        errors.print(f"[bold red]错误[/]：{error}")
        errors.print(f"内置配置：{'、'.join(profiles.shipped_profiles())}")
        raise typer.Exit(2) from None
    selected, ignored = _codes(select), _codes(ignore)
    bad = unknown_codes(selected + ignored)
    if bad:
        errors.print(f"[bold red]错误[/]：没有这些规则代码：{'、'.join(bad)}（见 docs/rules.md）")
    unwritten = _binary(output_format) and output is None
    if unwritten:
        errors.print(f"[bold red]错误[/]：{output_format.value} 报告必须用 --output 指定文件")
    if missing or bad or unwritten:
        raise typer.Exit(2)

    with ExitStack() as stack:
        comparables = _library_lookup(stack, profile) if library else None
        run = review_files(files, chosen, selected or None, ignored,
                           on_diagnostic=lambda item: errors.print(diagnostic_text(item)),
                           vocabulary=vocabulary_for(region), comparables=comparables)
    _write(run.report, output_format, output)
    read_errors = any(d.severity is Severity.ERROR for d in run.diagnostics)
    if not run.report.reviews:
        errors.print("[bold red]错误[/]：没有从这些文件中读出可审核的绩效目标表或绩效自评表（原因见上方诊断）")
    if run.report.has_errors() or read_errors or not run.report.reviews:
        raise typer.Exit(1)


def _library_lookup(stack: ExitStack, profile: str | None) -> Any:
    """What comparable projects set, from the configured database's indicator library, for the run's tables."""
    from jixiao.cli.composition import migrated_context
    from jixiao.services.library_query import comparables_lookup

    context = migrated_context(profile)
    stack.callback(context.close)
    session = stack.enter_context(context.sessions())
    return comparables_lookup(session)


def _write(report: ReviewReport, output_format: ReportFormat, output: Path | None) -> None:
    from jixiao import reports
    from jixiao.cli.review_view import print_review

    if output_format is ReportFormat.text:
        if output is None:
            print_review(Console(highlight=False, soft_wrap=not sys.stdout.isatty()), report)
            return
        with open(output, "w", encoding="utf-8") as handle:
            console = Console(file=handle, highlight=False, width=120, no_color=True)
            if report.reading:  # on the terminal they went to standard error as they came; a file keeps them
                console.print("读取时的问题：", markup=False)
                for item in report.reading:
                    console.print(f"  {item.render()}", markup=False)
                console.print()
            print_review(console, report)
        return
    content = reports.render(report, output_format.value)
    if isinstance(content, bytes):
        assert output is not None  # checked before the review ran
        output.write_bytes(content)
    elif output is None:
        sys.stdout.write(content)
    else:
        output.write_text(content, encoding="utf-8")
