"""The ``jixiao`` command: a thin shell over the library (see ``jixiao.io`` and services)."""

from __future__ import annotations

import sys
from functools import cache
from typing import Annotated

import typer
from rich.console import Console

from jixiao import __version__

HELP = "绩效 jixiao：预算绩效管理工具——读取、审核、评分、公开项目支出绩效目标表。"
GROUPS = ("selfeval", "template", "user", "org")  # commands of commands: alone, they show their help


def _typer() -> typer.Typer:
    built = typer.Typer(name="jixiao", help=HELP, no_args_is_help=True, add_completion=False,
                        rich_markup_mode="rich")
    built.callback()(_root)  # --version; also keeps "parse" a subcommand of the one-command parse app
    return built


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


def _root(version: Annotated[bool, typer.Option("--version", "-V", callback=_print_version, is_eager=True,
                                                help="显示版本号并退出。")] = False) -> None:
    """绩效 jixiao：预算绩效管理工具——读取、审核、评分、公开项目支出绩效目标表。"""


@cache
def build_app() -> typer.Typer:
    """The whole command line (every command module is imported)."""
    from jixiao.cli.account_cmd import register as register_account_commands
    from jixiao.cli.check_cmd import check
    from jixiao.cli.office_cmd import export, template_app
    from jixiao.cli.parse_cmd import parse
    from jixiao.cli.score_cmd import monitor, score, selfeval_app
    from jixiao.cli.server_cmd import demo, import_, org_app, serve, user_app

    built = _typer()
    built.command("parse")(parse)
    built.command("check")(check)
    built.command("score")(score)
    built.command("monitor")(monitor)
    built.add_typer(selfeval_app, name="selfeval")
    built.command("export")(export)
    built.add_typer(template_app, name="template")
    built.command("serve")(serve)
    built.command("demo")(demo)
    built.command("import")(import_)
    register_account_commands(user_app)
    built.add_typer(user_app, name="user")
    built.add_typer(org_app, name="org")
    built.command("version")(version)
    return built


def parse_app() -> typer.Typer:
    """Only ``jixiao parse``: a user converting a file does not wait for the web, the database or the rules."""
    from jixiao.cli.parse_cmd import parse

    built = _typer()
    built.command("parse")(parse)
    return built


def version() -> None:
    """显示版本号。"""
    typer.echo(f"jixiao {__version__}")


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # ``from jixiao.cli.main import app`` (tests, docs) gets the whole command line
        return build_app()
    raise AttributeError(name)


def main() -> None:
    """Entry point: Chinese messages for usage errors, exit code 2 for them."""
    console = Console(stderr=True, highlight=False)
    args = sys.argv[1:]
    if not args or "--help" in args or "-h" in args or (len(args) == 1 and args[0] in GROUPS):
        from jixiao.cli.help_words import speak_chinese  # (only for help pages: it costs start-up time)

        speak_chinese()
    try:
        chosen = parse_app() if sys.argv[1:2] == ["parse"] else build_app()
        result = chosen(standalone_mode=False, prog_name="jixiao")  # (also as python -m jixiao.cli.main)
    except typer.Abort:
        console.print("已中断。")
        sys.exit(130)
    except typer.TyperException as error:  # Click's usage errors, vendored by Typer
        if type(error).__name__ == "NoArgsIsHelpError":
            typer.echo(error.format_message(), err=True)
            sys.exit(2)
        from jixiao.cli.usage_errors import explain

        message = explain(error)
        console.print(f"[bold red]用法错误[/]：{message}")
        console.print("运行 [bold]jixiao --help[/] 或 [bold]jixiao 命令 --help[/] 查看用法。")
        sys.exit(getattr(error, "exit_code", 2))
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
