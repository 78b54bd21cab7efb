"""``jixiao backup``, ``jixiao restore``, ``jixiao migrate`` and ``jixiao refresh``: what an operator runs (see
docs/deployment.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import Progress

    from jixiao.services.context import AppContext


def _errors() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _connect() -> AppContext:
    """The configured database, not migrated (a backup changes nothing; a restore migrates after)."""
    from jixiao.services.context import AppContext
    from jixiao.services.profiles import ProfileError
    from jixiao.services.settings import SettingError

    try:
        return AppContext.from_url()
    except (ProfileError, SettingError) as error:
        _errors().print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None


def _progress() -> Progress:
    from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

    console = _errors()
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                    TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal)


class _Steps:
    """One Rich task per step the service names; a step without a measure spins."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, object] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if step not in self.tasks:
            self.tasks[step] = self.progress.add_task(step, total=total or None)
        task = self.tasks[step]
        self.progress.update(task, completed=done, total=total or None)  # type: ignore[arg-type]


def backup(
    dest: Annotated[Path, typer.Argument(help="备份文件路径（.tar.gz），或一个文件夹（在其中新建以时间命名的备份文件）",
                                         show_default=False)],
) -> None:
    """备份数据库到一个文件：SQLite 用在线备份接口（服务运行中也能得到一致的副本），PostgreSQL 用 pg_dump。

    备份文件包含数据库和说明（manifest.json：时间、版本、每张表的行数、校验和）。jixiao 不在磁盘上保存上传的
    原始文件：导入的内容（表、文件名、SHA-256、诊断）都在数据库中，随数据库一起备份。已存在的文件不会被覆盖。
    """
    from jixiao.services.backup import BackupError
    from jixiao.services.backup import backup as run_backup

    context = _connect()
    try:
        with _progress() as progress:
            result = run_backup(context, dest, _Steps(progress))
    except BackupError as error:
        _errors().print(f"[bold red]备份失败[/]：{error.message}")
        raise typer.Exit(1) from None
    finally:
        context.close()
    rows = sum(result.tables.values())
    size = f"{result.size / 1024 / 1024:.1f} MB" if result.size >= 1024 * 1024 else f"{result.size / 1024:.0f} KB"
    _errors().print(f"已备份到 {result.path}（{size}；{len(result.tables)} 张表，共 {rows} 行）")


def restore(
    src: Annotated[Path, typer.Argument(help="jixiao backup 生成的备份文件", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再询问，直接覆盖当前数据库")] = False,
) -> None:
    """用备份文件替换当前数据库（JIXIAO_DATABASE_URL）的全部内容，然后迁移到当前版本的数据库结构。

    先完整校验备份文件（格式、校验和、数据库类型），再覆盖；恢复后逐表核对行数。恢复前请停止网页服务。
    """
    from jixiao.services.backup import BackupError, read_manifest
    from jixiao.services.backup import restore as run_restore
    from jixiao.services.context import migrate

    errors = _errors()
    try:
        manifest = read_manifest(src)
    except BackupError as error:
        errors.print(f"[bold red]恢复失败[/]：{error.message}")
        raise typer.Exit(1) from None
    if not yes and not typer.confirm(f"将用 {manifest['created_at']} 的备份覆盖当前数据库的全部内容，确定吗？"):
        errors.print("未恢复")
        raise typer.Exit(1)
    context = _connect()
    try:
        with _progress() as progress:
            result = run_restore(context, src, _Steps(progress))
        migrate(context)
    except BackupError as error:
        errors.print(f"[bold red]恢复失败[/]：{error.message}")
        raise typer.Exit(1) from None
    finally:
        context.close()
    errors.print(f"已从 {src} 恢复（备份时间 {result.created_at}；{len(result.tables)} 张表，"
                 f"共 {sum(result.tables.values())} 行，行数已逐表核对）")


def migrate_cmd() -> None:
    """把数据库迁移到当前版本的结构（可重复运行）：升级 jixiao 后、启动网页服务前运行。"""
    from jixiao.services.context import migrate

    context = _connect()
    try:
        migrate(context)
    finally:
        context.close()
    _errors().print("数据库已是最新结构")


def refresh_cmd(
    everything: Annotated[bool, typer.Option("--all", help="统计分析数据全部重算（默认只补算缺少的）")] = False,
) -> None:
    """重新计算派生数据：统计分析的汇总行，与跨年度页面的比对结果（批量导入或大量修改之后运行，网页即可直接读取）。"""
    from jixiao.services import analytics_facts, history_flags
    from jixiao.services.context import migrate

    context = _connect()
    try:
        migrate(context)
        with _progress() as progress:
            if everything:
                progress.add_task("统计分析汇总行", total=None)
                rows = analytics_facts.refresh_all(context.sessions)
            else:
                rows = 0  # migrate has filled the missing ones
            steps = _Steps(progress)
            done, _left = history_flags.refresh(context.sessions, context.profile.rules,
                                                progress=lambda at, total: steps("跨年度比对", at, total))
    finally:
        context.close()
    _errors().print(f"已重新计算：统计分析汇总行 {rows} 行，跨年度比对 {done} 个项目"
                    + ("" if everything else "（统计分析只补算了缺少的行；全部重算用 --all）"))
