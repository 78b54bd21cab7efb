"""The 复核 report as an xlsx workbook: 汇总 (per department and unit), 复核明细 (per table), 改分明细 (per row).

Rendered from the same data-first dict as the HTML page (``services.recheck_report.recheck_report``); every
sheet comes from the one workbook factory (:mod:`jixiao.reports.xlsx`), so it prints on A4 one page wide with
its header row repeated.
"""

from __future__ import annotations

from typing import Any

from jixiao.reports.xlsx import HEADER_FILL, ListSheet, Target, number, workbook


def write_recheck_xlsx(data: dict[str, Any], target: Target) -> None:
    book = workbook(target)
    header = book.add_format({"bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True})
    text = book.add_format({"border": 1, "valign": "top"})
    wrapped = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    bold = book.add_format({"border": 1, "valign": "top", "bold": True})

    summary = ListSheet(book, "汇总", ["主管部门", "单位", "抽取表数", "已复核", "改分的表", "等级变化",
                                      "自评平均分（已复核的表）", "复核平均分（已复核的表）",
                                      "平均差（复核−自评，已复核的表）"], header)
    for department in data["departments"]:
        for name, row, cell in (("（合计）", department, bold),
                                *((unit["name"], unit, text) for unit in department["units"])):
            summary.text(0, department["name"], cell)
            summary.text(1, name, cell)
            for col, key in enumerate(("tables", "done", "changed_tables", "grade_changes"), start=2):
                summary.number(col, row[key], cell)
            for col, key in enumerate(("published_average", "recheck_average", "average_difference"), start=6):
                summary.number(col, number(row[key]), cell)
            summary.row += 1
    summary.finish()

    items = ListSheet(book, "复核明细", ["序号", "主管部门", "单位", "项目编码", "项目名称", "抽取方式", "抽取理由",
                                     "状态", "自评总分", "自评等级", "复核总分", "复核等级", "差（复核−自评）",
                                     "改分行数"], header)
    changes = ListSheet(book, "改分明细", ["序号", "项目编码", "项目名称", "行", "分值", "自评分", "复核分", "差",
                                       "复核理由"], header)
    for department in data["departments"]:
        for unit in department["units"]:
            for item in unit["items"]:
                items.number(0, item["position"], text)
                for col, value in enumerate((department["name"], unit["name"], item["project_code"],
                                             item["project_name"], item["chosen_label"]), start=1):
                    items.text(col, value, text)
                items.text(6, "；".join(item["reasons"]), wrapped)
                items.text(7, item["state_label"], text)
                items.number(8, number(item["published_total"]), text)
                items.text(9, item["published_grade"], text)
                items.number(10, number(item["recheck_total"]), text)
                items.text(11, item["recheck_grade"], text)
                items.number(12, number(item["difference"]), text)
                items.number(13, len(item["changed"]), text)
                items.row += 1
                for row in item["changed"]:
                    changes.number(0, item["position"], text)
                    changes.text(1, item["project_code"], text)
                    changes.text(2, item["project_name"], text)
                    changes.text(3, row["label"], wrapped)
                    for col, key in enumerate(("weight", "published", "score", "difference"), start=4):
                        changes.number(col, number(row[key]), text)
                    changes.text(8, row["reason"], wrapped)
                    changes.row += 1
    items.finish({6: 50})
    changes.finish({3: 40, 8: 50})
    _about(book, data, header, wrapped)
    book.close()


def _about(book: Any, data: dict[str, Any], header: Any, cell: Any) -> None:
    """说明: the sample, the profile by its Chinese title, when it was drawn, and what the averages count."""
    sample, totals = data["sample"], data["totals"]
    sheet = book.add_worksheet("说明")
    rows = [("报告", data["title"]), ("复核样本", f"第 {sample['id']} 号"),
            ("配置", sample.get("profile_title") or sample["profile"]),
            ("抽取时间", f"{sample.get('created_text') or ''}（{sample.get('timezone') or ''}）"),
            ("抽取", f"从 {sample['candidates']} 张自评表中抽取 {sample['drawn']} 张（样本量 {sample['size']}，"
                   f"按风险抽取 {sample['risk_share']}%，随机种子 {sample['seed']}）"),
            ("已复核", f"{totals['done']} 张 / 抽取 {totals['tables']} 张"),
            ("平均分", "只计已复核的表（未完成复核的表不计入平均）")]
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 70)
    for row, (label, value) in enumerate(rows):
        sheet.write_string(row, 0, label, header)
        sheet.write_string(row, 1, value, cell)
