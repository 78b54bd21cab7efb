"""The ``jixiao`` command: a thin shell over the library (see ``jixiao.io`` and services).

Start-up is benchmarked (``bench/run.py`` stage ``cli``), so this module imports nothing heavy. A plain
``jixiao parse FILE… [-f FORMAT] [-o OUT] [--reader NAME]`` runs straight away (:mod:`jixiao.cli.parse_args`
reads those arguments exactly as Typer would); anything else (help, a usage error, any other command)
goes through the Typer app of :mod:`jixiao.cli.app`.
"""

from __future__ import annotations

import sys
from typing import Any

GROUPS = ("selfeval", "template", "user", "org")  # commands of commands: alone, they show their help


def __getattr__(name: str) -> Any:
    if name == "app":  # ``from jixiao.cli.main import app`` (tests, docs) gets the whole command line
        from jixiao.cli.app import build_app

        return build_app()
    if name in ("build_app", "parse_app"):
        from jixiao.cli import app

        return getattr(app, name)
    raise AttributeError(name)


def main() -> None:
    """Entry point: Chinese messages for usage errors, exit code 2 for them."""
    if sys.argv[1:2] == ["parse"]:
        from jixiao.cli.parse_args import plain_parse_request

        request = plain_parse_request(sys.argv[2:])
        if request is not None:
            import gc

            from jixiao.cli.parse_run import run_request

            gc.freeze()  # what is loaded now lives as long as the process: no collection need walk it
            sys.exit(run_request(request))
    _typer_main()


def _typer_main() -> None:
    import typer
    from rich.console import Console

    from jixiao.cli.app import build_app, parse_app

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
    except Exception as error:
        from jixiao.services.errors import DatabaseBusy, as_service_error

        mapped = as_service_error(error)
        if not isinstance(mapped, DatabaseBusy):
            raise
        console.print(f"[bold red]数据库正忙[/]：{mapped.message}")
        sys.exit(75)  # EX_TEMPFAIL: the same command can be run again
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
