"""Issue 13 on the pages: only what the role may do (point 5), and the smaller points of 13 — searches of
several words, pages past the end, the short user label, the public list and its open-data package."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import reported
from tests.web.test_pages import APPROVED, DRAFT, RETURNED, _client, _csrf, sessions

__all__ = ["sessions"]  # the demo region of test_pages, built once for this module too
MENU = re.compile(r'<nav aria-label="主导航">(.*?)</nav>', re.S)


def _menu(html: str) -> str:
    found = MENU.search(html)
    assert found is not None
    return found.group(1)


def test_a_department_reviewer_sees_no_import_and_is_told_why(sessions: sessionmaker[Session]) -> None:
    reviewer = _client(sessions, "dept")
    for path in ("/", "/projects", f"/projects/{DRAFT}", "/overview"):
        html = reviewer.get(path).text
        assert 'href="/import"' not in _menu(html) and "项目" in _menu(html)
    page = reviewer.get("/import")
    assert page.status_code == 403 and "无权进行此操作" in page.text
    assert "导入由填报单位或管理员进行（您的角色：主管部门审核人）" in page.text and 'type="file"' not in page.text
    token = _csrf(reviewer.get("/projects").text)
    posted = reviewer.post("/import", data={"csrf_token": token},
                           files={"files": ("a.txt", b"x", "text/plain")})
    assert posted.status_code == 403 and "导入由填报单位或管理员进行" in posted.text and "<html" in posted.text
    htmx = reviewer.post("/import", data={"csrf_token": token}, files={"files": ("a.txt", b"x", "text/plain")},
                         headers={"HX-Request": "true"})
    assert htmx.status_code == 403 and "<html" not in htmx.text and "导入由填报单位或管理员进行" in htmx.text
    project = reviewer.get(f"/projects/{DRAFT}").text
    assert f'href="/projects/{DRAFT}/edit"' not in project and ">绩效自评<" not in project
    assert 'action="/projects/' in project and "填写审核意见" in project
    editor = reviewer.get(f"/projects/{DRAFT}/edit")
    assert editor.status_code == 403 and "只有项目所属单位可以修改绩效目标表（您的角色：主管部门审核人）" in editor.text


def test_a_unit_sees_import_and_editing_but_no_review_form(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    assert 'href="/import"' in _menu(unit.get("/").text)
    project = unit.get(f"/projects/{DRAFT}").text
    assert f'href="/projects/{DRAFT}/edit"' in project and ">绩效自评<" in project
    assert "填写审核意见" not in project
    approved = unit.get(f"/projects/{APPROVED}").text
    assert f'href="/projects/{APPROVED}/edit"' not in approved  # not a draft



def test_a_search_of_several_words_finds_what_contains_all_of_them(sessions: sessionmaker[Session]) -> None:
    finance = _client(sessions, "finance2")
    both = finance.get("/projects", params={"q": "免费 复印"}).text
    assert RETURNED in both and DRAFT not in both  # 免费邮寄 has 免费 but not 复印
    assert RETURNED in finance.get("/projects", params={"q": "复印\u3000免费"}).text  # a full-width space too
    assert "共 0 个项目" in finance.get("/projects", params={"q": "免费 不存在的词"}).text


def test_a_page_past_the_end_shows_the_last_page(sessions: sessionmaker[Session]) -> None:
    listing = _client(sessions, "finance2").get("/projects", params={"page": "99"}).text
    assert "第 1/1 页" in listing and APPROVED in listing and "第 99" not in listing
    public = _client(sessions).get("/public", params={"page": "99"}).text
    assert "第 1/1 页" in public and APPROVED in public


def test_the_header_names_the_user_and_role_briefly(sessions: sessionmaker[Session]) -> None:
    label = re.search(r'<span class="user-label"[^>]*>([^<]*)</span>', _client(sessions, "unit").get("/").text)
    assert label is not None and label.group(1) == "unit · 单位填报人"


def test_the_public_list_shows_the_total_and_approval_date_and_blank_funding_is_blank(
        sessions: sessionmaker[Session]) -> None:
    public = _client(sessions)
    listing = public.get("/public").text
    row = re.search(rf"<tr><td[^>]*>{APPROVED}</td>.*?</tr>", listing, re.S)
    assert row is not None and "9.60" in row.group(0)
    assert re.search(r'data-label="批复日期">\d{4}-\d{2}-\d{2}</td>', row.group(0))
    page = public.get(f"/public/projects/{APPROVED}").text
    assert "（未填）" not in page and "9.60 万元" in page


def test_the_public_downloads_are_a_frictionless_data_package(sessions: sessionmaker[Session]) -> None:
    public = _client(sessions)
    package = public.get("/public/data/datapackage.json")
    assert package.status_code == 200 and package.headers["content-type"].startswith("application/json")
    document = package.json()
    # Data Package v1 (tabular): resources required; each with a name (lower-case pattern), a path, a schema
    assert document["profile"] == "tabular-data-package" and re.fullmatch(r"[-a-z0-9._/]+", document["name"])
    assert [r["name"] for r in document["resources"]] == ["projects", "indicators"]
    parse = {"string": str, "integer": int, "number": Decimal, "date": date.fromisoformat}
    tables = {}
    for resource in document["resources"]:
        assert re.fullmatch(r"[-a-z0-9._/]+", resource["name"]) and resource["profile"] == "tabular-data-resource"
        fields = resource["schema"]["fields"]
        assert fields and all(f["name"] and f["type"] in parse for f in fields)
        keys = resource["schema"]["primaryKey"]
        assert set(keys) <= {f["name"] for f in fields}
        answer = public.get(f"/public/data/{resource['path']}")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
        assert not answer.content.startswith(b"\xef\xbb\xbf")  # utf-8 as declared, no byte-order mark
        rows = list(csv.reader(io.StringIO(answer.content.decode(resource["encoding"]))))
        assert rows[0] == [f["name"] for f in fields]
        for row in rows[1:]:
            assert len(row) == len(fields)
            for value, field in zip(row, fields, strict=True):
                if value not in resource["schema"]["missingValues"]:
                    parse[field["type"]](value)  # every value is of its declared type
        primary = [tuple(row[[f["name"] for f in fields].index(k)] for k in keys) for row in rows[1:]]
        assert len(primary) == len(set(primary)) > 0
        tables[resource["name"]] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    projects = {p["project_code"]: p for p in tables["projects"]}
    assert DRAFT not in projects and RETURNED not in projects  # approved tables only
    assert projects[APPROVED]["total_wan"] == "9.60" and projects[APPROVED]["special_account"] == ""
    assert "contact_phone" not in json.dumps(document) and "phone" not in tables["projects"][0]
    assert {i["project_code"] for i in tables["indicators"]} <= set(projects)  # the foreign key holds
    assert {i["operator"] for i in tables["indicators"]} <= {"=", "≥", "≤", ">", "<", "定性"}
    assert public.get("/public/data/secrets.csv").status_code == 404


def test_the_monitoring_page_uses_the_words_of_the_fill_in_workbook(sessions: sessionmaker[Session]) -> None:
    page = _client(sessions, "unit").get(f"/projects/{APPROVED}/monitoring").text
    for word in (reported.ADJUSTED, reported.EXECUTED_TO_DATE, reported.TO_DATE, reported.FORECAST,
                 reported.PROGRESS_REASON, reported.LIKELIHOOD):
        assert f">{word}</" in page, word
    assert "截至目前" not in page and "预计全年完成" not in page and "预警" not in page
