"""The ``jixiao`` command line as a Typer app: every command, its help and its usage errors.

:mod:`jixiao.cli.main` (the entry point) imports this only when it must: a plain ``jixiao parse`` runs
without Typer (and the pydantic it brings), which is most of a short conversion's start-up.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

import typer

from jixiao import __version__

HELP = "绩效 jixiao：预算绩效管理工具——读取、审核、评分、公开项目支出绩效目标表。"


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
    from jixiao.cli.index_cmd import index_app
    from jixiao.cli.jobs_cmd import jobs_app, worker
    from jixiao.cli.library_cmd import library_app
    from jixiao.cli.office_cmd import export, template_app
    from jixiao.cli.ops_cmd import backup, migrate_cmd, refresh_cmd, restore
    from jixiao.cli.parse_cmd import parse
    from jixiao.cli.score_cmd import monitor, score, selfeval_app
    from jixiao.cli.selfeval_report_cmd import report as selfeval_report
    from jixiao.cli.server_cmd import demo, import_, org_app, serve, user_app

    built = _typer()
    built.command("parse")(parse)
    built.command("check")(check)
    built.command("score")(score)
    built.command("monitor")(monitor)
    selfeval_app.command("report")(selfeval_report)
    built.add_typer(selfeval_app, name="selfeval")
    built.command("export")(export)
    built.add_typer(template_app, name="template")
    built.add_typer(index_app, name="index-system")
    built.command("serve")(serve)
    built.command("demo")(demo)
    built.command("import")(import_)
    register_account_commands(user_app)
    built.add_typer(user_app, name="user")
    built.add_typer(org_app, name="org")
    built.add_typer(library_app, name="library")
    built.command("backup")(backup)
    built.command("restore")(restore)
    built.command("migrate")(migrate_cmd)
    built.command("refresh")(refresh_cmd)
    built.command("worker")(worker)
    built.add_typer(jobs_app, name="jobs")
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
