"""``jixiao serve``, ``jixiao demo``, ``jixiao import`` and ``jixiao user``: the system of record."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from jixiao.domain.workflow import Role

if TYPE_CHECKING:
    from jixiao.services.context import AppContext, Sessions

user_app = typer.Typer(help="账号管理：新建用户、签发和撤销 API 令牌、停用和恢复账号、重设密码。", no_args_is_help=True)
org_app = typer.Typer(help="组织管理：导入财政部门、主管部门和单位。", no_args_is_help=True)


PROFILE_HELP = ("地区配置：内置名称（national、central-2021、chongqing）或 TOML 文件路径"
                "（默认取环境变量 JIXIAO_PROFILE）")


def _context(profile: str | None = None) -> AppContext:
    """The configured database, migrated, with the region's profile (see :mod:`jixiao.cli.composition`)."""
    from jixiao.cli.composition import migrated_context

    return migrated_context(profile)


def _usage(message: str) -> None:
    Console(stderr=True, highlight=False).print(f"[bold red]错误[/]：{message}")
    raise typer.Exit(2)


def _sessions() -> Sessions:
    return _context().sessions


def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=32, help="工作进程数（SQLite 建议 1–2）")] = 1,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help=PROFILE_HELP)] = None,
) -> None:
    """启动网页应用和 JSON API（/api/v1，文档在 /api/v1/docs）：先把数据库迁移到最新结构。"""
    import os

    import uvicorn

    from jixiao.services.context import PROFILE_VARIABLE, URL_VARIABLE
    from jixiao.services.logs import configure
    from jixiao.services.settings import Settings

    context = _context(profile)  # migrate once, before any worker starts (and the settings are checked)
    if context.url:
        os.environ.setdefault(URL_VARIABLE, context.url)
    os.environ[PROFILE_VARIABLE] = context.default_profile  # (the workers build their own context)
    context.close()
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # /metrics adds up every worker
        import atexit
        import shutil
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="jixiao-metrics-")
        atexit.register(shutil.rmtree, os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    settings = Settings.from_env()
    configure(settings)  # uvicorn's own lines go through jixiao's handler too (log_config=None)
    Console(stderr=True).print(f"jixiao 正在 http://{host}:{port}/ 提供服务：网页在 /，公开信息在 /public，"
                               f"API 文档在 /api/v1/docs（Ctrl+C 停止）")
    uvicorn.run("jixiao.web.app:create_app_from_env", factory=True, host=host, port=port, workers=workers,
                log_config=None, log_level=settings.log_level.lower(), access_log=False)


REGION_HELP = ("另外载入生成的多年度示例地区“示例区”（约 20 个主管部门、三个年度、约 2,000 个项目，含自评与公开自评表；"
               "数字均为虚构，页面标注“示例数据”）")


def demo(
    region: Annotated[bool, typer.Option("--region", help=REGION_HELP)] = False,
    projects: Annotated[int, typer.Option("--projects", min=3, max=200_000,
                                          help="与 --region 一起用：项目个数（各年合计）")] = 2_000,
) -> None:
    """把内置的重庆长寿区样例导入数据库，建立演示账号，并让项目处于不同的审核状态（可重复运行）。

    加 --region 另外载入生成的多年度示例地区（统计分析、指标库、跨年度等页面用它演示），已载入时不重复载入。
    """
    from jixiao.services.demo import load_demo

    context = _context()
    result = load_demo(context.sessions)
    console = Console(highlight=False, width=160)
    status = {"imported": "已导入", "unchanged": "已存在，未重复导入"}.get(result.imported, result.imported)
    console.print(f"样例导入：{status}")
    if result.accounts:
        table = Table(title="演示账号（密码和令牌只显示这一次）")
        for column in ("用户名", "角色", "密码", "API 令牌"):
            table.add_column(column, no_wrap=True)
        for row in result.accounts:
            table.add_row(*row)
        console.print(table)
    else:
        console.print("演示账号已存在（密码不再显示；可用 jixiao user token 签发新令牌）")
    console.print("审核流程样例：" + ("已生成" if result.story_told else "已存在"))
    if region:
        _demo_region(context, projects, console)


def _demo_region(context: AppContext, projects: int, console: Console) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jixiao.services.demo_region import load_region

    errors = Console(stderr=True, highlight=False)
    with Progress(TextColumn("载入示例地区"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors,
                  transient=True) as bar:
        task = bar.add_task("region", total=-(-projects // 3) * 3)
        done = load_region(context.sessions, projects, progress=lambda count, total: bar.update(task, completed=count),
                           region_profile=context.profile)
    if not done.loaded:
        console.print("示例地区：已存在，未重复载入")
        return
    console.print(f"示例地区：已载入 {done.projects} 个项目（三个年度）、{done.self_evaluations} 份自评、"
                  f"{done.published} 张公开自评表；页面标注“示例数据”，数字均为虚构")
    table = Table(title="示例地区账号（密码和令牌只显示这一次）")
    for column in ("用户名", "角色", "密码", "API 令牌"):
        table.add_column(column, no_wrap=True)
    for row in done.accounts:
        table.add_row(*row)
    console.print(table)


def import_(
    files: Annotated[list[Path], typer.Argument(help="要导入的文件或文件夹", show_default=False)],
    profile: Annotated[str | None, typer.Option("--profile", "-p", help=PROFILE_HELP + "；其表头词汇用于读取")] = None,
    background: Annotated[bool, typer.Option("--background", help="作为后台任务提交（由 jixiao worker 运行），"
                                             "打印任务编号后立即返回；可导入 zip 压缩包")] = False,
    wait: Annotated[bool, typer.Option("--wait", help="与 --background 一起用：等待任务完成并显示进度条")] = False,
    user: Annotated[str | None, typer.Option("--user", "-u", help="与 --background 一起用：以哪个用户的身份提交"
                                             "（用户名；默认：管理员）")] = None,
) -> None:
    """把文件或文件夹导入数据库：每个文件一个事务；同一文件重复导入不会产生重复数据。

    绩效目标表新建或更新项目；公开的绩效自评表附到已有的项目上：先按项目编码，没有编码（或编码在系统中
    没有）时按项目名称和实施单位（或主管部门）对应；对应不到或对应到多个项目时整个文件不导入，并列出候选。

    文件夹中的 .txt、.json、.xlsx、.docx、.pdf 都会导入（含子文件夹）；损坏、加密或超出限制的文件
    报告原因后跳过，不影响其他文件。退出码：0 全部导入或已存在；1 有文件被拒绝（原因在标准错误）。

    --background 把同样的导入作为后台任务提交（与网页和 jixiao jobs import 相同的任务），打印任务编号和查看进度的
    命令后以 0 退出；任务由 jixiao worker 运行，使用 worker 的地区配置。加 --wait 则等待任务完成并显示进度条，
    退出码同上。
    """
    if background or wait or user:
        if not background:
            _usage("--wait 和 --user 只能与 --background 一起使用")
        if profile:
            _usage("--profile 不能与 --background 一起使用：后台任务按 worker 的地区配置（JIXIAO_PROFILE）读取")
        from jixiao.cli.jobs_cmd import import_files

        import_files(files, wait, user)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jixiao.cli.render import diagnostic_text
    from jixiao.services.imports import IMPORTABLE, import_path

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    paths: list[Path] = []
    for item in files:
        if item.is_dir():
            paths += sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE)
        else:
            paths.append(item)
    context = _context(profile)
    sessions = context.sessions
    results = []
    with Progress(TextColumn("导入"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), console=errors, transient=True, disable=len(paths) < 2) as progress:
        task = progress.add_task("", total=len(paths))
        for path in paths:
            progress.update(task, description=path.name)
            results.append(import_path(sessions, path, profile=context.profile))
            progress.advance(task)
    labels = {"imported": "已导入", "unchanged": "已存在，未重复导入", "refused": "被拒绝"}
    summary = Table(title=f"导入结果（{len(results)} 个文件）", show_lines=False)
    for column in ("文件", "结果", "表", "新增版本", "其中自评表", "新增自评表版本", "问题"):
        summary.add_column(column)
    for result in results:
        for problem in result.diagnostics:
            errors.print(diagnostic_text(problem))
        summary.add_row(result.file, labels[result.status], str(result.tables), str(result.new_versions),
                        str(result.self_evaluations), str(result.new_self_evaluations), str(len(result.diagnostics)))
    errors.print(summary)
    if any(r.status == "refused" for r in results) or not results:
        raise typer.Exit(1)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="用户名：英文字母、数字和 . _ -，2–32 个字符，不区分大小写")],
    role: Annotated[Role, typer.Option(help="角色")],
    org: Annotated[str | None, typer.Option(help="所属单位或部门编码，如 145001")] = None,
    name: Annotated[str | None, typer.Option(help="显示名称")] = None,
) -> None:
    """新建本地账号；密码在终端输入（10–200 个字符，不能与用户名相同或全是同一个字符），以 argon2 哈希保存。"""
    from jixiao.services.accounts import AccountError, add_user

    password = getpass.getpass("密码：")
    try:
        add_user(_sessions(), username, password, role, org, name)
    except AccountError as error:
        Console(stderr=True).print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None
    Console(stderr=True).print(f"已新建用户 {username}（{role.value}）")


@user_app.command("token")
def user_token(
    username: Annotated[str, typer.Argument(help="用户名")],
    label: Annotated[str, typer.Option(help="令牌用途说明")] = "API",
) -> None:
    """为用户签发 API 令牌（只显示一次，数据库只保存其哈希）。"""
    from jixiao.services.accounts import AccountError, issue_token

    try:
        token = issue_token(_sessions(), username, label)
    except AccountError as error:
        Console(stderr=True).print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None
    print(json.dumps({"user": username, "token": token}, ensure_ascii=False))


@org_app.command("import")
def org_import(
    file: Annotated[Path, typer.Argument(
        help="CSV 或 .xlsx：编码,名称,类型,上级编码（也认 单位编码、单位名称、主管部门 等列名；"
             "类型：财政/主管部门/单位，可省略，按上级推定）")],
) -> None:
    """导入组织树：全部行无误才写入；有错误的行逐一报告（文件、行、列）；已有项目或账号的组织只能改名称，不能改类型和上级。"""
    from jixiao.cli.render import diagnostic_text
    from jixiao.services.organizations import import_organizations

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    result = import_organizations(_sessions(), file)
    for item in result.diagnostics:
        errors.print(diagnostic_text(item))
    if result.diagnostics:
        errors.print("未导入任何组织")
        raise typer.Exit(1)
    errors.print(f"新增 {result.created} 个，更新 {result.updated} 个")
