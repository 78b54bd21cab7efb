"""The reviewer's list defects of issue 13: totals that agree with the rows (2), the overview over live
findings (3), bad query values named in Chinese (11), the list and public extras (12), and small layout and
wording points (13)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session, sessionmaker

from tests.web.test_pages import DRAFT, _client, _csrf, sessions

__all__ = ["sessions"]  # the demo region of test_pages, built once for this module too
TOTAL = re.compile(r"共 (\d+) 个项目")
ROW = re.compile(r'<td data-label="项目编码" class="code">')


def _count_and_rows(html: str) -> tuple[int, int]:
    found = TOTAL.search(html)
    assert found is not None
    return int(found.group(1)), len(ROW.findall(html))


def test_the_list_total_agrees_with_its_rows_right_after_a_change(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    before = _count_and_rows(unit.get("/projects", params={"state": "draft"}).text)
    assert before[0] == before[1] >= 1
    token = _csrf(unit.get(f"/projects/{DRAFT}").text)
    moved = unit.post(f"/projects/{DRAFT}/transition", data={
        "action": "submit", "override_reason": "测试：先提交再看清单", "csrf_token": token})
    assert moved.status_code == 303, moved.text[:500]
    after = _count_and_rows(unit.get("/projects", params={"state": "draft"}).text)
    assert after[0] == after[1] == before[1] - 1  # the total counted again, not the one of a moment ago
    submitted = _count_and_rows(unit.get("/projects", params={"state": "submitted"}).text)
    assert submitted[0] == submitted[1] >= 1
    api = unit.get("/api/v1/projects", params={"state": "draft"}).json()
    assert api["total"] == len(api["items"]) == after[0]
