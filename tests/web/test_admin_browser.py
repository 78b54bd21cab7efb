"""In Chromium, against a real ``jixiao serve``: an administrator adds a user in 管理, the user signs in and changes
the password, and only the new one works afterwards. The users page is photographed at 1280 px."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.storage.db import make_engine, session_factory
from tests.web.conftest import Server
from tests.web.test_journey import _page, _shot, browser

__all__ = ["browser"]  # the module's one browser (a fixture of test_journey)

ADMIN_PASSWORD = "admin-journey-password-1"
FIRST, SECOND = "wangwu-first-password", "wangwu-second-password"


@pytest.fixture(scope="module")
def admin_server(server: Server) -> Iterator[Server]:
    engine = make_engine(server.database)
    add_user(session_factory(engine), "boss", ADMIN_PASSWORD, Role.ADMIN, None, "系统管理员")
    engine.dispose()
    yield server


def _sign_in(page: object, server: Server, username: str, password: str) -> None:
    page.goto(f"{server.url}/login")  # type: ignore[attr-defined]
    page.get_by_label("用户名").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("密码").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]


def test_an_admin_adds_a_user_who_signs_in_and_changes_the_password(browser: object, admin_server: Server) -> None:
    server = admin_server
    page = _page(browser, server)
    _sign_in(page, server, "boss", ADMIN_PASSWORD)
    page.wait_for_url(f"{server.url}/")
    page.get_by_role("link", name="管理").click()
    page.wait_for_url(re.compile(r"/admin/users$"))
    page.get_by_label("用户名", exact=True).fill("wangwu")
    page.get_by_label("显示名称").fill("王五")
    page.get_by_label("角色", exact=True).select_option(label="单位填报人")
    page.get_by_label("所属单位或部门编码", exact=True).fill("145")  # a department: refused, with the reason, kept
    page.get_by_label("初始密码").fill(FIRST)
    page.get_by_role("button", name="新建账号").click()
    assert "单位填报人的所属单位应为预算单位" in page.locator("#admin-error").inner_text()
    assert page.get_by_label("用户名", exact=True).input_value() == "wangwu"
    page.get_by_label("所属单位或部门编码", exact=True).fill("145001")
    page.get_by_label("初始密码").fill(FIRST)
    page.get_by_role("button", name="新建账号").click()
    assert page.locator("#flash").inner_text() == "已新建账号 wangwu（单位填报人）"
    row = page.locator("#users tr", has_text="wangwu")
    assert "王五" in row.inner_text() and "重庆市长寿区政务服务管理办公室（本级）" in row.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the users page is {width}px wide at 1280"
    _shot(page, "admin-users-1280")
    page.get_by_role("button", name="退出").click()

    _sign_in(page, server, "wangwu", FIRST)
    page.wait_for_url(f"{server.url}/")
    assert page.get_by_role("link", name="管理").count() == 0  # not an administrator: no 管理 menu
    page.get_by_role("link", name="更改密码").click()
    page.get_by_label("原密码").fill(FIRST)
    page.get_by_label("新密码", exact=True).fill(SECOND)
    page.get_by_label("再输入一次新密码").fill(SECOND)
    page.get_by_role("button", name="修改密码").click()
    assert "密码已修改" in page.locator("#flash").inner_text()
    page.get_by_role("button", name="退出").click()
    _sign_in(page, server, "wangwu", FIRST)
    assert "用户名或密码不正确" in page.locator("main").inner_text()
    _sign_in(page, server, "wangwu", SECOND)
    page.wait_for_url(f"{server.url}/")
    assert page.outside_requests == []  # type: ignore[attr-defined]
