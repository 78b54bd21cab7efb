"""The finance bureau reopens a closed submission from the deadline page and from the project page (issue 18)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.services.context import AppContext
from jixiao.services.demo import load_demo
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.web.app import create_app
from tests.web.test_pages import DRAFT, PASSWORD, _csrf, _unlabeled

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('reopen') / 'jixiao.sqlite3'}")
    upgrade(engine)
    made = session_factory(engine)
    load_demo(made)
    for username, role, org in (("unit", Role.UNIT_EDITOR, "145001"), ("finance2", Role.FINANCE_REVIEWER, None)):
        add_user(made, username, PASSWORD, role, org, f"{username}姓名")
    yield made
    engine.dispose()


def _client(sessions: sessionmaker[Session], username: str) -> TestClient:
    client = TestClient(create_app(AppContext(sessions, clock=lambda: NOW)), follow_redirects=False)
    done = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/",
                                       "csrf_token": _csrf(client.get("/login").text)})
    assert done.status_code == 303, done.text
    return client


@pytest.mark.submission_window
def test_reopening_from_the_deadline_page_and_the_project_page(sessions: sessionmaker[Session]) -> None:
    finance, unit = _client(sessions, "finance2"), _client(sessions, "unit")
    late = unit.post(f"/projects/{DRAFT}/transition", data={
        "csrf_token": _csrf(unit.get(f"/projects/{DRAFT}").text), "action": "submit", "override_reason": "知悉"})
    assert late.status_code == 409 and "已过期" in late.text and "2021-10-31" in late.text
    page = finance.get("/deadlines?year=2022")
    assert page.status_code == 200 and 'id="reopen-form"' in page.text and _unlabeled(page.text) == []
    blank = finance.post("/deadlines/reopen", data={"csrf_token": _csrf(page.text), "year": "2022", "task": "targets",
                                                    "unit": "145001", "until": "2026-12-20", "reason": ""})
    assert blank.status_code == 422 and "必须填写理由" in blank.text
    done = finance.post("/deadlines/reopen", data={"csrf_token": _csrf(page.text), "year": "2022", "task": "selfeval",
                                                   "unit": "145001", "until": "2026-12-20", "reason": "系统故障"})
    assert done.status_code == 303
    shown = finance.get(done.headers["location"]).text
    assert "已为单位“145001”重新开放2022年度绩效自评的提交，至 2026-12-20" in shown and "系统故障" in shown
    project = finance.get(f"/projects/{DRAFT}").text
    assert 'id="project-reopen"' in project and _unlabeled(project) == []
    assert 'id="project-reopen"' not in unit.get(f"/projects/{DRAFT}").text
    again = finance.post("/deadlines/reopen", data={"csrf_token": _csrf(project), "year": "2022", "task": "targets",
                                                    "project": DRAFT, "until": "2026-12-05", "reason": "补报",
                                                    "back": "project"})
    assert again.status_code == 303 and again.headers["location"] == f"/projects/{DRAFT}"
    handed = unit.post(f"/projects/{DRAFT}/transition", data={
        "csrf_token": _csrf(unit.get(f"/projects/{DRAFT}").text), "action": "submit", "override_reason": "知悉"})
    assert handed.status_code == 303
    refused = unit.post("/deadlines/reopen", data={"csrf_token": _csrf(page.text), "year": "2022", "task": "targets",
                                                   "unit": "145001", "until": "2026-12-20", "reason": "自己开"})
    assert refused.status_code == 403


def test_reviewing_a_self_evaluation_and_correcting_it_on_the_pages(sessions: sessionmaker[Session]) -> None:
    from sqlalchemy import select

    from jixiao.services.permissions import Actor
    from jixiao.services.submissions import submit_self_evaluation
    from jixiao.storage.models import User
    from tests.web.test_pages import APPROVED

    add_user(sessions, "dept", PASSWORD, Role.DEPARTMENT_REVIEWER, "145", "dept姓名")
    with sessions() as session:
        user = session.scalars(select(User).where(User.username == "unit")).one()
    actuals = [{"indicator": name, "actual": value} for name, value in (
        ("区级依申请事项数", "1452"), ("乡镇依申请事项数", "196"), ("网上办事便利度", "92"), ("群众满意率", "96"))]
    record = submit_self_evaluation(sessions, Actor(user.id, Role.UNIT_EDITOR, user.organization_id), APPROVED,
                                    actuals, {"initial": "9.60", "adjusted": "9.60", "executed": "9.50"})["id"]
    unit, dept = _client(sessions, "unit"), _client(sessions, "dept")
    page = dept.get(f"/projects/{APPROVED}/selfeval").text
    assert 'id="selfeval-review"' in page and _unlabeled(page) == [] and "待审核" in page
    assert 'id="selfeval-review"' not in unit.get(f"/projects/{APPROVED}/selfeval").text
    returned = dept.post(f"/projects/{APPROVED}/selfeval/{record}/review",
                         data={"csrf_token": _csrf(page), "action": "return"})
    assert returned.status_code == 409 and "必须填写意见" in returned.text
    done = dept.post(f"/projects/{APPROVED}/selfeval/{record}/review",
                     data={"csrf_token": _csrf(page), "action": "approve"})
    assert done.status_code == 303
    shown = unit.get(f"/projects/{APPROVED}/selfeval").text
    assert 'id="correction-form"' in shown and "实际完成值已锁定" in shown and _unlabeled(shown) == []
    asked = unit.post(f"/projects/{APPROVED}/selfeval/{record}/correction", data={
        "csrf_token": _csrf(shown), "field": "executed", "new_value": "9.60", "reason": "漏记一笔支付"})
    assert asked.status_code == 303
    listed = dept.get(f"/projects/{APPROVED}/selfeval").text
    assert "9.50 → 9.60" in listed and "待审批" in listed and _unlabeled(listed) == []
    found = re.search(r'action="/corrections/(\d+)/decision"', listed)
    assert found is not None
    approved = dept.post(f"/corrections/{found.group(1)}/decision",
                         data={"csrf_token": _csrf(listed), "approve": "1", "comment": "凭证无误"})
    assert approved.status_code == 303
    assert "已批准并更正" in unit.get(f"/projects/{APPROVED}/selfeval").text
