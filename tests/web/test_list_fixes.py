"""The reviewer's list defects of issue 13: totals that agree with the rows (2), the overview over live
findings (3), bad query values named in Chinese (11), the list and public extras (12), and small layout and
wording points (13)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.rules.model import CATEGORY_LABELS, Category
from jixiao.services import queries
from jixiao.services.context import AppContext
from jixiao.services.editing import check_draft
from jixiao.services.permissions import Actor
from jixiao.storage.models import User
from jixiao.web.app import create_app
from tests.web.test_pages import APPROVED, DRAFT, RETURNED, _client, _csrf, sessions

__all__ = ["sessions"]  # the demo region of test_pages, built once for this module too
TOTAL = re.compile(r"共 (\d+) 个项目")
ROW = re.compile(r'<td data-label="项目编码" class="code">')


def _count_and_rows(html: str) -> tuple[int, int]:
    found = TOTAL.search(html)
    assert found is not None
    return int(found.group(1)), len(ROW.findall(html))


def test_the_list_total_agrees_with_its_rows_right_after_a_change(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    drafts = unit.get("/projects", params={"state": "draft"}).text
    before = _count_and_rows(drafts)
    assert before[0] == before[1] >= 1
    codes = re.findall(r'class="code"><a href="/projects/([^"]+)"', drafts)
    code = next(c for c in codes if c not in (DRAFT, RETURNED))
    token = _csrf(unit.get(f"/projects/{code}").text)
    moved = unit.post(f"/projects/{code}/transition", data={
        "action": "submit", "override_reason": "测试：先提交再看清单", "csrf_token": token})
    assert moved.status_code == 303, moved.text[:500]
    after = _count_and_rows(unit.get("/projects", params={"state": "draft"}).text)
    assert after[0] == after[1] == before[1] - 1  # the total counted again, not the one of a moment ago
    submitted = _count_and_rows(unit.get("/projects", params={"state": "submitted"}).text)
    assert submitted[0] == submitted[1] >= 1
    api = unit.get("/api/v1/projects", params={"state": "draft"}).json()
    assert api["total"] == len(api["items"]) == after[0]


FINDINGS_ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>')


def test_the_overview_counts_the_live_findings_of_the_current_versions(sessions: sessionmaker[Session]) -> None:
    html = _client(sessions, "finance2").get("/overview").text
    assert "按各项目当前版本的自动审核结果统计" in html and "不计以往提交的版本" in html
    table = html.split('id="findings-table"')[1].split("</table>")[0]
    shown = {label: int(n) for label, n in FINDINGS_ROW.findall(table)}
    expected: dict[str, int] = {}
    finance = Actor(user_id=None, role=Role.FINANCE_REVIEWER, organization_id=None)
    with sessions() as session:
        for item in queries.list_projects(session, finance, per_page=200)["items"]:
            content = queries.show_project(session, finance, item["code"])["table"]
            for finding in check_draft(content).findings:  # what the project page lists
                label = CATEGORY_LABELS[Category(finding["category"])]
                expected[label] = expected.get(label, 0) + 1
    assert shown == expected and sum(shown.values()) > 2


def test_bad_query_values_are_named_in_chinese_on_the_page(sessions: sessionmaker[Session]) -> None:
    finance = _client(sessions, "finance2")
    for params, words in (({"severity": "bogus"}, "「问题级别」没有“bogus”这个选项（可选：有错误、有警告、有提示"),
                          ({"grade": "X"}, "「审核等级」没有“X”这个选项（可选：优、良、中、差）"),
                          ({"state": "zzz"}, "「状态」没有“zzz”这个选项（可选：草稿"),
                          ({"year": "abc"}, "「年度」应为四位数字的年份")):
        page = finance.get("/projects", params=params)
        assert page.status_code == 400 and words in page.text and "共 0 个项目" not in page.text, params
        assert finance.get("/projects.xlsx", params=params).status_code == 400
    assert "「年度」应为四位数字的年份" in _client(sessions).get("/public", params={"year": "abc"}).text
    for path, params, words in (("/projects", {"page": "0"}, "「页码」过小（最小 1）"),
                                ("/projects", {"q": "字" * 101}, "「搜索词」过长"),
                                ("/deadlines", {"year": "abcd"}, "「年度」应为整数"),
                                (f"/projects/{DRAFT}/selfeval/abc/print", {}, "「自评记录编号」应为整数")):
        page = finance.get(path, params=params)
        assert page.status_code == 422 and words in page.text and "<html" in page.text, (path, page.text[-800:])
    api = finance.get("/api/v1/projects", params={"state": "zzz"})
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_request"
    detail = api.json()["error"]["details"][0]
    assert detail["location"] == "query.state" and detail["message"].startswith("「状态」不是可选的值")


def test_the_list_workbook_has_the_total_and_the_returned_badge(sessions: sessionmaker[Session]) -> None:
    finance = _client(sessions, "finance2")
    rows = list(openpyxl.load_workbook(io.BytesIO(finance.get("/projects.xlsx").content)).active.iter_rows(
        values_only=True))  # type: ignore[union-attr]
    assert rows[0][4] == "项目总额（万元）" and rows[0][5] == "状态"
    by_code = {row[0]: row for row in rows[1:] if row[5] is not None}
    assert by_code[RETURNED][5] == "草稿（已退回）" and by_code[APPROVED][5] == "已批复"
    shown = finance.get(f"/api/v1/projects/{APPROVED}").json()["table"]["total_wan"]
    assert by_code[APPROVED][4] == float(shown) > 0


def test_public_rows_link_the_pdf_data_answers_head_and_there_is_an_icon(sessions: sessionmaker[Session]) -> None:
    public = _client(sessions)
    listing = public.get("/public").text
    assert f'href="/public/projects/{APPROVED}.pdf"' in listing
    assert public.get(f"/public/projects/{APPROVED}.pdf").content.startswith(b"%PDF")
    for path in ("/public/data/projects.csv", "/public/data/indicators.csv", "/public/data/datapackage.json"):
        got, head = public.get(path), public.head(path)
        assert head.status_code == 200 and head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"] and got.content
        assert head.headers["content-disposition"] == got.headers["content-disposition"]
    assert public.head("/public/data/nothing.csv").status_code == 404
    icon = public.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def _home(sessions: sessionmaker[Session], username: str, today: datetime) -> str:
    signed = _client(sessions, username)  # signed in now; the home page then asked on ``today``
    client = TestClient(create_app(AppContext(sessions, clock=lambda: today)), follow_redirects=False,
                        cookies=dict(signed.cookies))
    return client.get("/").text.split('id="deadline-h"')[1].split("</section>")[0]


def test_reminders_skip_years_without_tables_of_the_user(sessions: sessionmaker[Session]) -> None:
    today = datetime(2021, 11, 15, 4, tzinfo=UTC)  # the demo's tables are of 2022
    unit, reviewer = _home(sessions, "unit", today), _home(sessions, "dept", today)
    assert "2021年度" not in unit and "2021年度" not in reviewer and "本年度尚无项目" not in unit + reviewer
    assert "2022年度运行监控" in unit and "2022年度运行监控" in reviewer  # the years they have tables of
    assert "2023年度绩效目标申报（一上）" in unit and "尚未申报该年度项目" in unit  # a unit files targets first
    assert "2023年度" not in reviewer  # nothing to review in a year without tables


def test_the_admin_label_names_the_role_once_and_batch_submit_says_where_to_force(
        sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.execute(update(User).where(User.username == "admin2").values(display_name="系统管理员"))
    label = re.search(r'<span class="user-label"[^>]*>([^<]*)</span>', _client(sessions, "admin2").get("/").text)
    assert label is not None and label.group(1) == "admin2 · 系统管理员"
    unit = _client(sessions, "unit")
    erroneous = _codes_with_errors(unit)
    assert erroneous
    done = unit.post("/projects/batch", data={"action": "submit", "codes": erroneous[:1],
                                              "csrf_token": _csrf(unit.get("/projects").text)})
    assert "请打开该表，填写理由后强制提交" in done.text and "或填写理由强制提交" not in done.text


def _codes_with_errors(client: TestClient) -> list[str]:
    page = client.get("/projects", params={"state": "draft", "severity": "error"}).text
    return re.findall(r'<td data-label="项目编码" class="code"><a href="/projects/([^"]+)"', page)
