"""``jixiao user tokens|revoke|deactivate|activate|password``: what an administrator does when a token
leaks, a person leaves or forgets a password. Each change takes effect at once in every server process
(tokens and sessions are checked in the database on every request)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jixiao.cli.server_cmd import _sessions


def _refused(action: Callable[[], object]) -> object:
    """Run a service call; an account error is printed in Chinese and exits with 2."""
    from jixiao.services.accounts import AccountError

    try:
        return action()
    except AccountError as error:
        Console(stderr=True).print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None


def tokens(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """列出用户的 API 令牌（编号、用途、签发时间、状态；令牌本身不保存，无法再显示）。"""
    from jixiao.services.accounts import TokenInfo, list_tokens

    found: list[TokenInfo] = _refused(lambda: list_tokens(_sessions(), username))  # type: ignore[assignment]
    table = Table(title=f"用户 {username} 的 API 令牌（{len(found)} 个）")
    for column in ("编号", "用途", "签发时间", "状态"):
        table.add_column(column, no_wrap=True)
    for token in found:
        table.add_row(str(token.id), token.label, token.created_at.strftime("%Y-%m-%d %H:%M"),
                      "[red]已撤销[/]" if token.revoked else "[green]有效[/]")
    Console(highlight=False).print(table)


def revoke(
    username: Annotated[str, typer.Argument(help="用户名")],
    token_id: Annotated[int | None, typer.Option(
        "--id", help="只撤销这个编号的令牌（见 jixiao user tokens）；不给则撤销全部")] = None,
) -> None:
    """撤销用户的 API 令牌（一个或全部）：立即在所有服务进程中失效。"""
    from jixiao.services.accounts import revoke_tokens

    count = _refused(lambda: revoke_tokens(_sessions(), username, token_id))
    Console(stderr=True, highlight=False).print(f"已撤销用户 {username} 的 {count} 个令牌")


def deactivate(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """停用账号：立即结束其全部登录会话，令牌在停用期间一律拒绝（可用 jixiao user activate 恢复）。"""
    from jixiao.services.accounts import set_active

    changed = _refused(lambda: set_active(_sessions(), username, False))
    Console(stderr=True, highlight=False).print(
        f"已停用用户 {username}，其登录会话已全部结束" if changed else f"用户 {username} 已是停用状态，未作改动")


def activate(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """恢复已停用的账号（未撤销的令牌重新有效；需要重新登录）。"""
    from jixiao.services.accounts import set_active

    changed = _refused(lambda: set_active(_sessions(), username, True))
    Console(stderr=True, highlight=False).print(
        f"已恢复用户 {username}" if changed else f"用户 {username} 本来就是启用状态，未作改动")


def password(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """重设密码：在终端输入两次新密码（至少 10 个字符，不能与用户名相同或全是同一个字符）；
    该用户的全部登录会话立即结束。"""
    from jixiao.services.accounts import check_new_password, reset_password

    first = getpass.getpass("新密码：")
    _refused(lambda: check_new_password(username, first))
    if getpass.getpass("再输入一次：") != first:
        Console(stderr=True).print("[bold red]错误[/]：两次输入的密码不一致，未作改动")
        raise typer.Exit(2)
    _refused(lambda: reset_password(_sessions(), username, first))
    Console(stderr=True, highlight=False).print(f"已重设用户 {username} 的密码，其登录会话已全部结束")


def register(app: typer.Typer) -> None:
    """Add the commands to ``jixiao user``."""
    app.command("tokens")(tokens)
    app.command("revoke")(revoke)
    app.command("deactivate")(deactivate)
    app.command("activate")(activate)
    app.command("password")(password)
