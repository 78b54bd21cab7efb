"""``jixiao index-system``: the index systems (评价指标体系) of evaluations and ex-ante assessments.

List and copy the shipped templates, check a bureau's own TOML against the weight rules, show a system,
and score a filled-in entry file with every indicator's arithmetic. Thin shell over
:mod:`jixiao.services.index_systems`; exit status 0 when all is well, 1 when a system is refused or an
indicator could not be scored, 2 on bad usage.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

index_app = typer.Typer(help="评价指标体系：重点评价、部门评价、事前评估的指标、分值与计分。", no_args_is_help=True)

PROFILE_HELP = "配置：内置名称（national、central-2021、chongqing）或 TOML 文件路径；决定等级分档与产出效益权重下限"
FORMAT_HELP = "输出格式：text 或 json"
OUTPUT_HELP = "写入该文件（默认输出到终端）"
ENTRIES_HELP = "评分录入文件（TOML：每个指标编码一张表，[[编码]] 重复表示多位专家）"
SYSTEM_HELP = "指标体系：内置模板名称（见 jixiao index-system list）或 TOML 文件路径"


class Format(StrEnum):
    text = "text"
    json = "json"


def _out() -> Console:
    return Console(highlight=False, soft_wrap=not sys.stdout.isatty())


def _errors() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _open(system: str, profile: str | None) -> Any:
    from jixiao.services.index_systems import InvalidIndexSystem, open_system
    from jixiao.services.profiles import ProfileError

    try:
        return open_system(system, profile)
    except ProfileError as error:
        _errors().print(f"[bold red]错误[/]：{escape(str(error))}")
        raise typer.Exit(2) from None
    except InvalidIndexSystem as error:
        _errors().print(f"[bold red]错误[/]：{escape(error.message)}")
        raise typer.Exit(1) from None


@index_app.command("list")
def list_() -> None:
    """列出内置的评价指标体系模板。"""
    from jixiao.services.index_systems import system_dict, templates

    table = Table("模板", "名称", "类型", "版本", "三级指标", "一级指标（分值）", title="内置评价指标体系模板")
    for system in templates():
        data = system_dict(system)
        levels = "、".join(f"{level['name']} {level['weight']}" for level in data["level1"])
        table.add_row(data["key"], data["name"], data["kind_label"], data["version"], str(len(data["indicators"])),
                      levels)
    _out().print(table)


@index_app.command("show")
def show(system: Annotated[str, typer.Argument(help=SYSTEM_HELP)],
         profile: Annotated[str | None, typer.Option("--profile", help=PROFILE_HELP)] = None,
         output_format: Annotated[Format, typer.Option("--format", help=FORMAT_HELP)] = Format.text) -> None:
    """显示一个指标体系：各级指标、分值、指标解释和计分方法。"""
    from jixiao.services.index_systems import system_dict

    data = system_dict(_open(system, profile))
    if output_format is Format.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = _out()
    out.print(f"[bold]{data['name']}[/]（{data['kind_label']}，版本 {data['version']}，总分 {data['total']}）")
    out.print(f"依据：{data['source']}")
    table = Table("编码", "一级", "二级", "三级指标", "分值", "计分方法", "指标解释")
    for item in data["indicators"]:
        table.add_row(item["code"], item["level1"], item["level2"], item["name"], item["weight"], item["method_label"],
                      item["explanation"])
    out.print(table)


@index_app.command("check")
def check(system: Annotated[str, typer.Argument(help=SYSTEM_HELP)],
          profile: Annotated[str | None, typer.Option("--profile", help=PROFILE_HELP)] = None) -> None:
    """校验指标体系：各级分值合计、产出效益权重、计分方法参数。有问题时逐条列出并以状态 1 退出。"""
    data = _open(system, profile)
    levels = "、".join(f"{name} {data.weight_of(name)}" for name in data.level1_names())
    _out().print(f"[green]通过[/]：{data.name}（版本 {data.version}）{len(data.indicators)} 个三级指标，{levels}")


@index_app.command("template")
def template(name: Annotated[str, typer.Argument(help="内置模板名称（见 jixiao index-system list）")],
             output: Annotated[Path | None, typer.Option("--output", "-o", help=OUTPUT_HELP)] = None) -> None:
    """输出一个内置模板的 TOML，供本地区复制、调整后使用（调整后请用 check 校验）。"""
    from jixiao.services.index_systems import InvalidIndexSystem, template_text

    try:
        text = template_text(name)
    except InvalidIndexSystem as error:
        _errors().print(f"[bold red]错误[/]：{escape(error.message)}")
        raise typer.Exit(2) from None
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, "utf-8")
    except OSError as error:
        _errors().print(f"[bold red]错误[/]：无法写入 {output}：{error}")
        raise typer.Exit(2) from None
    _errors().print(f"已写入 {output}")


@index_app.command("score")
def score(system: Annotated[str, typer.Argument(help=SYSTEM_HELP)],
          entries: Annotated[Path,
                             typer.Argument(help=ENTRIES_HELP)],
          profile: Annotated[str | None, typer.Option("--profile", help=PROFILE_HELP)] = None,
          output_format: Annotated[Format, typer.Option("--format", help=FORMAT_HELP)] = Format.text) -> None:
    """按指标体系为录入的评分计分：逐项算式、多位专家汇总、各级小计、总分和等级。"""
    from jixiao.services.index_systems import InvalidIndexSystem, score_file, sheet_dict

    opened = _open(system, profile)
    try:
        data = sheet_dict(score_file(opened, entries, profile))
    except InvalidIndexSystem as error:
        _errors().print(f"[bold red]错误[/]：{escape(error.message)}")
        raise typer.Exit(1) from None
    if output_format is Format.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_sheet(data)
    if data["unscored"]:
        raise typer.Exit(1)


def _print_sheet(data: dict[str, Any]) -> None:
    out = _out()
    table = Table("编码", "指标", "分值", "得分", "算式",
                  title=f"{data['system']['name']}（版本 {data['system']['version']}）")
    for item in data["indicators"]:
        lines = []
        for number, expert in enumerate(item["experts"], 1):
            prefix = f"评价人{number}：" if len(item["experts"]) > 1 else ""
            problem = escape(expert["problem"] or "")
            lines.append(prefix + (escape(expert["arithmetic"]) or f"[red]未计分：{problem}[/]"))
        if item["combined"] and len(item["experts"]) > 1:
            combined = escape(item["combined"])
            lines.append(f"[yellow]{combined}[/]" if item["disagreement"] else combined)
        score_text = item["score"] if item["scored"] else "[red]未计分[/]"
        table.add_row(item["code"], item["name"], item["weight"], score_text, "\n".join(lines) or "[red]没有录入[/]")
    out.print(table)
    subtotals = Table("一级指标", "二级指标", "得分", "分值", title="小计")
    for row in data["subtotals"]:
        subtotals.add_row(row["level1"], row["level2"] or "（合计）", row["score"], row["weight"])
    out.print(subtotals)
    out.print(f"[bold]总分 {data['total']}，等级：{data['grade']}[/]")
    if data["unscored"]:
        out.print(f"[red]未计分的指标（按 0 分计入总分）：{'、'.join(data['unscored'])}[/]")
    if data["disagreements"]:
        out.print(f"[yellow]专家分歧较大、须复核：{'、'.join(data['disagreements'])}[/]")
