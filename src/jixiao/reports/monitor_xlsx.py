"""The monitoring (双监控) report as an xlsx workbook: 概况 and 指标监控 sheets."""

from __future__ import annotations

from typing import Any

from jixiao.reports.xlsx import Target, workbook
from jixiao.scoring import ScoringPolicy
from jixiao.scoring.monitoring import LIKELIHOODS, Light, ProjectMonitor, monitors_to_dict

FILLS = {Light.GREEN.value: "#DAFBE1", Light.YELLOW.value: "#FFF8C5", Light.RED.value: "#FFEBE9",
         Light.BLUE.value: "#DDF4FF", Light.UNKNOWN.value: "#EAEEF2"}
TO_FILL_COLOUR = "#FFF8C5"


def _ratio(sheet: Any, row: int, column: int, ratio: str | None, fmt: Any) -> None:
    """A progress ratio as a percentage cell, or a blank one when it could not be computed."""
    if ratio is None:
        sheet.write_blank(row, column, None, fmt)
    else:
        sheet.write_number(row, column, float(ratio), fmt)


def write_monitor_xlsx(projects: list[ProjectMonitor], policy: ScoringPolicy, target: Target) -> None:
    data: dict[str, Any] = monitors_to_dict(projects, policy)
    book = workbook(target)
    header = book.add_format({"bold": True, "bg_color": "#F6F8FA", "border": 1, "text_wrap": True})
    text = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    to_fill = book.add_format({"border": 1, "text_wrap": True, "valign": "top", "bg_color": TO_FILL_COLOUR})
    lights = {name: book.add_format({"border": 1, "bold": True, "align": "center", "bg_color": fill})
              for name, fill in FILLS.items()}
    percent = book.add_format({"border": 1, "num_format": "0.0%"})

    summary = book.add_worksheet("概况")
    columns = ["项目编码", "项目名称", "截至月份", "资金信号", "资金进度比", "资金计算", "指标信号", "须说明的指标数"]
    summary.write_row(0, 0, columns, header)
    for row, project in enumerate(data["projects"], start=1):
        spending = project["spending"]
        summary.write_string(row, 0, project["project_code"] or "", text)
        summary.write_string(row, 1, project["project_name"] or "", text)
        summary.write_number(row, 2, project["month"], text)
        summary.write_string(row, 3, spending["light"], lights[spending["light"]])
        _ratio(summary, row, 4, spending["ratio"], percent)
        summary.write_string(row, 5, spending["arithmetic"], text)
        summary.write_string(row, 6, project["indicator_light"], lights[project["indicator_light"]])
        summary.write_number(row, 7, len(project["attention"]), text)
    summary.freeze_panes(1, 0)
    summary.repeat_rows(0)  # the factory set A4 landscape, one page wide; the header on every printed page
    summary.autofilter(0, 0, max(1, len(data["projects"])), len(columns) - 1)
    for column, width in enumerate((24, 24, 10, 10, 12, 48, 10, 14)):
        summary.set_column(column, column, width)

    sheet = book.add_worksheet("指标监控")
    columns = ["项目编码", "项目名称", "一级指标", "三级指标", "年度指标值", "累计完成值", "全年预计完成值",
               "信号", "进度比", "计算", "偏差原因", "完成可能性"]
    sheet.write_row(0, 0, columns, header)
    row = 1
    for project in data["projects"]:
        for item in project["indicators"]:
            wanted = f"{item['operator'] or ''}{item['target'] or ''}{item['unit_of_measure'] or ''}"
            values = [project["project_code"] or "", project["project_name"] or "", item["level1"] or "",
                      item["name"] or "", wanted, item["to_date"] or "", item["forecast"] or ""]
            for column, value in enumerate(values):
                sheet.write_string(row, column, value, text)
            sheet.write_string(row, 7, item["light"], lights[item["light"]])
            _ratio(sheet, row, 8, item["ratio"], percent)
            sheet.write_string(row, 9, item["arithmetic"], text)
            missing = item["missing"]
            sheet.write_string(row, 10, item["reason"] or "", to_fill if "偏差原因" in missing else text)
            sheet.write_string(row, 11, item["likelihood"] or "", to_fill if "完成可能性" in missing else text)
            row += 1
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)
    sheet.autofilter(0, 0, max(1, row - 1), len(columns) - 1)
    for column, width in enumerate((24, 20, 12, 20, 14, 12, 14, 8, 10, 44, 24, 14)):
        sheet.set_column(column, column, width)
    sheet.data_validation(1, 11, max(1, row - 1), 11, {"validate": "list", "source": list(LIKELIHOODS)})
    book.close()
