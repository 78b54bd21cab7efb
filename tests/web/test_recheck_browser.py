"""A 复核 in headless Chromium, from sample to report: the finance bureau draws a sample of the year's published
self-evaluations, re-scores a row (refused without a reason, then saved in place by htmx), finishes the table
and opens the report. Screenshots go to build/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from jixiao.services.imports import import_bytes
from jixiao.storage.db import make_engine, session_factory
from tests.selfeval_docs import as_bytes, document, filled, seed_tables, with_scores
from tests.test_cli import SEED
from tests.web.conftest import PASSWORD, SCREENSHOTS, Server, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")

COPY = "50011522T000000157087"  # 免费复印: published with a target met yet 5 points deducted


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def _published(server: Server) -> None:
    engine = make_engine(server.database)
    sessions = session_factory(engine)
    assert import_bytes(sessions, SEED.read_bytes(), "seed.txt").status in ("imported", "unchanged")
    others = [document(filled(code)) for code in seed_tables() if code != COPY]
    done = import_bytes(sessions, as_bytes(*others, with_scores(COPY, {0: "15"}, total="94.80")), "自评表.json")
    assert done.status in ("imported", "unchanged"), done.diagnostics
    engine.dispose()


def test_a_recheck_from_sample_to_report(browser: object, server: Server) -> None:
    _published(server)
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill("finance")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server.url}/")
    page.locator("#nav-recheck").click()
    page.get_by_label("年度").fill("2022")
    page.get_by_label("样本量（张）").fill("9")
    page.get_by_label("随机种子（可不填）").fill("11")
    page.get_by_role("button", name="抽取样本").click()
    page.wait_for_url(re.compile(r"/recheck/\d+$"))
    assert "随机种子 11" in page.locator("#flash").inner_text()
    rows = page.locator("#sample-items tbody tr")
    assert rows.count() == 9 and "按风险抽取：风险分" in page.locator("#sample-items").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "recheck-sample-1280.png"), full_page=True)

    page.get_by_role("link", name="免费复印").click()
    page.locator("#rescore-form").wait_for()
    assert page.locator("#score-indicator-0").input_value() == "15"
    assert page.locator("#published-selfeval .finding").count() > 0  # the audit findings in place
    page.locator("#score-indicator-0").fill("20")
    page.locator("#save-scores").click()
    page.locator("#rescore-error").filter(has_text="必须填写「复核理由」").wait_for()
    assert page.locator("#score-indicator-0").input_value() == "20"  # what was typed is kept
    page.locator("#reason-indicator-0").fill("目标已完成，应得满分")
    page.locator("#save-scores").click()
    page.locator("#recheck-total").filter(has_text="99.80").wait_for()
    assert page.locator("#rescore-error").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "recheck-item-1280.png"), full_page=True)
    page.locator("#do-complete").click()
    page.wait_for_url(re.compile(r"/recheck/\d+$"))
    assert "复核总分 99.80 分（优）" in page.locator("#flash").inner_text()

    page.locator("#report-html").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "2022年度绩效自评复核报告" in text and "目标已完成，应得满分" in text
    assert "重庆市长寿区政务服务管理办公室（本级）" in text and "94.80" in text and "99.80" in text
    page.screenshot(path=str(SCREENSHOTS / "recheck-report-1280.png"), full_page=True)
    assert errors == []
