"""The self-evaluation and monitoring forms: only on approved tables; an empty form says nothing; each missing
value once, beside its field; a number written with the indicator's unit is read (and said so); the form comes back
as it was last submitted; the 自评表's funding and 实际完成情况 cells can be filled in."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session, sessionmaker

from tests.web.test_pages import APPROVED, DRAFT, _client, _csrf, sessions

__all__ = ["sessions"]  # the module's database, shared with test_pages


def test_a_draft_cannot_be_self_evaluated_or_monitored(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    for kind in ("selfeval", "monitoring"):
        page = unit.get(f"/projects/{DRAFT}/{kind}")
        assert page.status_code == 200 and 'id="not-approved"' in page.text and "尚未批复" in page.text
        assert f'id="{kind}-form"' not in page.text  # the reason instead of the form
        preview = unit.post(f"/projects/{DRAFT}/{kind}/preview", data={"adjusted": "40", "actual-0": "100"})
        assert "尚未批复" in preview.text and "preview-total" not in preview.text
    refused = unit.post(f"/projects/{DRAFT}/selfeval", data={
        "csrf_token": _csrf(page.text), "adjusted": "40", "executed": "38", "actual-0": "100", "actual-1": "8",
        "actual-2": "1", "actual-3": "97"})
    assert refused.status_code == 409 and "尚未批复" in refused.text and "自评已提交" not in refused.text


def test_the_api_refuses_a_draft_with_the_typed_envelope(sessions: sessionmaker[Session]) -> None:
    from jixiao.services.accounts import issue_token

    token = issue_token(sessions, "unit", "测试")
    client = _client(sessions)
    auth = {"Authorization": f"Bearer {token}"}
    body = {"actuals": [{"indicator": "邮寄覆盖率", "actual": "100"}], "budget": {"adjusted": "40", "executed": "38"}}
    for path, payload in (("self-evaluations", body),
                          ("monitoring", {"month": 6, "progress": [{"indicator": "邮寄覆盖率", "to_date": "50"}]})):
        answer = client.post(f"/api/v1/projects/{DRAFT}/{path}", json=payload, headers=auth)
        assert answer.status_code == 409, answer.text
        assert answer.json()["error"]["code"] == "not_approved" and "尚未批复" in answer.json()["error"]["message"]


def _notes(html: str) -> dict[str, str]:
    return {ident: re.sub(r"<[^>]+>", "", text) for ident, text in
            re.findall(r'<small id="note-([^"]+)"[^>]*>(.*?)</small>', html, re.S)}


def test_an_empty_form_shows_no_score_and_each_missing_value_once(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    empty = unit.post(f"/projects/{APPROVED}/selfeval/preview", data={"adjusted": " ", "actual-0": ""}).text
    assert "preview-total" not in empty and "差" not in empty and "填写后显示得分" in empty
    assert set(_notes(empty).values()) == {""}  # and any note left from before is cleared
    partial = unit.post(f"/projects/{APPROVED}/selfeval/preview", data={"adjusted": "15", "actual-0": "1400"}).text
    notes = _notes(partial)
    assert notes["executed"] == "未填写全年执行数" and notes["adjusted"] == "" and notes["actual-0"] == ""
    assert [notes[f"actual-{n}"] for n in (1, 2, 3)] == ["未填写实际完成值"] * 3
    assert partial.count("缺少实际完成值") == 0 and partial.count("未填写实际完成值") == 3  # once each, beside it
    assert partial.count("缺少全年预算数或全年执行数") == 0


def test_a_figure_with_the_indicators_unit_is_read_and_the_user_told(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    shown = unit.post(f"/projects/{APPROVED}/selfeval/preview", data={
        "adjusted": "9.6", "executed": "9.6", "actual-0": "1400项", "actual-1": "208项", "actual-2": "95%",
        "actual-3": "96％"}).text
    notes = _notes(shown)
    assert "已按 208 计算" in notes["actual-1"] and "度量单位“项”" in notes["actual-1"]
    assert "已按 95 计算" in notes["actual-2"] and "已按 96 计算" in notes["actual-3"]
    assert re.search(r'id="preview-total">100\.00<', shown)
    wrong = unit.post(f"/projects/{APPROVED}/selfeval/preview", data={"actual-1": "208人"}).text
    assert "应为数字" in _notes(wrong)["actual-1"]  # another unit is not stripped: the row is refused


def test_the_form_reopens_with_the_last_submission_and_keeps_the_printed_cells(
        sessions: sessionmaker[Session]) -> None:
    code = "50011522T000000133119"  # 协税员聘用: approved in the demo story
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{code}/selfeval").text
    assert all(f'id="{key}"' in page for key in ("current_year", "carried_over", "other", "achieved"))
    names = re.findall(r'for="actual-(\d+)">“([^”]*)”', page)
    form = {"csrf_token": _csrf(page), "adjusted": "20", "executed": "19", "current_year": "18", "carried_over": "1",
            "other": "0", "achieved": "聘用协税员 12 名，全年协税工作正常开展"}
    form |= {f"actual-{n}": "1" for n, _name in names} | {"reason-0": "按实际聘用"}
    done = unit.post(f"/projects/{code}/selfeval", data=form)
    assert done.status_code == 303, re.findall(r'id="submit-error">([^<]*)', done.text)
    again = unit.get(f"/projects/{code}/selfeval").text
    assert 'id="prefilled"' in again and 'value="18"' in again and "全年协税工作正常开展</textarea>" in again
    assert 'name="reason-0" value="按实际聘用"' in again


def test_bad_amounts_are_refused_beside_their_field(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{APPROVED}/selfeval").text
    refused = unit.post(f"/projects/{APPROVED}/selfeval", data={
        "csrf_token": _csrf(page), "adjusted": "-5", "executed": "九", "current_year": "abc", "actual-0": "1400",
        "actual-1": "208", "actual-2": "95", "actual-3": "96"})
    assert refused.status_code == 422
    notes = _notes(refused.text)
    assert "“全年预算数”为 -5，金额不能为负数" in notes["adjusted"]
    assert "“全年执行数”填写的“九”不是数字" in notes["executed"]
    assert "“当年财政拨款”填写的“abc”不是数字" in notes["current_year"]
    assert 'value="-5"' in refused.text  # what was typed stays
