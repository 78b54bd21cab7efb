"""Write a review report as an Excel workbook (.xlsx) for reviewers who filter and sort.

Three sheets, built from :func:`jixiao.rules.report.report_to_dict` like the HTML
page: 汇总 (one row per table), 问题清单 (one row per finding) and 规则说明 (every
rule that ran), and 读取问题 when the readers reported errors or warnings on the files.
Numbers are written as numbers, text always as text: a project name that starts with
“=” stays a string and never becomes a formula.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from jixiao.domain import Severity
from jixiao.reports.review_html import (
    category_label,
    findings_by_table,
    report_title,
    rule_info,
    severity_label,
    where,
)
from jixiao.reports.xlsx import FONT, HEADER_FILL, NOTE_COLOUR, ListSheet, Target, grade_colours, number, workbook
from jixiao.rules import ReviewReport
from jixiao.rules.report import report_to_dict

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题清单"
RULES_SHEET = "规则说明"
READING_SHEET = "读取问题"  # only when the readers reported errors or warnings
READING_HEADERS = ("文件", "位置", "代码", "严重程度", "说明")
SUMMARY_HEADERS = ("项目编码", "项目名称", "单位", "来源", "错误", "警告", "提示", "建议得分", "建议等级", "表的种类")
# Added when the report holds a self-evaluation: its published 总分 and 等级 beside the recomputed ones.
AUDIT_HEADERS = ("公布总分", "公布等级", "复算总分", "复算等级", "对照的目标表")
FINDINGS_HEADERS = ("项目编码", "项目名称", "代码", "类别", "严重程度", "问题", "说明", "字段/指标",
                    "文件", "行号")
RULES_HEADERS = ("代码", "类别", "严重程度", "规则", "说明", "本次触发")

# Font and fill colours, as in the HTML page.
SEVERITY_COLOURS = {
    Severity.ERROR: ("#B42318", "#FEE4E2"),
    Severity.WARNING: ("#93370D", "#FEF0C7"),
    Severity.INFO: ("#175CD3", "#D1E9FF"),
}


def write_xlsx(report: ReviewReport, target: Target) -> None:
    """Write the report to ``target``: a file path, or a binary stream such as ``BytesIO``."""
    data = report_to_dict(report)
    book = workbook(target)
    try:
        book.set_properties({"title": report_title(data), "subject": f"审核配置：{data['profile']['title']}",
                             "comments": data["grade_rule"]})
        formats = _formats(book, list(data["summary"]["grades"]))
        _summary_sheet(book, data, formats)
        _findings_sheet(book, data, formats)
        if data["reading"]:
            _reading_sheet(book, data, formats)
        _rules_sheet(book, report, data, formats)
    finally:
        book.close()


def _formats(book: Any, grades: list[str]) -> dict[str, Any]:
    base = FONT | {"valign": "top"}
    formats = {
        "header": book.add_format(base | {"bold": True, "bg_color": HEADER_FILL, "bottom": 1,
                                          "text_wrap": True}),
        "text": book.add_format(base),
        "wrap": book.add_format(base | {"text_wrap": True}),
        "number": book.add_format(base | {"num_format": "0"}),
        "score": book.add_format(base),  # General: 94, 87.5
        "total": book.add_format(base | {"bold": True, "top": 1}),
        "note": book.add_format(base | {"font_color": NOTE_COLOUR, "italic": True}),
    }
    for severity, (font, fill) in SEVERITY_COLOURS.items():
        formats[f"sev-{severity}"] = book.add_format(base | {"font_color": font, "bg_color": fill,
                                                            "bold": True, "align": "center"})
    for grade, (font, fill) in grade_colours(grades).items():
        formats[f"grade-{grade}"] = book.add_format(base | {"font_color": font, "bg_color": fill,
                                                            "bold": True, "align": "center"})
    return formats


def _summary_sheet(book: Any, data: dict[str, Any], formats: dict[str, Any]) -> None:
    audited = bool(data["summary"]["kinds"]["self_evaluation"])
    out = ListSheet(book, SUMMARY_SHEET, SUMMARY_HEADERS + (AUDIT_HEADERS if audited else ()), formats["header"])
    severities = [str(s) for s in Severity]
    for table in data["tables"]:
        source = table["source"]
        out.text(0, table["project_code"], formats["text"])
        out.text(1, table["project_name"], formats["text"])
        out.text(2, table["unit"], formats["text"])
        out.text(3, (f"{source['file']}:{source['line']}" if source["line"] else source["file"])
                 if source else None, formats["text"])
        for col, severity in enumerate(severities, start=4):
            out.number(col, table["counts"][severity], formats["number"])
        out.number(7, number(table["score"]), formats["score"])
        out.text(8, table["grade"], formats.get(f"grade-{table['grade']}", formats["text"]))
        out.text(9, table["kind_label"], formats["text"])
        evaluation = table.get("self_evaluation")
        if evaluation is not None:
            out.number(10, number(evaluation["published_total_score"]), formats["score"])
            out.text(11, evaluation["published_grade"], formats["text"])
            out.number(12, number(evaluation["recomputed_total_score"]), formats["score"])
            out.text(13, evaluation["recomputed_grade"], formats["text"])
            out.text(14, table["compared_with"], formats["text"])
        out.row += 1
    rows = len(data["tables"])
    out.finish()
    # The totals line sits below a blank row, outside the filter range, so sorting
    # and filtering never move it. Formulas carry their computed value for readers
    # that do not recalculate.
    out.row = rows + 2
    out.text(0, "合计", formats["total"])
    out.text(1, f"共 {rows} 张表", formats["total"])
    for col in (2, 3, 7):
        out.sheet.write_blank(out.row, col, None, formats["total"])
    for col, severity in enumerate(severities, start=4):
        total = data["summary"][severity]
        if rows:
            first, last = xl_rowcol_to_cell(1, col), xl_rowcol_to_cell(rows, col)
            out.sheet.write_formula(out.row, col, f"=SUM({first}:{last})", formats["total"], total)
        else:
            out.sheet.write_number(out.row, col, total, formats["total"])
    grades = "，".join(f"{name} {count}" for name, count in data["summary"]["grades"].items())
    out.sheet.write_string(out.row, 8, grades, formats["total"])
    out.row += 2
    profile = data["profile"]
    out.sheet.write_string(out.row, 0, f"审核配置：{profile['title']}　版本 {profile['version']}",
                           formats["note"])
    out.sheet.write_string(out.row + 1, 0, data["grade_rule"], formats["note"])
    if data["recompute_rule"]:
        out.sheet.write_string(out.row + 2, 0, data["recompute_rule"], formats["note"])


def _findings_sheet(book: Any, data: dict[str, Any], formats: dict[str, Any]) -> None:
    out = ListSheet(book, FINDINGS_SHEET, FINDINGS_HEADERS, formats["header"])
    for table, findings in zip(data["tables"], findings_by_table(data), strict=True):
        for finding in findings:
            location = finding["location"]
            out.text(0, table["project_code"], formats["text"])
            out.text(1, table["project_name"], formats["text"])
            out.text(2, finding["code"], formats["text"])
            out.text(3, category_label(finding["category"]), formats["text"])
            out.text(4, severity_label(finding["severity"]), formats[f"sev-{finding['severity']}"])
            out.text(5, finding["title"], formats["wrap"])
            out.text(6, finding["message"], formats["wrap"])
            out.text(7, where(location, with_file=False, with_line=False), formats["wrap"])
            out.text(8, location["file"], formats["text"])
            out.number(9, location["line"], formats["number"])
            out.row += 1
    out.finish(fixed={5: 24, 6: 60, 7: 24})


def _reading_sheet(book: Any, data: dict[str, Any], formats: dict[str, Any]) -> None:
    out = ListSheet(book, READING_SHEET, READING_HEADERS, formats["header"])
    for note in data["reading"]:
        place = note.get("cell") or (f"第{note['line']}行" if note["line"] else None)
        out.text(0, note["file"], formats["text"])
        out.text(1, place, formats["text"])
        out.text(2, note["code"], formats["text"])
        out.text(3, severity_label(note["severity"]), formats[f"sev-{note['severity']}"])
        out.text(4, note["message"], formats["wrap"])
        out.row += 1
    out.finish(fixed={4: 80})


def _rules_sheet(book: Any, report: ReviewReport, data: dict[str, Any], formats: dict[str, Any]) -> None:
    out = ListSheet(book, RULES_SHEET, RULES_HEADERS, formats["header"])
    fired = Counter(finding["code"] for finding in data["findings"])
    codes = list(data["rules_run"]) + sorted(set(fired) - set(data["rules_run"]))  # e.g. X001
    for code in codes:
        info = rule_info(code, report.profile, data["findings"])
        out.text(0, info["code"], formats["text"])
        out.text(1, info["category_label"], formats["text"])
        out.text(2, info["severity_label"], formats[f"sev-{info['severity']}"])
        out.text(3, info["title"], formats["wrap"])
        out.text(4, info["description"], formats["wrap"])
        out.number(5, fired.get(code, 0), formats["number"])
        out.row += 1
    out.finish(fixed={3: 30, 4: 80})
    out.sheet.set_portrait()  # six columns, many rows: upright fits them on one page
