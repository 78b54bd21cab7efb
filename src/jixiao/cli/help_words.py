"""Typer's and Click's own words on help pages ("Usage:", "Options", "Show this message and exit."), in Chinese.

Typer (0.29) vendors Click and keeps these words as module constants and literals, with no catalogue to
install (see :mod:`jixiao.cli.usage_errors` for the errors). They are replaced here, and only when a help
page is about to be shown: importing Typer's rich help module costs start-up time that ``jixiao parse``
must not pay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HELP_OPTION_TEXT = "显示本帮助并退出。"
USAGE_PREFIX = "用法："
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}  # pieces of the usage line
PANEL_WORDS: dict[str, str] = {  # typer.rich_utils constant → its Chinese
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
    "ABORTED_TEXT": "已中断。",
    "RICH_HELP": "运行 [blue]“{command_path} {help_option}”[/] 查看帮助。",
}
_done = False


def speak_chinese() -> None:
    """Put the Chinese words in place (once per process)."""
    global _done
    if _done:
        return
    from typer import core as typer_core
    from typer import rich_utils
    from typer._click import core, decorators, formatting

    for name, text in PANEL_WORDS.items():
        setattr(rich_utils, name, text)
    # rich_utils colours the usage line by finding its English prefix; teach it the Chinese one.
    highlighter: Any = rich_utils.highlighter
    highlighter.highlights = [pattern.replace("(?P<usage>Usage: )", f"(?P<usage>{USAGE_PREFIX})")
                              for pattern in highlighter.highlights]
    english_write_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        english_write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    for command_class in (core.Command, typer_core.TyperGroup):  # (a group adds "COMMAND [ARGS]..." itself)
        _translate_usage(command_class)
    english_help_option = decorators.help_option

    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        decorate = english_help_option(param_decls)

        def apply(command: Any) -> Any:
            command = decorate(command)
            command.params[-1].help = HELP_OPTION_TEXT  # (the option it just appended)
            return command

        return apply

    decorators.help_option = help_option  # (core imports it at call time)
    _done = True


def _translate_usage(command_class: Any) -> None:
    english_pieces = command_class.collect_usage_pieces

    def collect_usage_pieces(self: Any, ctx: Any) -> list[str]:
        return [USAGE_WORDS.get(piece, piece) for piece in english_pieces(self, ctx)]

    command_class.collect_usage_pieces = collect_usage_pieces
