"""The plain ``jixiao parse`` path: the same arguments as Typer reads, the same output, a light start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from jixiao.cli import parse_run
from jixiao.cli.app import parse_app
from jixiao.cli.parse_args import ParseRequest, plain_parse_request
from tests.test_cli import SEED

ACCEPTED = [
    ["a.txt"],
    ["-"],
    ["a.txt", "b.txt", "--format", "json"],
    ["-f", "text", "a.txt"],
    ["a.txt", "--format=json", "--output=out.json"],
    ["a.txt", "-o", "out.json", "-f", "json", "b.txt"],
    ["a.txt", "-o", "-"],
    ["--reader", "label-text", "a.txt"],
    ["--reader=json", "-", "--output", "o", "--format", "table"],
    ["文件 有空格.txt", "-f", "json"],
    ["a.txt", "-f", "json", "--jobs", "3"],
    ["a.txt", "--jobs=1", "-f", "json"],
    ["-j", "2", "a.txt"],
]
REFUSED = [  # Typer answers these (help, usage errors), so the plain path must leave them alone
    [],
    ["--help"],
    ["a.txt", "--help"],
    ["--", "a.txt"],
    ["a.txt", "--bogus"],
    ["a.txt", "-fjson"],
    ["a.txt", "-f=json"],
    ["a.txt", "--format", "JSON"],
    ["a.txt", "--format", "xlsx"],
    ["a.txt", "--format"],
    ["a.txt", "--output"],
    ["a.txt", "--format", "json", "--format", "text"],
    ["a.txt", "-o", "--format"],
    ["a.txt", "--reader", "-"],
    ["a.txt", "--output="],
    ["", "-f", "json"],
    ["-x.txt"],
    ["a.txt", "--form", "json"],
    ["a.txt", "--jobs", "0"],
    ["a.txt", "--jobs", "two"],
    ["a.txt", "-j", "-1"],
    ["a.txt", "--jobs", "２"],
]


def typer_reads(args: list[str], monkeypatch: pytest.MonkeyPatch) -> ParseRequest:
    """What Typer hands to ``run_parse`` for ``jixiao parse ARGS`` (run_parse itself is replaced)."""
    seen: list[ParseRequest] = []

    def record(*values: Any) -> int:
        seen.append(ParseRequest(*values))
        return 0

    monkeypatch.setattr(parse_run, "run_parse", record)
    parse_app()(args=["parse", *args], standalone_mode=False)
    assert len(seen) == 1
    return seen[0]


@pytest.mark.parametrize("args", ACCEPTED, ids=" ".join)
def test_plain_arguments_are_read_as_typer_reads_them(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    plain = plain_parse_request(args)
    assert plain is not None
    assert plain == typer_reads(args, monkeypatch)


@pytest.mark.parametrize("args", REFUSED, ids=" ".join)
def test_anything_else_goes_to_typer(args: list[str]) -> None:
    assert plain_parse_request(args) is None


def test_shell_completion_requests_go_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_JIXIAO_COMPLETE", "bash_source")
    assert plain_parse_request(["a.txt"]) is None


def test_plain_parse_imports_neither_typer_nor_rich_nor_pydantic(tmp_path: Path) -> None:
    """The start-up cost of ``jixiao parse FILE -f json -o OUT`` is the readers' and msgspec's alone."""
    out = tmp_path / "out.json"
    probe = (f"import sys; sys.argv = ['jixiao', 'parse', {str(SEED)!r}, '-f', 'json', '-o', {str(out)!r}]\n"
             "from jixiao.cli.main import main\n"
             "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
             "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'pydantic', 'click'}))")
    checked = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert checked.stdout == "0 []\n", checked
    layout = "读取器 label-text（标签文本版式（重庆长寿区公开样式：标签：值 + 制表符指标表））"
    summary = f"{SEED}：绩效目标表 9 张 · {layout} · 把握高 · 指标 36 行 · 缺项目总额（1）"
    assert checked.stderr == f"{summary}\n共读取 1 个文件、9 张表、36 条指标；诊断 0 条\n"
    assert out.read_bytes().startswith(b"[\n{\n  \"format_version\": 1,")


@pytest.mark.parametrize("diagnostics", [0, 3])
def test_the_plain_summary_is_what_rich_prints_off_a_terminal(diagnostics: int,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = f"共读取 2 个文件、5 张表、7 条指标；诊断 {diagnostics} 条"
    style = "bold" if not diagnostics else "bold yellow"
    plain = parse_run._Errors()
    plain.summary(text, style)
    written = capsys.readouterr().err
    Console(stderr=True, highlight=False, soft_wrap=True).print(text, style=style)
    assert written == capsys.readouterr().err == text + "\n"


def test_a_forced_terminal_gets_rich_styles(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    parse_run._Errors().summary("共读取 1 个文件", "bold")
    assert capsys.readouterr().err == "\x1b[1m共读取 1 个文件\x1b[0m\n"


class _Out:
    """A UTF-8 text stream over bytes, a terminal or not."""

    encoding = "utf-8"

    def __init__(self, tty: bool) -> None:
        import io

        self.buffer, self.tty = io.BytesIO(), tty

    def isatty(self) -> bool:
        return self.tty

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [False, True])
def test_json_is_written_in_large_pieces_except_to_a_terminal(tty: bool) -> None:
    from jixiao.io.reading import read_path
    from jixiao.services.tables import encode_table

    tables = [r.table for r in read_path(SEED) if r.table is not None]
    out = _Out(tty)
    writer = parse_run._JsonArrayWriter(out)  # type: ignore[arg-type]
    writer.add(tables[0])
    assert out.buffer.getvalue() == (b"[\n" + encode_table(tables[0]) if tty else b"")
    for table in tables[1:]:
        writer.add(table)
    writer.close()
    assert out.buffer.getvalue() == b"[\n" + b",\n".join(map(encode_table, tables)) + b"\n]\n"
