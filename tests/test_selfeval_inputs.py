"""Self-evaluation and monitoring inputs: CSV and workbook readers, matching to tables, the template."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import msgspec
import openpyxl
import pytest

from jixiao import profiles
from jixiao.domain import Diagnostic, Indicator, ProjectRef, Severity, SourceRef, TargetTable, Value
from jixiao.io.inputs import (
    ACTUALS_HEADERS,
    BUDGET_HEADERS,
    GUIDE_SHEET,
    ActualRow,
    BudgetRow,
    MonitorBudgetRow,
    ProgressRow,
    read_actuals,
    read_actuals_csv,
    read_budget_csv,
    read_monitor_budget_csv,
    read_progress_csv,
    read_selfeval_workbook,
    write_selfeval_template,
)
from jixiao.io.reading import read_path
from jixiao.scoring import Actual, Budget, QualitativeGrade, score_project
from jixiao.scoring.matching import match_actuals, match_progress

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
DATA = ROOT / "tests" / "data" / "selfeval"
COPY = "50011522T000000157087"  # 免费复印
STYLE = "50011522T000000132350"  # 窗口作风建设, the one with a 定性 indicator (服务提升)

E, W = Severity.ERROR, Severity.WARNING

# Totals for actuals_good.csv + budget_good.csv under the 重庆 profile, checked by hand, e.g. 免费复印:
# 20 × 650000 ÷ 720000 = 18.06, + 20 + 25 + 25, execution 14.25 ÷ 15 = 95% → 9.50; total 97.56.
GOOD_TOTALS = {
    COPY: "97.56",
    "50011522T000000132369": "98.56",
    "50011522T000000133119": "99.59",
    "50011522T000000132340": "98.86",
    "50011522T000000132376": "97.95",
    "50011522T000000132158": "100.00",
    "50011522T000000132359": "96.13",
    STYLE: "97.48",
    "50011522T000000132149": "99.86",
}


def _seed() -> list[TargetTable]:
    return [r.table for r in read_path(SEED) if r.table is not None]


def _only(*codes: str) -> list[TargetTable]:
    return [t for t in _seed() if t.project_code in codes]


def _keys(diagnostics: list[Diagnostic]) -> list[tuple[str, Severity, str | None, int | None, str | None]]:
    """(code, severity, file name, row, column): what every assertion below compares exactly."""
    return [(d.code, d.severity, Path(d.file).name if d.file else None, d.line, d.column) for d in diagnostics]


def _source(name: str) -> str:
    return str(DATA / name)


# -- CSV readers ------------------------------------------------------------------------------
def test_good_actuals_csv_reads_every_row() -> None:
    rows, diagnostics = read_actuals_csv(DATA / "actuals_good.csv")
    assert diagnostics == []
    assert len(rows) == 36
    assert [r.row for r in rows][-5:] == [33, 35, 36, 37, 38]  # row 34 is blank: skipped, still counted
    source = _source("actuals_good.csv")
    assert rows[0] == ActualRow(COPY, "纸张使用量", "650000", None,
                                "群众自带材料增多，复印需求低于预期；下年按实际需求调整目标", source, 2)
    assert rows[9] == ActualRow("50011522T000000133119", "协税员人数", "１２", None, None, source, 11)
    assert rows[30] == ActualRow(STYLE, "服务提升", "达成年度指标", Decimal(18),
                                 "窗口服务规范化水平仍有提升空间", source, 32)
    assert rows[-3].actual_text == "1,298,400"


@pytest.mark.parametrize("name", ["actuals_bom.csv", "actuals_gb18030.csv"])
def test_bom_and_gb18030_csv(name: str) -> None:
    raw = (DATA / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (name == "actuals_bom.csv")
    rows, diagnostics = read_actuals_csv(DATA / name)
    assert diagnostics == []
    source = _source(name)
    assert rows == [
        ActualRow(STYLE, "培训人次", "2400", None, None, source, 2),
        ActualRow(STYLE, "培训场次", "8", None, None, source, 3),
        ActualRow(STYLE, "服务提升", "达成年度指标", Decimal(18), "窗口服务规范化水平仍有提升空间", source, 4),
        ActualRow(STYLE, "工作人员和群众满意率", "96", None, None, source, 5),
    ]


def test_bad_cells_are_reported_and_their_rows_not_used() -> None:
    rows, diagnostics = read_actuals_csv(DATA / "actuals_bad_cells.csv")
    name = "actuals_bad_cells.csv"
    assert _keys(diagnostics) == [
        ("blank-cell", E, name, 2, "实际完成值"),
        ("blank-cell", E, name, 3, "项目编码"),
        ("code-as-number", E, name, 6, "项目编码"),
        ("not-a-number", E, name, 7, "定性得分"),
        ("unnamed-column", W, name, 8, "第6列"),
    ]
    assert "“十八”" in diagnostics[3].message and "数字" in diagnostics[3].message
    assert "5.0011522E+20" in diagnostics[2].message
    assert [(r.indicator_name, r.row) for r in rows] == [("减少办事成本", 4), ("培训场次", 8), ("培训人次", 9)]


def test_missing_columns_is_one_error_naming_them() -> None:
    rows, diagnostics = read_actuals_csv(DATA / "actuals_bad_header.csv")
    assert rows == []
    assert _keys(diagnostics) == [("missing-columns", E, "actuals_bad_header.csv", 1, "三级指标")]
    assert "三级指标、定性得分" in diagnostics[0].message


def test_extra_and_duplicate_columns() -> None:
    rows, diagnostics = read_actuals_csv(DATA / "actuals_extra_columns.csv")
    name = "actuals_extra_columns.csv"
    # 项目名称 and 指标值 are the template's reference columns: skipped without a word.
    assert _keys(diagnostics) == [("duplicate-column", E, name, 1, "三级指标"),
                                  ("extra-column", W, name, 1, "备注")]
    assert rows == [ActualRow(COPY, "纸张使用量", "650000", None, None, _source(name), 2)]


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    rows, diagnostics = read_actuals_csv(tmp_path / "absent.csv")
    assert rows == [] and _keys(diagnostics) == [("unreadable-file", E, "absent.csv", None, None)]
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", "utf-8")
    assert _keys(read_budget_csv(empty)[1]) == [("empty-file", E, "empty.csv", None, None)]
    broken = tmp_path / "broken.csv"
    broken.write_bytes("项目编码,全年预算数,累计执行数\n".encode() + b"\x81\x30\xff\xff\n")
    assert _keys(read_monitor_budget_csv(broken)[1]) == [("decode-error", E, "broken.csv", None, None)]


def test_budget_csv() -> None:
    rows, diagnostics = read_budget_csv(DATA / "budget_good.csv")
    assert diagnostics == []
    source = _source("budget_good.csv")
    assert rows[0] == BudgetRow(COPY, Decimal("15.00"), Decimal("15.00"), Decimal("14.25"), source, 2)
    assert rows[4] == BudgetRow("50011522T000000132376", None, Decimal("20.00"), Decimal("18.40"), source, 6)
    assert len(rows) == 9

    rows, diagnostics = read_budget_csv(DATA / "budget_bad.csv")
    name = "budget_bad.csv"
    assert _keys(diagnostics) == [
        ("not-a-number", E, name, 2, "全年执行数"),  # "12%" is not an amount
        ("blank-cell", E, name, 3, "全年预算数"),
        ("not-a-number", E, name, 4, "全年执行数"),  # "9,60": a comma that is not a thousands separator
    ]
    assert "“12%”" in diagnostics[0].message
    # Full-width digits and thousands commas are numbers.
    assert rows[0] == BudgetRow("50011522T000000132340", Decimal("175.65"), Decimal("1175.65"), Decimal("168.30"),
                                _source(name), 5)
    assert [r.row for r in rows] == [5, 6, 7, 8]


def test_progress_and_monitor_budget_csv() -> None:
    rows, diagnostics = read_progress_csv(DATA / "progress_good.csv")
    assert diagnostics == []
    source = _source("progress_good.csv")
    assert rows[1] == ProgressRow(STYLE, "培训场次", "3", "8", "上半年集中培训推迟到三季度", "有可能", source, 3)
    assert rows[3] == ProgressRow(STYLE, "工作人员和群众满意率", "96", "95", None, None, source, 5)

    rows, diagnostics = read_progress_csv(DATA / "progress_bad.csv")
    name = "progress_bad.csv"
    assert _keys(diagnostics) == [("blank-cell", E, name, 3, "全年预计完成值"),
                                  ("bad-choice", E, name, 4, "完成可能性")]
    assert "确定能、有可能、完全不可能" in diagnostics[1].message
    assert [r.row for r in rows] == [2, 5, 6]

    money, diagnostics = read_monitor_budget_csv(DATA / "monitor_budget.csv")
    assert _keys(diagnostics) == [("not-a-number", E, "monitor_budget.csv", 4, "累计执行数")]
    assert money[0] == MonitorBudgetRow(STYLE, Decimal("126.64"), Decimal("70.20"), _source("monitor_budget.csv"), 2)


# -- matching ---------------------------------------------------------------------------------
def test_good_actuals_match_and_score_every_project() -> None:
    tables = _seed()
    rows, _ = read_actuals_csv(DATA / "actuals_good.csv")
    money, _ = read_budget_csv(DATA / "budget_good.csv")
    actuals, budgets, diagnostics = match_actuals(tables, rows, money)
    assert diagnostics == []
    assert actuals[STYLE][2] == Actual(Value("达成年度指标"), QualitativeGrade.ACHIEVED, Decimal(18),
                                       "窗口服务规范化水平仍有提升空间")
    assert actuals["50011522T000000132149"][1].value == Value("1,298,400")
    assert budgets["50011522T000000132376"] == Budget(None, Decimal("20.00"), Decimal("18.40"))
    policy = profiles.load("chongqing").scoring
    scores = {t.project_code: score_project(t, actuals[t.project_code or ""], budgets[t.project_code or ""], policy)
              for t in tables}
    assert all(s.complete for s in scores.values())
    assert {code: str(s.total) for code, s in scores.items()} == GOOD_TOTALS


def test_matching_reports_every_bad_row() -> None:
    rows, read_notes = read_actuals_csv(DATA / "actuals_matching.csv")
    money, _ = read_budget_csv(DATA / "budget_bad.csv")
    assert read_notes == []
    actuals, budgets, diagnostics = match_actuals(_only(COPY, STYLE), rows, money)
    a, b = "actuals_matching.csv", "budget_bad.csv"
    assert _keys(diagnostics) == [
        ("unknown-project", E, b, 5, "项目编码"),
        ("duplicate-budget", E, b, 7, "项目编码"),
        ("unknown-project", E, b, 8, "项目编码"),
        ("unknown-indicator", E, a, 2, "三级指标"),
        ("duplicate-actual", E, a, 4, "三级指标"),
        ("score-ignored", W, a, 5, "定性得分"),
        ("actual-not-number", E, a, 6, "实际完成值"),
        ("unknown-project", E, a, 7, "项目编码"),
        ("bad-grade", E, a, 10, "实际完成值"),
        ("duplicate-actual", E, a, 11, "三级指标"),
        ("missing-actual", E, SEED.name, 34, None),  # 纸张使用量: its only row named “纸张用量”
        ("missing-budget", E, SEED.name, 260, None),  # 窗口作风建设
    ]
    by_code = {d.line: d.message for d in diagnostics if d.file and Path(d.file).name == a}
    assert "是否为：纸张使用量？" in by_code[2]
    assert "已在第3行填写" in by_code[4]
    assert "“96%”" in by_code[6] and "“%”" in by_code[6]
    assert "是否为 50011522T000000157087？" in by_code[7]
    assert all(grade.value in by_code[10] for grade in QualitativeGrade)
    assert "缺少实际完成值" in diagnostics[-2].message and "纸张使用量" in diagnostics[-2].message
    # The earlier of two duplicate rows is used, the later not; rows with errors are not used at all.
    assert actuals == {
        COPY: {1: Actual(Value("192"), row=3), 2: Actual(Value("380000"), row=5)},
        STYLE: {0: Actual(Value("2400")), 1: Actual(Value("8")), 3: Actual(Value("９６"))},
    }
    assert budgets == {COPY: Budget(Decimal("15.00"), Decimal("15.00"), Decimal("14.25"))}
    assert budgets[COPY].row == 6


def test_qualitative_short_grade_and_missing_score() -> None:
    tables = _only(STYLE)
    money = [BudgetRow(STYLE, None, Decimal(100), Decimal(100), "b.csv", 2)]
    rows, _ = read_actuals_csv(DATA / "actuals_short_grade.csv")
    actuals, _, diagnostics = match_actuals(tables, rows, money)
    assert diagnostics == []
    assert actuals[STYLE][2] == Actual(Value("部分达成"), QualitativeGrade.PARTLY, Decimal("13.5"))  # “服务 提升”

    rows, _ = read_actuals_csv(DATA / "actuals_no_score.csv")
    actuals, _, diagnostics = match_actuals(tables, rows, money)
    assert _keys(diagnostics) == [("missing-qualitative-score", E, "actuals_no_score.csv", 4, "定性得分")]
    assert 2 not in actuals[STYLE]


def test_other_quantitative_needs_points_and_unreadable_operator_passes_through() -> None:
    table = TargetTable(project=ProjectRef.parse("50011522T000000000001-测试"), indicators=(
        Indicator("产出指标", "质量指标", "验收情况", "定量（其他）", target=Value("合格"), weight=Decimal(30)),
        Indicator("产出指标", "质量指标", "完成质量", "约为", target=Value("90"), weight=Decimal(30)),
    ), source=SourceRef("t.txt", 1))
    code = "50011522T000000000001"
    rows = [ActualRow(code, "验收情况", "合格", None, None, "a.csv", 2),
            ActualRow(code, "完成质量", "92", Decimal(3), None, "a.csv", 3)]
    actuals, _, diagnostics = match_actuals([table], rows, [BudgetRow(code, None, Decimal(1), Decimal(1), "b", 2)])
    assert _keys(diagnostics) == [("missing-qualitative-score", E, "a.csv", 2, "定性得分")]
    assert actuals[code] == {1: Actual(Value("92"), None, Decimal(3))}
    rows[0] = dataclasses.replace(rows[0], qualitative_score=Decimal(27))
    actuals, _, diagnostics = match_actuals([table], rows, [BudgetRow(code, None, Decimal(1), Decimal(1), "b", 2)])
    assert diagnostics == [] and actuals[code][0] == Actual(Value("合格"), None, Decimal(27))


def test_tables_sharing_a_code_or_without_one() -> None:
    first = _only(COPY)[0]
    same = msgspec.structs.replace(first, source=SourceRef("again.txt", 7))
    other = msgspec.structs.replace(first, indicators=first.indicators[:2], source=SourceRef("other.txt", 9))
    nameless = TargetTable(source=SourceRef("blank.txt", 3))
    rows, _ = read_actuals_csv(DATA / "actuals_good.csv")
    money, _ = read_budget_csv(DATA / "budget_good.csv")
    actuals, budgets, diagnostics = match_actuals([first, same, other, nameless],
                                                  [r for r in rows if r.project_code == COPY],
                                                  [m for m in money if m.project_code == COPY])
    assert _keys(diagnostics) == [("duplicate-project-code", W, "again.txt", 7, None),
                                  ("duplicate-project-code", E, "other.txt", 9, None),
                                  ("table-without-code", E, "blank.txt", 3, None)]
    assert sorted(actuals[COPY]) == [0, 1, 2, 3] and list(budgets) == [COPY]


def test_repeated_indicator_names_are_matched_in_order() -> None:
    first = _only(COPY)[0]
    twice = msgspec.structs.replace(first, indicators=(first.indicators[0], first.indicators[0]))
    rows = [ActualRow(COPY, "纸张使用量", text, None, None, "a.csv", line)
            for line, text in ((2, "700000"), (3, "710000"), (4, "720000"))]
    budget = [BudgetRow(COPY, None, Decimal(1), Decimal(1), "b.csv", 2)]
    actuals, _, diagnostics = match_actuals([twice], rows, budget)
    assert _keys(diagnostics) == [("repeated-indicator-name", W, "a.csv", 2, "三级指标"),
                                  ("duplicate-actual", E, "a.csv", 4, "三级指标")]
    assert actuals[COPY] == {0: Actual(Value("700000")), 1: Actual(Value("710000"))}


def test_match_progress() -> None:
    tables = _only(COPY, STYLE)
    rows, _ = read_progress_csv(DATA / "progress_good.csv")
    money, _ = read_monitor_budget_csv(DATA / "monitor_budget.csv")
    progress, budgets, diagnostics = match_progress(_only(STYLE), rows, money)
    assert _keys(diagnostics) == [("duplicate-budget", E, "monitor_budget.csv", 3, "项目编码")]
    assert sorted(progress[STYLE]) == [0, 1, 2, 3]
    assert progress[STYLE][2].to_date_text == "已完成窗口服务规范修订"  # 定性 progress is free text
    assert budgets[STYLE].executed_to_date == Decimal("70.20")

    rows, _ = read_progress_csv(DATA / "progress_bad.csv")
    progress, budgets, diagnostics = match_progress(tables, rows, money)
    p = "progress_bad.csv"
    assert _keys(diagnostics) == [
        ("duplicate-budget", E, "monitor_budget.csv", 3, "项目编码"),
        ("progress-not-number", E, p, 2, "累计完成值"),
        ("duplicate-progress", E, p, 5, "三级指标"),
        ("unknown-indicator", E, p, 6, "三级指标"),
        *[("missing-progress", E, SEED.name, line, None) for line in (34, 35, 36, 37, 293, 294, 295)],
        ("missing-budget", E, SEED.name, 3, None),
    ]
    assert "培训人次、培训场次、服务提升、工作人员和群众满意率" in diagnostics[3].message
    assert progress == {COPY: {}, STYLE: {}}


# -- workbook and template --------------------------------------------------------------------
def _fill(path: Path, values: dict[tuple[str, str], ActualRow], money: dict[str, BudgetRow]) -> None:
    """Fill the template as a unit would: numbers as numbers, grades from the dropdown."""
    book = openpyxl.load_workbook(path)
    sheet = book["实际完成值"]
    header = [cell.value for cell in sheet[1]]
    code_col, name_col = header.index("项目编码") + 1, header.index("三级指标") + 1
    actual_col, score_col = header.index("实际完成值") + 1, header.index("定性得分") + 1
    reason_col = header.index("偏差原因分析及改进措施") + 1
    for row in range(2, sheet.max_row + 1):
        found = values[(sheet.cell(row, code_col).value, sheet.cell(row, name_col).value)]
        number = Value(found.actual_text).number
        sheet.cell(row, actual_col).value = float(number) if number is not None else found.actual_text
        if found.qualitative_score is not None:
            sheet.cell(row, score_col).value = int(found.qualitative_score)
        sheet.cell(row, reason_col).value = found.reason
    sheet = book["预算执行"]
    for row in range(2, sheet.max_row + 1):
        item = money[sheet.cell(row, 1).value]
        for col, amount in ((3, item.initial), (4, item.adjusted), (5, item.executed)):
            sheet.cell(row, col).value = None if amount is None else float(amount)
    sheet.cell(2, 3).value = 14.9 + 0.1  # 15.000000000000002 in binary: read back as 15
    book.save(path)


def test_template_round_trip_scores_like_the_csv(tmp_path: Path) -> None:
    tables = _seed()
    path = tmp_path / "自评填报.xlsx"
    assert write_selfeval_template(tables, path) == []

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["实际完成值", "预算执行", GUIDE_SHEET]
    sheet = book["实际完成值"]
    assert tuple(cell.value for cell in sheet[1]) == ACTUALS_HEADERS
    assert sheet.max_row == 37 and sheet.freeze_panes == "A2"
    assert [sheet.cell(2, c).value for c in range(1, 8)] == [COPY, "免费复印（一般性）", "纸张使用量", "≥", "720000",
                                                             "张", 20]
    grade_rules = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert len(grade_rules) == 1 and str(grade_rules[0].sqref) == "H32"  # 服务提升's 实际完成值
    assert "达成年度指标" in (grade_rules[0].formula1 or "")
    assert any(v.type == "decimal" and "H2" in str(v.sqref) for v in sheet.data_validations.dataValidation)
    assert tuple(cell.value for cell in book["预算执行"][1]) == BUDGET_HEADERS
    assert book["预算执行"].max_row == 10
    assert "定性得分" in "".join(str(c.value) for c in book[GUIDE_SHEET]["A"])

    # An unfilled template reads without a crash: every row says what is missing.
    rows, money, diagnostics = read_selfeval_workbook(path)
    assert rows == [] and money == []
    assert {(d.code, d.column) for d in diagnostics} == {("blank-cell", "实际完成值"), ("blank-cell", "全年预算数"),
                                                        ("blank-cell", "全年执行数")}
    assert len(diagnostics) == 36 + 9 * 2

    csv_rows, _ = read_actuals_csv(DATA / "actuals_good.csv")
    csv_money, _ = read_budget_csv(DATA / "budget_good.csv")
    _fill(path, {(r.project_code, r.indicator_name): r for r in csv_rows}, {m.project_code: m for m in csv_money})
    rows, money, diagnostics = read_actuals(path)
    assert diagnostics == []
    assert len(rows) == 36 and len(money) == 9
    assert rows[0] == ActualRow(COPY, "纸张使用量", "650000", None, csv_rows[0].reason,
                                f"{path} [实际完成值]", 2)
    assert rows[30].actual_text == "达成年度指标" and rows[30].qualitative_score == Decimal(18)
    assert money[0].initial == Decimal(15) and money[4].initial is None
    actuals, budgets, diagnostics = match_actuals(tables, rows, money)
    assert diagnostics == []
    policy = profiles.load("chongqing").scoring
    totals = {t.project_code: str(score_project(t, actuals[t.project_code or ""], budgets[t.project_code or ""],
                                                policy).total) for t in tables}
    assert totals == GOOD_TOTALS


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_workbook_cells_floats_percentages_and_missing_sheet(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    header = ["项目编码", "三级指标", "实际完成值", "定性得分"]
    _workbook(path, {"实际完成值": [header,
                                    [COPY, "纸张使用量", 0.1 + 0.2, None],
                                    [COPY, "墨粉消耗量", 192, None],
                                    [5.0011522e20, "减少办事成本", 1, None],
                                    [COPY, "群众满意度", 0.96, None],
                                    [None, None, None, None],
                                    [COPY, "用电量", 1e20, None]]})
    book = openpyxl.load_workbook(path)
    book["实际完成值"]["C5"].number_format = "0%"
    book.save(path)
    rows, money, diagnostics = read_selfeval_workbook(path)
    assert _keys(diagnostics) == [("code-as-number", E, "book.xlsx [实际完成值]", 4, "项目编码"),
                                  ("missing-sheet", E, "book.xlsx", None, None)]
    assert "预算执行" in diagnostics[1].message
    assert [(r.actual_text, r.row) for r in rows] == [("0.3", 2), ("192", 3), ("96%", 5), ("1e+20", 7)]
    assert money == []
    _, _, matched = match_actuals(_only(COPY), rows, [BudgetRow(COPY, None, Decimal(1), Decimal(1), "b", 2)])
    assert ("actual-not-number", E, "book.xlsx [实际完成值]", 5, "实际完成值") in _keys(matched)


def test_dispatcher(tmp_path: Path) -> None:
    rows, money, diagnostics = read_actuals(DATA / "actuals_bom.csv")
    assert len(rows) == 4 and money == [] and diagnostics == []
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert _keys(read_actuals(old)[2]) == [("unsupported-format", E, "old.xls", None, None)]
    fake = tmp_path / "fake.xlsx"
    fake.write_text("项目编码\n", "utf-8")
    assert _keys(read_actuals(fake)[2]) == [("unreadable-file", E, "fake.xlsx", None, None)]


def test_template_skips_what_cannot_be_matched(tmp_path: Path) -> None:
    first = _only(COPY)[0]
    unnamed = msgspec.structs.replace(first, indicators=(*first.indicators, Indicator("产出指标", "数量指标", None)))
    notes = write_selfeval_template([unnamed, first, TargetTable()], tmp_path / "t.xlsx")
    assert [n.code for n in notes] == ["template-skipped-indicator", "template-skipped-table",
                                       "template-skipped-table"]
    assert openpyxl.load_workbook(tmp_path / "t.xlsx")["实际完成值"].max_row == 5


def _as_actuals(data: bytes) -> bytes:
    """A hostile workbook whose sheet is named 实际完成值, so that a reader without the checks would open it."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    if ("xl/workbook.xml" not in source.namelist() or sum(i.file_size for i in source.infolist()) > 1 << 26
            or source.testzip() is not None):
        return data  # (a bomb or a lying directory, not a workbook to rename)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            member = source.read(item)
            target.writestr(item, member.replace(b'name="s"', 'name="实际完成值"'.encode())
                            if item.filename == "xl/workbook.xml" else member)
    return out.getvalue()


@pytest.mark.parametrize("trick", ["sheet-single-quotes.xlsx", "sheet-cells-without-r.xlsx", "billion-laughs.xlsx",
                                   "shared-string-repeated.xlsx", "xxe.xlsx", "zip-bomb.xlsx",
                                   "zip-lying-directory.xlsx"])
def test_a_hostile_selfeval_workbook_is_refused_before_it_is_built(tmp_path: Path, trick: str) -> None:
    """The actuals workbook is measured like a target-table workbook (the same checks) before openpyxl opens it."""
    import time

    from tests.hostile_corpus import CORPUS

    path = tmp_path / "自评.xlsx"
    path.write_bytes(_as_actuals(CORPUS[trick]()))
    started = time.monotonic()
    rows, money, diagnostics = read_selfeval_workbook(path)
    assert time.monotonic() - started < 10  # (measured, not built: well under a second)
    assert (rows, money) == ([], [])
    assert [(d.code, d.severity, d.file) for d in diagnostics] == [("file-refused", Severity.ERROR, str(path))]
