"""Self-evaluation tables (项目支出绩效自评表) in xlsx, docx and ruled PDF: written with merged cells as real forms
are, read back equal; real-looking files made by other programs (tests/data/selfeval_office) read to the model
a careful reader expects; bad cells named by sheet and cell, field and expectation; ``jixiao export``."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from jixiao.domain import CodedName, ProjectCode, ProjectRef, SelfEvaluationTable, Severity, TargetTable, Value
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow
from jixiao.io.limits import Limits
from jixiao.io.office.selfeval_docx_writer import write_selfeval_docx
from jixiao.io.office.selfeval_pdf_writer import write_selfeval_pdf
from jixiao.io.office.selfeval_xlsx_writer import write_selfeval_xlsx
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.selfeval_words import is_placeholder
from jixiao.io.reading import read_bytes, read_path
from jixiao.services.errors import InvalidInput
from jixiao.services.tables import export_bytes
from tests.strategies import selfeval_tables
from tests.test_cli import SEED, run

DATA = Path(__file__).resolve().parent / "data" / "selfeval_office"
WRITERS = {"xlsx": write_selfeval_xlsx, "docx": write_selfeval_docx, "pdf": write_selfeval_pdf}
IN_PROCESS = Limits(isolate=False)  # the same readers, without a child process per file (speed)


def _row(level1: str | None, level2: str | None, name: str | None, operator: str | None, target: str | None,
         unit: str | None, weight: str | None, actual: str | None, score: str | None, **more: object,
         ) -> EvaluatedIndicator:
    numbers = {key: Decimal(str(value)) for key, value in more.items()
               if key in ("level1_weight", "recheck_score") and value is not None}
    texts = {key: value for key, value in more.items() if key not in numbers}
    return EvaluatedIndicator(level1, level2, name, operator, Value.of(target), unit,
                              None if weight is None else Decimal(weight), Value.of(actual),
                              None if score is None else Decimal(score), **texts, **numbers)  # type: ignore[arg-type]


def _money(*values: str | None) -> list[Decimal | None]:
    return [None if value is None else Decimal(value) for value in values]


FORM = SelfEvaluationTable(
    variant="form",
    project=ProjectRef(ProjectCode("50011522T000000157087"), "免费复印", "（一般性）"),
    department=CodedName("145", "重庆市长寿区政务服务管理办公室"),
    implementing_unit=CodedName("145001", "重庆市长寿区政务服务管理办公室（本级）"),
    contact_person="李宁", contact_phone="023-40241234", year=2022,
    budget=FundingRow("total", "年度资金总额", *_money("15.00", "15.00", "14.25", "10", "95.00", "9.50")),
    funding_rows=(FundingRow("fiscal", "本年财政拨款", *_money("15.00", "15.00", "14.25")),
                  FundingRow("carryover", "上年结转资金"), FundingRow("other", "其他资金")),
    goal_expected="在区行政服务中心开展免费打印复印便民服务。\n聘用1名窗口工作人员，提升群众满意度。",
    goal_actual="全年免费复印65万张，群众满意度97%。",
    indicators=(
        _row("产出指标", "数量指标", "纸张使用量", "≥", "720000", "张", "20", "650000", "18.06",
             deviation_reason="群众自带材料增多", level1_weight=50),
        _row("产出指标", "数量指标", "A4纸", "≥", "700000", "张", None, "640000", None, parent="纸张使用量",
             level1_weight=50),
        _row("产出指标", "数量指标", "A3纸", "≥", "20000", "张", None, "10000", None, parent="纸张使用量",
             level1_weight=50),
        _row("产出指标", "质量指标", "墨粉消耗量", "≥", "192", "盒", "20", "192", "20", level1_weight=50),
        _row("产出指标", None, "复印及时率", "=", "100", "%", "10", "100%", "10", level1_weight=50),
        _row("效益指标", "经济效益指标", "减少办事成本", "≥", "360000", "元", "20", "380000", "20", level1_weight=30),
        _row("效益指标", "社会效益指标", "服务便利度", "定性", "明显提升", None, "10", "明显提升", "10",
             level1_weight=30),
        _row("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "95", "%", "10", "97", "10"),
    ),
    published_total_score=Decimal("97.56"), published_grade="优", evaluator="张三", evaluated_on="2023-03-01",
)
SCORE_SHEET = SelfEvaluationTable(
    variant="score_sheet",
    project=ProjectRef(None, "义务教育营养改善计划专项资金"),
    department=CodedName(None, "永德县教育体育局"), implementing_unit=CodedName(None, "永德县明朗中学"), year=2022,
    budget=FundingRow("total", "年度资金总额", *_money("38.77", "38.77", "38.77", "10", "100", "10")),
    indicators=(
        _row("决策", "项目立项", "立项依据充分性", None, None, None, "4", None, "4", criteria="立项依据充分得4分",
             recheck_score="4", level1_weight=20),
        _row("决策", "绩效目标", "绩效目标合理性", None, None, None, "4", None, "3",
             criteria="目标明确得4分，否则酌情扣分", recheck_score="2.5", level1_weight=20),
        _row("过程", "资金管理", "资金到位率", "=", "100", "%", "5", "100%", "5", criteria="到位率×5",
             level1_weight=20),
        _row("产出", "产出数量", "学生受资助人数", "≥", "735", "人次", "20", "735", "20", criteria="达到目标得满分",
             level1_weight=40),
        _row("效益", "项目效益", "政策知晓率", "=", "100", "%", "20", "98%", "19.6",
             deviation_reason="宣传不足，下年加强",
             criteria="按比例计分", recheck_score="19", level1_weight=20),
    ),
    published_total_score=Decimal("91.6"), published_grade="优",
)
BARE = SelfEvaluationTable(  # nothing but two indicator rows: no funding block, no goal, no total, no levels
    indicators=(_row(None, None, "群众满意度", None, "95%", None, None, None, None),
                _row(None, None, None, None, None, None, "10", "96%", "10")),
)
TABLES = {"form": FORM, "score-sheet": SCORE_SHEET, "bare": BARE}


def _read(data: bytes, name: str) -> tuple[list[SelfEvaluationTable], list[ReadResult]]:
    results = list(read_bytes(data, name, limits=IN_PROCESS))
    tables = [r.table for r in results if isinstance(r.table, SelfEvaluationTable)]
    assert all(r.table is None or isinstance(r.table, SelfEvaluationTable) for r in results)
    return tables, results


def _serious(results: list[ReadResult]) -> list[str]:
    return [d.render() for r in results for d in r.diagnostics if d.severity is not Severity.INFO]


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_tables_round_trip_through_each_office_format(fmt: str) -> None:
    written = [FORM, SCORE_SHEET, BARE]
    tables, results = _read(WRITERS[fmt](written), f"自评表.{fmt}")
    assert not _serious(results)
    assert tables == written
    assert [t.variant for t in tables] == ["form", "score_sheet", "form"]
    sub_rows = [item for item in tables[0].indicators if item.parent]
    assert [item.parent for item in sub_rows] == ["纸张使用量", "纸张使用量"]
    assert {item.level1_weight for item in tables[0].indicators} == {Decimal(50), Decimal(30), None}


def test_the_xlsx_form_merges_cells_as_a_printed_form_does() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(write_selfeval_xlsx([FORM]))).active
    assert sheet is not None
    merged = {str(r): sheet[str(r).split(":")[0]].value for r in sheet.merged_cells.ranges}
    assert merged["B15:B19"] == "产出指标(50分)"  # 一级 merged down its five rows, the block weight in it
    assert merged["C15:C17"] == "数量指标"  # 二级 merged within it, over the 其中 rows
    assert merged["B20:B21"] == "效益指标(30分)"
    assert merged["A6:A10"] == "项目资金（万元）" and merged["B8:E8"] == "其中：本年财政拨款"
    assert merged["A13:A22"] == "绩效指标" and merged["E13:G13"] == "年度指标值"
    assert sheet["C19"].value == "—"  # a missing 二级 is a dash, not a blank that would read as the one above
    assert sheet["D16"].value == "其中：A4纸" and not sheet["I16"].value
    # amounts, scores and rates are numbers, formatted to show exactly the published digits
    assert (sheet["F7"].value, sheet["F7"].number_format) == (15, "0.00")  # 15.00
    assert (sheet["J7"].value, sheet["J7"].number_format) == (95, '0.00"%"')  # 95.00%, the percent itself
    assert (sheet["I7"].value, sheet["K7"].value) == (10, 9.5) and sheet["K7"].number_format == "0.00"
    scores = [(sheet.cell(row, column).value, sheet.cell(row, column).number_format)
              for row in range(15, 23) for column in (9, 10) if sheet.cell(row, column).value is not None]
    assert ("18.06" not in [value for value, _ in scores]) and (18.06, "0.00") in scores  # 纸张使用量·得分
    assert sheet["E15"].value == "≥" and sheet["F15"].value == "720000"  # a target stays the text it was
    total = next(line for line in sheet.iter_rows() if line[0].value == "总分")
    assert (97.56, "0.00") in [(c.value, c.number_format) for c in total if isinstance(c.value, float)]


def test_the_workbooks_numbers_read_back_with_their_published_digits() -> None:
    """Not only equal Decimals (15 == 15.00): the same digits, as the JSON document shows them."""
    from jixiao.io.json_any import dumps_any

    for table in (FORM, SCORE_SHEET):
        tables, results = _read(write_selfeval_xlsx([table]), "表.xlsx")
        assert not _serious(results)
        assert dumps_any(tables, with_source=False) == dumps_any([table], with_source=False)
    assert '"initial_wan": "15.00"' in dumps_any(_read(write_selfeval_xlsx([FORM]), "表.xlsx")[0])


def test_the_docx_form_merges_cells_in_word() -> None:
    table = Document(io.BytesIO(write_selfeval_docx([FORM]))).tables[0]
    level1 = [row.cells[1].text for row in table.rows[12:20]]
    assert level1[:5] == ["产出指标(50分)"] * 5 and level1[5:7] == ["效益指标(30分)"] * 2
    assert table.rows[12]._tr.tc_lst[1].vMerge == "restart" and table.rows[13]._tr.tc_lst[1].vMerge == "continue"


VARIANTS = st.sampled_from(["form", "score_sheet"]).flatmap(lambda variant: selfeval_tables(variant=variant))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=VARIANTS, fmt=st.sampled_from(["xlsx", "docx"]))
def test_generated_tables_round_trip_through_xlsx_and_docx(table: SelfEvaluationTable, fmt: str) -> None:
    table = replace(table, source=None)
    _assume_published(table)
    tables, results = _read(WRITERS[fmt]([table]), f"表.{fmt}")
    assert not [d for d in _serious(results) if "error" in d or "错误" in d]
    assert tables == [table]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(["form", "score_sheet"]).flatmap(
    lambda variant: selfeval_tables(max_indicators=4, variant=variant)))
def test_generated_tables_round_trip_through_pdf(table: SelfEvaluationTable) -> None:
    table = replace(table, source=None)
    _assume_published(table)
    tables, _results = _read(write_selfeval_pdf([table]), "表.pdf")
    assert tables == [table]


def _assume_published(table: SelfEvaluationTable) -> None:
    """A text a printed form shows as blank ("-", "—") reads back as blank: such tables are not round trips."""
    texts = [table.goal_expected, table.goal_actual, table.contact_person, table.evaluator,
             *(value for item in table.indicators for value in (
                 item.name, item.deviation_reason, item.criteria, item.target.text if item.target else None,
                 item.actual.text if item.actual else None))]
    assume(not any(text is not None and is_placeholder(text) for text in texts))


CORPUS = Path(__file__).resolve().parent / "data" / "selfeval_tables"  # the committed corpus (JSON format v1)


@pytest.mark.parametrize("name", sorted(path.name for path in CORPUS.glob("*.json")))
def test_the_corpus_round_trips_through_each_office_format(name: str) -> None:
    corpus = [replace(r.table, source=None) for r in read_path(CORPUS / name)
              if isinstance(r.table, SelfEvaluationTable)]
    assert corpus
    for fmt, write in WRITERS.items():
        tables, results = _read(write(corpus), f"{name}.{fmt}")
        assert not _serious(results), (name, fmt)
        assert tables == corpus, (name, fmt)


# -- real-looking files made by other programs --------------------------------------------------------
@cache
def _handmade(name: str) -> tuple[list[SelfEvaluationTable], list[ReadResult]]:
    results = list(read_path(DATA / name))
    return [r.table for r in results if isinstance(r.table, SelfEvaluationTable)], results


def test_a_county_form_with_merged_cells_block_weights_and_sub_rows() -> None:
    tables, results = _handmade("anhui_form_merged.xlsx")
    assert not _serious(results) and len(tables) == 1
    table = tables[0]
    assert table.project == ProjectRef(None, "河西村特色种养补贴到户项目")
    assert (table.contact_person, table.contact_phone) == ("李宁", "0557-5788003")  # 项目负责人及电话, split
    assert table.department == CodedName(None, "县农业农村局") and table.year == 2023
    assert table.budget == FundingRow("total", "年度资金总额", *_money("9.48", "9.48", "9.48", "10", "100", "10"))
    assert table.funding_rows == (FundingRow("fiscal", "本年财政拨款", *_money("9.48", "9.48", "9.48", None, "100")),
                                  FundingRow("carryover", "上年结转资金"), FundingRow("other", "其他资金"))
    assert table.goal_expected == table.goal_actual == "落实39户特色种养业奖补政策，增加脱贫户家庭收入"
    assert [(i.level1, i.level1_weight, i.level2, i.name, i.parent) for i in table.indicators] == [
        ("产出指标", 50, "数量指标", "★补助各类瓜果蔬菜种植面积", None),
        ("产出指标", 50, "数量指标", "桃树种植面积", "★补助各类瓜果蔬菜种植面积"),  # "其中桃树种植面积"
        ("产出指标", 50, "数量指标", "苹果树种植面积", "★补助各类瓜果蔬菜种植面积"),
        ("产出指标", 50, "数量指标", "★补助鱼塘面积", None),
        ("产出指标", 50, "数量指标", "鱼塘养殖面积", "★补助鱼塘面积"),
        ("产出指标", 50, "质量指标", "种植作物成活率", None),  # the 质量指标 row of its own gives the 二级
        ("产出指标", 50, "质量指标", "养殖家畜家禽成活率", None),
        ("效益指标", 30, "经济效益指标", "特色产业带动增加受益农户收入", None),  # "经济效益\n指标" joined
        ("效益指标", 30, "社会效益指标", "受益人口数量", None),  # the "……" row of 生态效益 is no indicator
        ("满意度指标", 10, "服务对象满意度指标", "受益群众满意度", None),
    ]
    first, rate, income = table.indicators[0], table.indicators[6], table.indicators[7]
    assert (first.operator, first.target, first.unit_of_measure, first.actual) == (
        None, Value("29.5"), "亩", Value("29.5亩"))  # one 年度指标值 cell: number and unit
    assert (first.weight, first.score, table.indicators[1].weight, table.indicators[1].score) == (20, 20, None, None)
    assert (rate.operator, rate.target, rate.score, rate.deviation_reason) == ("≥", Value("95"), 8,
                                                                              "疫病影响，下年加强防疫")
    assert (income.target, income.unit_of_measure) == (Value("11.376"), "万元")
    assert (table.published_total_score, table.published_grade) == (98, "优")  # 总分 | 100 | 98 | 优
    assert (table.evaluator, table.evaluated_on) == ("王芳", "2024年1月15日")


def test_a_word_form_in_yuan_with_a_two_row_header() -> None:
    tables, results = _handmade("yunnan_form_yuan.docx")
    assert not _serious(results) and len(tables) == 1
    table = tables[0]
    assert table.budget is not None and table.budget.adjusted_wan == Decimal("38.766462")  # 387664.62 元
    said = [d for r in results for d in r.diagnostics if d.code == "amount-in-yuan"]  # as every reader says it
    assert said and all(d.severity is Severity.INFO for d in said)
    assert "387664.62 元 = 38.766462 万元" in said[0].message and said[0].cell is not None
    assert table.funding_rows[0] == FundingRow("fiscal", "当年财政拨款", *_money("38.766462", "38.766462",
                                                                            "38.766462"))
    assert [(i.level1, i.level2, i.operator, i.target, i.unit_of_measure) for i in table.indicators] == [
        ("产出指标", "数量指标", "≥", Value("735"), "人次"),  # ≧ read as ≥
        ("产出指标", "质量指标", "≥", Value("100"), "%"),
        ("产出指标", "时效指标", "≥", Value("100"), "%"),
        ("效益指标", "社会效益指标", "=", Value("100"), "%"),  # ═ read as =
        ("效益指标", "经济效益指标", "定性", Value("有效"), None),
        ("满意度指标", "服务对象满意度指标", "≥", Value("95"), "%"),
        ("满意度指标", "服务对象满意度指标", "≥", Value("95"), "%"),  # 二级 merged down: the one above
    ]
    assert table.indicators[2].score == 7 and table.indicators[2].deviation_reason == "资金拨付滞后一个月"
    assert (table.published_total_score, table.published_grade) == (66, "优")
    assert (table.evaluator, table.evaluated_on) == ("李老师", "2023-02-20")  # two labels in one paragraph


def test_a_score_sheet_with_criteria_self_and_recheck_scores() -> None:
    tables, results = _handmade("score_sheet.xlsx")
    assert not _serious(results) and len(tables) == 1
    table = tables[0]
    assert table.variant == "score_sheet" and table.budget is None and table.contact_person == "赵刚"
    assert [(i.level1, i.level1_weight, i.level2, i.weight, i.score, i.recheck_score) for i in table.indicators] == [
        ("决策", 15, "项目立项", 5, 5, 5), ("决策", 15, "项目立项", 5, 4, 4), ("决策", 15, "绩效目标", 5, 5, 4),
        ("过程", 25, "资金管理", 5, 5, 5), ("过程", 25, "资金管理", 10, Decimal("9.6"), Decimal("9.6")),
        ("过程", 25, "组织实施", 10, 10, 9), ("产出", 40, "产出数量", 20, 20, 20), ("产出", 40, "产出时效", 20, 18, 18),
        ("效益", 20, "项目效益", 20, 19, Decimal("18.5")),
    ]
    assert table.indicators[1].criteria == "程序完整得5分，缺一项扣1分"
    assert (table.published_total_score, table.published_grade) == (Decimal("95.6"), "优")  # 合计 row: the 自评分


def test_bad_cells_are_named_by_cell_field_and_expectation() -> None:
    tables, results = _handmade("bad_cells.xlsx")
    found = {(d.code, d.cell): d for r in results for d in r.diagnostics}
    assert set(found) == {("selfeval-bad-number", "Sheet1!F4"), ("selfeval-bad-block-weight", "Sheet1!B8"),
                          ("selfeval-orphan-subrow", "Sheet1!D8"), ("selfeval-bad-number", "Sheet1!G9"),
                          ("selfeval-bad-number", "Sheet1!H10")}
    spent = found[("selfeval-bad-number", "Sheet1!F4")]
    assert spent.severity is Severity.ERROR and spent.file == str(DATA / "bad_cells.xlsx")
    assert "“年度资金总额·全年执行数”应为以万元计的数字，如 15.00，实际为“约11”" in spent.message
    assert "“养护道路里程·分值”应为数字，如 10，实际为“十分”" in found[("selfeval-bad-number", "Sheet1!G9")].message
    assert "产出指标（五十分）" in found[("selfeval-bad-block-weight", "Sheet1!B8")].message
    table = tables[0]  # what could be read is kept; what could not is blank, never 0
    assert table.budget is not None and table.budget.spent_wan is None and table.budget.initial_wan == 12
    assert [(i.level1, i.level1_weight, i.parent, i.weight, i.score) for i in table.indicators] == [
        ("产出指标", None, None, None, None), ("产出指标", None, None, None, 45)]
    assert table.published_total_score is None and table.published_grade == "良"


def test_each_handmade_file_round_trips_through_every_writer() -> None:
    for name in ("anhui_form_merged.xlsx", "yunnan_form_yuan.docx", "score_sheet.xlsx"):
        tables, _results = _handmade(name)
        for fmt in ("xlsx", "docx"):
            again, results = _read(WRITERS[fmt](tables), f"again.{fmt}")
            assert again == tables and not _serious(results), (name, fmt)



# -- committed PDFs: jixiao's own ruled PDF and a form LibreOffice printed (make_files.py rebuilds both) -----
def _parsed_json(path: Path) -> list[dict[str, object]]:
    """``jixiao parse FILE -f json``: the reader registry as a user runs it, its JSON documents."""
    done = run("parse", str(path), "-f", "json")
    assert done.returncode == 0, done.stderr
    documents = json.loads(done.stdout)
    assert isinstance(documents, list) and all(d["source"]["file"] == str(path) for d in documents)
    return [{key: value for key, value in d.items() if key != "source"} for d in documents]


@pytest.mark.parametrize("name", ["jixiao_selfeval.pdf", "jixiao_selfeval.xlsx", "jixiao_selfeval.docx"])
def test_jixiaos_own_committed_files_parse_to_the_corpus_tables_they_were_written_from(name: str) -> None:
    expected = [json.loads((CORPUS / f"{stem}.json").read_text("utf-8"))[0]
                for stem in ("seed_form", "seed_score_sheet")]
    assert _parsed_json(DATA / name) == expected  # a form and a score sheet, every field
    tables, results = _handmade(name)
    assert [t.variant for t in tables] == ["form", "score_sheet"] and not [d for r in results for d in r.diagnostics]


@pytest.mark.parametrize("fmt", ["html", "xlsx", "pdf"])
def test_what_jixiao_score_printed_reads_back_as_the_tables_it_printed(fmt: str) -> None:
    # Kept as an earlier jixiao wrote them (tests/data/selfeval_office/make_files.py): the readers of today
    # must still read them, every field, as the JSON written beside them.
    expected = [{key: value for key, value in d.items() if key != "source"}
                for d in json.loads((DATA / "jixiao_score.json").read_text("utf-8"))]
    assert len(expected) == 9 and all(d["kind"] == "self_evaluation" for d in expected)
    assert _parsed_json(DATA / f"jixiao_score.{fmt}") == expected


def _without_sign_off(document: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in document.items() if key not in ("evaluator", "evaluated_on")}


def test_a_word_form_printed_to_pdf_by_libreoffice_parses_as_the_word_file_does() -> None:
    printed, word = _parsed_json(DATA / "yunnan_form_yuan.pdf"), _parsed_json(DATA / "yunnan_form_yuan.docx")
    assert len(printed) == len(word) == 1
    assert _without_sign_off(printed[0]) == _without_sign_off(word[0])  # merged cells, 元, the two-row header
    tables, results = _handmade("yunnan_form_yuan.pdf")
    assert not _serious(results) and tables[0].budget is not None
    assert tables[0].budget.adjusted_wan == Decimal("38.766462")
    assert {d.code for r in results for d in r.diagnostics} == {"amount-in-yuan"}


def test_the_printed_word_forms_sign_off_line_gives_evaluator_and_date() -> None:
    # The PDF prints “填报人：李老师 填报日期：2023-02-20” with one plain space where Word had “　　”.
    tables, _results = _handmade("yunnan_form_yuan.pdf")
    assert (tables[0].evaluator, tables[0].evaluated_on) == ("李老师", "2023-02-20")


# -- the registry, target tables beside, export ------------------------------------------------------------
def test_target_tables_still_read_as_target_tables_beside_self_evaluations() -> None:
    targets = [r.table for r in read_path(SEED) if r.table is not None]
    from jixiao.io.office.xlsx_writer import write_tables_xlsx

    buffer = io.BytesIO()
    write_tables_xlsx(targets[:2], buffer)
    results = list(read_bytes(buffer.getvalue(), "targets.xlsx", limits=IN_PROCESS))
    assert [r.table for r in results if r.table is not None] == targets[:2]
    assert all(isinstance(r.table, TargetTable) for r in results if r.table is not None)


def test_export_writes_self_evaluation_tables_and_refuses_mixed_kinds(tmp_path: Path) -> None:
    source = DATA / "anhui_form_merged.xlsx"
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"exported.{fmt}"
        done = run("export", str(source), "-f", fmt, "-o", str(out))
        assert done.returncode == 0, done.stderr
        again = [r.table for r in read_path(out) if r.table is not None]
        assert again == _handmade("anhui_form_merged.xlsx")[0]
    target = [r.table for r in read_path(SEED) if r.table is not None][:1]
    with pytest.raises(InvalidInput, match="只能写一种表"):
        export_bytes([*target, FORM], "xlsx")
    done = run("export", str(source), str(SEED), "-f", "xlsx", "-o", str(tmp_path / "mixed.xlsx"))
    assert done.returncode == 1 and "只能写一种表" in done.stderr and not (tmp_path / "mixed.xlsx").exists()
