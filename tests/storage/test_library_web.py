"""The indicator library's pages, the editor's suggestions and the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services import library_build
from jixiao.services.accounts import add_user, issue_token
from jixiao.services.context import AppContext
from jixiao.services.permissions import Actor
from jixiao.web.app import create_app
from tests.storage.library_data import add_approved

RANGE = "可比项目设定 92–98%（中位数 95%，9 个项目）"


PASSWORD = "指标库页面测试密码-1"
USERS = (("unit145001", Role.UNIT_EDITOR, "145001"), ("dept145", Role.DEPARTMENT_REVIEWER, "145"),
         ("caizheng", Role.FINANCE_REVIEWER, None))


class Demo:
    """The seed's drafts (none approved), nine approved tables of known figures, and one user per role."""

    def __init__(self, sessions: sessionmaker[Session], passwords: bool) -> None:
        add_approved(sessions)
        library_build.build(sessions)
        self.sessions = sessions
        self.tokens = {}
        for username, role, org in USERS:  # a password (argon2, slow) only where the pages sign in
            add_user(sessions, username, PASSWORD if passwords else None, role, org, username)
            self.tokens[username] = issue_token(sessions, username, "测试")
        self.app = create_app(AppContext(sessions))
        self.api = TestClient(self.app, raise_server_exceptions=False)

    def page_client(self, username: str) -> TestClient:
        client = TestClient(self.app, follow_redirects=False, raise_server_exceptions=False)
        token = _csrf(client.get("/login").text)
        done = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token, "next": "/"})
        assert done.status_code == 303, done.text
        return client

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.fixture
def demo(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> Demo:
    return Demo(sessions, passwords=True)


@pytest.fixture
def api_demo(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> Demo:
    return Demo(sessions, passwords=False)


def _the_pages_browse_search_and_show_an_entry(demo: Demo) -> None:
    unit = demo.page_client("unit145001")
    listing = unit.get("/library", params={"q": "满意率"})
    assert listing.status_code == 200 and 'id="nav-library"' in listing.text
    entry = re.search(r'href="/library/(\d+)">服务对象满意度</a>', listing.text)
    assert entry is not None
    assert 'id="propose-form"' not in listing.text and 'id="build-form"' not in listing.text  # a unit only reads
    page = unit.get(f"/library/{entry.group(1)}").text
    assert RANGE in page and "群众满意度" in page and "规范化后相同" in page
    # the figures are the region's, but a unit is shown only the projects it may see (none of these nine)
    assert "50011522T000000200001" not in page and "另有 9 个项目不在您的查看范围内" in page
    finance_page = demo.page_client("caizheng").get(f"/library/{entry.group(1)}").text
    assert "50011522T000000200001" in finance_page and "不在您的查看范围内" not in finance_page
    assert "按年度" in page and 'id="curate-form"' not in page
    assert unit.get("/library/99999").status_code == 404
    anonymous = TestClient(create_app(AppContext(demo.sessions)), follow_redirects=False)
    assert anonymous.get("/library").status_code in (303, 307)  # to the login page
    exported = unit.get("/library/export.xlsx")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"


def _the_editor_suggests_library_entries_with_the_comparable_range(demo: Demo) -> None:
    unit = demo.page_client("unit145001")
    drafts = unit.get("/api/v1/projects", params={"state": "draft"}).json()["items"]
    code = drafts[0]["code"]
    editor = unit.get(f"/projects/{code}/edit")
    assert editor.status_code == 200 and 'hx-get="/library/suggest"' in editor.text
    suggested = unit.get("/library/suggest", params={"name": "群众满意"}, headers={"HX-Request": "true"})
    assert suggested.status_code == 200 and "<html" not in suggested.text
    first = suggested.text.split("</li>")[0]
    assert 'data-name="服务对象满意度"' in first and 'data-level1="满意度指标"' in first
    assert 'data-level2="服务对象满意度指标"' in first and 'data-unit="%"' in first
    assert 'data-direction="正向指标"' in first and RANGE in first
    assert unit.get("/library/suggest", params={"name": ""}).text.strip() == ""


def _curation_on_the_pages_is_the_finance_bureaus(demo: Demo) -> None:
    department, finance = demo.page_client("dept145"), demo.page_client("caizheng")
    page = department.get("/library").text
    proposed = department.post("/library/propose", data={"csrf_token": _csrf(page), "name": "窗口办件量",
                                                          "unit": "件", "direction": "正向指标"})
    assert proposed.status_code == 303
    url = proposed.headers["location"]
    shown = department.get(url).text
    assert "待审核" in shown and 'id="curate-form"' not in shown
    refused = department.post(url, data={"csrf_token": _csrf(shown), "action": "approve"})
    assert refused.status_code == 403 and "指标库由财政部门审核人维护" in refused.text
    form = finance.get(url).text
    assert 'id="curate-form"' in form
    done = finance.post(url, data={"csrf_token": _csrf(form), "action": "approve", "note": "常用"})
    assert done.status_code == 303
    after = finance.get(url).text
    assert "已审核" in after and "审核通过" in after and "第 2 版" in after
    bad = finance.post(url, data={"csrf_token": _csrf(after), "action": "update", "direction": "上升"})
    assert bad.status_code == 422 and "「指标方向」应为 正向指标 或 反向指标" in bad.text
    expired = finance.post(url, data={"csrf_token": "x", "action": "retire"})
    assert expired.status_code == 403 and "页面已过期" in expired.text


def _importing_on_the_page_names_each_bad_cell(demo: Demo) -> None:
    from tests.storage.test_library import _workbook

    finance = demo.page_client("caizheng")
    page = finance.get("/library").text
    assert 'id="import-form"' in page
    bad = _workbook([["绿化面积", "产出指标", "数量指标", "平方米", "正向指标", "大于", "否", ""]])
    refused = finance.post("/library/import", data={"csrf_token": _csrf(page)},
                           files={"file": ("本区.xlsx", bad, "application/octet-stream")})
    assert refused.status_code == 422 and "本区指标库!F2「指标性质」应为" in refused.text
    assert "实际为“大于”" in refused.text
    good = _workbook([["绿化面积", "产出指标", "数量指标", "平方米", "正向指标", "≥", "是", "绿化覆盖面积"]])
    done = finance.post("/library/import", data={"csrf_token": _csrf(page)},
                        files={"file": ("本区.xlsx", good, "application/octet-stream")})
    assert done.status_code == 303
    assert "绿化面积" in finance.get("/library", params={"q": "绿化覆盖"}).text


def test_the_api_reads_proposes_and_curates(api_demo: Demo) -> None:
    demo = api_demo
    api = demo.api
    listing = api.get("/api/v1/library", params={"q": "满意"}, headers=demo.auth("unit145001")).json()
    (entry,) = [item for item in listing["items"] if item["name"] == "服务对象满意度"]
    detail = api.get(f"/api/v1/library/{entry['id']}", headers=demo.auth("unit145001")).json()
    assert detail["comparable"]["sentence"] == RANGE and detail["stats"]["targets"]["median"] == "95"
    assert detail["stats"]["by_year"]["2024"]["count"] == 3 and detail["versions"][0]["at"].endswith("+08:00")
    assert detail["stats"]["projects"] == [] and detail["stats"]["project_count"] == 9  # none of the unit's
    seen = api.get(f"/api/v1/library/{entry['id']}", headers=demo.auth("caizheng")).json()["stats"]
    assert len(seen["projects"]) == 9 and "50011522T000000200009" in seen["projects"]
    suggested = api.get("/api/v1/library/suggest", params={"name": "满意率"}, headers=demo.auth("unit145001")).json()
    assert suggested[0]["entry"]["name"] == "服务对象满意度" and suggested[0]["comparable"]["q1"] == "92"
    assert api.get("/api/v1/library").status_code == 403  # the public
    created = api.post("/api/v1/library", json={"name": "窗口办件量", "unit": "件"}, headers=demo.auth("dept145"))
    assert created.status_code == 201 and created.json()["status"] == "proposed"
    entry_id = created.json()["id"]
    refused = api.post(f"/api/v1/library/{entry_id}/actions", json={"action": "approve"}, headers=demo.auth("dept145"))
    assert refused.status_code == 403 and refused.json()["error"]["message"].startswith("指标库由财政部门审核人维护")
    done = api.post(f"/api/v1/library/{entry_id}/actions", json={"action": "core"}, headers=demo.auth("caizheng"))
    assert done.status_code == 200 and done.json()["core"] and done.json()["version"] == 2
    clash = api.post(f"/api/v1/library/{entry_id}/actions", json={"action": "rename", "fields": {"name": "满意率"}},
                     headers=demo.auth("caizheng"))
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "library_conflict"
    missing = api.get("/api/v1/library/99999", headers=demo.auth("caizheng"))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "library_entry_not_found"
    rebuilt = api.post("/api/v1/library/build", headers=demo.auth("caizheng")).json()
    assert rebuilt["tables"] >= 9 and rebuilt["new_entries"] == 0
    bad = api.post("/api/v1/library/import", json={"file_name": "x.xlsx", "content_base64": "@@"},
                   headers=demo.auth("caizheng"))
    assert bad.status_code == 422 and "base64" in bad.json()["error"]["message"]
    from tests.storage.test_library import _workbook

    wrong = base64.b64encode(_workbook([["", "", "", "", "", "", "也许", ""]])).decode()
    refused_file = api.post("/api/v1/library/import", json={"file_name": "x.xlsx", "content_base64": wrong},
                            headers=demo.auth("caizheng"))
    body = refused_file.json()["error"]
    assert refused_file.status_code == 422 and body["code"] == "library_import_refused"
    assert {d["cell"] for d in body["details"]} == {"本区指标库!A2", "本区指标库!G2"}


def test_the_pages(demo: Demo) -> None:
    """Browse and search, the editor's suggestions, curation and import on the pages (one set-up: it is the cost)."""
    _the_pages_browse_search_and_show_an_entry(demo)
    _the_editor_suggests_library_entries_with_the_comparable_range(demo)
    _curation_on_the_pages_is_the_finance_bureaus(demo)
    _importing_on_the_page_names_each_bad_cell(demo)
