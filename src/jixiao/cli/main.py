"""The ``jixiao`` command: a thin shell over the library (see ``jixiao.io`` and services)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from jixiao import __version__
from jixiao.cli.check_cmd import check
from jixiao.cli.office_cmd import export, template_app
from jixiao.cli.parse_cmd import parse
from jixiao.cli.score_cmd import monitor, score, selfeval_app
from jixiao.cli.server_cmd import demo, import_, org_app, serve, user_app
from jixiao.cli.usage_errors import explain

app = typer.Typer(
    name="jixiao",
    help="绩效 jixiao：预算绩效管理工具——读取、审核、评分、公开项目支出绩效目标表。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", "-V", callback=_print_version, is_eager=True,
                                                help="显示版本号并退出。")] = False) -> None:
    """绩效 jixiao：预算绩效管理工具——读取、审核、评分、公开项目支出绩效目标表。"""


app.command("parse")(parse)
app.command("check")(check)
app.command("score")(score)
app.command("monitor")(monitor)
app.add_typer(selfeval_app, name="selfeval")
app.command("export")(export)
app.add_typer(template_app, name="template")
app.command("serve")(serve)
app.command("demo")(demo)
app.command("import")(import_)
app.add_typer(user_app, name="user")
app.add_typer(org_app, name="org")


@app.command("version")
def version() -> None:
    """显示版本号。"""
    typer.echo(f"jixiao {__version__}")


def main() -> None:
    """Entry point: Chinese messages for usage errors, exit code 2 for them."""
    console = Console(stderr=True, highlight=False)
    try:
        result = app(standalone_mode=False)
    except typer.Abort:
        console.print("已中断。")
        sys.exit(130)
    except typer.TyperException as error:  # Click's usage errors, vendored by Typer
        if type(error).__name__ == "NoArgsIsHelpError":
            typer.echo(error.format_message(), err=True)
            sys.exit(2)
        message = explain(error)
        console.print(f"[bold red]用法错误[/]：{message}")
        console.print("运行 [bold]jixiao --help[/] 或 [bold]jixiao 命令 --help[/] 查看用法。")
        sys.exit(getattr(error, "exit_code", 2))
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
