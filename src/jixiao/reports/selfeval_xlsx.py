"""Write self-evaluation scores as an Excel workbook in the layout of the official form.

Sheets: 汇总 (one row per project), one 项目支出绩效自评表 per project (merged cells
and borders like 财预〔2020〕10号 附件, the cells the unit must still fill in light
yellow), and 计分说明 (formula and arithmetic of every score). Built from
:func:`jixiao.reports.selfeval_html.selfeval_context`, so it says what the HTML page says.
Scores, weights, amounts and rates are numbers; text always stays text (a name that
starts with “=” never becomes a formula).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from jixiao.domain.text import display_width
from jixiao.reports.selfeval_html import BASIS, TITLE, percent, selfeval_context
from jixiao.reports.xlsx import FONT, HEADER_FILL, NOTE_COLOUR, ListSheet, Target, grade_colours, number, workbook
from jixiao.scoring.model import ProjectScore
from jixiao.scoring.policy import ScoringPolicy

SUMMARY_SHEET = "汇总"
EXPLAIN_SHEET = "计分说明"
SUMMARY_HEADERS = ("序号", "项目编码", "项目名称", "实施单位", "全年预算数（万元）", "全年执行数（万元）", "执行率",
                   "执行率得分", "总分", "自评等级", "计分完整", "须填写项", "工作表")
EXPLAIN_HEADERS = ("工作表", "项目名称", "一级指标", "二级指标", "三级指标", "分值", "得分", "计分公式", "计算过程",
                   "满分条件", "须填写", "计分配置")
# The form's ten columns, A–J, in Excel character widths.
FORM_WIDTHS = (10, 10, 12, 16, 14, 14, 7, 10, 20, 20)
FILL = "#FFF2CC"  # light yellow: the unit fills these cells
MUST_FONT = "#93370D"
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")


def _lines(text: str | None, width: int) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (an estimate)."""
    if not text:
        return 1
    return sum(max(1, math.ceil(display_width(line) / max(width - 1, 1))) for line in text.splitlines() or [""])


def _units(text: str) -> int:
    """Length as Excel counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def sheet_name(number: int, name: str) -> str:
    """“3-协税员聘用”: the position keeps names unique; at most 31 characters, none of []:*?/\\."""
    prefix = f"{number}-"
    clean = _BAD_SHEET_CHARS.sub("", name).strip().strip("'").strip()
    while clean and _units(prefix + clean) > MAX_SHEET_NAME:
        clean = clean[:-1].rstrip().rstrip("'")
    return prefix + clean if clean else f"{number}-项目"


def write_selfeval_xlsx(projects: Sequence[ProjectScore], policy: ScoringPolicy, target: Target,
                        stored: Sequence[dict[str, Any]] = ()) -> None:
    """Write the forms to ``target``: a file path, or a binary stream such as ``BytesIO``.

    ``stored``: projects already in the :func:`project_to_dict` form (a saved self-evaluation).
    """
    context = selfeval_context(projects, policy, stored)
    book = workbook(target)
    try:
        book.set_properties({"title": TITLE, "subject": f"{TITLE}{context['year_text']}",
                             "comments": "；".join(context["profile_lines"])})
        formats = _formats(book, [name for name, _ in policy.grade_bands])
        names = [sheet_name(project["number"], project["display_name"]) for project in context["projects"]]
        _summary_sheet(book, context, names, formats)
        for project, name in zip(context["projects"], names, strict=True):
            _form_sheet(book, name, project, context, formats)
        _explain_sheet(book, context, names, formats)
    finally:
        book.close()


_PERCENT_FORMATS = ("0%", "0.0%", "0.00%")


def _rate(rate: str | None) -> tuple[float | None, int]:
    """An execution rate (a B ÷ A fraction) as the cell holds it, exactly, and the decimals its format shows:
    those the form prints (:func:`~jixiao.reports.selfeval_html.percent`: 95%, 94.8%, 83.47%), so that the
    workbook reads back as the page does."""
    shown = percent(rate)
    return number(rate), 0 if shown is None else len(shown.rstrip("%").partition(".")[2])


def _formats(book: Any, grades: list[str]) -> dict[str, Any]:
    base = FONT | {"valign": "vcenter", "text_wrap": True}
    cell = base | {"border": 1}
    formats = {
        "title": book.add_format(base | {"bold": True, "font_size": 18, "align": "center"}),
        "subtitle": book.add_format(base | {"align": "center"}),
        "label": book.add_format(cell | {"bold": True, "bg_color": HEADER_FILL, "align": "center"}),
        "text": book.add_format(cell),
        "top": book.add_format(cell | {"valign": "top"}),
        "center": book.add_format(cell | {"align": "center"}),
        "amount": book.add_format(cell | {"num_format": "0.00"}),
        **{f"rate-{places}": book.add_format(cell | {"num_format": _PERCENT_FORMATS[places]}) for places in range(3)},
        "score": book.add_format(cell),  # 分值, General: 20, 16.67
        "points": book.add_format(cell | {"num_format": "0.00"}),  # 得分: 9.50, 10.00, 97.56
        "fill": book.add_format(cell | {"bg_color": FILL}),
        "must": book.add_format(cell | {"bg_color": FILL, "font_color": MUST_FONT, "bold": True}),
        "dash": book.add_format(cell | {"align": "center", "font_color": NOTE_COLOUR}),
        "total-label": book.add_format(cell | {"bold": True, "bg_color": HEADER_FILL, "align": "center",
                                                "top": 2}),
        "total": book.add_format(cell | {"bold": True, "top": 2}),
        "total-points": book.add_format(cell | {"bold": True, "top": 2, "num_format": "0.00"}),
        "warning": book.add_format(base | {"font_color": MUST_FONT}),
        "note": book.add_format(base | {"font_color": NOTE_COLOUR, "italic": True, "text_wrap": False}),
        "form-note": book.add_format(base | {"font_color": NOTE_COLOUR, "italic": True}),
        "header": book.add_format(base | {"bold": True, "bg_color": HEADER_FILL, "bottom": 1}),
        "plain": book.add_format(base | {"valign": "top"}),
        "plain-amount": book.add_format(base | {"valign": "top", "num_format": "0.00"}),
        **{f"plain-rate-{places}": book.add_format(base | {"valign": "top", "num_format": _PERCENT_FORMATS[places]})
           for places in range(3)},
        "plain-points": book.add_format(base | {"valign": "top", "num_format": "0.00"}),
        "link": book.add_format(base | {"valign": "top", "font_color": "#175CD3", "underline": 1}),
    }
    for grade, (font, fill) in grade_colours(grades).items():
        colours = {"font_color": font, "bg_color": fill, "bold": True}
        formats[f"grade-{grade}"] = book.add_format(base | colours | {"align": "center", "valign": "top"})
        formats[f"form-grade-{grade}"] = book.add_format(cell | colours | {"top": 2})
    return formats


class _Form:
    """One form sheet: typed writes into single or merged cells of the ten-column grid."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def put(self, row: int, col: int, value: str | int | float | None, fmt: Any,
            last_row: int | None = None, last_col: int | None = None) -> None:
        last_row = row if last_row is None else last_row
        last_col = col if last_col is None else last_col
        if (last_row, last_col) != (row, col):
            self.sheet.merge_range(row, col, last_row, last_col, None, fmt)
        if value is None or value == "":
            self.sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            self.sheet.write_string(row, col, value, fmt)
        else:
            self.sheet.write_number(row, col, value, fmt)

    def height(self, row: int, cells: Sequence[tuple[str | None, int]]) -> None:
        """Row height for wrapped text: ``cells`` are (text, width in characters) pairs."""
        lines = max((_lines(text, width) for text, width in cells), default=1)
        if lines > 1:
            self.sheet.set_row(row, 15 * lines + 4)


def _span(first: int, last: int) -> int:
    return sum(FORM_WIDTHS[first:last + 1])


def _score_note(item: dict[str, Any]) -> str:
    lines = [f"计分公式：{item['formula']}", f"计算过程：{item['arithmetic']}"]
    if item["full_marks_at"]:
        lines.append(f"满分条件：{item['full_marks_at']}")
    return "\n".join(lines)


def _form_sheet(book: Any, name: str, project: dict[str, Any], context: dict[str, Any],
                formats: dict[str, Any]) -> None:
    sheet = book.add_worksheet(name)
    form = _Form(sheet)
    for col, width in enumerate(FORM_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.set_portrait()  # the official form is upright; the factory set A4 and the page numbers
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.fit_to_pages(1, 0)
    sheet.hide_gridlines(2)
    form.put(0, 0, TITLE, formats["title"], last_col=9)
    sheet.set_row(0, 30)
    form.put(1, 0, project["year_text"], formats["subtitle"], last_col=9)
    form.put(2, 0, "项目名称", formats["label"])
    form.put(2, 1, project["label"], formats["text"], last_col=9)
    form.put(3, 0, "主管部门", formats["label"])
    form.put(3, 1, project["department"] or "（未填写）", formats["text"], last_col=4)
    form.put(3, 5, "实施单位", formats["label"])
    form.put(3, 6, project["unit"] or "（未填写）", formats["text"], last_col=9)
    form.height(3, [(project["department"], _span(1, 4)), (project["unit"], _span(6, 9))])

    # 项目资金（万元）
    funding = project["funding"]
    form.put(4, 0, "项目资金（万元）", formats["label"], last_row=8)
    form.put(4, 1, "", formats["label"], last_col=2)
    for col, header in enumerate(("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）",
                                  "得分", "说明"), start=3):
        form.put(4, col, header, formats["label"])
    form.height(4, [("全年预算数（A）", FORM_WIDTHS[4]), ("执行率（B/A）", FORM_WIDTHS[7])])
    form.put(5, 1, "年度资金总额", formats["label"], last_col=2)
    for col, key in enumerate(("initial", "adjusted", "executed"), start=3):
        form.put(5, col, number(funding[key]), formats["amount"])
    form.put(5, 6, number(funding["weight"]), formats["score"])
    value, places = _rate(funding["rate"])
    form.put(5, 7, value, formats[f"rate-{places}"])
    form.put(5, 8, number(funding["score"]), formats["points"])
    sheet.write_comment(5, 8, _score_note(funding), {"x_scale": 2.5, "y_scale": 1.5})
    note = funding["reason"] or funding["prompt"]
    form.put(5, 9, note, formats["must"] if funding["prompt"] else formats["text"])
    form.height(5, [(note, FORM_WIDTHS[9])])
    for row, split in enumerate(project["splits"], start=6):  # 全年执行数 by source, as the unit gave it
        form.put(row, 1, split["label"], formats["label"], last_col=2)
        for col in (3, 4):
            form.put(row, col, "—", formats["dash"])
        given = split["executed"]
        form.put(row, 5, number(given), formats["amount"] if given is not None else formats["fill"])
        for col in (6, 7, 8):
            form.put(row, col, "—", formats["dash"])
        form.put(row, 9, None, formats["text"])

    # 年度总体目标
    form.put(9, 0, "年度总体目标", formats["label"], last_row=10)
    form.put(9, 1, "预期目标", formats["label"], last_col=5)
    form.put(9, 6, "实际完成情况", formats["label"], last_col=9)
    form.put(10, 1, project["annual_goal"] or "（未填写）", formats["top"], last_col=5)
    achieved = project["achieved"]
    form.put(10, 6, achieved, formats["top"] if achieved else formats["fill"], last_col=9)
    form.height(10, [(project["annual_goal"], _span(1, 5)), (achieved, _span(6, 9))])

    # 绩效指标
    indicators = project["indicators"]
    first = 12
    form.put(11, 0, "绩效指标", formats["label"], last_row=first + len(indicators) - 1)
    for col, header in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"),
                                 start=1):
        form.put(11, col, header, formats["label"])
    form.put(11, 8, "偏差原因分析及改进措施", formats["label"], last_col=9)
    for row, item in enumerate(indicators, start=first):
        if item["level1_span"]:
            form.put(row, 1, item["level1"], formats["center"], last_row=row + item["level1_span"] - 1)
        if item["level2_span"]:
            form.put(row, 2, item["level2"], formats["center"], last_row=row + item["level2_span"] - 1)
        form.put(row, 3, item["name"], formats["text"])
        form.put(row, 4, item["target_display"], formats["center"])
        actual = item["actual_display"]
        form.put(row, 5, actual, formats["center"] if actual is not None else formats["fill"])
        form.put(row, 6, number(item["weight"]), formats["score"])
        form.put(row, 7, number(item["score"]), formats["points"])
        sheet.write_comment(row, 7, _score_note(item), {"x_scale": 2.5, "y_scale": 1.5})
        reason = item["deviation_reason"] or item["prompt"]
        form.put(row, 8, reason, formats["must"] if item["prompt"] else formats["text"], last_col=9)
        form.height(row, [(item["name"], FORM_WIDTHS[3]), (item["target_display"], FORM_WIDTHS[4]),
                          (actual, FORM_WIDTHS[5]), (reason, _span(8, 9)),
                          (item["level2"] if item["level2_span"] == 1 else None, FORM_WIDTHS[2])])

    # 总分
    total_row = first + len(indicators)
    form.put(total_row, 0, "总分", formats["total-label"], last_col=5)
    form.put(total_row, 6, number(project["total_weight"]), formats["total"])
    form.put(total_row, 7, number(project["total"]), formats["total-points"])
    grade_text = f"自评等级：{project['grade']}" + ("" if project["complete"] else "（未完成计分）")
    form.put(total_row, 8, grade_text, formats.get(f"form-grade-{project['grade']}", formats["total"]),
             last_col=9)

    row = total_row + 2
    for warning in project["warnings"]:
        form.put(row, 0, f"⚠ {warning}", formats["warning"], last_col=9)
        form.height(row, [(warning, _span(0, 9))])
        row += 1
    row += 1 if project["warnings"] else 0
    # the sign-off lines of the printed form, as the web print view has them (the scoring configuration is on
    # the 汇总 and 计分说明 sheets, not on the paper the unit signs)
    form.put(row, 0, f"填报单位（盖章）：{project['unit'] or ''}", formats["form-note"], last_col=4)
    form.put(row, 5, "负责人：", formats["form-note"], last_col=7)
    form.put(row, 8, "填报日期：　　　　年　　月　　日", formats["form-note"], last_col=9)
    form.height(row, [(f"填报单位（盖章）：{project['unit'] or ''}", _span(0, 4))])
    note = "黄色单元格由单位填写；“须填写：”处须说明偏差原因或补充数据。得分单元格的批注为计算过程。"
    form.put(row + 2, 0, note, formats["form-note"], last_col=9)
    form.height(row + 2, [(note, _span(0, 9))])


def _summary_sheet(book: Any, context: dict[str, Any], names: Sequence[str], formats: dict[str, Any]) -> None:
    out = ListSheet(book, SUMMARY_SHEET, SUMMARY_HEADERS, formats["header"])
    for project, name in zip(context["projects"], names, strict=True):
        funding = project["funding"]
        out.put(0, project["number"], formats["plain"])
        out.put(1, project["project_code"], formats["plain"])
        out.put(2, project["project_name"] or project["label"], formats["plain"])
        out.put(3, project["unit"], formats["plain"])
        out.put(4, number(funding["adjusted"]), formats["plain-amount"])
        out.put(5, number(funding["executed"]), formats["plain-amount"])
        value, places = _rate(funding["rate"])
        out.put(6, value, formats[f"plain-rate-{places}"])
        out.put(7, number(funding["score"]), formats["plain-points"])
        out.put(8, number(project["total"]), formats["plain-points"])
        out.put(9, project["grade"], formats.get(f"grade-{project['grade']}", formats["plain"]))
        out.put(10, "是" if project["complete"] else "否", formats["plain"])
        out.put(11, project["to_fill"], formats["plain"])
        out.sheet.write_url(out.row, 12, f"internal:'{name}'!A1", formats["link"], name)
        out.widths[12] = max(out.widths[12], display_width(name) + 2)
        out.row += 1
    if not context["projects"]:
        out.sheet.write_string(out.row, 0, "没有可自评的项目。", formats["note"])
        out.row += 1
    out.finish()
    row = out.row + 1
    out.sheet.write_string(row, 0, f"{TITLE}{context['year_text']}　表式依据 {BASIS}", formats["note"])
    for line in context["profile_lines"]:
        row += 1
        out.sheet.write_string(row, 0, line, formats["note"])


def _explain_sheet(book: Any, context: dict[str, Any], names: Sequence[str], formats: dict[str, Any]) -> None:
    out = ListSheet(book, EXPLAIN_SHEET, EXPLAIN_HEADERS, formats["header"])
    profile = f"{context['profile']['name']} {context['profile']['version']}"
    for project, name in zip(context["projects"], names, strict=True):
        funding = project["funding"]
        rows = [("预算执行率", "", "年度资金总额", funding)] + [
            (item["level1"], item["level2"], item["name"], item) for item in project["indicators"]]
        for level1, level2, indicator, item in rows:
            out.put(0, name, formats["plain"])
            out.put(1, project["display_name"], formats["plain"])
            out.put(2, level1, formats["plain"])
            out.put(3, level2, formats["plain"])
            out.put(4, indicator, formats["plain"])
            out.put(5, number(item["weight"]), formats["plain"])
            out.put(6, number(item["score"]), formats["plain-points"])
            out.put(7, item["formula"], formats["plain"])
            out.put(8, item["arithmetic"], formats["plain"])
            out.put(9, item["full_marks_at"], formats["plain"])
            out.put(10, item["prompt"], formats["plain"])
            out.put(11, item["explanation"]["profile"] or profile, formats["plain"])
            out.row += 1
    out.finish(fixed={7: 40, 8: 40, 10: 40})
