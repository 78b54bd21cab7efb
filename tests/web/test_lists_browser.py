"""The project page's official table and the overview in Chromium at 1280 and 375 px (issue 13 point 13).

At 1280 px next to the side column no header cell and no short cell ("产出指标", "正向指标") wraps and the
table fits; at 375 px the page is no wider than the phone and the table scrolls inside its own container.
Screenshots go to build/screenshots for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jixiao.services.demo import load_demo
from jixiao.storage.db import make_engine, session_factory
from tests.web.conftest import PASSWORD, SCREENSHOTS, Server, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")

APPROVED = "50011522T000000132369"  # 技术服务, approved in the demo story
MEASURE = """() => {
  const lines = (el) => {  /* lines of the cell's text (a cell itself is as tall as its row) */
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size;
  };
  const wrapped = [...document.querySelectorAll(
      "table.indicators thead th, table.indicators td.c-level1, table.indicators td.c-direction, " +
      "table.indicators td.c-operator, table.indicators td.c-weight")]
    .filter((el) => lines(el) > 1).map((el) => el.textContent.trim());
  const box = document.querySelector(".table-scroll");
  return {page: document.documentElement.scrollWidth, view: window.innerWidth, wrapped: wrapped,
          box: box.clientWidth, table: box.scrollWidth};
}"""


@pytest.fixture(scope="module")
def signed_in(server: Server) -> Iterator[object]:
    engine = make_engine(server.database)
    load_demo(session_factory(engine))  # the conftest's finance bureau (500115) approves in the story
    engine.dispose()
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{server.url}/login")
        page.get_by_label("用户名").fill("finance")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{server.url}/")
        yield page
        browser.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_official_table_is_readable_next_to_the_side_column_and_on_a_phone(signed_in: object, server: Server,
                                                                              width: int) -> None:
    page = signed_in
    page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server.url}/projects/{APPROVED}")  # type: ignore[attr-defined]
    found = page.evaluate(MEASURE)  # type: ignore[attr-defined]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"project-{width}.png"), full_page=True)  # type: ignore[attr-defined]
    assert found["page"] <= found["view"], found  # the page never scrolls sideways
    if width == 1280:
        assert found["wrapped"] == [] and found["table"] <= found["box"], found
    else:
        assert found["table"] > found["box"], found  # the table scrolls inside its container
    assert "财政部门审核人" in page.locator(".user-label").inner_text()  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_overview_fits_the_screen(signed_in: object, server: Server, width: int) -> None:
    page = signed_in
    page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server.url}/overview")  # type: ignore[attr-defined]
    page.locator("#chart-states canvas, #chart-states svg").first.wait_for()  # type: ignore[attr-defined]
    page.screenshot(path=str(SCREENSHOTS / f"overview-{width}.png"), full_page=True)  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined]


OVERVIEW_LAYOUT = """() => {
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size;
  };
  const wrapped = [...document.querySelectorAll(".charts table th")].filter((el) => lines(el) > 1)
    .map((el) => el.textContent.trim());
  const pie = document.querySelector("#chart-findings");
  const box = pie.getBoundingClientRect();
  const cut = [...pie.querySelectorAll("svg text")].filter((t) => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || t.textContent.includes("…"));
  }).map((t) => t.textContent);
  const label = document.querySelector(".user-label");
  return {wrapped: wrapped, cut: cut, texts: pie.querySelectorAll("svg text").length,
          label: lines(label), clipped: label.scrollWidth > label.clientWidth,
          header: document.querySelector("header.top").getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_overview_labels_are_whole_and_the_user_label_is_one_line(signed_in: object, server: Server,
                                                                      width: int) -> None:
    page = signed_in
    page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server.url}/overview")  # type: ignore[attr-defined]
    page.locator("#chart-findings svg text").first.wait_for()  # type: ignore[attr-defined]
    found = page.evaluate(OVERVIEW_LAYOUT)  # type: ignore[attr-defined]
    assert found["wrapped"] == [] and found["cut"] == [] and found["texts"] > 0, found
    assert found["label"] == 1, found  # on a phone too: cut with an ellipsis, the title has the whole name
