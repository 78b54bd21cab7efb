"""The published-text reader on rough input: wraps, typos, blanks, widths, separators, encodings, bad content.

Each case is a small file in ``tests/data/robustness/`` derived from the 重庆 seed (one or two
tables). The seed itself, read by the golden-checked tests in ``test_seed.py``, is the oracle:
a robust reader gives the same table for the rough variant, or says exactly what it could not
read — in Chinese, with the file name and, where there is one, the line.
"""

from __future__ import annotations

import importlib.util
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType

import msgspec
import pytest

from jixiao.domain import Diagnostic, Severity, TargetTable, Value
from jixiao.io.reading import read_bytes, read_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
DATA = ROOT / "tests" / "data" / "robustness"

_CJK = re.compile(r"[\u4e00-\u9fff]")
FILE_LEVEL_CODES = frozenset({"no-table", "unreadable-file"})  # about the whole file: no line


# -- helpers ------------------------------------------------------------------------------
def check_diagnostics(diagnostics: list[Diagnostic], file: str) -> None:
    """Every diagnostic is Chinese, names the file and, unless it is about the whole file, the line."""
    for diagnostic in diagnostics:
        assert _CJK.search(diagnostic.message), f"not Chinese: {diagnostic}"
        assert diagnostic.file == file, diagnostic
        rendered = diagnostic.render()
        assert rendered.startswith(file), rendered
        if diagnostic.code not in FILE_LEVEL_CODES:
            assert diagnostic.line is not None and diagnostic.line >= 1, diagnostic
            assert f"第{diagnostic.line}行" in rendered, rendered


def read(name: str) -> tuple[list[TargetTable], list[Diagnostic]]:
    path = DATA / name
    results = list(read_path(path))
    tables = [r.table for r in results if r.table is not None]
    diagnostics = [d for r in results for d in r.diagnostics]
    check_diagnostics(diagnostics, str(path))
    return tables, diagnostics


def codes(diagnostics: list[Diagnostic]) -> list[tuple[str, int | None]]:
    return sorted(((d.code, d.line) for d in diagnostics), key=lambda item: (item[1] or 0, item[0]))


def line_of(name: str, needle: str) -> int:
    """The 1-based number of the only line of a UTF-8 data file that contains ``needle``."""
    lines = (DATA / name).read_text("utf-8").splitlines()
    found = [number for number, text in enumerate(lines, start=1) if needle in text]
    assert len(found) == 1, (needle, found)
    return found[0]


@cache
def seed() -> tuple[TargetTable, ...]:
    results = list(read_path(SEED))
    assert [d for r in results for d in r.diagnostics] == []
    return tuple(r.table for r in results if r.table is not None)


SEED_FREE_COPY, SEED_TECH, SEED_TAX, SEED_WINDOW, SEED_POST, SEED_ESTATE = range(6)
SEED_STYLE = 7  # 窗口作风建设, the table with a 定性 indicator


# -- wrapped values -----------------------------------------------------------------------
def test_values_wrapped_mid_name_are_joined_without_a_gap() -> None:
    (table,), diagnostics = read("wrapped_values.txt")
    assert diagnostics == []
    assert table.unit is not None
    assert (table.unit.code, table.unit.name) == ("145001", "重庆市长寿区政务服务管理办公室（本级）")
    assert table.project is not None and table.project.code_text == "50011522T000000132158"
    assert (table.project.name, table.project.suffix) == ("物业绿化", None)
    assert table.function is not None
    assert (table.function.code, table.function.name) == ("03", "开展政务服务平台建设")
    assert table == seed()[SEED_ESTATE]


def test_annual_goal_paragraphs_are_joined_with_a_newline() -> None:
    (table,), _ = read("wrapped_values.txt")
    assert table.annual_goal is not None
    first, second = table.annual_goal.split("\n")
    assert first.startswith("（一般性项目）为确保区行政服务中心高质量物业服务")
    assert first.endswith("大楼安全有保障，大楼维修有保障。")
    assert second.startswith("区行政服务中心作为区级窗口单位，为改善办公环境")
    assert second.endswith("外围绿化养护每平方9元/年，总面积1100平方米。")
    assert table.funding.fiscal == Decimal("133.08")  # the field after the goal is read as usual


# -- header typo --------------------------------------------------------------------------
def test_header_typo_ben_quanzhong_reads_current_weight() -> None:
    (table,), diagnostics = read("header_typo.txt")
    assert diagnostics == []  # 本权重(%) is known, not an unknown column
    assert [i.current_weight for i in table.indicators] == [Decimal(w) for w in ("25", "25", "20", "20")]
    assert [i.weight for i in table.indicators] == [Decimal(w) for w in ("25", "25", "20", "20")]
    assert table == seed()[SEED_TECH]


# -- blanks and money spellings -----------------------------------------------------------
def test_blank_fields_are_none_never_zero() -> None:
    (table,), diagnostics = read("blank_fields.txt")
    assert diagnostics == []
    assert table.total_wan is None  # 项目总额： 万元
    assert table.execution_weight is None  # 预算执行率权重：␠
    assert table.funding.fiscal is None  # 其中：财政资金： 万元
    assert table.funding.unit_own is None  # 单位资金： (nothing at all)
    assert table.funding.special_account is None and table.funding.social is None
    assert table.funding.bank_loan is None
    assert table.funding.total() is None
    assert table.contact_person is None and table.contact_phone is None
    assert table == seed()[SEED_POST]


@pytest.mark.parametrize(
    ("name", "index", "line_text", "total", "fiscal"),
    [
        ("money_spacing.txt", 0, "项目总额：62.68 万元", "62.68", "62.68"),  # fiscal: 62.68万元
        ("money_spacing.txt", 1, "项目总额：175.65万元", "175.65", "175.65"),
        ("blank_fields.txt", 0, "项目总额： 万元", None, None),
    ],
)
def test_money_with_and_without_space_before_wanyuan(
    name: str, index: int, line_text: str, total: str | None, fiscal: str | None
) -> None:
    tables, diagnostics = read(name)
    assert diagnostics == []
    assert line_text in (DATA / name).read_text("utf-8").splitlines()
    table = tables[index]
    assert (str(table.total_wan) if table.total_wan is not None else None) == total
    assert (str(table.funding.fiscal) if table.funding.fiscal is not None else None) == fiscal


def test_zero_money_stays_zero_and_blank_with_unit_is_none() -> None:
    (tax, window), _ = read("money_spacing.txt")
    assert tax.funding.special_account == Decimal("0.00")  # 财政专户管理资金：0.00 万元
    assert str(tax.funding.special_account) == "0.00"
    assert tax.funding.unit_own is None  # 单位资金：␠␠万元
    assert tax.funding.total() == Decimal("62.68")
    assert tax == msgspec.structs.replace(seed()[SEED_TAX], funding=tax.funding)
    assert window == seed()[SEED_WINDOW]


# -- tabs and runs of spaces --------------------------------------------------------------
def test_tab_rows_with_padded_cells() -> None:
    (padded, spaced), diagnostics = read("tabs_and_spaces.txt")
    assert spaced.source is not None and spaced.source.line is not None
    assert [d for d in diagnostics if d.line is not None and d.line < spaced.source.line] == []
    assert padded == seed()[SEED_FREE_COPY]


def test_space_separated_rows_and_a_collapsed_blank_history_cell() -> None:
    (_padded, spaced), diagnostics = read("tabs_and_spaces.txt")
    expected = seed()[SEED_FREE_COPY]
    history = ["700000", "180", "350000", None]
    assert [i.history.text if i.history else None for i in spaced.indicators] == history
    assert spaced.indicators == tuple(
        msgspec.structs.replace(item, history=Value.of(text))
        for item, text in zip(expected.indicators, history, strict=True)
    )
    last = spaced.indicators[-1]
    assert (last.name, last.operator, last.target, last.current_target) == ("群众满意度", "≥", Value("95"),
                                                                            Value("95"))
    assert (last.unit_of_measure, last.weight, last.current_weight, last.direction) == (
        "%", Decimal("25"), Decimal("25"), "正向指标")
    # Only the row whose blank cell vanished is flagged, as a warning naming the column.
    (inferred,) = diagnostics
    assert inferred.code == "row-cells-inferred" and inferred.severity is Severity.WARNING
    assert inferred.line == line_of("tabs_and_spaces.txt", "群众满意度  ≥  95")
    assert "历史参考值" in inferred.message
    assert msgspec.structs.replace(spaced, indicators=expected.indicators) == expected


def test_tab_rows_keep_blank_first_and_last_cells() -> None:
    """Tabs fix every cell's column, so blank merged 一级指标 cells or a blank 指标方向性
    need no guessing: the values land where the tabs put them, with nothing to confirm."""
    (table,), diagnostics = read("tab_blank_cells.txt")
    seeded = seed()[SEED_FREE_COPY].indicators
    assert [(i.level1, i.level2, i.name) for i in table.indicators] == [
        ("产出指标", "数量指标", "纸张使用量"),
        (None, None, "墨粉消耗量"),
        (None, "经济效益指标", "减少办事成本"),
        ("满意度指标", "服务对象满意度指标", "群众满意度"),
    ]
    assert table.indicators[2] == msgspec.structs.replace(seeded[2], level1=None, direction=None)
    assert table.indicators[3] == msgspec.structs.replace(seeded[3], weight=None, direction=None)
    assert diagnostics == []


# -- widths -------------------------------------------------------------------------------
def test_full_width_digits_in_money_and_weights() -> None:
    (table, _), diagnostics = read("fullwidth.txt")
    assert diagnostics == []
    assert table.total_wan == Decimal("15.00") and str(table.total_wan) == "15.00"  # １５.００
    assert table.funding.fiscal == Decimal("15.00") and str(table.funding.fiscal) == "15.00"  # １５．００
    assert table.execution_weight == Decimal("10")  # １０
    assert [i.weight for i in table.indicators] == [Decimal("20"), Decimal("20"), Decimal("25"), Decimal("25")]
    assert [i.current_weight for i in table.indicators] == [i.weight for i in table.indicators]
    first, *_, last = table.indicators
    # Indicator values keep the published text; the number is derived from it.
    assert first.target == Value("７２００００") and first.target.number == Decimal("720000")
    assert last.current_target is not None and last.current_target.number == Decimal("95")
    assert last.unit_of_measure == "％"
    assert str(first.weight) == "20"


def test_half_width_colons_and_full_width_brackets_in_the_header() -> None:
    (_, table), diagnostics = read("fullwidth.txt")
    assert "项目总额:15.00 万元" in (DATA / "fullwidth.txt").read_text("utf-8")
    assert diagnostics == []
    assert table.total_wan == Decimal("15.00") and str(table.total_wan) == "15.00"
    assert table.funding.fiscal == Decimal("15.00")
    assert table == seed()[SEED_FREE_COPY]


# -- line endings and encodings -----------------------------------------------------------
def _base() -> list[TargetTable]:
    tables, diagnostics = read("encoding_base.txt")
    assert diagnostics == []
    assert tables == [seed()[SEED_FREE_COPY], seed()[SEED_STYLE]]
    return tables


def _lines(tables: list[TargetTable]) -> list[tuple[int | None, list[int | None]]]:
    return [(t.source.line if t.source else None, [i.line for i in t.indicators]) for t in tables]


@pytest.mark.parametrize("name", ["crlf.txt", "bom.txt", "gbk.txt"])
def test_line_endings_bom_and_gbk_read_like_utf8(name: str) -> None:
    tables, diagnostics = read(name)
    assert diagnostics == []
    assert tables == _base()
    assert _lines(tables) == _lines(_base())  # CRLF and BOM do not shift line numbers


def test_bom_is_not_part_of_the_first_value() -> None:
    (first, _), _ = read("bom.txt")
    assert first.source is not None and first.source.line == 1
    assert first.unit is not None and first.unit.code == "145001"


def test_gb18030_with_characters_gbk_cannot_encode() -> None:
    tables, diagnostics = read("gb18030.txt")
    assert diagnostics == []
    assert [t.contact_person for t in tables] == ["王䶮", "𠮷野"]
    assert tables == [msgspec.structs.replace(t, contact_person=p)
                      for t, p in zip(_base(), ["王䶮", "𠮷野"], strict=True)]


def _make_files() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_files", DATA / "make_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_encoded_files_match_their_generator() -> None:
    for name, data in _make_files().build().items():
        assert (DATA / name).read_bytes() == data, f"{name} is stale: run make_files.py"


def test_invalid_utf8_bytes_are_reported_on_their_lines() -> None:
    """A UTF-8 file with two damaged spots: both lines are named, everything else is read."""
    tables, diagnostics = read("decode_error.txt")
    goal_line = line_of("encoding_base.txt", "每月用纸量约6万张")
    row_line = line_of("encoding_base.txt", "培训人次")
    assert codes(diagnostics) == [("decode-error", goal_line), ("decode-error", row_line)]
    assert all(d.severity is Severity.ERROR for d in diagnostics)
    base = _base()
    assert len(tables) == 2
    free_copy, style = tables
    assert free_copy.annual_goal is not None and "每月用纸量约6万张\ufffd" in free_copy.annual_goal
    assert free_copy == msgspec.structs.replace(base[0], annual_goal=free_copy.annual_goal)
    assert style.indicators[0].name is not None
    assert style.indicators[0].name.startswith("培训") and "\ufffd" in style.indicators[0].name
    assert style.indicators[1:] == base[1].indicators[1:]
    assert msgspec.structs.replace(style, indicators=base[1].indicators) == base[1]


def test_invalid_utf8_bytes_after_the_sniffed_head_are_reported() -> None:
    """The same damage far into a long UTF-8 file (past the bytes sniffed for the encoding)."""
    base = (DATA / "encoding_base.txt").read_bytes()
    copies = 40
    data = (base + b"\n") * copies
    data = data[: -len(base) // 2] + b"\xff" + data[-len(base) // 2 :]
    damaged_line = data[: data.index(b"\xff")].count(b"\n") + 1
    results = list(read_bytes(data, "long.txt"))
    diagnostics = [d for r in results for d in r.diagnostics]
    check_diagnostics(diagnostics, "long.txt")
    assert [(d.code, d.line) for d in diagnostics if d.code == "decode-error"] == [("decode-error",
                                                                                     damaged_line)]
    assert len([r.table for r in results if r.table is not None]) == 2 * copies


# -- bad content --------------------------------------------------------------------------
def test_non_numeric_amount_and_weight_are_bad_numbers_read_as_none() -> None:
    (table,), diagnostics = read("bad_number.txt")
    total_line = line_of("bad_number.txt", "项目总额：约15万元")
    row_line = line_of("bad_number.txt", "墨粉消耗量")
    assert codes(diagnostics) == [("bad-number", total_line), ("bad-number", row_line)]
    by_line = {d.line: d for d in diagnostics}
    assert by_line[total_line].severity is Severity.ERROR
    assert by_line[total_line].column == "项目总额" and "约15万元" in by_line[total_line].message
    assert by_line[row_line].column == "权重" and "二十" in by_line[row_line].message
    assert table.total_wan is None
    assert table.funding.fiscal == Decimal("15.00")  # the rest of the table is read
    assert (table.indicators[1].weight, table.indicators[1].current_weight) == (None, Decimal("20"))
    expected = seed()[SEED_FREE_COPY]
    assert table.indicators[1] == msgspec.structs.replace(expected.indicators[1], weight=None)
    assert msgspec.structs.replace(table, total_wan=expected.total_wan, indicators=expected.indicators) == expected


def test_row_with_extra_cells_is_read_and_the_extra_reported() -> None:
    (table,), diagnostics = read("extra_cells.txt")
    row_line = line_of("extra_cells.txt", "墨粉消耗量")
    assert codes(diagnostics) == [("row-extra-cells", row_line)]
    (extra,) = diagnostics
    assert extra.severity is Severity.ERROR and "另计" in extra.message
    assert table == seed()[SEED_FREE_COPY]


def test_indicator_row_before_the_header_row_is_reported_not_glued_to_a_field() -> None:
    """The first row precedes the 一级指标… header: it is reported, and 银行贷款 stays blank."""
    (table, _), diagnostics = read("row_without_header.txt")
    row_line = line_of("row_without_header.txt", "纸张使用量")
    mine = [d for d in diagnostics if d.line is not None and d.line <= row_line + 5]
    assert codes(mine) == [("row-without-header", row_line)]
    assert mine[0].severity is Severity.ERROR
    expected = seed()[SEED_FREE_COPY]
    assert table.funding.bank_loan is None
    assert table.indicators == expected.indicators[1:]


def test_indicator_rows_without_any_header_row_do_not_join_the_annual_goal() -> None:
    """No 一级指标… header at all, rows right after 年度目标: each row is reported; the goal is kept."""
    (_, table), diagnostics = read("row_without_header.txt")
    names = ["协助窗口数量", "协税员人数", "群众办事跑腿次数", "群众满意率"]
    row_lines = [line_of("row_without_header.txt", name) for name in names]
    assert table.source is not None and table.source.line is not None
    start = table.source.line  # the file's first table has its own misplaced row
    without_header = [d.line for d in diagnostics
                      if d.code == "row-without-header" and d.line is not None and d.line >= start]
    assert without_header == row_lines
    assert table.annual_goal == seed()[SEED_TAX].annual_goal
    assert table.indicators == ()


def test_file_without_any_table() -> None:
    tables, diagnostics = read("no_table.txt")
    assert tables == []
    assert codes(diagnostics) == [("no-table", None), ("stray-line", 1), ("stray-line", 3)]
    no_table = next(d for d in diagnostics if d.code == "no-table")
    assert no_table.severity is Severity.ERROR and "绩效目标表" in no_table.message


def test_nonexistent_path_is_an_unreadable_file() -> None:
    path = DATA / "不存在的文件.txt"
    results = list(read_path(path))
    assert [r.table for r in results] == [None]
    diagnostics = [d for r in results for d in r.diagnostics]
    check_diagnostics(diagnostics, str(path))
    (unreadable,) = diagnostics
    assert (unreadable.code, unreadable.severity, unreadable.line) == ("unreadable-file", Severity.ERROR, None)
    assert unreadable.message.startswith("无法打开文件")


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.txt")))
def test_every_diagnostic_is_chinese_with_file_and_line(name: str) -> None:
    read(name)  # check_diagnostics runs inside


def test_a_table_row_above_the_title_is_a_warning_prose_a_note() -> None:
    """Found by the shuffled-lines property: an indicator row moved above the title was dropped with only
    a note (提示). What looks like part of a table and is outside every table is a warning; prose stays a note."""
    seed = (Path(__file__).resolve().parents[1] / "src/jixiao/data/seed_changshou_2022.txt").read_text("utf-8")
    lines = seed.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("产出指标\t"))
    moved = "\n".join(["附件1", lines[row], *lines[:row], *lines[row + 1:]])
    notes = [d for result in read_bytes(moved.encode("utf-8"), "移动.txt") for d in result.diagnostics
             if d.code == "stray-line"]
    assert [(d.line, d.severity) for d in notes] == [(1, Severity.INFO), (2, Severity.WARNING)]
    assert "不在任何表内" in notes[1].message and "产出指标" in notes[1].message
