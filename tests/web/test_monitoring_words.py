"""The 运行监控 form in the page's own words (review13 defect 7): a missing value said once, beside its field,
not as “缺少监控完成情况：项目…没有对应的监控完成情况行”; no import wording (“该行未使用”); amounts named by
the form's labels; a negative 累计执行数 refused; months as “1月”…“12月”. The demo region of
tests/web/test_pages.py, in the unit's role."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session, sessionmaker

from tests.web.test_integrity_pages import _notes
from tests.web.test_pages import APPROVED, _client, _csrf, sessions

__all__ = ["sessions"]  # the module's database, shared with test_pages

INDICATORS = 4  # 技术服务 has four


def _said(html: str) -> str:
    """What the reader sees: the text without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_monitoring_form_speaks_the_pages_words(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{APPROVED}/monitoring").text
    assert re.findall(r'<option value="\d+" ?(?:selected)?>([^<]*)</option>', page)[:12] == [
        f"{m}月" for m in range(1, 13)]
    started = unit.post(f"/projects/{APPROVED}/monitoring/preview", data={"month": "6", "adjusted": "9.6"}).text
    notes = _notes(started)
    assert [notes[f"to_date-{n}"] for n in range(INDICATORS)] == ["未填写累计完成值"] * INDICATORS
    assert notes["executed_to_date"].startswith("未填写累计执行数") and notes["adjusted"] == ""
    text = _said(started)
    assert "缺少监控完成情况" not in text and "没有对应的" not in text and "没有填报累计完成值" not in text
    assert text.count("未填写累计完成值") == INDICATORS  # once each, beside its field

    wrong = unit.post(f"/projects/{APPROVED}/monitoring/preview", data={
        "month": "6", "adjusted": "abc", "executed_to_date": "-3", "to_date-0": "abc", "to_date-1": "700"}).text
    notes = _notes(wrong)
    assert notes["adjusted"] == "“全年预算数”填写的“abc”不是数字（万元）"
    assert notes["executed_to_date"] == "“累计执行数”为 -3，金额不能为负数（万元）"
    assert notes["to_date-0"].startswith("累计完成值应为数字（度量单位为“项”")
    assert notes["forecast-1"] == "未填写全年预计完成值"
    assert "该行未使用" not in wrong and "截至目前执行数" not in wrong

    refused = unit.post(f"/projects/{APPROVED}/monitoring", data={
        "csrf_token": _csrf(page), "month": "6", "adjusted": "9.6", "executed_to_date": "-3"})
    assert refused.status_code == 422
    error = re.findall(r'id="submit-error">([^<]*)', refused.text)[0]
    assert error.endswith("未保存（见各栏旁的说明）"), error  # not a list of import messages
    notes = _notes(refused.text)
    assert notes["executed_to_date"] == "“累计执行数”为 -3，金额不能为负数（万元）"
    assert [notes[f"to_date-{n}"] for n in range(INDICATORS)] == ["未填写累计完成值"] * INDICATORS
