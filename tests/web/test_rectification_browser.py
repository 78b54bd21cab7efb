"""整改 in headless Chromium, from a finding to a confirmed item: the department's reviewer makes an item from a
review finding on the project page, the unit sees the reminder on its home page and responds with an evidence
file, the reviewer confirms it in place (htmx). Screenshots go to build/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from jixiao.services.imports import import_bytes
from jixiao.storage.db import make_engine, session_factory
from tests.test_cli import SEED
from tests.web.conftest import PASSWORD, SCREENSHOTS, Server, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def _signed_in(browser: object, server: Server, username: str, errors: list[str]) -> object:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server.url}/")
    return page


def test_a_finding_becomes_a_confirmed_rectification(browser: object, server: Server) -> None:
    engine = make_engine(server.database)
    assert import_bytes(session_factory(engine), SEED.read_bytes(), "seed.txt").status in ("imported", "unchanged")
    engine.dispose()
    errors: list[str] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    reviewer = _signed_in(browser, server, "reviewer", errors)
    reviewer.goto(f"{server.url}/projects")  # type: ignore[attr-defined]
    codes = reviewer.locator("a[href^='/projects/5']").evaluate_all(  # type: ignore[attr-defined]
        "links => links.map(link => link.getAttribute('href'))")
    for href in codes:
        reviewer.goto(f"{server.url}{href}")  # type: ignore[attr-defined]
        if reviewer.locator(".rect-make").count():  # type: ignore[attr-defined]
            break
    finding = reviewer.locator(".finding").filter(has=reviewer.locator(".rect-make")).first  # type: ignore[attr-defined]
    rule = finding.locator(".badge").inner_text().split()[-1]
    finding.locator(".rect-make").click()
    reviewer.wait_for_url(re.compile(r"/rectifications/new"))  # type: ignore[attr-defined]
    chosen = reviewer.locator("input[name=pick]:checked")  # type: ignore[attr-defined]
    assert chosen.count() == 1 and rule in reviewer.locator(f"label[for={chosen.get_attribute('id')}]").inner_text()  # type: ignore[attr-defined]
    reviewer.get_by_label("整改要求（必填）").fill("按《绩效目标编制指引》改写该指标，补充可衡量的指标值")  # type: ignore[attr-defined]
    reviewer.get_by_label("整改期限").fill((date.today() + timedelta(days=30)).isoformat())  # type: ignore[attr-defined]
    reviewer.locator("#do-create").click()  # type: ignore[attr-defined]
    reviewer.wait_for_url(re.compile(r"/rectifications/\d+$"))  # type: ignore[attr-defined]
    assert "已生成整改事项" in reviewer.locator("#flash").inner_text()  # type: ignore[attr-defined]
    item_url = reviewer.url  # type: ignore[attr-defined]
    assert "待整改" in reviewer.locator("#rect-state").inner_text()  # type: ignore[attr-defined]
    assert rule in reviewer.locator("#rect-finding").inner_text()  # type: ignore[attr-defined]

    unit = _signed_in(browser, server, "editor", errors)
    assert "未完成的整改事项 1 项" in unit.locator("#rect-reminder").inner_text()  # type: ignore[attr-defined]
    unit.screenshot(path=str(SCREENSHOTS / "rectification-home-1280.png"), full_page=True)  # type: ignore[attr-defined]
    unit.locator("#rect-reminders a").first.click()  # type: ignore[attr-defined]
    unit.wait_for_url(item_url)  # type: ignore[attr-defined]
    unit.locator("#do-respond").click()  # type: ignore[attr-defined]
    unit.locator("#rect-error").filter(has_text="必须填写整改情况说明").wait_for()  # type: ignore[attr-defined]
    unit.get_by_label("整改情况说明（必填）").fill("已按要求改写指标，附修改说明")  # type: ignore[attr-defined]
    unit.locator("#respond-files").set_input_files(  # type: ignore[attr-defined]
        [{"name": "整改说明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
    unit.locator("#do-respond").click()  # type: ignore[attr-defined]
    unit.locator("#flash").filter(has_text="已提交整改情况（1 个佐证材料）").wait_for()  # type: ignore[attr-defined]
    assert "待确认" in unit.locator("#rect-state").inner_text()  # type: ignore[attr-defined]
    assert unit.locator("#confirm-form").count() == 0  # type: ignore[attr-defined]

    reviewer.goto(item_url)  # type: ignore[attr-defined]
    assert "整改说明.pdf" in reviewer.locator("#rect-files").inner_text()  # type: ignore[attr-defined]
    reviewer.screenshot(path=str(SCREENSHOTS / "rectification-item-1280.png"), full_page=True)  # type: ignore[attr-defined]
    reviewer.locator("#do-confirm").click()  # type: ignore[attr-defined]
    reviewer.locator("#rect-state").filter(has_text="已完成").wait_for()  # type: ignore[attr-defined]
    assert "确认完成" in reviewer.locator("#rect-history").inner_text()  # type: ignore[attr-defined]
    assert reviewer.url == item_url  # swapped in place by htmx  # type: ignore[attr-defined]

    unit.goto(f"{server.url}/rectifications")  # type: ignore[attr-defined]
    assert "已完成" in unit.locator("#rectifications").inner_text()  # type: ignore[attr-defined]
    unit.goto(f"{server.url}/")  # type: ignore[attr-defined]
    assert unit.locator("#rect-reminder").count() == 0  # type: ignore[attr-defined]
    assert errors == []
