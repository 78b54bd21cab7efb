"""The arguments of a plain ``jixiao parse``, read without Typer.

Typer (with Click and pydantic) costs most of a short conversion's start-up, so the forms a user or a
script types every day are read here: files (``-`` for standard input), ``--format/-f``, ``--output/-o``,
``--reader``, each option at most once, as ``--opt VALUE`` or ``--opt=VALUE``, anywhere among the files.
Anything else (``--help``, ``--``, an unknown option, a bad format, a value that looks like an option, no
file) gets ``None`` and goes to Typer, which gives its help or its usage error as always.
tests/test_parse_args.py holds this to what Typer reads from the same arguments.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

FORMATS = ("table", "json", "text")
_OPTIONS = {"--format": "format", "-f": "format", "--output": "output", "-o": "output", "--reader": "reader",
            "--jobs": "jobs", "-j": "jobs"}


class ParseRequest(NamedTuple):
    files: list[Path]
    output_format: str  # one of FORMATS
    output: Path | None
    reader: str | None
    jobs: int | None = None


def plain_parse_request(args: list[str]) -> ParseRequest | None:
    """What ``jixiao parse ARGS`` asks for, or ``None`` when Typer must read ``args`` (see the module)."""
    if os.name == "nt" or any(name.endswith("_COMPLETE") for name in os.environ):
        return None  # Click expands wildcards on Windows and answers shell-completion requests
    files: list[str] = []
    values: dict[str, str] = {}
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if arg == "-" or (arg and not arg.startswith("-")):
            files.append(arg)
            continue
        name, equals, value = arg.partition("=")
        key = _OPTIONS.get(name)
        if key is None or key in values or (equals and not name.startswith("--")):
            return None
        if not equals:
            if position == len(args):
                return None
            value = args[position]
            position += 1
        if not value or (value.startswith("-") and not (key == "output" and value == "-")):
            return None
        values[key] = value
    output_format = values.get("format", "table")
    if not files or output_format not in FORMATS:
        return None
    output, jobs = values.get("output"), values.get("jobs")
    if jobs is not None and not (jobs.isascii() and jobs.isdecimal() and int(jobs) >= 1):
        return None  # Typer says what a number of processes must be
    return ParseRequest([Path(name) for name in files], output_format,
                        None if output is None else Path(output), values.get("reader"),
                        None if jobs is None else int(jobs))
