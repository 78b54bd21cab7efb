"""跨年度 on the pages: the project page's link, history charts with their tables and the flags in its review;
the /history page with filters; the correction form (finance only). SQLite and PostgreSQL."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services import history_flags
from jixiao.services.accounts import add_user
from jixiao.services.permissions import Actor
from jixiao.web.pages import history as history_pages
from tests.storage.test_project_history import COPY, _years
from tests.storage.test_recheck_pages import PASSWORD, _client, _csrf


def test_the_project_page_shows_the_link_the_history_and_the_flags(sessions: sessionmaker[Session],
                                                                   actors: dict[str, Actor]) -> None:
    _years(sessions)
    add_user(sessions, "caizheng", PASSWORD, Role.FINANCE_REVIEWER, None, "区财政局预算科")
    add_user(sessions, "danwei", PASSWORD, Role.UNIT_EDITOR, "145001")
    finance, unit = _client(sessions, "caizheng"), _client(sessions, "danwei")
    page = unit.get(f"/projects/{COPY}")
    assert page.status_code == 200 and 'id="history-section"' in page.text
    assert "上年项目：" in page.text and "50011521T000000157087" in page.text and "项目编码序号相同" in page.text
    assert 'id="link-form"' not in page.text  # a unit may not correct the link
    assert page.text.count('class="chart history-chart"') == page.text.count('class="list compact history-table"') >= 3
    assert 'id="history-data"' in page.text and "echarts-6.1.0.min.js" in page.text
    table = re.search(r"纸张使用量（张）</figcaption>.*?</table>", page.text, re.S)
    assert table is not None and "<th scope=\"row\">2021</th><td>≥750000</td><td>800000</td>" in table.group()
    assert "目标低于上年且上年已超额完成" in page.text and "上年未完成的指标本年被删除" in page.text
    flags = unit.get("/history")
    assert flags.status_code == 200 and 'id="nav-history"' in flags.text
    assert "2022 年度：4 条" in flags.text and "复印机完好率" in flags.text
    one = unit.get("/history?year=2022&code=P009")
    assert "2022 年度：1 条" in one.text and "群众满意度" in one.text
    assert unit.get("/history?year=abc").status_code == 422
    assert unit.get("/history?code=X1").status_code == 422
    assert unit.post(f"/history/{quote(COPY)}/link", data={"csrf_token": _csrf(page.text), "reason": "x"}
                     ).status_code == 403
    mine = finance.get(f"/projects/{COPY}")
    assert 'id="link-form"' in mine.text
    token = _csrf(mine.text)
    refused = finance.post(f"/history/{quote(COPY)}/link", data={"csrf_token": token, "previous": "", "reason": ""})
    assert refused.status_code == 422 and "“理由”必填" in refused.text
    done = finance.post(f"/history/{quote(COPY)}/link", data={"csrf_token": token, "previous": "",
                                                               "reason": "新设项目"}, follow_redirects=True)
    assert done.status_code == 200 and "已取消与上年项目的关联" in done.text
    assert "没有找到本项目以前年度的项目" in done.text and 'id="history-data"' not in done.text
    assert "2022 年度：0 条" in finance.get("/history").text


def test_the_page_says_what_it_left_uncomputed_and_pages_long_lists(sessions: sessionmaker[Session],
                                                                     actors: dict[str, Actor],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _years(sessions)
    add_user(sessions, "caizheng", PASSWORD, Role.FINANCE_REVIEWER, None, "区财政局预算科")
    finance = _client(sessions, "caizheng")
    monkeypatch.setattr(history_flags, "PAGE_BUDGET_S", -1.0)  # no time at all: nothing is computed
    waiting = finance.get("/history?year=2022")
    assert waiting.status_code == 200 and 'id="history-pending"' in waiting.text
    assert "2022 年度：0 条" in waiting.text and "jixiao refresh" in waiting.text
    history_flags.refresh(sessions, year=2022)
    done = finance.get("/history?year=2022")
    assert 'id="history-pending"' not in done.text and "2022 年度：4 条" in done.text
    assert "P007 目标低于上年且上年已超额完成：1 条" in done.text
    monkeypatch.setattr(history_pages, "PAGE", 3)
    first, second = finance.get("/history?year=2022"), finance.get("/history?year=2022&page=2")
    assert "（第 1/2 页）" in first.text and "page=2" in first.text
    assert "（第 2/2 页）" in second.text and second.text.count('<span class="badge') == 1
