"""One line per file says what happened (issue 15, item 4): kind, layout, how sure, rows, guesses, what is missing."""

from __future__ import annotations

from pathlib import Path

from jixiao.io import registry
from jixiao.io.reading import read_path, read_text
from jixiao.io.summary import NOT_A_TABLE, summarise
from tests.test_cli import SEED, run

DATES = Path(__file__).parent / "data" / "real" / "029_neimenggu_wuhai_gongxiaoshe_zaishengziyuan_target.txt"
LABEL_TEXT = registry.by_name("label-text")


def test_a_clean_file_says_kind_layout_confidence_and_rows() -> None:
    line = summarise("seed.txt", list(read_path(SEED)), LABEL_TEXT).line()
    layout = "读取器 label-text（标签文本版式（重庆长寿区公开样式：标签：值 + 制表符指标表））"
    assert line == f"seed.txt：绩效目标表 9 张 · {layout} · 把握高 · 指标 36 行 · 缺项目总额（1）"


def test_a_rough_file_says_its_guesses_and_how_unsure_it_is() -> None:
    summary = summarise("029.txt", list(read_path(DATES)), registry.FALLBACK)
    assert summary.guesses == 2 and summary.confidence() == "低"
    assert " · 把握低 · 指标 23 行 · 推断 2 处（已标记，见下） · 缺项目总额（1）" in summary.line()


def test_a_text_that_is_no_table_says_so_in_one_line() -> None:
    line = summarise("通知.txt", read_text("关于开展绩效自评工作的通知\n各单位：请于月底前报送。\n", "通知.txt")).line()
    assert line == f"通知.txt：{NOT_A_TABLE}（没有读出任何指标表）"


def test_parse_prints_each_files_summary_first_and_its_details_under_it(tmp_path: Path) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text("关于开展绩效自评工作的通知\n各单位：请于月底前报送。\n", "utf-8")
    done = run("parse", str(DATES), str(notice), "-f", "json")
    lines = done.stderr.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(f"{DATES}："))
    assert "读取器 any-layout" in lines[first] and "推断 2 处" in lines[first]
    dates = [i for i, line in enumerate(lines) if "date-serial" in line]
    assert len(dates) == 2 and all(i > first for i in dates)  # the details after the line …
    second = next(i for i, line in enumerate(lines) if line.startswith(f"{notice}："))
    assert second > max(dates)  # … and before the next file's
    assert lines[second].startswith(f"{notice}：{NOT_A_TABLE}")
    assert not any("stray-line" in line for line in lines)  # a text that is no table: its notes counted, not listed
    assert done.returncode == 1
