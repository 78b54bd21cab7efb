"""The ``jixiao`` command as a user runs it: real process, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jixiao.io.reading import read_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao.cli.main", *args],
        input=stdin.decode("utf-8") if stdin is not None else None,
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=False,
    )


def test_parse_table_view() -> None:
    done = run("parse", str(SEED))
    assert done.returncode == 0, done.stderr
    assert "50011522T000000157087-免费复印（一般性）" in done.stdout
    assert "工作人员和群众满意度" in done.stdout
    assert "9 张表、36 条指标；诊断 0 条" in done.stderr


def test_parse_json_is_one_array_of_tables() -> None:
    done = run("parse", str(SEED), "--format", "json")
    assert done.returncode == 0, done.stderr
    tables = json.loads(done.stdout)
    assert len(tables) == 9
    assert tables[0]["total_wan"] == "15.00"
    assert tables[0]["indicators"][0]["target"] == "720000"


def test_parse_reads_stdin_and_writes_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    done = run("parse", "-", "--format", "json", "--output", str(out), stdin=SEED.read_bytes())
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    tables = json.loads(out.read_text("utf-8"))
    assert len(tables) == 9 and tables[0]["source"]["file"] == "<标准输入>"


def test_parse_json_output_reads_back_as_input(tmp_path: Path) -> None:
    out = tmp_path / "seed.json"
    assert run("parse", str(SEED), "-f", "json", "-o", str(out)).returncode == 0
    again = run("parse", str(out), "-f", "json")
    assert again.returncode == 0, again.stderr
    first = json.loads(out.read_text("utf-8"))
    second = json.loads(again.stdout)
    for table in first + second:
        table.pop("source")
    assert first == second


def test_parse_text_format_writes_the_published_layout() -> None:
    done = run("parse", str(SEED), "--format", "text")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("绩效目标表\n") == 9
    reread = read_text(done.stdout)
    assert len([r for r in reread if r.table]) == 9


def test_many_files_and_diagnostics_give_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("这是一份普通说明，没有表格。\n", encoding="utf-8")
    done = run("parse", str(SEED), str(bad), "-f", "json")
    assert done.returncode == 1
    assert "no-table" in done.stderr and "没有找到绩效目标表" in done.stderr
    assert str(bad) in done.stderr
    assert len(json.loads(done.stdout)) == 9  # the good file is still read
    assert "共读取 2 个文件、9 张表" in done.stderr


def test_a_title_with_nothing_after_it_is_reported_not_counted(tmp_path: Path) -> None:
    bad = tmp_path / "title-only.txt"
    bad.write_text("项目支出绩效目标表\n\n", encoding="utf-8")
    done = run("parse", str(bad))
    assert done.returncode == 1
    assert "empty-table" in done.stderr and "0 张表" in done.stderr


def test_missing_file_is_a_usage_error() -> None:
    done = run("parse", "no-such-file.txt")
    assert done.returncode == 2
    assert "找不到文件" in done.stderr and "no-such-file.txt" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_option_is_a_usage_error_in_chinese() -> None:
    done = run("parse", "--bogus", str(SEED))
    assert done.returncode == 2
    assert "用法错误" in done.stderr and "Traceback" not in done.stderr


def test_unknown_reader_is_a_usage_error() -> None:
    done = run("parse", "--reader", "nope", str(SEED))
    assert done.returncode == 2 and "没有名为“nope”的读取器" in done.stderr


def test_bad_format_choice_is_a_usage_error() -> None:
    done = run("parse", "--format", "xml", str(SEED))
    assert done.returncode == 2 and "用法错误" in done.stderr
