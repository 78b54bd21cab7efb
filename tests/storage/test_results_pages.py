"""The 结果应用 page: the sheet, a decision by htmx with its reason, the downloads; SQLite and PostgreSQL."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.services.permissions import Actor
from tests.storage.test_recheck import COPY, _publish
from tests.storage.test_recheck_pages import PASSWORD, _client, _csrf


def test_the_finance_reviewer_decides_on_the_page_and_downloads_the_sheet(sessions: sessionmaker[Session],
                                                                         actors: dict[str, Actor]) -> None:
    _publish(sessions)
    add_user(sessions, "caizheng", PASSWORD, Role.FINANCE_REVIEWER, None, "区财政局预算科")
    add_user(sessions, "danwei", PASSWORD, Role.UNIT_EDITOR, "145001")
    finance, unit = _client(sessions, "caizheng"), _client(sessions, "danwei")
    refused = unit.get("/results")
    assert refused.status_code == 403 and "只有财政部门审核人可以查看和确定下年预算安排建议" in refused.text
    assert 'id="nav-results"' not in unit.get("/projects").text
    page = finance.get("/results")
    assert page.status_code == 200 and 'id="nav-results"' in page.text
    assert "2022 年度 9 个项目" in page.text and f'id="budget-{COPY}"' in page.text
    assert "优先保障" in page.text and "按本年全年预算 15.00 万元安排" in page.text
    token = _csrf(page.text)
    missing = finance.post(f"/results/{COPY}/decision", headers={"HX-Request": "true"},
                           data={"csrf_token": token, "action": "核减", "amount": "12", "reason": ""})
    assert missing.status_code == 200 and "“理由”必填" in missing.text and 'value="12"' in missing.text
    saved = finance.post(f"/results/{COPY}/decision", headers={"HX-Request": "true"},
                         data={"csrf_token": token, "action": "核减", "amount": "12", "reason": "业务量下降"})
    assert saved.status_code == 200 and "已保存" in saved.text and "核减</strong> 12 万元：业务量下降" in saved.text
    assert saved.text.lstrip().startswith(f'<tr id="budget-{COPY}"')  # the row only, swapped in place
    assert finance.post(f"/results/{COPY}/decision", data={"csrf_token": "x", "action": "核减", "amount": "1",
                                                            "reason": "r"}).status_code == 403
    assert unit.post(f"/results/{COPY}/decision", data={"csrf_token": token}).status_code == 403
    workbook = finance.get("/results/2022/sheet.xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(BytesIO(workbook.content))["下年预算安排建议表"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == COPY)
    assert row[header.index("建议安排")] == "优先保障" and row[header.index("建议金额（万元）")] == 15
    assert row[header.index("最终安排")] == "核减" and row[header.index("最终金额（万元）")] == 12
    assert row[header.index("决定理由")] == "业务量下降"
    pdf = finance.get("/results/2022/sheet.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert finance.get("/results/2022/sheet.doc").status_code == 404
