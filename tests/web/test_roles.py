"""Pages show only what the viewer's role may do, and a refusal says why in Chinese (issue 13 point 5)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session, sessionmaker

from tests.web.test_pages import APPROVED, DRAFT, _client, _csrf, sessions

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

