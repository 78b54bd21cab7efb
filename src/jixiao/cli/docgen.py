"""Generate docs/cli.md from the command tree, so the CLI reference cannot drift.

``make docs`` rewrites the file; a test fails when the committed file differs.
"""

from __future__ import annotations

from typing import Any

import typer

from jixiao.cli.main import app
from jixiao.services import docs


def _param_line(param: Any) -> str:
    if param.param_type_name == "argument":
        name, kind = f"`{param.name.upper()}`", "参数"
    else:
        name, kind = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts]), "选项"
    help_text = (param.help or "").replace("\n", " ")
    default = getattr(param.default, "value", param.default)
    if param.param_type_name == "option" and default not in (None, False, ()):
        help_text += f"（默认：`{default}`）"
    return f"| {name} | {kind} | {help_text} |"


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """Every leaf command under ``group``, depth first, with its full name."""
    found: list[tuple[str, Any]] = []
    for name in sorted(getattr(group, "commands", {})):
        command = group.commands[name]
        full = f"{prefix} {name}"
        if getattr(command, "commands", None):
            found += _commands(command, full)
        else:
            found.append((full, command))
    return found


def command_names() -> list[str]:
    """Full names of every command, e.g. ``jixiao parse``."""
    return [name for name, _ in _commands(typer.main.get_command(app), "jixiao")]


def generate() -> str:
    root = typer.main.get_command(app)
    lines = [
        "# 命令行参考（CLI reference）",
        "",
        "本文件由 `make docs`（`python -m jixiao.cli.docgen`）根据代码生成，请勿手工修改。",
        "",
        (root.help or "").strip(),
        "",
    ]
    for full, command in _commands(root, "jixiao"):
        params = [p for p in command.params if p.name != "help"]
        usage = " ".join(
            p.name.upper() + ("..." if p.nargs == -1 else "")
            for p in params if p.param_type_name == "argument"
        )
        lines += [f"## `{full}`", "", (command.help or "").strip(), "",
                  "```", f"{full} [选项] {usage}".rstrip(), "```", ""]
        if params:
            lines += ["| 名称 | 类型 | 说明 |", "| --- | --- | --- |"]
            lines += [_param_line(p) for p in params]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def generate_rules() -> str:
    """docs/rules.md: the rule catalogue, the shipped profiles and the grade formula."""
    return docs.rules_reference()


def generate_diagnostics() -> str:
    """docs/diagnostics.md: every code a reader or an input check reports, from the catalogue."""
    return docs.diagnostics_reference()


def generate_api_errors() -> str:
    """docs/api-errors.md: every error code of the API, from the error classes."""
    return docs.api_errors_reference()


def generate_configuration() -> str:
    """docs/configuration.md: every environment variable of the typed settings object."""
    from jixiao.services.settings import configuration_reference

    return configuration_reference()


DOCS = {"docs/cli.md": generate, "docs/rules.md": generate_rules, "docs/diagnostics.md": generate_diagnostics,
        "docs/api-errors.md": generate_api_errors, "docs/configuration.md": generate_configuration}


if __name__ == "__main__":
    import sys
    from pathlib import Path

    if "--write" in sys.argv:
        for path, build in DOCS.items():
            Path(path).write_text(build(), encoding="utf-8")
            print(f"已生成 {path}")
    else:
        print(generate(), end="")
