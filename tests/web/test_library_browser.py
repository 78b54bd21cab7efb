"""The editor in headless Chromium suggests indicator-library entries while a name is typed (htmx), with the
range comparable projects set, and choosing one fills the row's 一级/二级指标, unit and direction (issue 16 §2)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest

from jixiao.services import library_build
from jixiao.services.imports import import_bytes
from jixiao.storage.db import make_engine, session_factory
from tests.storage.library_data import add_approved
from tests.web.conftest import PASSWORD, SCREENSHOTS, Server, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")

CODE = "50011522T000000132359"  # a draft of the seed, the editor's unit
RANGE = "可比项目设定 92–98%（中位数 95%，9 个项目）"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def test_typing_a_name_suggests_a_library_entry_with_its_range(browser: object, server: Server) -> None:
    engine = make_engine(server.database)
    sessions = session_factory(engine)
    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    assert import_bytes(sessions, seed, "seed.txt").status in ("imported", "unchanged")
    add_approved(sessions)
    library_build.build(sessions)
    engine.dispose()
    page = browser.new_context(locale="zh-CN").new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(20_000)
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/projects/{CODE}/edit")
    page.locator("#add-row").click()
    row = page.locator("#indicator-rows tr").last
    row.locator('[name="name"]').press_sequentially("群众满意", delay=40)
    choice = row.locator(".library-choice").first
    choice.wait_for()
    assert "服务对象满意度" in choice.inner_text() and RANGE in choice.inner_text()
    assert "满意度指标 / 服务对象满意度指标" in choice.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "editor-library-suggestion.png"))
    choice.locator(".library-use").click()
    assert row.locator('[name="name"]').input_value() == "服务对象满意度"
    assert row.locator('[name="level1"]').input_value() == "满意度指标"
    assert row.locator('[name="level2"]').input_value() == "服务对象满意度指标"
    assert row.locator('[name="unit_of_measure"]').input_value() == "%"
    assert row.locator('[name="direction"]').input_value() == "正向指标"
    assert row.locator(".library-choice").count() == 0  # the suggestions closed
    # a target below the comparable range: the live check (rule P006) says so with the figures
    row.locator('[name="target"]').fill("90")
    row.locator('[name="weight"]').fill("5")
    page.locator("#findings").get_by_text("低于可比项目的下四分位数 92%").wait_for()
