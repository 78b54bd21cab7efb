"""The layout-independent reader (io/readers/anylayout): one table, every way real text cuts it, read alike.

The same target table and self-evaluation rows are written as pipes, one cell per line (with and without
" |"), a row per line with spaces; each is read by the fallback reader and must give the same rows. Then:
it is a fallback (a file a specific reader reads completely is read as before), and it says what it did.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.domain import Severity
from jixiao.io import registry
from jixiao.io.readers.anylayout.assemble import level_of
from jixiao.io.readers.anylayout.quality import plausible_rows
from jixiao.io.readers.selfeval.cells import make
from jixiao.io.reading import read_path, read_text

HEADER = ["一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"]
ROWS = [
    ["产出指标", "数量指标", "配备车辆数", "10辆", "计划标准"],
    ["", "", "风炮射程", "≥80M", "计划标准"],
    ["", "质量指标", "服务周期内空气质量", "优良", "计划标准"],
    ["效益指标", "社会效益指标", "市民满意程度", "≥85%", "计划标准"],
]
EXPECTED = [  # (level1, level2, name, operator, target, unit)
    ("产出指标", "数量指标", "配备车辆数", None, "10", "辆"),
    ("产出指标", "数量指标", "风炮射程", "≥", "80", "M"),
    ("产出指标", "质量指标", "服务周期内空气质量", None, "优良", None),
    ("效益指标", "社会效益指标", "市民满意程度", "≥", "85", "%"),
]
PREAMBLE = ["2023年项目支出绩效目标申报表", "项目支出名称", "雾炮车降尘抑尘服务", "预算部门", "湘潭市环境卫生管理处"]


def pipes() -> str:
    lines = [f"{PREAMBLE[0]} |", " | ".join(PREAMBLE[1:]) + " |", " | ".join(HEADER) + " |"]
    lines += [" | ".join(cell for cell in row if cell) + " |" for row in ROWS]
    return "\n".join([*lines, "财政部门审核意见 | |"]) + "\n"


def cell_per_line(bar: bool) -> str:
    out: list[str] = [PREAMBLE[0]]
    for row in [PREAMBLE[1:], HEADER, *ROWS]:
        if bar:
            out.append("|")
        out += [f"{cell} |" if bar else cell for cell in row if cell]
    return "\n".join([*out, "填表人:"]) + "\n"


def word_lines() -> str:
    rows = [" ".join(PREAMBLE[1:]), " ".join(HEADER), *(" ".join(c for c in row if c) for row in ROWS)]
    return "\n".join([PREAMBLE[0], *rows, "注:其他资金是指单位自有资金"]) + "\n"


def _rows(results: list) -> list[tuple[object, ...]]:
    return [(i.level1, i.level2, i.name, i.operator, i.target.text if i.target else None, i.unit_of_measure)
            for r in results if r.table is not None for i in r.table.indicators]


@pytest.mark.parametrize("text", [pipes(), cell_per_line(True), cell_per_line(False), word_lines()],
                         ids=["pipes", "cell-per-line-bars", "cell-per-line", "words"])
def test_every_cutting_reads_the_same_rows(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.txt"
    path.write_text(text, "utf-8")
    chosen: list[str] = []
    results = list(read_path(path, on_reader=lambda reader: chosen.append(reader.name)))
    assert chosen == ["any-layout"]
    assert _rows(results) == EXPECTED
    table = next(r.table for r in results if r.table is not None)
    assert table.kind == "target"
    assert table.project is not None and table.project.name == "雾炮车降尘抑尘服务"
    notes = [d for r in results for d in r.diagnostics]
    assert [d.code for d in notes] == ["any-layout"]  # the guess is said, once per table
    assert notes[0].severity is Severity.WARNING and "读出 4 行指标" in notes[0].message


def test_a_self_evaluation_is_recognised_by_its_columns() -> None:
    text = "\n".join([
        "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施",
        "产出指标 数量指标 修缮建筑面积 6000平方米 6000平方米 7 7",
        "质量指标 验收通过率 100% 95% 6 5",
        "总分 100 96",
    ]) + "\n"
    results = read_text(text)
    table = next(r.table for r in results if r.table is not None)
    assert table.kind == "self_evaluation"
    got = [(i.level2, i.name, i.target.text, i.unit_of_measure, i.actual.text, i.weight, i.score)
           for i in table.indicators]
    assert [(a, b, c, d, e, str(f), str(g)) for a, b, c, d, e, f, g in got] == [
        ("数量指标", "修缮建筑面积", "6000", "平方米", "6000平方米", "7", "7"),
        ("质量指标", "验收通过率", "100", "%", "95%", "6", "5")]


def test_a_heading_split_over_two_lines_is_one_column() -> None:
    text = "\n".join([
        "一级指标 二级指标 三级指标 年度 实际 分值 得分",
        "指标值 完成值",
        "产出指标 数量指标 培训人数 200 210 10 10",
    ]) + "\n"
    results = registry.FALLBACK.read(enumerate(text.splitlines(keepends=True), 1), "x.txt")
    table = next(r.table for r in results if r.table is not None)
    row = table.indicators[0]
    assert (row.name, row.target.text, row.actual.text, str(row.weight), str(row.score)) == (
        "培训人数", "200", "210", "10", "10")


def test_a_cell_that_fits_no_row_is_reported() -> None:
    text = "一级指标 | 二级指标 | 三级指标 | 指标值 |\n产出指标 | 数量指标 | 12 | 34 |\n| 培训人数 | 200人 |\n"
    results = list(registry.FALLBACK.read(enumerate(text.splitlines(keepends=True), 1), "x.txt"))
    codes = [d.code for r in results for d in r.diagnostics]
    assert "any-layout-dropped" in codes
    dropped = next(d for r in results for d in r.diagnostics if d.code == "any-layout-dropped")
    assert "12" in dropped.message and dropped.line == 2


def test_text_without_an_indicator_table_is_an_error_not_silence() -> None:
    results = list(registry.FALLBACK.read(enumerate(["一段普通的文字\n", "没有表格\n"], 1), "x.txt"))
    assert [r.table for r in results] == [None]
    assert results[0].diagnostics[0].code == "no-table"
    assert results[0].diagnostics[0].severity is Severity.ERROR


def test_a_layout_a_specific_reader_reads_stays_with_it() -> None:
    seed = Path(__file__).parent / "data" / "robustness" / "encoding_base.txt"
    chosen: list[str] = []
    results = list(read_path(seed, on_reader=lambda reader: chosen.append(reader.name)))
    assert chosen == ["label-text"]
    assert not any(d.code.startswith("any-layout") for r in results for d in r.diagnostics)


def test_level_names_come_from_the_vocabulary() -> None:
    assert level_of(make("产出指标", 1)) == "1"
    assert level_of(make("项目完成指标", 1)) == "1"
    assert level_of(make("社会效益指标", 1)) == "2"
    assert level_of(make("成本指标", 1)) == "both"
    assert level_of(make("服务对象满意度指标等", 1)) == "2"
    assert level_of(make("培训人数", 1)) is None


def test_plausible_rows_do_not_count_debris() -> None:
    from jixiao.domain.indicator import Indicator
    from jixiao.domain.table import TargetTable
    from jixiao.domain.values import Value
    from jixiao.io.readers.base import ReadResult

    rows = (Indicator(None, None, "培训人数", target=Value.of("200")),  # counts
            Indicator(None, None, "≥1个", target=Value.of("|||")),  # a value taken for a name
            Indicator(None, None, "%", target=Value.of("100")),  # a unit taken for a name
            Indicator(None, None, "培训场次"))  # no value
    assert plausible_rows([ReadResult(TargetTable(indicators=rows))]) == 1
