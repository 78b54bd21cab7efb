"""统计分析 in headless Chromium: each chart is drawn from the figures of the table below it, the tabs keep the
filters, and a row drills down to the project list (issue 16 §4)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jixiao.services.demo_region import load_region
from jixiao.storage.db import make_engine, session_factory
from tests.web.conftest import SCREENSHOTS, Server, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def test_the_charts_draw_the_tables_figures_and_drill_down(browser: object, server: Server) -> None:
    engine = make_engine(server.database)
    done = load_region(session_factory(engine), 60)
    engine.dispose()
    password = next(row[2] for row in done.accounts if row[0] == "demo_finance")
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill("demo_finance")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/analytics/money?year=2025")
    page.locator("#analytics-chart svg").wait_for()
    departments = page.locator("#analytics-table tbody th").all_inner_texts()
    assert departments
    labels = page.locator("#analytics-chart svg text").all_text_contents()
    assert all(any(name.startswith(label.rstrip(".…")) for label in labels) for name in departments[:3]), labels
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "analytics-money.png"), full_page=True)
    page.get_by_role("link", name="自评得分与执行率").click()
    page.wait_for_url(f"{server.url}/analytics/execution?year=2025")  # the tab keeps the filters
    page.locator("#analytics-chart svg").wait_for()
    counts = [text for text in page.locator("#analytics-chart svg text").all_text_contents() if text.isdigit()]
    totals = page.locator("#analytics-table tbody tr td:last-child").all_inner_texts()
    assert sum(map(int, counts)) == sum(map(int, totals)) > 0  # a bubble per cell, labelled with its count
    page.screenshot(path=str(SCREENSHOTS / "analytics-execution.png"), full_page=True)
    page.goto(f"{server.url}/analytics/money?year=2025")
    page.locator("#analytics-table tbody tr").first.get_by_role("link", name="查看项目").click()
    page.wait_for_url("**/projects?year=2025&department=*")
    assert page.locator("#results a[href^='/projects/5001992']").count() > 0
    assert errors == []
