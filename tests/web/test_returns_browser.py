"""A returned table in headless Chromium: the badge and the banner with the reason are what the unit sees first."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest
from sqlalchemy import select

from jixiao.domain.workflow import Action, Role
from jixiao.services.imports import import_bytes
from jixiao.services.permissions import Actor
from jixiao.services.workflow import comment, transition
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.models import User
from tests.web.conftest import PASSWORD, SCREENSHOTS, Server, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")

CODE = "50011522T000000157087"  # 免费复印
REASON = "年度目标所列费用合计与项目总额不符，请核实后重报"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def _returned(server: Server) -> None:
    engine = make_engine(server.database)
    sessions = session_factory(engine)
    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    assert import_bytes(sessions, seed, "seed.txt").status in ("imported", "unchanged")
    with sessions() as session:
        people = {u.username: Actor(u.id, Role(u.role), u.organization_id) for u in session.scalars(select(User))}
    transition(sessions, people["editor"], CODE, Action.SUBMIT)
    transition(sessions, people["reviewer"], CODE, Action.START_REVIEW)
    comment(sessions, people["reviewer"], CODE, "墨粉消耗量偏高，请说明", indicator=1)
    transition(sessions, people["reviewer"], CODE, Action.RETURN, REASON)
    engine.dispose()


def test_the_unit_sees_the_returned_badge_and_the_reason_first(browser: object, server: Server) -> None:
    _returned(server)
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(20_000)
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server.url}/")
    assert page.locator("#nav-work").inner_text().startswith("我的工作 (")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home-returned-1280.png"), full_page=True)
    page.goto(f"{server.url}/projects/{CODE}")
    banner, badge = page.locator("#returned-banner"), page.locator("#returned-badge")
    assert banner.is_visible() and badge.is_visible() and badge.inner_text() == "已退回"
    assert REASON in banner.inner_text() and "主管部门审核人 政务服务办审核人" in banner.inner_text()
    box = banner.bounding_box()
    assert box is not None and box["y"] + box["height"] < 900  # in the first screen, not below the table
    colours = badge.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert colours[0] == "rgb(255, 255, 255)" and colours[1] != "rgba(0, 0, 0, 0)"  # a filled badge
    assert "第2行 · 产出指标/数量指标/墨粉消耗量" in page.locator("#row-1 + tr.row-notes").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "project-returned-1280.png"), full_page=False)
    page.goto(f"{server.url}/projects")
    row = page.locator("tr", has=page.locator(f'a[href="/projects/{CODE}"]')).first
    assert row.locator(".badge.returned").inner_text() == "已退回"
