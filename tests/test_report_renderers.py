"""The HTML and xlsx review reports: same content as the data report, safely escaped."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from msgspec.structs import replace as replace_struct
from openpyxl.worksheet.worksheet import Worksheet

from jixiao import profiles
from jixiao.domain import TargetTable
from jixiao.io.reading import read_path
from jixiao.reports.review_html import ENGINE_FAULT_DESCRIPTION, findings_by_table, render_html
from jixiao.reports.review_xlsx import write_xlsx
from jixiao.rules import RULES, ReviewReport, review, review_table
from jixiao.rules.engine import ENGINE_FAULT
from jixiao.rules.model import Hit
from jixiao.rules.report import grade_explanation, report_to_dict

SEED = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
EVIL = "<script>alert(1)</script>"
SUMMARY_HEADERS = ["项目编码", "项目名称", "单位", "来源", "错误", "警告", "提示", "建议得分", "建议等级", "表的种类"]
FINDINGS_HEADERS = ["项目编码", "项目名称", "代码", "类别", "严重程度", "问题", "说明", "字段/指标", "文件",
                    "行号"]
RULES_HEADERS = ["代码", "类别", "严重程度", "规则", "说明", "本次触发"]


@cache
def seed_tables() -> tuple[TargetTable, ...]:
    return tuple(result.table for result in read_path(SEED) if result.table)


def seed_report() -> ReviewReport:
    return review(seed_tables(), profiles.load("chongqing").rules)


@cache
def seed_html() -> str:
    return render_html(seed_report())


def evil_report() -> ReviewReport:
    tables = list(seed_tables())
    first = tables[0]
    assert first.project is not None
    tables[0] = replace_struct(first, project=replace_struct(first.project, name=EVIL))
    return review(tables, profiles.load("chongqing").rules)


def xlsx_book(report: ReviewReport, data_only: bool = False) -> openpyxl.Workbook:
    stream = BytesIO()
    write_xlsx(report, stream)
    stream.seek(0)
    return openpyxl.load_workbook(stream, data_only=data_only)


def header(sheet: Worksheet) -> list[object]:
    return [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]


def data_rows(sheet: Worksheet, width: int) -> list[tuple[Any, ...]]:
    result = []
    for row in sheet.iter_rows(min_row=2, max_col=width, values_only=True):
        if all(value is None for value in row):
            break
        result.append(row)
    return result


class _Structure(HTMLParser):
    """Collects tags and checks that every non-void element is closed in order."""

    VOID = frozenset({"meta", "col", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()


# --- HTML --------------------------------------------------------------------------------


def test_seed_report_has_the_expected_findings() -> None:
    """The fixture the assertions below rest on: 9 tables, 6 findings."""
    data = report_to_dict(seed_report())
    assert data["summary"]["tables"] == 9
    assert sorted(f["code"] for f in data["findings"]) == ["C006", "C007", "Q003", "S003", "T002", "T002"]


def test_html_is_a_standalone_page() -> None:
    html = seed_html()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    assert '<meta charset="utf-8">' in html
    assert "<title>绩效目标审核报告" in html
    assert "@media print" in html
    lowered = html.lower()
    for external in ("<script", "<link", "src=", "@import", "http://", "https://", "url("):
        assert external not in lowered, external
    parser = _Structure()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert parser.tags.count("article") == 9


def test_html_is_deterministic() -> None:
    assert render_html(seed_report()) == seed_html()
    assert not re.search(r"20\d\d-\d\d-\d\d", seed_html())


def test_html_header_and_summary() -> None:
    html = seed_html()
    profile = profiles.load("chongqing").rules
    assert "<h1>绩效目标审核报告</h1>" in html
    assert profile.title in html and profile.version in html
    assert grade_explanation(seed_report()) in html
    assert '<span class="k">审核表数</span><span class="v">9</span>' in html
    assert '<span class="badge sev-error">错误</span></span><span class="v">2</span>' in html
    assert '<span class="badge sev-warning">警告</span></span><span class="v">4</span>' in html
    assert '<span class="badge sev-info">提示</span></span><span class="v">0</span>' in html
    for grade, css, count in (("优", "grade-1", 7), ("良", "grade-2", 1), ("中", "grade-3", 1),
                              ("差", "grade-4", 0)):
        assert f'<span class="badge {css}">{grade}</span><span class="n">{count}</span>' in html


def test_html_shows_both_amount_mismatches_with_their_arithmetic() -> None:
    html = seed_html()
    assert html.count("<td>年度目标所述金额与项目总额不符</td>") == 2
    assert "（75000元 + 77240元） = 152240元（15.224万元），而项目总额为 15.00 万元，相差 0.224 万元" in html
    assert "= 1771200元（177.12万元），而项目总额为 147.12 万元，相差 30 万元" in html
    assert "年度目标，第23行" in html and f"{SEED}:3" in html


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<article class="review" id="{anchor}">')
    return html[start:html.index("</article>", start)]


def test_html_sections_per_table() -> None:
    html = seed_html()
    mailing = _section(html, "t5")  # 免费邮寄: two errors, grade 中
    assert "50011522T000000132376-免费邮寄" in mailing
    assert "145001-重庆市长寿区政务服务管理办公室（本级）" in mailing
    assert "seed_changshou_2022.txt:148" in mailing
    assert '建议得分 <b>60</b> 分　<span class="badge grade-3">中</span>' in mailing
    assert mailing.count('<span class="badge sev-error">错误</span>') == 2
    assert '<td class="code">C006</td>' in mailing and "<td>完整性</td>" in mailing
    assert "<td>未填写项目总额（万元）</td>" in mailing
    assert "C006 × 1 次 −20 分" in mailing
    assert "未发现问题" not in mailing
    upkeep = _section(html, "t9")  # 水电维保: warnings, grade 良
    assert '<span class="badge grade-2">良</span>' in upkeep
    assert "第3条指标“可持续运转周期”" in upkeep
    assert "<td>结构</td>" in upkeep


def test_html_clean_tables_say_so() -> None:
    html = seed_html()
    assert html.count('<p class="clean">未发现问题</p>') == 5
    technical = _section(html, "t2")
    assert "50011522T000000132369-技术服务" in technical
    assert "未发现问题" in technical
    assert "<table" not in technical


def test_html_rule_appendix_lists_the_rules_that_fired() -> None:
    html = seed_html()
    appendix = html[html.index('<h2 id="rules">附录：规则说明</h2>'):]
    for code in ("C006", "C007", "Q003", "S003", "T002"):
        assert f'<span class="code">{code}</span>　{RULES[code].title}' in appendix
        assert RULES[code].description in appendix
    assert appendix.count("<dt>") == 5
    assert "W001" not in appendix


def test_html_escapes_table_content() -> None:
    html = render_html(evil_report())
    assert EVIL not in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;script&gt;") >= 2  # overview row and section heading


def test_html_empty_report() -> None:
    html = render_html(review([], profiles.load("chongqing").rules))
    assert "<h1>绩效目标审核报告</h1>" in html
    assert '<span class="k">审核表数</span><span class="v">0</span>' in html
    assert "没有读到可审核的绩效目标表或绩效自评表" in html
    assert "本次审核没有触发任何规则" in html
    assert "<article" not in html


def test_findings_are_split_by_position_not_by_code() -> None:
    """Two tables with the same project code keep their own findings."""
    tables = seed_tables()
    report = review([tables[4], tables[4], tables[1]], profiles.load("chongqing").rules)
    groups = findings_by_table(report_to_dict(report))
    assert [[f["code"] for f in group] for group in groups] == [["C006", "C007"], ["C006", "C007"], []]


# --- xlsx --------------------------------------------------------------------------------


def test_xlsx_sheets_and_headers() -> None:
    book = xlsx_book(seed_report())
    assert book.sheetnames == ["汇总", "问题清单", "规则说明"]
    assert header(book["汇总"]) == SUMMARY_HEADERS
    assert header(book["问题清单"]) == FINDINGS_HEADERS
    assert header(book["规则说明"]) == RULES_HEADERS
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
    assert book["汇总"].auto_filter.ref == "A1:J10"
    assert book["问题清单"].auto_filter.ref == "A1:J7"


def test_xlsx_summary_sheet() -> None:
    sheet = xlsx_book(seed_report())["汇总"]
    rows = data_rows(sheet, len(SUMMARY_HEADERS))
    assert len(rows) == 9
    first = rows[0]
    assert first[:4] == ("50011522T000000157087", "免费复印", "145001-重庆市长寿区政务服务管理办公室（本级）",
                         f"{SEED}:3")
    assert first[4:] == (0, 1, 0, 94, "优", "绩效目标表")
    for row in rows:
        assert isinstance(row[7], int | float) and not isinstance(row[7], bool)
        assert all(isinstance(value, int) for value in row[4:7])
        assert isinstance(row[0], str)
    assert [row[7] for row in rows] == [94, 100, 100, 100, 60, 100, 100, 94, 88]
    assert rows[4][8] == "中" and rows[8][8] == "良"
    assert sheet["H2"].data_type == "n"


def test_xlsx_summary_totals() -> None:
    formulas = xlsx_book(seed_report())["汇总"]
    assert formulas["A12"].value == "合计"
    assert formulas["E12"].value == "=SUM(E2:E10)"
    values = xlsx_book(seed_report(), data_only=True)["汇总"]
    assert [values.cell(12, col).value for col in (5, 6, 7)] == [2, 4, 0]
    assert values["I12"].value == "优 7，良 1，中 1，差 0"


def test_xlsx_findings_sheet() -> None:
    sheet = xlsx_book(seed_report())["问题清单"]
    rows = data_rows(sheet, len(FINDINGS_HEADERS))
    assert len(rows) == 6
    assert sheet.max_row == 7
    c006 = next((index, row) for index, row in enumerate(rows, start=2) if row[2] == "C006")
    index, row = c006
    assert row == ("50011522T000000132376", "免费邮寄", "C006", "完整性", "错误", "项目总额缺失",
                   "未填写项目总额（万元）", "项目总额", str(SEED), 160)
    severity = sheet.cell(index, 5)
    assert severity.fill.fgColor.rgb == "FFFEE4E2"
    assert severity.font.color.rgb == "FFB42318"
    assert sheet.cell(index, 7).alignment.wrap_text
    t002 = [row for row in rows if row[2] == "T002"]
    assert [row[1] for row in t002] == ["免费复印", "水电维保"]
    assert "152240元" in t002[0][6]
    assert "1771200元" in t002[1][6]
    q003 = next(row for row in rows if row[2] == "Q003")
    assert q003[7] == "第3条指标“服务提升”" and q003[9] == 294
    assert all(isinstance(row[9], int) for row in rows)
    assert sheet.column_dimensions["G"].width >= 50


def test_xlsx_rules_sheet() -> None:
    report = seed_report()
    rows = data_rows(xlsx_book(report)["规则说明"], len(RULES_HEADERS))
    assert [row[0] for row in rows] == [rule.code for rule in report.rules]
    assert "C012" not in [row[0] for row in rows]  # disabled in the chongqing profile
    t002 = next(row for row in rows if row[0] == "T002")
    assert t002 == ("T002", "一致性", "警告", RULES["T002"].title, RULES["T002"].description, 2)
    assert sum(row[5] for row in rows) == 6


def test_xlsx_text_never_becomes_a_formula_or_number() -> None:
    tables = list(seed_tables())
    first = tables[0]
    assert first.project is not None
    tables[0] = replace_struct(first, project=replace_struct(first.project, name="=HYPERLINK(\"http://x\")"))
    sheet = xlsx_book(review(tables, profiles.load("chongqing").rules))["汇总"]
    assert sheet["B2"].value == "=HYPERLINK(\"http://x\")"
    assert sheet["B2"].data_type == "s"


def test_xlsx_keeps_malicious_names_as_text() -> None:
    sheet = xlsx_book(evil_report())["问题清单"]
    assert sheet["B2"].value == EVIL


@pytest.mark.parametrize("kind", [str, Path])
def test_xlsx_writes_to_a_path(tmp_path: Path, kind: type) -> None:
    target = tmp_path / "审核.xlsx"
    write_xlsx(seed_report(), kind(target))
    assert target.read_bytes()[:2] == b"PK"
    assert openpyxl.load_workbook(target).sheetnames == ["汇总", "问题清单", "规则说明"]


def test_xlsx_empty_report() -> None:
    report = review([], profiles.load("chongqing").rules)
    book = xlsx_book(report, data_only=True)
    assert book.sheetnames == ["汇总", "问题清单", "规则说明"]
    assert header(book["汇总"]) == SUMMARY_HEADERS
    assert data_rows(book["汇总"], 10) == []
    assert data_rows(book["问题清单"], 10) == []
    assert book["汇总"]["A3"].value == "合计"
    assert [book["汇总"].cell(3, col).value for col in (5, 6, 7)] == [0, 0, 0]
    assert len(data_rows(book["规则说明"], 6)) == len(report.rules)


def test_an_engine_fault_renders_in_both_formats() -> None:
    """X001 (a check that failed on odd data) is not in the catalogue but still explained."""

    def boom(ctx: object) -> list[Hit]:
        raise RuntimeError("odd data")

    profile = profiles.load("chongqing").rules
    broken = replace(RULES["T002"], check=boom)
    report = ReviewReport(profile, [review_table(seed_tables()[1], profile, [broken])], rules=(broken,))
    html = render_html(report)
    assert f'<span class="code">{ENGINE_FAULT}</span>　规则无法检查本表' in html
    assert ENGINE_FAULT_DESCRIPTION in html
    book = xlsx_book(report)
    assert data_rows(book["问题清单"], 10)[0][2:5] == (ENGINE_FAULT, "结构", "错误")
    codes = [row[0] for row in data_rows(book["规则说明"], 6)]
    assert codes == ["T002", ENGINE_FAULT]
