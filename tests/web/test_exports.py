"""Export and print on the pages (issue 13, point 7): the official table as Excel, Word and PDF from the
project page, the filtered list as xlsx, a PDF of each public table, the 自评表 print view's sign-off lines.
The demo region of tests/web/test_pages.py; each file is read back as a unit would import it."""

from __future__ import annotations

import io
import re

import openpyxl
import pdfplumber
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.io.reading import read_bytes
from jixiao.services.permissions import Actor
from jixiao.services.submissions import submit_self_evaluation
from jixiao.storage.models import User
from tests.web.test_pages import APPROVED, DRAFT, FOREIGN, RETURNED, _client, sessions

__all__ = ["sessions"]  # the module-scoped demo database, shared with this module's tests


def test_the_project_page_offers_export_and_print(sessions: sessionmaker[Session]) -> None:
    html = _client(sessions, "unit").get(f"/projects/{RETURNED}").text
    for suffix in ("xlsx", "docx", "pdf"):
        assert f'href="/projects/{RETURNED}/table.{suffix}"' in html
    assert 'id="print-table"' in html and "打印" in html
    assert 'class="no-print"' in html  # versions and audit are left off the printed page


def test_each_export_is_the_official_table_and_reads_back(sessions: sessionmaker[Session]) -> None:
    client = _client(sessions, "dept")
    for suffix, magic in (("xlsx", b"PK"), ("docx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(f"/projects/{APPROVED}/table.{suffix}")
        assert response.status_code == 200, response.text[:300]
        assert response.content.startswith(magic)
        assert f"filename*=UTF-8''{APPROVED}-" in response.headers["content-disposition"]
        tables = [r.table for r in read_bytes(response.content, f"x.{suffix}") if r.table is not None]
        assert [t.project_code for t in tables] == [APPROVED], suffix
    assert client.get(f"/projects/{APPROVED}/table.exe").status_code == 404
    assert _client(sessions, "otherdept").get(f"/projects/{APPROVED}/table.xlsx").status_code == 404  # not theirs


def test_the_list_exports_what_the_filters_show(sessions: sessionmaker[Session]) -> None:
    client = _client(sessions, "finance2")
    query = "state=draft&sort=-code"
    page = client.get(f"/projects?{query}").text
    shown = re.findall(r'<td data-label="项目编码" class="code"><a href="/projects/([^"]+)"', page)
    assert shown and DRAFT in shown
    assert f'href="/projects.xlsx?{query.replace("&", "&amp;")}"' in page
    response = client.get(f"/projects.xlsx?{query}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("项目编码", "项目名称", "单位", "年度", "状态")
    exported = [row[0] for row in rows[1:] if row[4] is not None]
    assert exported == shown  # the same projects in the same order
    assert any(row[0] == "筛选条件：状态：草稿" for row in rows), rows[-2:]
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"


def test_the_public_pdf_is_the_approved_table_without_the_phone(sessions: sessionmaker[Session]) -> None:
    client = _client(sessions)
    page = client.get(f"/public/projects/{APPROVED}").text
    assert f'href="/public/projects/{APPROVED}.pdf"' in page
    response = client.get(f"/public/projects/{APPROVED}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "项目支出绩效目标表" in text and APPROVED in text
    assert "023-" not in text and not re.search(r"1[3-9]\d{9}", text)
    for code in (DRAFT, FOREIGN + "0"):
        assert client.get(f"/public/projects/{code}.pdf").status_code == 404


def test_the_selfeval_print_view_has_sign_off_lines_and_no_configuration_on_paper(
        sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        user = session.scalars(select(User).where(User.username == "unit")).one()
        unit = Actor(user.id, Role(user.role), user.organization_id)
    actuals = [{"indicator": name, "actual": value} for name, value in (
        ("区级依申请事项数", "1452"), ("乡镇依申请事项数", "196"), ("网上办事便利度", "92"), ("群众满意率", "96"))]
    budget = {"initial": "9.60", "adjusted": "9.60", "executed": "9.60"}
    submit_self_evaluation(sessions, unit, APPROVED, actuals, budget)
    client = _client(sessions, "unit")
    found = re.search(r'href="(/projects/[^"]+/selfeval/\d+/print)"', client.get(f"/projects/{APPROVED}/selfeval").text)
    assert found, "a submitted self-evaluation has a print link"
    html = client.get(found.group(1)).text
    for words in ("填报单位（盖章）", "负责人", "填报日期"):
        assert words in html
    footer = html[html.index('<footer class="note">'):]
    assert "计分配置" in footer and '<details class="config">' in footer
    config = footer[footer.index('<details class="config">'):footer.index("</details>")]
    assert "反向指标公式" in config and "反向指标公式" not in footer.replace(config, "")
    assert ".config { display: none; }" in html  # folded on screen, left off the printed page
