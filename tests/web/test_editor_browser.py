"""The editor in headless Chromium: it saves a table of 150 indicators (the page's script posts one JSON field),
and its indicator grid fits (issue 13, point 9): at 1280 px every field and row button of the grid can be seen
and clicked, at 375 px the page is no wider than the phone (rows become cards), the header stays in view while
the rows scroll, and a new row's 指标方向性 follows its 指标性质 (the domain's default)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from jixiao.domain.workflow import Role
from jixiao.services import queries
from jixiao.services.imports import import_bytes
from jixiao.services.permissions import Actor
from jixiao.storage.db import make_engine, session_factory
from tests.web.conftest import PASSWORD, SCREENSHOTS, Server, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")

CODE = "50011522T000000132376"  # 免费邮寄
LAYOUT_CODE = "50011522T000000132359"  # 网络通讯: four indicators, the first of target 2
ROWS = 150
FILL = """(count) => {
  document.querySelectorAll("#indicator-rows .remove-row").forEach((b) => b.click());
  const add = document.getElementById("add-row");
  for (let i = 0; i < count; i++) add.click();
  const choose = (el, value) => {
    if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === value)) el.add(new Option(value, value));
    el.value = value;  /* no event per cell: one "input" at the end updates the total and the live check */
  };
  document.querySelectorAll("#indicator-rows tr").forEach((row, n) => {
    const values = {level1: "产出指标", level2: "数量指标", name: "指标" + String(n).padStart(3, "0"), operator: "≥",
                    target: String(n), unit_of_measure: "件", weight: "0.6", direction: "正向指标"};
    Object.entries(values).forEach(([name, value]) => choose(row.querySelector(`[name="${name}"]`), value));
  });
  document.getElementById("total_wan").value = "40.00";
  document.getElementById("execution_weight").value = "10";
  document.getElementById("fiscal").value = "40.00";
  document.getElementById("total_wan").dispatchEvent(new Event("input", {bubbles: true}));
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def test_the_editor_saves_150_indicators_from_the_browser(browser: object, server: Server) -> None:
    engine = make_engine(server.database)
    sessions = session_factory(engine)
    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    assert import_bytes(sessions, seed, "seed.txt").status in ("imported", "unchanged")
    page = browser.new_context(locale="zh-CN").new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(20_000)
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/projects/{CODE}/edit")
    page.evaluate(FILL, ROWS)
    assert page.locator("#weight-total").inner_text() == "90"
    posted: list[str] = []
    page.on("request", lambda request: posted.append(request.post_data or "")
            if request.method == "POST" and request.url.endswith("/edit") else None)
    page.get_by_role("button", name="保存").click()
    page.locator("#flash").wait_for()
    assert "已保存为第2版" in page.locator("#flash").inner_text()
    assert posted and posted[0].count("&") == 2  # csrf_token, version and the one document field
    with sessions() as session:
        table = queries.show_project(session, Actor(None, Role.ADMIN, None), CODE)["table"]
    engine.dispose()
    assert [row["name"] for row in table["indicators"]] == [f"指标{n:03d}" for n in range(ROWS)]


def _seeded(server: Server) -> None:
    engine = make_engine(server.database)
    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    assert import_bytes(session_factory(engine), seed, "seed.txt").status in ("imported", "unchanged")
    engine.dispose()


# Controls of the grid that cannot be seen where they claim to be: off the viewport, or covered / clipped
# (elementFromPoint at their centre, once scrolled vertically into view, is not them).
HIDDEN = """() => {
  const out = [];
  const controls = document.querySelectorAll("#indicator-rows input, #indicator-rows select, #indicator-rows button");
  for (const el of controls) {
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 250);
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const inside = r.left >= 0 && r.right <= window.innerWidth && r.width > 0;
    if (!inside || !(hit === el || el.contains(hit))) out.push((el.id || el.className) + " @" + Math.round(r.left));
  }
  return out;
}"""


@pytest.fixture(scope="module")
def signed_in(browser: Any, server: Server) -> Iterator[Any]:
    """One signed-in browser context for the layout tests (a login costs a password hash)."""
    _seeded(server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server.url}/")
    page.close()
    yield context
    context.close()


@pytest.fixture
def open_editor(signed_in: Any, server: Server) -> Iterator[Any]:
    """The editor of LAYOUT_CODE at a width, with a new, empty fifth row; its unsaved copy is dropped after."""
    pages: list[Any] = []

    def opened(width: int) -> Any:
        page = signed_in.new_page()
        pages.append(page)
        page.set_default_timeout(15_000)
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{server.url}/projects/{LAYOUT_CODE}/edit")
        page.locator("#add-row").click()
        return page

    yield opened
    for page in pages:
        page.evaluate("localStorage.clear()")
        page.close()


def test_at_1280_px_every_field_and_button_of_the_grid_is_on_screen(open_editor: Any) -> None:
    page = open_editor(1280)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.evaluate(HIDDEN) == []
    # the header stays at the top of the window while the rows of a long table scroll under it
    page.evaluate("for (let i = 0; i < 12; i++) document.getElementById('add-row').click()")
    page.evaluate("window.scrollTo(0, document.querySelector('#indicator-rows tr:nth-child(3)')"
                  ".getBoundingClientRect().top + window.scrollY)")
    header = page.locator("table.edit-rows thead").bounding_box()
    assert header is not None and abs(header["y"]) < 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "editor-1280.png"), full_page=True)


def test_a_new_rows_direction_follows_its_operator_until_chosen_by_hand(open_editor: Any) -> None:
    page = open_editor(1280)
    direction = page.locator("#row-4-direction")
    assert direction.input_value() == ""
    page.locator("#row-4-operator").select_option("≤")
    assert direction.input_value() == "反向指标"
    page.locator("#row-4-operator").select_option("≥")
    assert direction.input_value() == "正向指标"  # still the default: it follows
    page.locator("#row-4-operator").select_option("定量（其他）")
    assert direction.input_value() == ""  # no default for it: the user chooses
    direction.select_option("反向指标")  # chosen by hand …
    page.locator("#row-4-operator").select_option("=")
    assert direction.input_value() == "反向指标"  # … is kept
    page.locator("#row-4-target").fill("12")
    page.locator("#row-4-weight").fill("5")
    assert page.locator("#row-4-current_target").input_value() == "12"
    assert page.locator("#row-4-current_weight").input_value() == "5"
    assert page.locator("#row-0-current_target").input_value() == "2"  # a filled one is never overwritten
    page.locator("#row-0-target").fill("3")
    assert page.locator("#row-0-current_target").input_value() == "2"
    assert page.locator("#weight-total").inner_text() == "95"


def test_at_375_px_the_rows_are_cards_and_the_page_fits(open_editor: Any) -> None:
    page = open_editor(375)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} px wide"
    assert page.evaluate(HIDDEN) == []
    assert page.get_by_label("指标方向性").first.is_visible()
    label = page.locator("label[for='row-0-weight']")
    box = label.bounding_box()
    assert box is not None and box["width"] > 20  # each card shows its labels
    page.screenshot(path=str(SCREENSHOTS / "editor-375.png"), full_page=True)
