"""Returns, 撤回, reminders and deadlines on the pages (issue 13 §8), in the roles that meet them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user, issue_token
from jixiao.services.context import AppContext
from jixiao.services.demo import RETURN_COMMENT, load_demo
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.web.app import create_app
from tests.web.test_pages import APPROVED, DRAFT, PASSWORD, RETURNED, _client, _csrf, _unlabeled

SUBMITTED = "50011522T000000132350"  # handed in by the demo unit, not yet opened by anyone


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('returns') / 'jixiao.sqlite3'}")
    upgrade(engine)
    made = session_factory(engine)
    load_demo(made)
    for username, role, org in (("unit", Role.UNIT_EDITOR, "145001"), ("dept", Role.DEPARTMENT_REVIEWER, "145"),
                                ("finance2", Role.FINANCE_REVIEWER, None)):
        add_user(made, username, PASSWORD, role, org, f"{username}姓名")
    yield made
    engine.dispose()


@pytest.fixture(scope="module")
def clients(sessions: sessionmaker[Session]) -> dict[str, TestClient]:
    return {name: _client(sessions, name) for name in ("unit", "dept", "finance2")}


def test_a_returned_table_has_its_badge_in_the_list_and_a_banner_with_the_reason(
        clients: dict[str, TestClient]) -> None:
    page = clients["unit"].get(f"/projects/{RETURNED}").text
    banner = re.search(r'<div class="alert returned" role="alert" id="returned-banner">(.*?)</div>', page, re.S)
    assert banner is not None and 'id="returned-badge">已退回</span>' in page
    assert "主管部门审核人 政务服务管理办公室审核人" in banner.group(1) and RETURN_COMMENT in banner.group(1)
    assert 'id="returned-banner"' not in clients["unit"].get(f"/projects/{DRAFT}").text  # never returned
    rows = clients["dept"].get("/projects").text.split("<tr>")
    badged = {code for code in (RETURNED, DRAFT, APPROVED) for row in rows
              if f'href="/projects/{code}"' in row and "badge returned" in row}
    assert badged == {RETURNED}
    home = clients["unit"].get("/").text
    assert re.search(r'badge returned">已退回</span> <span class="muted">主管部门审核人 [^<]+：</span>', home)


def test_the_menu_counts_my_work(clients: dict[str, TestClient]) -> None:
    drafts = re.search(r"共 (\d+) 个项目", clients["unit"].get("/projects?state=draft").text)
    assert drafts is not None
    for name, expected in (("unit", drafts.group(1)), ("dept", "1")):  # the department: one submitted table
        page = clients[name].get("/projects").text
        assert f'id="nav-work">我的工作 <span class="nav-count">({expected})</span></a>' in page, name


def test_row_comments_name_their_row_and_the_audit_reads_as_sentences(clients: dict[str, TestClient]) -> None:
    dept = clients["dept"]
    page = dept.get(f"/projects/{RETURNED}").text
    done = dept.post(f"/projects/{RETURNED}/comment", data={"csrf_token": _csrf(page), "anchor": "row-1",
                                                            "text": "墨粉数量请说明测算依据"})
    assert done.status_code == 303
    page = clients["unit"].get(f"/projects/{RETURNED}").text
    assert "审核意见（第2行 · 产出指标/数量指标/墨粉消耗量，主管部门审核人 dept姓名）：墨粉数量请说明测算依据" in page
    assert 'class="anchor-label">第2行 · 产出指标/数量指标/墨粉消耗量</a>' in page
    trail = page[page.index('id="audit-h"'):]
    row = "第2行 · 产出指标/数量指标/墨粉消耗量"
    assert f"主管部门审核人 dept姓名 对第1版 {row} 提出审核意见：墨粉数量请说明测算依据" in trail
    assert f"主管部门审核人 政务服务管理办公室审核人 退回 第1版（主管部门审核中 → 草稿）：{RETURN_COMMENT}" in trail
    assert "&#34;state&#34;" not in trail and '{"' not in trail and "{&#34;" not in trail


def test_a_unit_withdraws_until_a_reviewer_opens_it_on_the_page_and_the_api(
        sessions: sessionmaker[Session], clients: dict[str, TestClient]) -> None:
    unit, dept = clients["unit"], clients["dept"]
    page = unit.get(f"/projects/{SUBMITTED}").text
    assert 'id="do-withdraw"' in page
    done = unit.post(f"/projects/{SUBMITTED}/transition", data={"csrf_token": _csrf(page), "action": "withdraw",
                                                                "expected_state": "submitted"})
    assert done.status_code == 303
    page = unit.get(f"/projects/{SUBMITTED}").text
    assert "已撤回：现为“草稿”（第1版）" in page
    unit.post(f"/projects/{SUBMITTED}/transition", data={"csrf_token": _csrf(page), "action": "submit",
                                                         "override_reason": "已说明"})
    assert dept.get(f"/projects/{SUBMITTED}").status_code == 200  # the department opens it
    page = unit.get(f"/projects/{SUBMITTED}").text
    assert 'id="do-withdraw"' not in page and "主管部门审核人 dept姓名 已打开本次提交，不能撤回" in page
    refused = unit.post(f"/projects/{SUBMITTED}/transition", data={"csrf_token": _csrf(page), "action": "withdraw"})
    assert refused.status_code == 409 and "已打开本次提交，不能撤回；如需修改，请联系审核人退回" in refused.text
    api = TestClient(create_app(AppContext(sessions)))
    token = {"Authorization": f"Bearer {issue_token(sessions, 'unit', 'test')}"}
    answer = api.post(f"/api/v1/projects/{SUBMITTED}/transitions", json={"action": "withdraw"}, headers=token)
    assert answer.status_code == 409 and "不能撤回" in answer.json()["error"]["message"]
    reviewer = {"Authorization": f"Bearer {issue_token(sessions, 'dept', 'test')}"}
    for action, who in (("start_review", reviewer), ("return", reviewer), ("submit", token)):
        body = {"action": action, "comment": "请修改", "override_reason": "已说明"}
        assert api.post(f"/api/v1/projects/{SUBMITTED}/transitions", json=body, headers=who).status_code == 200
    assert api.get(f"/api/v1/projects/{SUBMITTED}", headers=token).json()["actions"] == ["withdraw"]
    answer = api.post(f"/api/v1/projects/{SUBMITTED}/transitions", json={"action": "withdraw"}, headers=token)
    assert answer.status_code == 200 and answer.json()["to_state"] == "draft"
    assert api.get(f"/api/v1/projects/{SUBMITTED}", headers=token).json()["last_return"] is None  # withdrawn


def test_the_finance_bureau_sets_deadlines_that_every_home_page_shows(clients: dict[str, TestClient]) -> None:
    finance, unit = clients["finance2"], clients["unit"]
    page = finance.get("/deadlines?year=2022")
    assert page.status_code == 200 and _unlabeled(page.text) == [] and 'id="save-deadlines"' in page.text
    assert "<td>2022年度绩效自评</td><td>2023-03-31</td>" in page.text
    bad = finance.post("/deadlines", data={"csrf_token": _csrf(page.text), "year": "2022", "date-2": "2031-04-20"})
    assert bad.status_code == 422 and "离2022年度太远" in bad.text and 'value="2031-04-20"' in bad.text
    done = finance.post("/deadlines", data={"csrf_token": _csrf(page.text), "year": "2022", "date-0": "",
                                            "date-1": "", "date-2": "2023-04-20"})
    assert done.status_code == 303
    assert "已保存2022年度截止日期：绩效自评" in finance.get(done.headers["location"]).text
    home = unit.get("/").text
    item = re.search(r'<li class="overdue"><strong>2023-04-20</strong> 2022年度绩效自评(.*?)</li>', home, re.S)
    assert item is not None and "已逾期" in item.group(1) and "（财政部门调整）" in item.group(1)
    assert re.search(r'<li class="overdue"><strong>2021-10-31</strong> 2022年度绩效目标申报', home)  # not dropped
    shown = unit.get("/deadlines?year=2022").text
    assert 'id="save-deadlines"' not in shown and "<strong>2023-04-20</strong>" in shown
    assert unit.post("/deadlines", data={"csrf_token": _csrf(shown), "year": "2022",
                                         "date-2": "2023-05-01"}).status_code == 403


def test_the_project_trail_shows_the_self_evaluation(sessions: sessionmaker[Session],
                                                     clients: dict[str, TestClient]) -> None:
    from sqlalchemy import select

    from jixiao.services.permissions import Actor
    from jixiao.services.submissions import submit_self_evaluation
    from jixiao.storage.models import User

    with sessions() as session:
        user = session.scalars(select(User).where(User.username == "unit")).one()
    actuals = [{"indicator": name, "actual": value} for name, value in (
        ("区级依申请事项数", "1452"), ("乡镇依申请事项数", "196"), ("网上办事便利度", "92"), ("群众满意率", "96"))]
    done = submit_self_evaluation(sessions, Actor(user.id, Role.UNIT_EDITOR, user.organization_id), APPROVED,
                                  actuals, {"initial": "9.60", "adjusted": "9.60", "executed": "9.60"})
    page = clients["dept"].get(f"/projects/{APPROVED}").text
    trail = page[page.index('id="audit-h"'):]
    assert f"单位填报人 unit姓名 提交 绩效自评：{done['total']} 分（{done['grade']}）" in trail
