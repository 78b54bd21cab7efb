"""The editor in headless Chromium saves a table of 150 indicators (the page's script posts one JSON field)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest

from jixiao.domain.workflow import Role
from jixiao.services import queries
from jixiao.services.imports import import_bytes
from jixiao.services.permissions import Actor
from jixiao.storage.db import make_engine, session_factory
from tests.web.conftest import PASSWORD, Server, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 是 dev 依赖，make test 会安装")

CODE = "50011522T000000132376"  # 免费邮寄
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
