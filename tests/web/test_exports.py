"""Export and print on the pages (issue 13, point 7): the official table as Excel, Word and PDF from the
project page, the filtered list as xlsx, a PDF of each public table, the 自评表 print view's sign-off lines.
The demo region of tests/web/test_pages.py; each file is read back as a unit would import it."""

from __future__ import annotations

import io
import re
import unicodedata
from importlib import resources

import openpyxl
import pdfplumber
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.domain.workflow import Role
from jixiao.io.reading import read_bytes
from jixiao.reports.selfeval_html import render_selfeval_html
from jixiao.scoring import score_project
from jixiao.services.permissions import Actor
from jixiao.services.submissions import submit_self_evaluation
from jixiao.storage.models import User
from tests.web.conftest import SCREENSHOTS, chromium_path
from tests.web.test_pages import APPROVED, DRAFT, FOREIGN, RETURNED, _client, sessions

__all__ = ["sessions"]  # the module-scoped demo database, shared with this module's tests


def _print_link(sessions: sessionmaker[Session], client: TestClient) -> str:
    """The print view of a self-evaluation of APPROVED (submitted once per module, by the unit)."""
    page = client.get(f"/projects/{APPROVED}/selfeval").text
    found = re.search(r'href="(/projects/[^"]+/selfeval/\d+/print)"', page)
    if found is None:
        with sessions() as session:
            user = session.scalars(select(User).where(User.username == "unit")).one()
            unit = Actor(user.id, Role(user.role), user.organization_id)
        actuals = [{"indicator": name, "actual": value} for name, value in (
            ("区级依申请事项数", "1452"), ("乡镇依申请事项数", "196"), ("网上办事便利度", "92"), ("群众满意率", "96"))]
        submit_self_evaluation(sessions, unit, APPROVED, actuals,
                               {"initial": "9.60", "adjusted": "9.60", "executed": "9.60"})
        found = re.search(r'href="(/projects/[^"]+/selfeval/\d+/print)"',
                          client.get(f"/projects/{APPROVED}/selfeval").text)
    assert found, "a submitted self-evaluation has a print link"
    return found.group(1)


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
    assert rows[0][:6] == ("项目编码", "项目名称", "单位", "年度", "项目总额（万元）", "状态")
    exported = [row[0] for row in rows[1:] if row[5] is not None]
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
    client = _client(sessions, "unit")
    html = client.get(_print_link(sessions, client)).text
    for words in ("填报单位（盖章）", "负责人", "填报日期"):
        assert words in html
    footer = html[html.index('<footer class="note">'):]
    assert "计分配置" in footer and '<details class="config">' in footer
    config = footer[footer.index('<details class="config">'):footer.index("</details>")]
    assert "反向指标公式" in config and "反向指标公式" not in footer.replace(config, "")
    assert ".config { display: none; }" in html  # folded on screen, left off the printed page


def test_the_print_view_prints_what_the_form_stored(sessions: sessionmaker[Session]) -> None:
    """当年财政拨款 / 上年结转资金 / 其他资金 and 实际完成情况 as submitted; 待填 only where nothing was given."""
    client = _client(sessions, "unit")
    _print_link(sessions, client)
    with sessions() as session:
        user = session.scalars(select(User).where(User.username == "unit")).one()
        unit = Actor(user.id, Role(user.role), user.organization_id)
    actuals = [{"indicator": name, "actual": value} for name, value in (
        ("区级依申请事项数", "1452"), ("乡镇依申请事项数", "196"), ("网上办事便利度", "92"), ("群众满意率", "96"))]
    done = submit_self_evaluation(sessions, unit, APPROVED, actuals, {
        "initial": "9.60", "adjusted": "9.60", "executed": "9.50", "current_year": "9", "carried_over": "0.5"},
        achieved="平台全年稳定运行，依申请事项全部上线")
    html = client.get(f"/projects/{APPROVED}/selfeval/{done['id']}/print").text
    split = re.findall(r'<tr class="split">\s*<th colspan="2">([^<]*)</th>((?:\s*<td[^>]*>[^<]*</td>)+)', html)
    cells = {label: re.findall(r'<td class="(\w+)">([^<]*)</td>', row)[:3] for label, row in split}
    assert cells["其中：当年财政拨款"] == [("dash", "—"), ("dash", "—"), ("num", "9.00")]
    assert cells["上年结转资金"][2] == ("num", "0.50")
    assert cells["其他资金"][2] == ("fill", "待填")  # not given
    # the paragraph opens with the two-space indent (全角空格) the PDF reader tells paragraphs by
    assert '<td colspan="4" class="goal">\u3000\u3000平台全年稳定运行，依申请事项全部上线</td>' in html
    assert "待填写" not in html
    assert '<td class="must">须填写：扣 0.10 分，请说明原因</td>' in html  # 9.5 of 9.6: 9.90 of 10 points


def _text(pdf: pdfplumber.PDF) -> str:
    """The PDF's text; NFKC because Chromium's CJK fonts map some ideographs to radicals (⽬ for 目)."""
    return unicodedata.normalize("NFKC", "".join(page.extract_text() or "" for page in pdf.pages))


def _seed_print_view() -> tuple[list[str], str]:
    """The 自评表 of every seed table with nothing reported yet (every 说明 cell asks 须填写), on one page."""
    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    policy = profiles.load(None).scoring
    tables = [r.table for r in read_bytes(seed, "seed.txt") if r.table is not None]
    assert len(tables) >= 9
    return ([table.project_code or "" for table in tables],
            render_selfeval_html([score_project(table, {}, None, policy) for table in tables], policy))


def _inline_css(client: TestClient, html: str) -> str:
    """The page with app.css inlined, for a browser that is handed the HTML (no server needed)."""
    css = client.get("/static/app.css").text
    return html.replace('<link rel="stylesheet" href="/static/app.css">', f"<style>{css}</style>")


def test_printing_shows_the_official_table_only(sessions: sessionmaker[Session]) -> None:
    """打印 in Chromium (print media, as window.print() lays it out): the table, not the review around it."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")
    client = _client(sessions, "dept")
    project = _inline_css(client, client.get(f"/projects/{RETURNED}").text)
    assert 'class="review-comment"' in project or 'class="finding' in project  # there is something to hide
    selfeval = client.get(_print_link(sessions, client)).text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
        try:
            for width in (375,):  # the narrow window is the hard case (its screen layout stacks the header)
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.set_content(project)
                page.emulate_media(media="print")
                for hidden in ("header.top", "#audit-h", "#versions-h", ".side-col", ".exports", ".finding",
                               ".review-comment"):
                    assert all(not e.is_visible() for e in page.query_selector_all(hidden)), (width, hidden)
                assert page.is_visible("table.indicators") and page.is_visible("table.header-table")
                cell = page.eval_on_selector("table.header-table td", "e => getComputedStyle(e).display")
                assert cell == "table-cell", width  # four columns on paper, even from a phone
                paper = page.pdf(prefer_css_page_size=True)
                (SCREENSHOTS / f"project-print-{width}.pdf").write_bytes(paper)  # pdftoppm it for a look
                with pdfplumber.open(io.BytesIO(paper)) as pdf:
                    assert len(pdf.pages) == 1 and float(pdf.pages[0].width) > float(pdf.pages[0].height)
                    text = _text(pdf)
                assert "项目支出绩效目标表" in text and "审计记录" not in text and "自动审核" not in text
                page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_content(selfeval)
            with pdfplumber.open(io.BytesIO(page.pdf(prefer_css_page_size=True))) as pdf:
                text = _text(pdf)
                assert len(pdf.pages) == 1, text[-200:]  # the form and its sign-off lines on one sheet
            assert "填报单位(盖章)" in text and "负责人" in text and "填报日期" in text
            assert "计分配置" not in text and "反向指标公式" not in text
            codes, html = _seed_print_view()  # every seed table (4 indicators), unscored: the longest cells
            page.set_content(html)
            paper = page.pdf(prefer_css_page_size=True)
            (SCREENSHOTS / "selfeval-print-seed.pdf").write_bytes(paper)
            with pdfplumber.open(io.BytesIO(paper)) as pdf:  # the summary, then each form on a sheet of its own
                sheets = [unicodedata.normalize("NFKC", p.extract_text() or "") for p in pdf.pages[1:]]
            assert len(sheets) == len(codes), [s[-80:] for s in sheets]
            for code, sheet in zip(codes, sheets, strict=True):
                assert code in sheet and "填报单位(盖章)" in sheet and sheet.rstrip().endswith("日"), sheet[-200:]
        finally:
            browser.close()
