"""``jixiao library``: the indicator library (指标库) from the command line — build, list, export, import.

Thin shells over ``services.library_*``, run by the operator (as the system: the audit log records no user).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from jixiao.services.permissions import Actor

library_app = typer.Typer(help="指标库：从已批复目标表重建、查找、导出和导入。", no_args_is_help=True)
PROFILE_HELP = "地区配置：内置名称（national、central-2021、chongqing）或 TOML 文件路径（决定起步库的指标体系）"


def _operator() -> Actor:
    from jixiao.domain.workflow import Role
    from jixiao.services.permissions import Actor

    return Actor(None, Role.ADMIN)


@library_app.command("build")
def build(profile: Annotated[str | None, typer.Option("--profile", "-p", help=PROFILE_HELP)] = None) -> None:
    """从全部已批复目标表重建指标库的统计，并把新出现的指标名称归并为待审核的指标（首次运行时载入起步库）。"""
    from jixiao.cli.composition import migrated_context as _context
    from jixiao.services.library_build import build as build_library

    context = _context(profile)
    done = build_library(context.sessions, context.profile.rules.name, context.profile.rules.library_min_projects)
    typer.echo(f"已读 {done.tables} 张已批复目标表、{done.observations} 条指标；"
               f"载入起步库 {done.starter_added} 个指标，"
               f"新归并出 {done.new_entries} 个待审核指标")


@library_app.command("list")
def list_entries(
    query: Annotated[str, typer.Argument(help="指标名称（含其他写法），不填则列出全部")] = "",
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="最多列出几个")] = 50,
) -> None:
    """查找指标库：名称、一级/二级指标、单位、方向和可比项目的目标范围。"""
    from jixiao.cli.composition import migrated_context as _context
    from jixiao.services.library_query import entries, stats_of
    from jixiao.services.library_store import STATUS_LABELS

    context = _context()
    table = Table("编号", "指标名称", "一级指标", "二级指标", "单位", "方向", "状态", "可比项目的目标")
    with context.sessions() as session:
        total, rows = entries(session, _operator(), query, limit=limit)
        for item in rows:
            stats = stats_of(session, item)
            figures = stats.targets
            shown = "—" if figures is None else f"{figures.q1.normalize():f}–{figures.q3.normalize():f}" \
                f"（中位数 {figures.median.normalize():f}，{stats.compared} 个项目）"
            table.add_row(str(item.id), item.name + ("（核心）" if item.core else ""), item.level1 or "",
                          item.level2 or "", item.unit or "—", item.direction or "—",
                          STATUS_LABELS.get(item.status, item.status), shown)
    Console(highlight=False).print(table)
    typer.echo(f"共 {total} 个指标" + (f"，列出前 {len(rows)} 个" if total > len(rows) else ""))


@library_app.command("export")
def export(dest: Annotated[Path, typer.Argument(help="导出的 .xlsx 文件路径", show_default=False)]) -> None:
    """把指标库导出为 Excel（前八列可修改后用 jixiao library import 导入）。"""
    from jixiao.cli.composition import migrated_context as _context
    from jixiao.services.library_xlsx import export_file

    context = _context()
    with context.sessions() as session:
        found = export_file(session, _operator())
    dest.write_bytes(found.content)
    typer.echo(f"已导出指标库到 {dest}")


@library_app.command("import")
def import_(source: Annotated[Path, typer.Argument(help="本地指标库 .xlsx 文件", show_default=False)]) -> None:
    """导入本地指标库（表头同导出文件的前八列）；有一处错误即整个文件不导入，并列出每个出错的单元格。"""
    from jixiao.cli.composition import migrated_context as _context
    from jixiao.services.library_xlsx import LibraryImportRefused, import_file

    if not source.is_file():
        Console(stderr=True, highlight=False).print(f"[bold red]错误[/]：找不到文件 {source}")
        raise typer.Exit(2)
    context = _context()
    try:
        done = import_file(context.sessions, None, source.read_bytes(), source.name)
    except LibraryImportRefused as refused:
        errors = Console(stderr=True, highlight=False, soft_wrap=True)
        errors.print(f"[bold red]错误[/]：{refused.message.split('：')[0]}")
        for problem in refused.details or [{"message": refused.message}]:
            errors.print(f"  {problem['message']}")
        raise typer.Exit(1) from None
    typer.echo(f"已导入 {source.name}：新增 {done.added} 个，更新 {done.updated} 个，{done.unchanged} 个无变化")
