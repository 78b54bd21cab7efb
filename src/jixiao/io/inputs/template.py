"""Write a self-evaluation workbook for units to fill in: one row per indicator, one per project.

Sheets, read back by :func:`jixiao.io.inputs.read_selfeval_workbook`:

- “实际完成值”: 项目编码, 三级指标 and read-only reference columns (项目名称, 指标性质, 指标值,
  度量单位, 权重 — the reader skips them quietly) pre-filled; the unit fills 实际完成值,
  定性得分 (定性 and 定量（其他） rows) and 偏差原因分析及改进措施. 定性 rows get a dropdown of
  the three grades, numeric rows a number check.
- “预算执行”: 项目编码, 项目名称 pre-filled; 年初预算数, 全年预算数, 全年执行数 (万元) to fill.
- “说明”: how to fill it in.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from jixiao.domain import Diagnostic, Indicator, Operator, Severity, TargetTable
from jixiao.domain.reported import (
    ACTUAL,
    ADJUSTED,
    CODE,
    DEVIATION_REASON,
    EXECUTED,
    INITIAL,
    NAME,
    QUALITATIVE_SCORE,
    QualitativeGrade,
)
from jixiao.domain.text import display_width, format_decimal
from jixiao.io.inputs.rows import ACTUALS_SHEET, BUDGET_SHEET

Target = str | os.PathLike[str] | IO[bytes]

GUIDE_SHEET = "说明"
PROJECT_NAME = "项目名称"
ACTUALS_HEADERS: tuple[str, ...] = (CODE, PROJECT_NAME, NAME, "指标性质", "指标值", "度量单位", "权重",
                                    ACTUAL, QUALITATIVE_SCORE, DEVIATION_REASON)
BUDGET_HEADERS: tuple[str, ...] = (CODE, PROJECT_NAME, INITIAL, ADJUSTED, EXECUTED)
_INPUT_ACTUALS = {ACTUAL, QUALITATIVE_SCORE, DEVIATION_REASON}
_INPUT_BUDGET = {INITIAL, ADJUSTED, EXECUTED}
_MAX_NUMBER = 1e15
_MAX_WIDTH = 60

GUIDE_LINES: tuple[str, ...] = (
    "项目支出绩效自评填报说明",
    "",
    "一、“实际完成值”工作表：每个项目的每个三级指标一行。",
    "1. 灰色列（项目编码、项目名称、三级指标、指标性质、指标值、度量单位、权重）已按绩效目标表填好，"
    "请勿修改，也不要增删行或调换行序；项目编码和三级指标用于与目标表匹配。",
    "2. 白色列由单位填写：",
    "   · 实际完成值：定量指标（≥、＞、=、＜、≤）只填数字，不带单位、不带百分号"
    "（如满意度 96%，填 96；单元格不要设为百分比格式）；",
    "   · 定性指标：实际完成值从下拉框选择 “达成年度指标” / “部分达成年度指标并具有一定效果” / "
    "“未达成年度指标且效果较差”，并在“定性得分”列填写得分：达成 80%–100%、部分达成 60%–80%、"
    "未达成 0–60% 的权重分值；",
    "   · 定量（其他）指标：实际完成值填写完成情况，“定性得分”列由评价人填写 0 至权重之间的得分；",
    "   · 定量指标的“定性得分”列留空（填写了也不会使用）；",
    "   · 偏差原因分析及改进措施：未完成目标、超额完成（达到目标的 130% 及以上）或得分未满时须填写。",
    "",
    "二、“预算执行”工作表：每个项目一行，金额单位为万元，只填数字。",
    "   · 年初预算数：年初批复的预算数（可留空）；",
    "   · 全年预算数：年中调整后的全年预算数（执行率的分母）；",
    "   · 全年执行数：全年实际支出数（执行率的分子）。",
    "",
    "三、填好后保存为 .xlsx 文件提交。请勿修改工作表名称和第 1 行表头。",
    "系统会逐行检查：项目编码或三级指标与目标表不符、重复填写、漏填、定量指标填了非数字、"
    "定性指标未选等级或未填得分，都会指出所在工作表、行号和列名。",
)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _print_setup(sheet: Any, landscape: bool = True) -> None:
    """Printed as the report workbooks are (io cannot use reports/xlsx.py): A4, one page wide, page numbers."""
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")


class _Sheet:
    """One worksheet written row by row, tracking column widths."""

    def __init__(self, book: Any, name: str, headers: Sequence[str], inputs: set[str],
                 formats: dict[str, Any]) -> None:
        self.sheet = book.add_worksheet(name)
        self.headers = headers
        self.formats = formats
        self.widths = [display_width(header) + 4 for header in headers]
        for col, header in enumerate(headers):
            style = "header_input" if header in inputs else "header"
            self.sheet.write_string(0, col, header, formats[style])
        self.row = 0
        _print_setup(self.sheet)
        self.sheet.repeat_rows(0)

    def col(self, header: str) -> int:
        return self.headers.index(header)

    def text(self, header: str, value: str | None, style: str) -> None:
        col = self.col(header)
        if not value:
            self.sheet.write_blank(self.row, col, None, self.formats[style])
            return
        self.sheet.write_string(self.row, col, value, self.formats[style])
        self.widths[col] = max(self.widths[col], display_width(value) + 2)

    def number(self, header: str, value: Decimal | None, style: str) -> None:
        if value is None:
            self.text(header, None, style)
            return
        col = self.col(header)
        self.sheet.write_number(self.row, col, _number(value), self.formats[style])
        self.widths[col] = max(self.widths[col], len(format_decimal(value) or "") + 2)

    def validate(self, header: str, options: dict[str, Any]) -> None:
        col = self.col(header)
        self.sheet.data_validation(self.row, col, self.row, col, options)

    def finish(self, fixed: dict[str, int]) -> None:
        self.sheet.freeze_panes(1, 0)
        if self.row:
            self.sheet.autofilter(0, 0, self.row, len(self.headers) - 1)
        for col, width in enumerate(self.widths):
            self.sheet.set_column(col, col, fixed.get(self.headers[col], min(width, _MAX_WIDTH)))


def _formats(book: Any) -> dict[str, Any]:
    base = {"valign": "top", "font_name": "等线", "font_size": 11}
    given = base | {"bg_color": "#F2F4F7", "font_color": "#344054"}
    return {
        "header": book.add_format(base | {"bold": True, "bg_color": "#D0D5DD", "bottom": 1, "text_wrap": True}),
        "header_input": book.add_format(base | {"bold": True, "bg_color": "#FEF0C7", "bottom": 1,
                                                "text_wrap": True}),
        "given": book.add_format(given | {"num_format": "@"}),
        "given_number": book.add_format(given),
        "input": book.add_format(base | {"left": 1, "right": 1, "bottom": 4, "border_color": "#D0D5DD"}),
        "input_text": book.add_format(base | {"num_format": "@", "text_wrap": True, "left": 1, "right": 1,
                                              "bottom": 4, "border_color": "#D0D5DD"}),
        "not_needed": book.add_format(given),
        "title": book.add_format(base | {"bold": True, "font_size": 14}),
        "guide": book.add_format(base | {"text_wrap": True}),
    }


def _decimal_rule(title: str, message: str, low: float = -_MAX_NUMBER, high: float = _MAX_NUMBER) -> dict[str, Any]:
    return {"validate": "decimal", "criteria": "between", "minimum": low, "maximum": high,
            "input_title": title[:32], "input_message": message[:255],
            "error_title": "请填写数字", "error_message": f"{message}（只填数字，不带单位或百分号）"[:255],
            "error_type": "stop", "ignore_blank": True}


_GRADE_RULE: dict[str, Any] = {
    "validate": "list", "source": [grade.value for grade in QualitativeGrade],
    "input_title": "定性指标：选择完成等级",
    "input_message": "从下拉框选择完成等级，并在“定性得分”列按档次填写得分",
    "error_title": "请从下拉框选择", "error_message": "定性指标的实际完成值只能是三个完成等级之一",
    "error_type": "stop", "ignore_blank": True,
}


def _project_name(table: TargetTable) -> str | None:
    """The name as the table prints it, with its suffix: “免费复印（一般性）”."""
    project = table.project
    if project is None or project.name is None:
        return None
    return f"{project.name}{project.suffix or ''}"


def _indicator_row(out: _Sheet, table: TargetTable, code: str, item: Indicator) -> None:
    target = item.current_target or item.target
    weight = item.current_weight if item.current_weight is not None else item.weight
    out.text(CODE, code, "given")
    out.text(PROJECT_NAME, _project_name(table), "given")
    out.text(NAME, item.name, "given")
    out.text("指标性质", item.operator, "given")
    out.text("指标值", target.text if target else None, "given")
    out.text("度量单位", item.unit_of_measure, "given")
    out.number("权重", weight, "given_number")
    out.text(DEVIATION_REASON, None, "input_text")
    kind = item.operator_kind
    band = f"0 至 {format_decimal(weight)} 分" if weight is not None else "0 至权重之间"
    high = float(weight) if weight is not None else _MAX_NUMBER
    if kind is Operator.QUALITATIVE:
        out.text(ACTUAL, None, "input")
        out.validate(ACTUAL, _GRADE_RULE)
        out.number(QUALITATIVE_SCORE, None, "input")
        out.validate(QUALITATIVE_SCORE, _decimal_rule("定性得分", f"按完成等级在档内打分（{band}）", 0, high))
    elif kind is Operator.OTHER_QUANTITATIVE:
        out.text(ACTUAL, None, "input_text")
        out.number(QUALITATIVE_SCORE, None, "input")
        out.validate(QUALITATIVE_SCORE, _decimal_rule("定量（其他）得分", f"由评价人打分（{band}）", 0, high))
    elif kind is None:  # operator unreadable: no check we could stand behind
        out.text(ACTUAL, None, "input")
        out.number(QUALITATIVE_SCORE, None, "input")
    else:
        unit = f"，单位：{item.unit_of_measure}" if item.unit_of_measure else ""
        out.number(ACTUAL, None, "input")
        out.validate(ACTUAL, _decimal_rule("实际完成值", f"填写数字{unit}；目标 {item.operator}"
                                                          f"{target.text if target else '（空）'}"))
        out.number(QUALITATIVE_SCORE, None, "not_needed")
        out.validate(QUALITATIVE_SCORE, {"validate": "any", "input_title": "无需填写",
                                         "input_message": "定量指标按公式计分，本列留空"})


def write_selfeval_template(tables: Iterable[TargetTable], path: Target) -> list[Diagnostic]:
    """Write the workbook to ``path`` (a file path or a binary stream).

    Returns warnings for tables or indicators that cannot be matched once filled in (no
    project code, a repeated project code, an unnamed indicator); those are left out.
    """
    notes: list[Diagnostic] = []
    filename = os.fspath(path) if isinstance(path, os.PathLike) else path
    book = xlsxwriter.Workbook(filename, {"in_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    try:
        book.set_properties({"title": "项目支出绩效自评填报表", "comments": "由 jixiao 生成"})
        formats = _formats(book)
        actuals = _Sheet(book, ACTUALS_SHEET, ACTUALS_HEADERS, _INPUT_ACTUALS, formats)
        budget = _Sheet(book, BUDGET_SHEET, BUDGET_HEADERS, _INPUT_BUDGET, formats)
        guide = book.add_worksheet(GUIDE_SHEET)
        _print_setup(guide, landscape=False)
        seen: set[str] = set()
        for table in tables:
            code = table.project_code
            where = str(table.source) if table.source else None
            if not code or code in seen:
                why = "没有项目编码" if not code else f"项目编码 {code} 与前面的表重复"
                notes.append(Diagnostic("template-skipped-table", Severity.WARNING,
                                        f"目标表“{table.label()}”{why}，未写入填报表", where))
                continue
            seen.add(code)
            budget.row += 1
            budget.text(CODE, code, "given")
            budget.text(PROJECT_NAME, _project_name(table), "given")
            for header in (INITIAL, ADJUSTED, EXECUTED):
                budget.number(header, None, "input")
                budget.validate(header, _decimal_rule(header, f"{header}，单位：万元", 0))
            for position, item in enumerate(table.indicators):
                if not item.name:
                    notes.append(Diagnostic("template-skipped-indicator", Severity.WARNING,
                                            f"目标表“{table.label()}”第{position + 1}个三级指标没有名称，"
                                            "未写入填报表", where, item.line))
                    continue
                actuals.row += 1
                _indicator_row(actuals, table, code, item)
        actuals.finish({ACTUAL: 34, QUALITATIVE_SCORE: 12, DEVIATION_REASON: 40})
        budget.finish({INITIAL: 14, ADJUSTED: 14, EXECUTED: 14})
        guide.set_column(0, 0, 110)
        for row, line in enumerate(GUIDE_LINES):
            if line:
                guide.write_string(row, 0, line, formats["title" if row == 0 else "guide"])
        actuals.sheet.activate()
    finally:
        book.close()
    return notes
