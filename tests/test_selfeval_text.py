"""The self-evaluation form as text: written and read back equal, recognised by its words, bad cells named."""

from __future__ import annotations

import io
import itertools
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings

from jixiao.domain import Diagnostic, SelfEvaluationTable, Severity
from jixiao.io import registry
from jixiao.io.encoding import open_text
from jixiao.io.reading import read_bytes
from jixiao.io.writers.selfeval_text import format_selfeval, write_selfevals
from tests.strategies import selfeval_tables
from tests.test_cli import SEED
from tests.test_selfeval_json import sample

DATA = Path(__file__).resolve().parent / "data"


def _read(text: str, source: str = "自评.txt") -> tuple[list[SelfEvaluationTable], list[Diagnostic]]:
    results = list(read_bytes(text.encode("utf-8"), source))
    tables = [r.table for r in results if r.table is not None]
    assert all(isinstance(t, SelfEvaluationTable) for t in tables)
    return tables, [d for r in results for d in r.diagnostics]  # type: ignore[return-value]


def _direct(text: str) -> tuple[list[SelfEvaluationTable], list[Diagnostic]]:
    """Read with the self-evaluation reader itself (``--reader selfeval-text``), whatever the sniffing says."""
    reader = registry.by_name("selfeval-text")
    assert reader is not None and reader.kind == "text"
    results = list(reader.read(enumerate(text.splitlines(keepends=True), 1), "自评.txt"))
    tables = [r.table for r in results if isinstance(r.table, SelfEvaluationTable)]
    return tables, [d for r in results for d in r.diagnostics]


def _only(text: str) -> tuple[SelfEvaluationTable, list[Diagnostic]]:
    tables, diagnostics = _read(text)
    assert len(tables) == 1, diagnostics
    return tables[0], diagnostics


_ROUND_TRIP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_ROUND_TRIP
@given(selfeval_tables())
def test_the_form_reads_back_equal(table: SelfEvaluationTable) -> None:
    (read,), diagnostics = _read(format_selfeval(table))
    assert diagnostics == []
    assert read == table
    assert [item.parent for item in read.indicators] == [item.parent for item in table.indicators]


@_ROUND_TRIP
@given(selfeval_tables(variant="score_sheet"))
def test_the_score_sheet_reads_back_equal(table: SelfEvaluationTable) -> None:
    (read,), diagnostics = _read(format_selfeval(table))
    assert diagnostics == [] and read == table and read.variant == "score_sheet"


def test_the_form_as_written() -> None:
    text = format_selfeval(sample())
    lines = text.splitlines()
    assert lines[:2] == ["项目支出绩效自评表", "（2022年度）"]
    assert "项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分" in lines
    assert "年度资金总额\t15.00\t15.00\t14.70\t10\t98.00%\t9.80" in lines
    assert "其中：本年财政拨款\t15.00\t15.00\t14.70\t\t\t" in lines
    assert "产出指标(50分)\t数量指标\t纸张使用量\t≥\t720000\t张\t720000\t20\t20\t" in lines
    assert "产出指标\t数量指标\t其中：A4纸张\t≥\t600000\t张\t610000\t\t\t" in lines
    assert lines[-4:] == ["总分：39.3", "自评等级：优", "填报人：李四", "填报日期：2023-02-15"]
    table, diagnostics = _only(text)
    assert diagnostics == [] and table == sample()
    first_row = "产出指标(50分)\t数量指标\t纸张使用量\t≥\t720000\t张\t720000\t20\t20\t"
    assert table.indicators[0].line == lines.index(first_row) + 1
    assert table.source is not None and table.source.line == 1


def test_many_tables_stream_one_after_another() -> None:
    tables = [sample(), msgspec.structs.replace(sample(), year=2023, published_grade="良"), sample()]
    out = io.StringIO()
    assert write_selfevals(tables, out) == 3
    read, diagnostics = _read(out.getvalue())
    assert diagnostics == [] and read == tables
    length = len(format_selfeval(sample()).splitlines()) + 1  # a blank line between tables
    assert [t.source.line for t in read if t.source] == [1, 1 + length, 1 + 2 * length]


# -- sniffing -----------------------------------------------------------------------------------
def _chosen(data: bytes) -> str:
    text, _ = open_text(io.BytesIO(data))
    head = "".join(itertools.islice(text, 80))
    return registry.choose(data[:8], head).name


def test_each_kind_goes_to_its_reader() -> None:
    assert _chosen(format_selfeval(sample()).encode("utf-8")) == "selfeval-text"
    sheet = msgspec.structs.replace(sample(), variant="score_sheet")
    assert _chosen(format_selfeval(sheet).encode("utf-8")) == "selfeval-text"
    assert _chosen(SEED.read_bytes()) == "label-text"


@pytest.mark.parametrize("path", sorted((DATA / "robustness").glob("*.txt")), ids=lambda p: p.name)
def test_no_target_table_is_taken_for_a_self_evaluation(path: Path) -> None:
    reader = registry.by_name("selfeval-text")
    assert reader is not None
    text, _ = open_text(io.BytesIO(path.read_bytes()))
    assert reader.sniff(b"", "".join(itertools.islice(text, 80))) == 0.0


def test_prose_that_mentions_one_word_of_the_kind_is_not_claimed() -> None:
    reader = registry.by_name("selfeval-text")
    assert reader is not None
    assert reader.sniff(b"", "年度目标：全年执行数不低于预算的90%。\n") == 0.0
    assert reader.sniff(b"", "全年执行数\t实际完成值\n") > registry.MIN_CONFIDENCE


# -- the shapes real forms take -----------------------------------------------------------------
FORM = """2022年度项目支出绩效自评表
项目名称\t50011522T000000157087-免费复印\t主管部门\t145-区政务服务管理办公室
实施单位：145001-区政务服务管理办公室（本级）
项目负责人及电话：李宁0557-5788003
项目资金（元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分
年度资金总额\t150000\t150000\t147000.50\t10\t98%\t9.8
其中：当年财政拨款\t150000\t150000\t147000.50\t—\t—\t—
上年结转\t/\t/\t/
中央补助资金\t10000\t
年度总体目标\t预期目标\t实际完成情况
\t免费复印\t复印 72 万张
绩效指标\t一级指标\t二级指标\t三级指标\t指标性质\t年度指标值\t度量单位\t实际完成值\t分值\t得分\t偏差原因
\t产出指标（50分）\t数量指标\t纸张使用量\t≧\t720000\t张\t720000\t20\t20分\t
\t\t\t其中A4纸张\t\t600000\t张\t610000
\t\t质量指标\t合格率\t═\t100\t%\t98\t30\t28\t个别批次返工
\t满意度指标(10分)\t服务对象满意度指标\t群众满意度\t≥\t95\t%\t93\t10\t9.5
总分\t100\t87.3\t良
"""


def test_a_form_laid_out_like_a_sheet() -> None:
    table, diagnostics = _only(FORM)
    assert [(d.code, d.severity) for d in diagnostics] == [("amount-in-yuan", Severity.INFO)] * 3  # three rows in 元
    assert "147000.50 元 = 14.70005 万元" in diagnostics[0].message
    assert table.year == 2022 and table.project_code == "50011522T000000157087"
    assert table.department is not None and table.department.name == "区政务服务管理办公室"
    assert (table.contact_person, table.contact_phone) == ("李宁", "0557-5788003")
    assert table.budget is not None
    assert (table.budget.initial_wan, table.budget.spent_wan) == (Decimal("15"), Decimal("14.70005"))  # 元 → 万元
    assert (table.budget.execution_rate, table.budget.execution_score) == (Decimal("98"), Decimal("9.8"))
    fiscal, carryover, central = table.funding_rows
    assert (fiscal.key, fiscal.label, fiscal.execution_weight) == ("fiscal", "当年财政拨款", None)  # — is blank
    assert (carryover.key, carryover.initial_wan) == ("carryover", None)
    assert (central.key, central.label, central.initial_wan) == (None, "中央补助资金", Decimal("1"))
    assert (table.goal_expected, table.goal_actual) == ("免费复印", "复印 72 万张")
    paper, a4, quality, satisfaction = table.indicators
    assert (paper.level1, paper.level1_weight, paper.operator, paper.score) == ("产出指标", 50, "≥", 20)
    assert (a4.level1, a4.level2, a4.name, a4.parent, a4.level1_weight) == (
        "产出指标", "数量指标", "A4纸张", "纸张使用量", 50)  # merged cells continue the row above
    assert (quality.level1, quality.level2, quality.operator, quality.deviation_reason) == (
        "产出指标", "质量指标", "=", "个别批次返工")
    assert (satisfaction.level1_weight, satisfaction.parent) == (10, None)
    assert (table.published_total_score, table.published_grade, table.variant) == (Decimal("87.3"), "良", "form")


def test_a_form_copied_from_a_web_page_with_pipes_reads_like_the_tab_one() -> None:
    piped = "\n".join("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line
                      for line in FORM.splitlines())
    assert _read(piped) == _read(FORM)


SHEET = """项目名称：社区养老服务
一级指标\t二级指标\t三级指标\t分值\t评价标准\t自评分\t复核分
决策（20分）\t项目立项\t立项依据充分性\t5\t依据充分得5分\t5\t4
过程\t资金管理\t资金到位率\t5\t到位率×分值\t4.5\t
产出\t产出数量\t服务人次\t40\t达到目标得满分\t38\t36
效益\t社会效益\t满意度\t35\t≥90%得满分\t35\t35
总分：82.5
"""


def test_a_score_sheet_without_a_title_is_told_by_its_columns() -> None:
    table, diagnostics = _only(SHEET)
    assert diagnostics == [] and table.variant == "score_sheet"
    first = table.indicators[0]
    assert (first.level1, first.level1_weight, first.criteria, first.score, first.recheck_score) == (
        "决策", 20, "依据充分得5分", 5, 4)
    assert table.indicators[1].recheck_score is None and table.published_total_score == Decimal("82.5")
    assert format_selfeval(table).startswith("项目支出绩效自评评分表\n")
    assert _only(format_selfeval(table)) == (table, [])


def test_untitled_tables_are_told_apart_by_their_project() -> None:
    body = SHEET.replace("社区养老服务", "甲") + SHEET.replace("社区养老服务", "乙")
    tables, diagnostics = _read(body)
    assert diagnostics == [] and [t.project_name for t in tables] == ["甲", "乙"]


# -- what cannot be read is named ----------------------------------------------------------------
def _written_lines() -> list[str]:
    return format_selfeval(sample()).splitlines()


def _broken(old: str, new: str) -> tuple[SelfEvaluationTable | None, list[Diagnostic], int]:
    lines = _written_lines()
    (index,) = [i for i, line in enumerate(lines) if old in line]
    lines[index] = lines[index].replace(old, new, 1)
    tables, diagnostics = _read("\n".join(lines) + "\n")
    return (tables[0] if tables else None), diagnostics, index + 1


@pytest.mark.parametrize(
    ("old", "new", "column", "words"),
    [
        pytest.param("14.70\t10", "十四\t10", "年度资金总额·全年执行数",
                     ["“年度资金总额·全年执行数”应为以万元为单位的金额（如 15.00）", "“十四”"], id="money-in-words"),
        pytest.param("98.00%", "九成八", "年度资金总额·执行率", ["应为百分比（如 98.50%）"], id="rate-in-words"),
        pytest.param("720000\t20\t20", "720000\t二十\t20", "三级指标“纸张使用量”的分值",
                     ["“三级指标“纸张使用量”的分值”应为分数"], id="weight-in-words"),
        pytest.param("93\t10\t9.5", "93\t10\t满分", "三级指标“群众满意度”的得分", ["“满分”"], id="score-in-words"),
        pytest.param("产出指标(50分)", "产出指标(五十分)", "一级指标分值",
                     ["“一级指标分值”应为括号中的分数（如“产出指标(50分)”）"], id="block-weight-in-words"),
        pytest.param("总分：39.3", "总分：三十九", "总分", ["“总分”应为分数"], id="total-in-words"),
    ],
)
def test_a_bad_cell_is_named_by_line_field_and_expectation(old: str, new: str, column: str,
                                                          words: list[str]) -> None:
    table, diagnostics, line = _broken(old, new)
    (error,) = diagnostics
    assert (error.code, error.severity, error.line, error.column) == ("selfeval-bad-number", Severity.ERROR, line,
                                                                      column)
    assert error.file == "自评.txt" and f"第{line}行" in error.render()
    for word in words:
        assert word in error.message, error.message
    assert error.message.endswith("该值未读入")
    assert table is not None and table != sample()  # the value is blank, the rest is read
    assert len(table.indicators) == 3


def test_a_broken_cell_leaves_exactly_that_value_blank() -> None:
    table, _, _ = _broken("14.70\t10", "十四\t10")
    assert table is not None and table.budget is not None
    assert table.budget.spent_wan is None
    expected = sample()
    assert expected.budget is not None
    assert table == msgspec.structs.replace(expected, budget=msgspec.structs.replace(expected.budget, spent_wan=None))


def test_row_problems_are_reported() -> None:
    lines = _written_lines()
    header = next(i for i, line in enumerate(lines) if line.startswith("一级指标"))
    extra = lines[header + 3] + "\t多余\t还多"
    odd = lines[header + 1].replace("\t≥\t", "\t约等于\t")
    lines[header + 1], lines[header + 3] = odd, extra
    lines[header] += "\t备注"
    lines.insert(header, "产出指标\t数量指标\t纸张使用量\t≥\t1\t张\t1\t1\t1")  # an indicator row before the header
    table, diagnostics = _only("\n".join(lines) + "\n")
    assert [(d.code, d.line) for d in diagnostics] == [
        ("row-without-header", header + 1), ("unknown-column", header + 2), ("unknown-operator", header + 3),
        ("row-extra-cells", header + 5)]
    assert "“备注”是未识别的列" in diagnostics[1].message and "“多余 还多”未读入" in diagnostics[3].message
    assert table.indicators[0].operator == "约等于"


def test_an_orphan_subrow_and_a_form_without_funding_or_indicators() -> None:
    orphan = ("项目支出绩效自评表\n项目名称：甲\n一级指标\t二级指标\t三级指标\t分值\t得分\n"
              "产出指标\t数量指标\t其中：A4\t5\t5\n")
    (table,), diagnostics = _direct(orphan)
    assert [(d.code, d.line, d.severity) for d in diagnostics] == [
        ("selfeval-orphan-subrow", 4, Severity.WARNING), ("missing-field", 1, Severity.WARNING)]
    assert "“其中”行“A4”之前没有它所属的三级指标" in diagnostics[0].message
    assert (table.indicators[0].name, table.indicators[0].parent) == ("A4", None)
    (bare,), notes = _direct("项目支出绩效自评表\n项目名称：乙\n实际完成情况：全年执行数达标\n")
    assert bare.goal_actual == "全年执行数达标"
    assert [d.code for d in notes] == ["no-indicator-table", "missing-field"]


def test_a_title_alone_and_a_file_with_nothing_of_the_form() -> None:
    tables, diagnostics = _read("项目支出绩效自评表\n\n全年执行数 实际完成值\n")
    # the reader's warnings, then (read as a file) the error that nothing was read
    assert tables == [] and [(d.code, d.line) for d in diagnostics] == [
        ("stray-line", 3), ("empty-table", 1), ("no-table", None)]
    assert diagnostics[2].severity is Severity.ERROR
    assert _direct("项目支出绩效自评表\n") == ([], [diagnostics[1]])
    tables, diagnostics = _direct("")
    assert tables == [] and [(d.code, d.severity) for d in diagnostics] == [("no-table", Severity.ERROR)]
    assert "没有找到绩效自评表" in diagnostics[0].message


def test_read_path_names_the_reader_it_chose(tmp_path: Path) -> None:
    from jixiao.io.reading import read_path

    path = tmp_path / "自评.txt"
    path.write_text(format_selfeval(sample()), "utf-8")
    seen: list[str] = []
    assert [r.table for r in read_path(path, on_reader=lambda reader: seen.append(reader.name))] == [sample()]
    assert seen == ["selfeval-text"]
    seen.clear()
    list(read_path(SEED, on_reader=lambda reader: seen.append(reader.name)))
    assert seen == ["label-text"]
