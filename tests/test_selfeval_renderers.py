"""The self-evaluation form (项目支出绩效自评表) as HTML and xlsx: the model's numbers, its arithmetic,
the cells the unit must fill, escaping and determinism."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import cache
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from msgspec.structs import replace as replace_struct
from openpyxl.worksheet.worksheet import Worksheet

from jixiao import profiles
from jixiao.domain import TargetTable, Value
from jixiao.io.reading import read_path
from jixiao.reports.selfeval_html import percent, render_selfeval_html, selfeval_context
from jixiao.reports.selfeval_xlsx import EXPLAIN_SHEET, SUMMARY_HEADERS, SUMMARY_SHEET, sheet_name, write_selfeval_xlsx
from jixiao.scoring import Actual, Budget, NegativeFormula, ProjectScore, QualitativeGrade, ScoringPolicy, score_project

SEED = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
EVIL = "<script>alert(1)</script>"
YELLOW = "FFFFF2CC"
SHEETS = [SUMMARY_SHEET, "1-免费复印", "2-协税员聘用", "3-窗口作风建设", EXPLAIN_SHEET]
# Rows of the form sheet (1-based, as openpyxl counts): the fixed layout above the indicators.
FUNDING_ROW, GOAL_ROW, FIRST_INDICATOR = 6, 11, 13


@cache
def seed_tables() -> tuple[TargetTable, ...]:
    return tuple(result.table for result in read_path(SEED) if result.table)


@cache
def policy() -> ScoringPolicy:
    return profiles.load("chongqing").scoring


def copying(table: TargetTable | None = None, reason: str = "纸张需求下降") -> ProjectScore:
    """免费复印: one shortfall with its reason given, execution 90%."""
    actuals = {0: Actual(Value("600000"), reason=reason), 1: Actual(Value("192")), 2: Actual(Value("360000")),
               3: Actual(Value("96"))}
    return score_project(table or seed_tables()[0], actuals, Budget(Decimal("15.00"), Decimal("15.00"),
                                                                    Decimal("13.50")), policy())


def tax_helpers() -> ProjectScore:
    """协税员聘用: a shortfall without a reason, a 反向 overshoot, execution below 90% after a cut."""
    actuals = {0: Actual(Value("36")), 1: Actual(Value("10")), 2: Actual(Value("1.5"), reason="高峰期排队"),
               3: Actual(Value("98"))}
    return score_project(seed_tables()[2], actuals, Budget(Decimal("62.68"), Decimal("60.00"), Decimal("50.00")),
                         policy())


def window_conduct() -> ProjectScore:
    """窗口作风建设: over-achievement (138%), a 定性 row, a missing actual (unscored)."""
    actuals = {0: Actual(Value("3200")), 1: Actual(Value("8")),
               2: Actual(Value("达成年度指标"), grade=QualitativeGrade.ACHIEVED, points=Decimal("18"))}
    return score_project(seed_tables()[7], actuals, Budget(Decimal("126.64"), Decimal("126.64"),
                                                           Decimal("126.64")), policy())


@cache
def projects() -> tuple[ProjectScore, ...]:
    return copying(), tax_helpers(), window_conduct()


@cache
def seed_html() -> str:
    return render_selfeval_html(projects(), policy())


def evil_table() -> TargetTable:
    first = seed_tables()[0]
    assert first.project is not None
    return replace_struct(first, project=replace_struct(first.project, name=EVIL), annual_goal=f"目标{EVIL}")


def xlsx_book(items: tuple[ProjectScore, ...] | list[ProjectScore]) -> openpyxl.Workbook:
    stream = BytesIO()
    write_selfeval_xlsx(items, policy(), stream)
    stream.seek(0)
    return openpyxl.load_workbook(stream)


@cache
def seed_book() -> openpyxl.Workbook:
    return xlsx_book(projects())


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def is_yellow(sheet: Worksheet, ref: str) -> bool:
    fill = sheet[ref].fill
    return bool(fill.fill_type == "solid" and fill.fgColor.rgb == YELLOW)


class _Forms(HTMLParser):
    """Per article: every table row as a list of (tag, class, text) cells; checks nesting."""

    VOID = frozenset({"meta", "col", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.articles: list[list[list[tuple[str, str, str]]]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self._cell_info: tuple[str, str] = ("", "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "article":
            self.articles.append([])
        elif tag == "tr" and self.articles and "article" in self.stack:
            self.articles[-1].append([])
        elif tag in ("td", "th") and self.articles and "article" in self.stack:
            self._cell = []
            self._cell_info = (tag, dict(attrs).get("class") or "")
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            self.articles[-1][-1].append((*self._cell_info, text))
            self._cell = None
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def forms(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    parser.close()
    return parser


def row_of(rows: list[list[tuple[str, str, str]]], name: str) -> list[tuple[str, str, str]]:
    """The form row whose cell text is exactly ``name`` (a 三级指标 or a funding label)."""
    matches = [row for row in rows if any(text == name for _, _, text in row)]
    assert len(matches) == 1, name
    return matches[0]


def texts(row: list[tuple[str, str, str]]) -> list[str]:
    return [text for _, _, text in row]


# --- the scores the renderers show -----------------------------------------------------------


def test_fixture_scores() -> None:
    """The model's numbers the assertions below rest on."""
    one, two, three = projects()
    assert (one.total, one.grade, one.complete) == (Decimal("95.67"), "优", True)
    assert (two.total, two.grade, two.complete) == (Decimal("84.16"), "良", True)
    assert (three.total, three.grade, three.complete) == (Decimal("78.00"), "中", False)
    assert [i.score for i in one.indicators] == [Decimal("16.67"), 20, 25, 25]
    assert [i.score for i in two.indicators] == [25, Decimal("20.83"), Decimal("10.00"), 20]
    assert [i.score for i in three.indicators] == [25, 25, Decimal("18"), None]
    assert three.indicators[0].overachieved and three.indicators[0].needs_reason
    assert two.execution.needs_reason and two.execution.score == Decimal("8.33")


# --- HTML -----------------------------------------------------------------------------------


def test_html_is_a_standalone_page() -> None:
    html = seed_html()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html
    assert "@media print" in html
    lowered = html.lower()
    for external in ("<script", "<link", "src=", "@import", "http://", "https://", "url("):
        assert external not in lowered, external
    parser = forms(html)
    assert parser.errors == [] and parser.stack == []
    assert len(parser.articles) == 3
    assert html.count('<h1 class="form-title">项目支出绩效自评表</h1>') == 3
    assert html.count("（2022年度）") >= 3


def test_html_is_deterministic() -> None:
    assert render_selfeval_html(projects(), policy()) == seed_html()
    assert render_selfeval_html(list(reversed(projects())), policy()) != seed_html()
    assert not re.search(r"20\d\d-\d\d-\d\d", seed_html())


def test_html_summary_lists_every_project() -> None:
    html = seed_html()
    assert "自评汇总" in html
    summary = html.split('<table class="overview">')[1].split("</table>")[0]
    assert summary.count("<tr>") == 4  # header and three projects
    for project in projects():
        assert project.table.label() in summary
        assert f'<td class="num">{project.total:f}</td>' in summary
        assert f">{project.grade}</span>" in summary
    assert "未完成计分" in summary  # the project with an unscored row
    assert '<td class="num">83.33%</td>' in summary


def test_html_single_project_has_no_summary() -> None:
    html = render_selfeval_html([copying()], policy())
    assert "自评汇总" not in html
    assert "<title>项目支出绩效自评表：免费复印</title>" in html
    assert len(forms(html).articles) == 1


def test_html_header_and_funding_block() -> None:
    rows = forms(seed_html()).articles[0]
    assert texts(rows[0]) == ["项目名称", "50011522T000000157087-免费复印（一般性）"]
    assert texts(rows[1]) == ["主管部门", "145-重庆市长寿区政务服务管理办公室", "实施单位",
                              "145001-重庆市长寿区政务服务管理办公室（本级）"]
    assert texts(rows[2]) == ["项目资金 （万元）", "", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值",
                              "执行率（B/A）", "得分", "说明"]
    total = texts(row_of(rows, "年度资金总额"))
    assert total[:6] == ["年度资金总额", "15.00", "15.00", "13.50", "10", "90%"]
    assert total[6] == "9.00 13.5 ÷ 15 = 90%；min(90%, 100%) × 10 = 9 满分条件：B ≥ 15（执行率 100%）"
    for split in ("其中：当年财政拨款", "上年结转资金", "其他资金"):
        row = row_of(rows, split)
        # the form's 其中 fields are the 全年执行数 by source: that column waits for them, the others are not asked
        assert texts(row)[1:] == ["—", "—", "待填", "—", "—", "—", ""]
        assert [cell for cell in row if cell[1] == "fill"] == [("td", "fill", "待填")]
    goal = rows[rows.index(row_of(rows, "预期目标")) + 1]
    assert goal[0][2].startswith("根据区政府对《关于在区行政服务中心开展免费打印复印便民服务的请示》")
    assert goal[1] == ("td", "fill", "待填写")


def test_html_indicator_rows_show_numbers_and_arithmetic() -> None:
    rows = forms(seed_html()).articles[0]
    assert texts(rows[rows.index(row_of(rows, "一级指标"))]) == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施"]
    paper = texts(row_of(rows, "纸张使用量"))
    assert paper == ["产出指标", "数量指标", "纸张使用量", "≥720000张", "600000张", "20",
                     "16.67 20 × 600000 ÷ 720000 = 16.67 满分条件：B ≥ 720000", "纸张需求下降"]
    toner = texts(row_of(rows, "墨粉消耗量"))  # 一级/二级 merged with the row above
    assert toner == ["墨粉消耗量", "≥192盒", "192盒", "20", "20.00 B = 192 ≥ A = 192 → 20", ""]
    assert '<td class="c" rowspan="2">产出指标</td>' in seed_html()
    total = texts(rows[-1])
    assert total[:3] == ["总分", "100", "95.67"]
    assert total[3] == "自评等级 优"
    article = seed_html().split('id="p1"')[1].split("</article>")[0]
    assert '自评等级 <span class="badge grade-1">优</span>' in article


def test_html_asks_for_missing_reasons() -> None:
    rows = forms(seed_html()).articles[1]
    helpers = row_of(rows, "协税员人数")
    assert texts(helpers)[:5] == ["协税员人数", "=12名", "10名", "25", "20.83 25 × 10 ÷ 12 = 20.83 满分条件：B ≥ 12"]
    assert helpers[-1] == ("td", "must", "须填写：扣 4.17 分，请分析偏差原因并提出改进措施")
    errands = row_of(rows, "群众办事跑腿次数")  # 反向, linear; the reason was given
    assert texts(errands)[3:] == ["≤1次", "1.5次", "20", "10.00 20 × (1 − (1.5 − 1) ÷ 1) = 10 满分条件：B ≤ 1",
                                  "高峰期排队"]
    assert errands[-1][1] == "reason"
    funding = row_of(rows, "年度资金总额")
    assert texts(funding)[1:6] == ["62.68", "60.00", "50.00", "10", "83.33%"]
    assert funding[-1][1] == "must"
    assert funding[-1][2].startswith("须填写：预算执行率 83.33% 低于 90%，须说明原因")
    # reasons already given never ask again
    assert all(cell[1] != "must" for cell in row_of(forms(seed_html()).articles[0], "纸张使用量"))


def test_html_overachievement_qualitative_and_unscored_rows() -> None:
    html = seed_html()
    rows = forms(html).articles[2]
    over = row_of(rows, "培训人次")
    assert texts(over)[3:6] == ["=2312人次", "3200人次", "25"]
    assert texts(over)[6] == "25.00 B = 3200 ≥ A = 2312 → 25"  # full marks: no 满分条件 line
    assert over[-1] == ("td", "must", "须填写：实际完成值为目标的 138.41%，达到超额标准（130%），"
                                      "须说明原因（目标是否定得过低）")
    judged = row_of(rows, "服务提升")
    assert texts(judged)[3:] == ["定性：10", "达成年度指标", "20",
                                 "18.00 “达成年度指标”档 16–20 分，评价人给 18 分 满分条件：“达成年度指标”且给满 20 分",
                                 "须填写：扣 2.00 分，请分析偏差原因并提出改进措施"]
    missing = row_of(rows, "工作人员和群众满意率")
    assert missing[-4] == ("td", "must", "须填写")  # 实际完成值
    assert texts(missing)[-2] == "未计分 缺少实际完成值"
    assert missing[-1] == ("td", "must", "须填写：缺少实际完成值")
    assert texts(rows[-1])[:3] == ["总分", "100", "78.00"]
    assert texts(rows[-1])[3] == "自评等级 中 未完成计分"
    article = html.split('id="p3"')[1].split("</article>")[0]
    warnings = article.split('<ul class="warnings">')[1].split("</ul>")[0]
    assert "有 1 项未能计分，总分按 0 分计入，须补充后重新计算" in warnings
    assert "实际完成值为目标的 138.41%" in warnings


def test_html_footer_names_the_rules() -> None:
    html = seed_html()
    footer = html.split('<footer class="note">')[1]
    assert "计分配置：chongqing　版本 2022.1" in footer
    assert "反向指标公式：linear（" in footer
    assert "预算执行率计分：proportional（" in footer
    assert "自评等级：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 ≥ 0" in footer
    ratio = replace(policy(), negative_formula=NegativeFormula.RATIO)
    assert "反向指标公式：ratio（比值：B ≤ A 得满分，超过时 w × A ÷ B）" in render_selfeval_html([], ratio)


def test_html_escapes_everything() -> None:
    project = copying(evil_table(), reason=f"原因{EVIL}")
    html = render_selfeval_html([project, tax_helpers()], policy())
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;script&gt;") == 4  # summary row, 项目名称, 预期目标, 偏差原因
    parser = forms(html)
    assert parser.errors == [] and parser.stack == []
    single = render_selfeval_html([project], policy())
    assert "<title>项目支出绩效自评表：&lt;script&gt;alert(1)&lt;/script&gt;</title>" in single


def test_html_empty_list_renders() -> None:
    html = render_selfeval_html([], policy())
    parser = forms(html)
    assert parser.errors == [] and parser.stack == []
    assert parser.articles == []
    assert "没有可自评的项目。" in html
    assert "（　　年度）" in html
    assert "计分配置：chongqing　版本 2022.1" in html


def test_html_without_budget_or_indicators() -> None:
    table = replace_struct(seed_tables()[0], indicators=())
    project = score_project(table, {}, None, policy())
    html = render_selfeval_html([project], policy())
    rows = forms(html).articles[0]
    funding = row_of(rows, "年度资金总额")
    assert texts(funding)[1:4] == ["—", "—", "—"]
    assert funding[-1] == ("td", "must", "须填写：缺少全年预算数或全年执行数，无法计算预算执行率")
    assert "未计分" in texts(funding)[6]
    assert texts(rows[-1])[:3] == ["总分", "10", "0.00"]


def test_context_counts_cells_to_fill() -> None:
    counts = [project["to_fill"] for project in selfeval_context(projects(), policy())["projects"]]
    # 实际完成情况 (not given); + the execution reason (1 point lost); + 协税员人数 and the execution reason;
    # + 培训人次, 服务提升, and the missing actual with its reason
    assert counts == [2, 3, 5]


# --- xlsx -----------------------------------------------------------------------------------


def test_xlsx_sheets() -> None:
    book = seed_book()
    assert book.sheetnames == SHEETS
    assert [cell.value for cell in book[SUMMARY_SHEET][1]] == list(SUMMARY_HEADERS)


def test_xlsx_form_layout() -> None:
    sheet = seed_book()["1-免费复印"]
    merged = {str(item) for item in sheet.merged_cells.ranges}
    assert {"A1:J1", "A2:J2", "B3:J3", "A5:A9", "A10:A11", "B11:F11", "G11:J11", "A12:A16", "B13:B14",
            "C13:C14", "A17:F17", "I17:J17"} <= merged
    assert sheet["A1"].value == "项目支出绩效自评表"
    assert sheet["A1"].font.b
    assert sheet["A2"].value == "（2022年度）"
    assert sheet["B3"].value == "50011522T000000157087-免费复印（一般性）"
    assert (sheet["A4"].value, sheet["F4"].value) == ("主管部门", "实施单位")
    assert [sheet.cell(5, col).value for col in range(4, 11)] == [
        "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分", "说明"]
    assert [sheet.cell(12, col).value for col in range(1, 10)] == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施"]
    assert [sheet.cell(13, col).value for col in range(2, 10)] == [
        "产出指标", "数量指标", "纸张使用量", "≥720000张", "600000张", 20, 16.67, "纸张需求下降"]
    assert sheet["A17"].value == "总分"
    assert sheet["I17"].value == "自评等级：优"
    assert sheet["A3"].border.left.style == "thin" and sheet["H13"].alignment.wrap_text


@pytest.mark.parametrize("position", [0, 1, 2])
def test_xlsx_scores_are_numbers_equal_to_the_model(position: int) -> None:
    project = projects()[position]
    sheet = seed_book()[SHEETS[position + 1]]
    budget = project.execution.budget
    assert budget is not None
    assert [sheet.cell(FUNDING_ROW, col).value for col in (4, 5, 6)] == [
        number(budget.initial), number(budget.adjusted), number(budget.executed)]
    assert sheet.cell(FUNDING_ROW, 4).number_format == "0.00"
    assert sheet.cell(FUNDING_ROW, 7).value == number(project.execution.weight)
    assert sheet.cell(FUNDING_ROW, 8).value == number(project.execution.rate)
    # the rate exactly, shown with the decimals the form prints (90%, 83.33%), as the page shows it
    shown = percent(str(project.execution.rate)) or ""
    places = len(shown.rstrip("%").partition(".")[2])
    assert sheet.cell(FUNDING_ROW, 8).number_format == ("0%", "0.0%", "0.00%")[places]
    assert sheet.cell(FUNDING_ROW, 9).value == number(project.execution.score)
    for item in project.indicators:
        row = FIRST_INDICATOR + item.index
        assert sheet.cell(row, 4).value == item.name
        assert sheet.cell(row, 7).value == number(item.weight)
        assert sheet.cell(row, 8).value == number(item.score)
        assert isinstance(sheet.cell(row, 7).value, int | float)
        comment = sheet.cell(row, 8).comment
        assert comment is not None and item.explanation.arithmetic in comment.text
    total_row = FIRST_INDICATOR + len(project.indicators)
    assert sheet.cell(total_row, 1).value == "总分"
    assert sheet.cell(total_row, 7).value == 100
    assert sheet.cell(total_row, 8).value == number(project.total)
    assert sheet.cell(total_row, 9).value.startswith(f"自评等级：{project.grade}")


def test_xlsx_cells_to_fill_are_yellow() -> None:
    book = seed_book()
    for name in SHEETS[1:-1]:
        sheet = book[name]
        assert is_yellow(sheet, f"G{GOAL_ROW}") and sheet[f"G{GOAL_ROW}"].value is None  # 实际完成情况
        for ref in ("F7", "F8", "F9"):  # the three 待填 funding rows: their 全年执行数
            assert is_yellow(sheet, ref) and sheet[ref].value is None, (name, ref)
        for ref in ("D7", "E7", "D8", "E8", "D9", "E9"):  # not asked by the form: not left to fill either
            assert not is_yellow(sheet, ref) and sheet[ref].value == "—", (name, ref)
        for ref in ("A1", "B3", "D6", "I6", "G7", "B11", "A17"):
            assert not is_yellow(sheet, ref), (name, ref)
    first, second, third = (book[name] for name in SHEETS[1:-1])
    assert not is_yellow(first, "I13")  # the reason was given
    assert not is_yellow(first, "I14") and first["I14"].value is None  # full marks: nothing to say
    assert is_yellow(first, "J6") and first["J6"].value == "须填写：扣 1.00 分，请说明原因"  # 执行率 90%
    assert is_yellow(second, "I14") and second["I14"].value == "须填写：扣 4.17 分，请分析偏差原因并提出改进措施"
    assert not is_yellow(second, "I15") and second["I15"].value == "高峰期排队"
    assert is_yellow(second, "J6") and second["J6"].value.startswith("须填写：预算执行率 83.33% 低于 90%")
    assert is_yellow(third, "I13") and "138.41%" in third["I13"].value  # over-achievement
    assert is_yellow(third, "I15") and third["H15"].value == 18 and third["F15"].value == "达成年度指标"
    assert is_yellow(third, "F16") and third["F16"].value is None  # the missing actual
    assert third["H16"].value is None  # unscored, never a made-up 0
    assert is_yellow(third, "I16") and third["I16"].value == "须填写：缺少实际完成值"
    assert third["I17"].value == "自评等级：中（未完成计分）"


def test_xlsx_summary_sheet() -> None:
    sheet = seed_book()[SUMMARY_SHEET]
    rows = list(sheet.iter_rows(min_row=2, max_row=4, values_only=True))
    assert [row[0] for row in rows] == [1, 2, 3]
    assert [row[2] for row in rows] == ["免费复印", "协税员聘用", "窗口作风建设"]
    assert [row[8] for row in rows] == [number(project.total) for project in projects()]
    assert [row[9] for row in rows] == ["优", "良", "中"]
    assert [row[6] for row in rows] == [0.9, 0.8333, 1]
    assert [row[10] for row in rows] == ["是", "是", "否"]
    assert [row[12] for row in rows] == SHEETS[1:-1]
    assert [sheet[f"G{row}"].number_format for row in (2, 3, 4)] == ["0%", "0.00%", "0%"]  # 90%, 83.33%, 100%
    link = sheet["M2"].hyperlink
    assert link is not None and link.location == "'1-免费复印'!A1"
    notes = [cell.value for cell in sheet["A"] if isinstance(cell.value, str)]
    assert "计分配置：chongqing　版本 2022.1" in notes


def test_xlsx_explanation_sheet_lists_every_score() -> None:
    sheet = seed_book()[EXPLAIN_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(1 + len(project.indicators) for project in projects())
    execution = rows[0]
    assert execution[:7] == ("1-免费复印", "免费复印", "预算执行率", None, "年度资金总额", 10, 9)
    assert execution[8] == "13.5 ÷ 15 = 90%；min(90%, 100%) × 10 = 9"
    paper = rows[1]
    assert paper[4:10] == ("纸张使用量", 20, 16.67, "正向：B ≥ A 得满分 w，否则 w × B ÷ A",
                           "20 × 600000 ÷ 720000 = 16.67", "B ≥ 720000")
    assert paper[11] == "chongqing 2022.1"
    unscored = rows[-1]
    assert unscored[4:9] == ("工作人员和群众满意率", 20, None, "无法计分", "缺少实际完成值")
    for row, item in zip(rows[1:5], projects()[0].indicators, strict=True):
        assert row[6] == number(item.score) and row[8] == item.explanation.arithmetic


def test_sheet_names_are_short_unique_and_legal() -> None:
    assert sheet_name(1, "免费复印") == "1-免费复印"
    long = sheet_name(12, "很长的项目名称" * 10)
    assert len(long) == 31 and long.startswith("12-很长")
    assert sheet_name(3, "a[b]c:d*e?f/g\\h") == "3-abcdefgh"
    assert sheet_name(4, "'[]'") == "4-项目"
    assert len(sheet_name(5, "𠀀" * 40).encode("utf-16-le")) // 2 <= 31
    same = [copying(), copying()]
    assert xlsx_book(same).sheetnames == [SUMMARY_SHEET, "1-免费复印", "2-免费复印", EXPLAIN_SHEET]


def test_xlsx_keeps_malicious_names_as_text() -> None:
    formula = "=HYPERLINK(\"http://x\",\"y\")"
    table = evil_table()
    assert table.project is not None
    other = replace_struct(table, project=replace_struct(table.project, name=formula))
    book = xlsx_book([copying(table, reason=EVIL), copying(other, reason="=1+1")])
    assert book.sheetnames == [SUMMARY_SHEET, "1-<script>alert(1)<script>", "2-=HYPERLINK(\"httpx\",\"y\")",
                               EXPLAIN_SHEET]
    first, second = book[book.sheetnames[1]], book[book.sheetnames[2]]
    assert first["B3"].value == f"50011522T000000157087-{EVIL}（一般性）"
    assert first["I13"].value == EVIL
    assert second["B3"].data_type == "s" and second["I13"].value == "=1+1" and second["I13"].data_type == "s"
    assert book[SUMMARY_SHEET]["C3"].value == formula and book[SUMMARY_SHEET]["C3"].data_type == "s"


@pytest.mark.parametrize("kind", [str, Path])
def test_xlsx_writes_to_a_path(tmp_path: Path, kind: type) -> None:
    target = tmp_path / "自评表.xlsx"
    write_selfeval_xlsx(projects(), policy(), kind(target))
    assert openpyxl.load_workbook(target).sheetnames == SHEETS


def test_xlsx_empty_list() -> None:
    book = xlsx_book([])
    assert book.sheetnames == [SUMMARY_SHEET, EXPLAIN_SHEET]
    assert book[SUMMARY_SHEET]["A2"].value == "没有可自评的项目。"
    assert book[EXPLAIN_SHEET].max_row == 1


def test_xlsx_without_budget_or_indicators() -> None:
    table = replace_struct(seed_tables()[0], indicators=())
    book = xlsx_book([score_project(table, {}, None, policy())])
    sheet = book["1-免费复印"]
    assert [sheet.cell(FUNDING_ROW, col).value for col in (4, 5, 6, 7, 8, 9)] == [None, None, None, 10, None, None]
    assert is_yellow(sheet, "J6")
    assert sheet["A12"].value == "绩效指标" and sheet["A13"].value == "总分"
    assert (sheet["G13"].value, sheet["H13"].value) == (10, 0)


# --- what the web form stored (review13 defects 5 and 6) ---------------------------------------


def stored_copying(**extra: object) -> dict[str, object]:
    """免费复印 as a saved self-evaluation: the scores in dict form plus what the web form collected."""
    from jixiao.scoring.report import project_to_dict
    return project_to_dict(copying()) | extra


def test_what_the_form_stored_is_printed_and_only_the_rest_is_left_to_fill() -> None:
    given = stored_copying(funding_splits={"current_year": "12.5", "carried_over": "1", "other": None},
                           goal_achieved="全年免费复印 60 万张，服务群众 3 万人次")
    rows = forms(render_selfeval_html([], policy(), stored=[given])).articles[0]
    assert texts(row_of(rows, "其中：当年财政拨款"))[1:4] == ["—", "—", "12.50"]
    assert texts(row_of(rows, "上年结转资金"))[1:4] == ["—", "—", "1.00"]
    assert row_of(rows, "其他资金")[3] == ("td", "fill", "待填")  # truly not given
    goal = rows[rows.index(row_of(rows, "预期目标")) + 1]
    assert goal[1] == ("td", "goal", "全年免费复印 60 万张，服务群众 3 万人次")
    # 9 of 10 points for a 90% execution rate: the 说明 asks why (no form field collects it)
    assert row_of(rows, "年度资金总额")[-1] == ("td", "must", "须填写：扣 1.00 分，请说明原因")
    assert selfeval_context([], policy(), [given])["projects"][0]["to_fill"] == 1  # only that 说明
    old = forms(render_selfeval_html([], policy(), stored=[stored_copying()])).articles[0]  # stored before
    assert [cell[2] for cell in row_of(old, "上年结转资金") if cell[1] == "fill"] == ["待填"]


def test_xlsx_form_sheets_carry_what_was_stored_and_sign_off_lines_not_the_configuration() -> None:
    given = stored_copying(funding_splits={"current_year": "12.5", "carried_over": None, "other": "0"},
                           goal_achieved="全年免费复印 60 万张")
    out = BytesIO()
    write_selfeval_xlsx([], policy(), out, stored=[given])
    sheet = openpyxl.load_workbook(BytesIO(out.getvalue()))["1-免费复印"]
    assert sheet["F7"].value == 12.5 and not is_yellow(sheet, "F7")
    assert sheet["F8"].value is None and is_yellow(sheet, "F8") and sheet["F9"].value == 0
    assert sheet[f"G{GOAL_ROW}"].value == "全年免费复印 60 万张" and not is_yellow(sheet, f"G{GOAL_ROW}")
    for name in SHEETS[1:-1]:
        form = seed_book()[name]
        words = " ".join(str(cell.value) for row in form.iter_rows() for cell in row if cell.value is not None)
        assert "填报单位（盖章）：145001-" in words and "负责人：" in words and "填报日期：" in words, name
        for internal in ("计分配置", "反向指标公式", "预算执行率计分", "linear", "proportional"):
            assert internal not in words, (name, internal)
