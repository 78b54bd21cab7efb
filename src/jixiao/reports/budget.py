"""The 下年预算安排建议表 (结果应用) as standalone HTML (and PDF through it) and as an xlsx workbook.

Rendered from the data-first dict of ``services.results_use.sheet``, so the page, the workbook and the PDF
say the same thing: per project the grade and where it came from, the suggested action and amount with the
arithmetic and each rule's source, and the finance reviewer's decision with its reason; then the order of a
零基预算 review. Amounts are number cells in 万元 with two decimals.
"""

from __future__ import annotations

from typing import Any

from jixiao.reports.templating import render_template
from jixiao.reports.xlsx import HEADER_FILL, ListSheet, Target, number, workbook

COLUMNS = ["项目编码", "项目名称", "主管部门", "单位", "等级", "等级来源", "得分", "监控灯", "审计错误数", "连续年数",
           "本年全年预算（万元）", "建议安排", "核减比例（%）", "约谈", "建议金额（万元）", "算式", "依据",
           "财政决定", "决定金额（万元）", "决定理由", "最终安排", "最终金额（万元）"]


RULE_TEXT = ("按等级（有复核时用复核等级）、运行监控截止时的灯和自评表审计错误分别对应安排；取最严的一项定金额，"
             "两项核减取较大比例；约谈随同其他安排，不改变金额；没有等级的项目须人工确定。")


def _applied(item: dict[str, Any]) -> str:
    source = f"（{item['source']}）" if item["source"] else ""
    return f"{item['why']} → {item['action']}{source}"


def render_budget_html(data: dict[str, Any]) -> str:
    return render_template("budget.html.j2", {"sheet": data})


def write_budget_xlsx(data: dict[str, Any], target: Target) -> None:
    book = workbook(target)
    header = book.add_format({"bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True})
    text = book.add_format({"border": 1, "valign": "top"})
    wrapped = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    money = book.add_format({"border": 1, "valign": "top", "num_format": "0.00"})
    rows = ListSheet(book, "下年预算安排建议表", COLUMNS, header)
    for row in data["rows"]:
        decision = row["decision"] or {}
        values = [row["code"], row["name"], row["department"], row["unit"], row["grade"], row["grade_source"]]
        for col, value in enumerate(values):
            rows.text(col, value, text)
        rows.number(6, number(row["total"]), text)
        rows.text(7, row["light"], text)
        rows.number(8, row["audit_errors"], text)
        rows.number(9, row["years_running"], text)
        rows.number(10, number(row["budget"]), money)
        rows.text(11, row["action"] or "须人工确定", text)
        rows.number(12, number(row["percent"]) if row["action"] == "核减" else None, text)
        rows.text(13, "是" if row["interview"] else "", text)
        rows.number(14, number(row["amount"]), money)
        rows.text(15, row["arithmetic"], wrapped)
        rows.text(16, "；".join(_applied(item) for item in row["applied"]), wrapped)
        rows.text(17, decision.get("action"), text)
        rows.number(18, number(decision.get("amount")), money)
        rows.text(19, decision.get("reason"), wrapped)
        rows.text(20, row["final_action"] or "须人工确定", text)
        rows.number(21, number(row["final_amount"]), money)
        rows.row += 1
    rows.finish({1: 28, 15: 40, 16: 50, 19: 30})
    order = ListSheet(book, "零基预算审查顺序", ["顺序", "项目编码", "项目名称", "理由"], header)
    for entry in data["zero_based"]:
        order.number(0, entry["rank"], text)
        order.text(1, entry["code"], text)
        order.text(2, entry["name"], text)
        order.text(3, entry["why"], wrapped)
        order.row += 1
    order.finish({2: 30, 3: 50})
    about = book.add_worksheet("说明")
    facts = [("报告", f"{data['next_year']}年度预算安排建议表（{data['year']}年度绩效结果应用）"),
             ("项目数", str(data["totals"]["projects"])), ("本年全年预算合计（万元）", data["totals"]["base"]),
             ("下年安排合计（万元，含财政决定）", data["totals"]["final"]),
             ("须人工确定", str(data["totals"]["undecided"])), ("配置", data["profile"]),
             ("依据", data["source"] or "配置中未写明结果应用办法"),
             ("规则", RULE_TEXT)]
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 90)
    for index, (label, value) in enumerate(facts):
        about.write(index, 0, label, header)
        about.write(index, 1, value, wrapped)
    book.close()
