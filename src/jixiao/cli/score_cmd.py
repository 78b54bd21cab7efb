"""``jixiao score``, ``jixiao monitor`` and ``jixiao selfeval template``: self-evaluation and monitoring."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from jixiao.cli.render import diagnostic_text
from jixiao.domain import Diagnostic

if TYPE_CHECKING:
    from jixiao import reports
    from jixiao.services.selfeval import ScoringPolicy

selfeval_app = typer.Typer(help="自评：生成填报模板。", no_args_is_help=True)


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    xlsx = "xlsx"
    pdf = "pdf"


ACTUALS_HELP = "实际完成值：CSV 或 selfeval template 生成的 xlsx"
BUDGET_HELP = "预算执行 CSV（项目编码,年初预算数,全年预算数,全年执行数）"
SCORE_FORMAT_HELP = "输出格式：text、json、html（自评表）、xlsx（自评表）、pdf（自评表，A4）"
PROGRESS_HELP = "进度 CSV（项目编码,三级指标,累计完成值,全年预计完成值,偏差原因,完成可能性）"
MONTH_HELP = "监控截至月份（默认取配置，如 7）"
MONITOR_BUDGET_HELP = "资金 CSV（项目编码,全年预算数,累计执行数）"
MONITOR_FORMAT_HELP = "输出格式：text、json、html、xlsx、pdf"
PROJECT_HELP = "只处理这个项目编码的表（默认：文件中的全部项目）"
PROFILE_HELP = "配置：内置名称（national、central-2021、chongqing）或 TOML 文件路径"


def _errors() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _write(output_format: Format, output: Path | None, result: reports.Result,
           text: Callable[[Console], None]) -> None:
    """Text goes to the terminal view of the CLI; every other format through the reports registry."""
    from jixiao import reports

    if output_format is Format.text:
        if output is None:
            text(Console(highlight=False, soft_wrap=not sys.stdout.isatty()))
        else:
            with open(output, "w", encoding="utf-8") as handle:
                text(Console(file=handle, width=140, no_color=True))
        return
    content = reports.render(result, output_format.value)
    if isinstance(content, bytes):
        assert output is not None  # checked by _check_usage
        output.write_bytes(content)
    else:
        _emit(content, output)


def _require_project(errors: Console, project: str | None, results: list[Any]) -> None:
    if project is not None and not results:
        errors.print(f"[bold red]错误[/]：文件中没有项目编码为“{project}”的绩效目标表")
        raise typer.Exit(2)


def _check_usage(errors: Console, output_format: Format, output: Path | None, *paths: Path | None) -> None:
    _check_files(errors, *paths)
    if output_format in (Format.xlsx, Format.pdf) and output is None:
        errors.print(f"[bold red]错误[/]：{output_format.value} 必须用 --output 指定文件")
        raise typer.Exit(2)


def _check_files(errors: Console, *paths: Path | None) -> None:
    missing = [str(p) for p in paths if p is not None and str(p) != "-" and not p.is_file()]
    for name in missing:
        errors.print(f"[bold red]错误[/]：找不到文件或不是普通文件：{name}")
    if missing:
        raise typer.Exit(2)


def _policy(errors: Console, profile: str | None) -> ScoringPolicy:
    from jixiao.services import profiles  # local: scoring and the profiles load only for these commands

    try:
        return profiles.load(profile).scoring
    except profiles.ProfileError as error:
        errors.print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None


def _report(errors: Console, diagnostics: list[Diagnostic]) -> None:
    for item in diagnostics:
        errors.print(diagnostic_text(item))


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def score(
    targets: Annotated[list[Path], typer.Argument(help="绩效目标表文件", show_default=False)],
    actuals: Annotated[Path, typer.Option("--actuals", "-a", help=ACTUALS_HELP)],
    budget: Annotated[Path | None, typer.Option("--budget", "-b", help=BUDGET_HELP)] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help=PROFILE_HELP)] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help=SCORE_FORMAT_HELP)] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件（xlsx 必须指定）")] = None,
    project: Annotated[str | None, typer.Option("--project", help=PROJECT_HELP)] = None,
) -> None:
    """自评计分：按配置的公式给预算执行率和每个指标打分，逐项说明算式，给出总分和等级。

    退出码：0 全部计分且输入无误；1 输入有错误或有未能计分的项；2 用法错误。
    """
    errors = _errors()
    _check_usage(errors, output_format, output, *targets, actuals, budget)
    policy = _policy(errors, profile)
    from jixiao import reports
    from jixiao.cli.selfeval_view import print_scores
    from jixiao.services.selfeval import score_files

    run = score_files(targets, actuals, budget, policy, project)
    _report(errors, run.diagnostics)
    _require_project(errors, project, run.projects)
    _write(output_format, output, reports.Scores(run.projects, policy),
           lambda console: print_scores(console, run.projects))
    if run.has_errors or not all(project.complete for project in run.projects):
        raise typer.Exit(1)


def monitor(
    targets: Annotated[list[Path], typer.Argument(help="绩效目标表文件", show_default=False)],
    progress: Annotated[Path, typer.Option("--progress", help=PROGRESS_HELP)],
    month: Annotated[int | None, typer.Option("--month", "-m", min=1, max=12, help=MONTH_HELP)] = None,
    budget: Annotated[Path | None, typer.Option("--budget", "-b", help=MONITOR_BUDGET_HELP)] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help=PROFILE_HELP)] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help=MONITOR_FORMAT_HELP)] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件（xlsx 必须指定）")] = None,
    project: Annotated[str | None, typer.Option("--project", help=PROJECT_HELP)] = None,
) -> None:
    """运行监控（双监控）：资金执行和每个指标的红黄绿灯，列出须说明偏差原因和完成可能性的行。

    退出码：0 输入无误且没有红灯；1 输入有错误或出现红灯；2 用法错误。
    """
    errors = _errors()
    _check_usage(errors, output_format, output, *targets, progress, budget)
    policy = _policy(errors, profile)
    from jixiao import reports
    from jixiao.cli.selfeval_view import print_monitors
    from jixiao.scoring.model import Light
    from jixiao.services.selfeval import monitor_files

    run = monitor_files(targets, progress, budget, month or policy.monitoring_month, policy, project)
    _report(errors, run.diagnostics)
    _require_project(errors, project, run.projects)
    _write(output_format, output, reports.Monitors(run.projects, policy),
           lambda console: print_monitors(console, run.projects))
    red = any(p.spending.light is Light.RED or p.indicator_light is Light.RED for p in run.projects)
    if run.has_errors or red:
        raise typer.Exit(1)


@selfeval_app.command("template")
def template(
    targets: Annotated[list[Path], typer.Argument(help="绩效目标表文件", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="要生成的 xlsx 文件")],
) -> None:
    """生成自评填报模板（xlsx）：每个项目、每个指标一行，单位只需填写实际完成值和预算执行数。"""
    errors = _errors()
    _check_files(errors, *targets)
    from jixiao.services.tables import read_tables, write_selfeval_template

    diagnostics: list[Diagnostic] = []
    tables = read_tables(targets, diagnostics=diagnostics)
    _report(errors, diagnostics)
    write_selfeval_template(tables, output)
    errors.print(f"已生成 {output}：{len(tables)} 个项目、{sum(len(t.indicators) for t in tables)} 个指标")
