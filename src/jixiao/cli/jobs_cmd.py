"""``jixiao worker`` (runs background jobs) and ``jixiao jobs …`` (submit, follow, list, cancel, download)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from jixiao.services.context import AppContext
    from jixiao.services.jobs import JobView
    from jixiao.services.permissions import Actor

jobs_app = typer.Typer(help="后台任务：提交导入、查看进度、取消、下载结果（任务由 jixiao worker 运行）。",
                       no_args_is_help=True)
USER_HELP = "以哪个用户的身份（用户名；默认：管理员）：任务归其所有，导入受其权限限制"


def _errors() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _context() -> AppContext:
    from jixiao.cli.composition import migrated_context

    return migrated_context()


def _connect() -> AppContext:
    """The configured database, not migrated: workers only connect (``jixiao serve``/``migrate`` migrate), so
    several workers on several machines never race to migrate."""
    from jixiao.services.context import AppContext
    from jixiao.services.profiles import ProfileError
    from jixiao.services.settings import SettingError

    try:
        return AppContext.from_url()
    except (ProfileError, SettingError) as error:
        _errors().print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None


def _actor(context: AppContext, user: str | None) -> Actor:
    from jixiao.services.errors import ServiceError
    from jixiao.services.jobs_submit import acting_as

    try:
        return acting_as(context, user)
    except ServiceError as error:
        _errors().print(f"[bold red]错误[/]：{error.message}")
        raise typer.Exit(2) from None


def worker(
    workers: Annotated[int, typer.Option(min=1, max=64, help="同时运行的任务数（线程；文件在受限的子进程中读取）")] = 1,
) -> None:
    """运行后台任务（导入等），直到收到 SIGINT 或 SIGTERM。

    worker 不迁移数据库（请先运行 jixiao migrate 或 jixiao serve）。网页和命令行提交的任务存放在任务队列中
    （JIXIAO_JOBS_URL，默认在数据库旁边），重启后仍在；可以在几台机器上
    各运行几个 worker，共用同一个 PostgreSQL。被强行终止的 worker 正在运行的任务，在 JIXIAO_JOB_LEASE 秒后由
    其他（或重启后的）worker 接着完成，已完成的文件不会重复导入。
    """
    from jixiao.services.jobs_worker import run_worker
    from jixiao.services.logs import configure

    configure()
    run_worker(_connect(), workers)


def _show(view: JobView) -> str:
    line = (f"任务 {view.id}（{view.kind_label}）：{view.state_label}，{view.done}/{view.total} {view.unit}，"
            f"{view.errors} 个出错")
    return line + (f"；结果：{view.result_name}" if view.result_name else "")


def _follow(context: AppContext, actor: Actor, job_id: int) -> JobView:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jixiao.services.jobs import get

    zone = context.profile.timezone
    with context.sessions() as session:
        view = get(session, actor, job_id, zone)
    with Progress(TextColumn("{task.fields[state]}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("出错 {task.fields[errors]}"), TimeElapsedColumn(), console=_errors(),
                  transient=True) as progress:
        bar = progress.add_task("", total=view.total or None, state=view.state_label, errors=view.errors)
        while not view.finished:
            time.sleep(0.5)
            with context.sessions() as session:
                view = get(session, actor, job_id, zone)
            progress.update(bar, total=view.total or None, completed=view.done, state=view.state_label,
                            errors=view.errors)
    return view


def _hint(job_id: int) -> str:
    return f"查看进度：jixiao jobs show {job_id}（或 jixiao jobs follow {job_id} 显示进度条）"


def import_files(files: list[Path], follow: bool, user: str | None) -> None:
    """Submit ``files`` (files, folders, zips) as one import job, the same job the web and ``jixiao jobs import``
    send; print its id and how to follow it, then (``follow``) follow it to its end and exit with its outcome."""
    from jixiao.services.errors import ServiceError
    from jixiao.services.imports import IMPORTABLE
    from jixiao.services.jobs_submit import ARCHIVES, submit_import

    wanted = (*IMPORTABLE, *ARCHIVES)
    paths: list[Path] = []
    for item in files:
        if item.is_dir():
            paths += sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
        elif item.is_file():
            paths.append(item)
        else:
            _errors().print(f"[bold red]错误[/]：没有文件或文件夹“{item}”")
            raise typer.Exit(2)
    context = _context()
    actor = _actor(context, user)
    try:
        view = submit_import(context, actor, [(str(p), p.read_bytes()) for p in paths])
    except ServiceError as error:
        _errors().print(f"[bold red]错误[/]：{error.message}")
        raise typer.Exit(2) from None
    typer.echo(f"已提交任务 {view.id}：{view.title}")
    if not follow:
        typer.echo(_hint(view.id))
        return
    view = _follow(context, actor, view.id)
    for message in view.messages:
        _errors().print(message)
    typer.echo(_show(view))
    raise typer.Exit(0 if view.state == "done" and not view.errors else 1)


@jobs_app.command("import")
def import_job(
    files: Annotated[list[Path], typer.Argument(help="要导入的文件、文件夹或 zip 压缩包", show_default=False)],
    follow: Annotated[bool, typer.Option("--follow/--no-follow", help="等待任务完成并显示进度条")] = True,
    user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None,
) -> None:
    """把文件、文件夹或 zip 压缩包作为后台任务导入：每个文件一个事务，一个文件出错不影响其他文件。

    文件夹中的 .txt、.json、.xlsx、.docx、.pdf 与 .zip 都会提交（含子文件夹）。任务由 jixiao worker 运行；
    --no-follow 只打印任务编号，之后用 jixiao jobs show 查看。退出码：0 完成且没有文件被拒绝；1 有文件被拒绝
    或任务失败、被取消；2 用法错误。
    """
    import_files(files, follow, user)


@jobs_app.command("export")
def export_job(
    output_format: Annotated[str, typer.Option("--format", "-f", help="文件格式：xlsx、docx 或 pdf")] = "xlsx",
    year: Annotated[int | None, typer.Option(help="年度（默认：全部年度）")] = None,
    department: Annotated[str | None, typer.Option(help="主管部门或单位的编码（默认：可见的全部）")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="完成后保存 zip 到（默认：结果文件名）")] = None,
    follow: Annotated[bool, typer.Option("--follow/--no-follow", help="等待任务完成并显示进度条")] = True,
    user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None,
) -> None:
    """把可见的绩效目标表（按年度、部门）作为后台任务导出为 xlsx、docx 或 PDF，连同项目清单打包为 zip。

    退出码：0 完成且每个项目都已导出；1 有项目没有表、任务失败或被取消；2 用法错误。
    """
    from jixiao.services import jobs
    from jixiao.services.errors import ServiceError
    from jixiao.services.jobs_submit import submit_export

    context = _context()
    actor = _actor(context, user)
    try:
        view = submit_export(context, actor, output_format, year, department)
    except ServiceError as error:
        _errors().print(f"[bold red]错误[/]：{error.message}")
        raise typer.Exit(2) from None
    typer.echo(f"已提交任务 {view.id}：{view.title}")
    if not follow:
        return
    view = _follow(context, actor, view.id)
    for message in view.messages:
        _errors().print(message)
    typer.echo(_show(view))
    if view.state == "done":
        with context.sessions() as session:
            name, _media, data = jobs.result_file(session, actor, view.id)
        target = output or Path(name)
        target.write_bytes(data)
        typer.echo(f"已保存 {target}（{len(data)} 字节）")
    raise typer.Exit(0 if view.state == "done" and not view.errors else 1)


@jobs_app.command("report")
def report_job(
    output_format: Annotated[str, typer.Option("--format", "-f", help="报告格式：pdf、xlsx 或 html")] = "pdf",
    year: Annotated[int | None, typer.Option(help="年度（默认：全部年度）")] = None,
    department: Annotated[str | None, typer.Option(help="主管部门或单位的编码（默认：可见的全部）")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="完成后保存到（默认：结果文件名）")] = None,
    user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None,
) -> None:
    """把可见项目（按年度、部门）的智能审核报告作为后台任务生成为一个 PDF（或 xlsx、HTML）文件，完成后保存。"""
    from jixiao.services import jobs
    from jixiao.services.errors import ServiceError
    from jixiao.services.jobs_submit import submit_render

    context = _context()
    actor = _actor(context, user)
    try:
        view = submit_render(context, actor, output_format, year, department)
    except ServiceError as error:
        _errors().print(f"[bold red]错误[/]：{error.message}")
        raise typer.Exit(2) from None
    typer.echo(f"已提交任务 {view.id}：{view.title}")
    view = _follow(context, actor, view.id)
    for message in view.messages:
        _errors().print(message)
    typer.echo(_show(view))
    if view.state == "done":
        with context.sessions() as session:
            name, _media, data = jobs.result_file(session, actor, view.id)
        target = output or Path(name)
        target.write_bytes(data)
        typer.echo(f"已保存 {target}（{len(data)} 字节）")
    raise typer.Exit(0 if view.state == "done" and not view.errors else 1)


@jobs_app.command("rereview")
def rereview_job(
    year: Annotated[int, typer.Option(help="年度", show_default=False)],
    follow: Annotated[bool, typer.Option("--follow/--no-follow", help="等待任务完成并显示进度条")] = True,
    user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None,
) -> None:
    """地区配置（审核规则）改变后，作为后台任务按当前配置重新审核一个年度的全部项目，更新清单的问题级别和审核等级。

    结果文件列出问题级别或审核等级有变化的项目。只有财政部门审核人和管理员可以提交。
    """
    from jixiao.services.errors import ServiceError
    from jixiao.services.jobs_submit import submit_rereview

    context = _context()
    actor = _actor(context, user)
    try:
        view = submit_rereview(context, actor, year)
    except ServiceError as error:
        _errors().print(f"[bold red]错误[/]：{error.message}")
        raise typer.Exit(2) from None
    typer.echo(f"已提交任务 {view.id}：{view.title}")
    if follow:
        view = _follow(context, actor, view.id)
        typer.echo(_show(view))
        raise typer.Exit(0 if view.state == "done" else 1)


@jobs_app.command("list")
def list_cmd(user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None) -> None:
    """列出最近的任务（普通用户只看到自己的；财政部门看到本地区的）。"""
    from jixiao.services.jobs import list_jobs

    context = _context()
    actor = _actor(context, user)
    with context.sessions() as session:
        total, views = list_jobs(session, actor, context.profile.timezone)
    table = Table(title=f"任务（共 {total} 个）")
    for column in ("编号", "类型", "内容", "状态", "进度", "出错", "提交人", "提交时间"):
        table.add_column(column)
    for view in views:
        table.add_row(str(view.id), view.kind_label, view.title, view.state_label, f"{view.done}/{view.total}",
                      str(view.errors), view.submitted_by or "", view.created_at or "")
    Console(highlight=False).print(table)


def _one(job_id: int, user: str | None, action: str) -> None:
    from jixiao.services import jobs, jobs_submit
    from jixiao.services.errors import ServiceError

    context = _context()
    actor = _actor(context, user)
    try:
        if action == "cancel":
            view = jobs_submit.cancel(context, actor, job_id)
        elif action == "follow":
            view = _follow(context, actor, job_id)
        else:
            with context.sessions() as session:
                view = jobs.get(session, actor, job_id, context.profile.timezone)
    except ServiceError as error:
        _errors().print(f"[bold red]错误[/]：{error.message}")
        raise typer.Exit(1) from None
    typer.echo(_show(view))
    for message in view.messages:
        typer.echo(f"  {message}")


@jobs_app.command("show")
def show(job_id: Annotated[int, typer.Argument(help="任务编号")],
         user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None) -> None:
    """显示一个任务的状态、进度和出错信息。"""
    _one(job_id, user, "show")


@jobs_app.command("follow")
def follow_cmd(job_id: Annotated[int, typer.Argument(help="任务编号")],
               user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None) -> None:
    """等待任务结束，期间显示进度条。"""
    _one(job_id, user, "follow")


@jobs_app.command("cancel")
def cancel_cmd(job_id: Annotated[int, typer.Argument(help="任务编号")],
               user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None) -> None:
    """取消任务：排队中的立即取消；运行中的在当前文件完成后停止（已完成的文件保留）。"""
    _one(job_id, user, "cancel")


@jobs_app.command("result")
def result_cmd(job_id: Annotated[int, typer.Argument(help="任务编号")],
               output: Annotated[Path | None, typer.Option("--output", "-o", help="保存到（默认：结果文件名）")] = None,
               user: Annotated[str | None, typer.Option("--user", "-u", help=USER_HELP)] = None) -> None:
    """下载任务的结果文件（导入任务：每个文件的结果表，CSV）。"""
    from jixiao.services import jobs
    from jixiao.services.errors import ServiceError

    context = _context()
    actor = _actor(context, user)
    try:
        with context.sessions() as session:
            name, _media, data = jobs.result_file(session, actor, job_id)
    except ServiceError as error:
        _errors().print(f"[bold red]错误[/]：{error.message}")
        raise typer.Exit(1) from None
    target = output or Path(name)
    target.write_bytes(data)
    typer.echo(f"已保存 {target}（{len(data)} 字节）")
