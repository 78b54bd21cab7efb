"""The office commands as a user types them: export to every format, the template, folder import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import ROOT, SEED, run


@pytest.mark.parametrize("kind", ["xlsx", "docx", "pdf"])
def test_export_then_parse_any_format_gives_the_same_json(kind: str, tmp_path: Path) -> None:
    out = tmp_path / f"表.{kind}"
    done = run("export", str(SEED), "--format", kind, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "已写出 9 张表" in done.stderr
    original = json.loads(run("parse", str(SEED), "--format", "json").stdout)
    again = json.loads(run("parse", str(out), "--format", "json").stdout)
    strip = [{k: v for k, v in table.items() if k != "source"} for table in original]
    assert [{k: v for k, v in table.items() if k != "source"} for table in again] == strip


def test_export_needs_an_output_for_binary_formats_and_reports_unreadable_input(tmp_path: Path) -> None:
    done = run("export", str(SEED), "--format", "pdf")
    assert done.returncode == 2 and "必须用 --output" in done.stderr
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    done = run("export", str(broken), "--format", "json")
    assert done.returncode == 1 and "坏.xlsx" in done.stderr and "已损坏" in done.stderr


def test_template_xlsx_from_nothing_and_from_tables(tmp_path: Path) -> None:
    empty = tmp_path / "空白.xlsx"
    done = run("template", "xlsx", "-o", str(empty), "--rows", "5")
    assert done.returncode == 0 and empty.stat().st_size > 5000
    filled = tmp_path / "底稿.xlsx"
    done = run("template", "xlsx", "-o", str(filled), "--from", str(SEED), "--profile", "national")
    assert done.returncode == 0 and "9 个工作表" in done.stderr
    check = run("check", str(filled))
    assert "共审核 9 张表" in check.stdout


def test_check_and_score_write_pdf(tmp_path: Path) -> None:
    report = tmp_path / "审核.pdf"
    done = run("check", str(SEED), "--format", "pdf", "-o", str(report))
    assert done.returncode == 1  # the seed has error findings
    assert report.read_bytes().startswith(b"%PDF")
    scores = tmp_path / "自评表.pdf"
    data = ROOT / "tests" / "data" / "selfeval"
    done = run("score", str(SEED), "--actuals", str(data / "actuals_good.csv"), "--budget",
               str(data / "budget_good.csv"), "-f", "pdf", "-o", str(scores))
    assert scores.read_bytes().startswith(b"%PDF"), done.stderr


def test_import_a_mixed_folder_skips_the_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "材料"
    (folder / "子目录").mkdir(parents=True)
    run("export", str(SEED), "-f", "docx", "-o", str(folder / "目标.docx"))
    run("export", str(SEED), "-f", "pdf", "-o", str(folder / "子目录" / "目标.pdf"))
    (folder / "目标.txt").write_bytes(SEED.read_bytes())
    (folder / "炸弹.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (folder / "说明.md").write_text("不是绩效目标表", encoding="utf-8")
    env = {**os.environ, "JIXIAO_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "COLUMNS": "250"}
    done = subprocess.run([sys.executable, "-m", "jixiao.cli.main", "import", str(folder)], capture_output=True,
                          text=True, env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "导入结果（4 个文件）" in done.stderr and "说明.md" not in done.stderr
    assert "炸弹.xlsx" in done.stderr and "被拒绝" in done.stderr and "已损坏" in done.stderr
    lines = [line for line in done.stderr.splitlines() if "目标." in line]
    assert len(lines) == 3 and all("已导入" in line for line in lines)
