"""Integrity on the pages and the API (issue 13, points 1–3 and 10), in the unit's role.

Self-evaluation and monitoring only on approved tables; the self-evaluation form: an empty form says nothing, each
missing value once beside its field, a number written with the indicator's unit is read (and said so), the form
comes back as last submitted, the 自评表's funding and 实际完成情况 cells can be filled in. Per-field checks in the
editor (the form, the live check) and the API's draft name fields by their Chinese labels; the owner fields are
read-only to a unit and a changed value is refused, naming the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.web.test_editor_rows import _header, _rows, _stored, _stored_version
from tests.web.test_pages import APPROVED, DRAFT, _client, _csrf, sessions

__all__ = ["sessions"]  # the module's database, shared with test_pages


@pytest.fixture(scope="module")
def unit(sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    yield _client(sessions, "unit")


def test_a_draft_cannot_be_self_evaluated_or_monitored(sessions: sessionmaker[Session], unit: TestClient) -> None:
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


def test_an_empty_form_shows_no_score_and_each_missing_value_once(unit: TestClient) -> None:
    empty = unit.post(f"/projects/{APPROVED}/selfeval/preview", data={"adjusted": " ", "actual-0": ""}).text
    assert "preview-total" not in empty and "差" not in empty and "填写后显示得分" in empty
    assert set(_notes(empty).values()) == {""}  # and any note left from before is cleared
    partial = unit.post(f"/projects/{APPROVED}/selfeval/preview", data={"adjusted": "15", "actual-0": "1400"}).text
    notes = _notes(partial)
    assert notes["executed"] == "未填写全年执行数" and notes["adjusted"] == "" and notes["actual-0"] == ""
    assert [notes[f"actual-{n}"] for n in (1, 2, 3)] == ["未填写实际完成值"] * 3
    assert partial.count("缺少实际完成值") == 0 and partial.count("未填写实际完成值") == 3  # once each, beside it
    assert partial.count("缺少全年预算数或全年执行数") == 0


def test_a_figure_with_the_indicators_unit_is_read_and_the_user_told(unit: TestClient) -> None:
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
        sessions: sessionmaker[Session], unit: TestClient) -> None:
    code = "50011522T000000133119"  # 协税员聘用: approved in the demo story
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


def test_bad_amounts_are_refused_beside_their_field(sessions: sessionmaker[Session], unit: TestClient) -> None:
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
    missing = unit.post(f"/projects/{APPROVED}/selfeval", data={
        "csrf_token": _csrf(page), "adjusted": "9.6", "executed": "9.6", "actual-0": "1400", "actual-2": "95"})
    assert missing.status_code == 422 and "见各栏旁的说明" in missing.text
    notes = _notes(missing.text)
    assert notes["actual-1"] == notes["actual-3"] == "未填写实际完成值" and notes["actual-0"] == ""
    assert missing.text.count("未填写实际完成值") == 2 and "缺少实际完成值" not in missing.text


CASES = [
    ({"total_wan": "-10"}, "total_wan", "「项目总额」不能为负数"),
    ({"total_wan": "十万"}, "total_wan", "「项目总额」应为金额"),
    ({"fiscal": "-5"}, "fiscal", "「财政资金」不能为负数"),
    ({"execution_weight": "abc"}, "execution_weight", "「预算执行率权重」应为数字（0 到 100"),
    ({"project_name": " "}, "project_name", "「项目名称」不能为空"),
    ({"annual_goal": "目" * 105_000}, "annual_goal", "「年度目标」长 105000 个字符，最多 3000 个字符"),
]


def test_the_editor_refuses_bad_fields_with_their_chinese_label(sessions: sessionmaker[Session],
                                                                unit: TestClient) -> None:
    page = unit.get(f"/projects/{DRAFT}/edit").text
    before = _stored(sessions, DRAFT)
    for change, field, words in CASES:
        document = {"header": _header(**change), "indicators": _rows(4)}
        form = {"csrf_token": _csrf(page), "version": str(_stored_version(sessions, DRAFT)),
                "document": json.dumps(document, ensure_ascii=False)}
        saved = unit.post(f"/projects/{DRAFT}/edit", data=form)
        assert saved.status_code == 422 and words in saved.text, field
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', saved.text), f"{field} itself is marked"
        shown = re.sub(r"<[^>]+>", "", saved.text.split('id="save-error"')[1][:600])
        assert "total_wan" not in shown and "execution_weight" not in shown
        assert words in unit.post(f"/projects/{DRAFT}/edit/check", data=form).text, field
    assert _stored(sessions, DRAFT) == before  # nothing saved


def test_a_weight_in_the_row_editor_is_named_by_row_and_label(sessions: sessionmaker[Session],
                                                              unit: TestClient) -> None:
    page = unit.get(f"/projects/{DRAFT}/edit").text
    rows = _rows(4)
    rows[0]["weight"] = "-20"
    rows[2]["current_weight"] = "很多"
    form = {"csrf_token": _csrf(page), "version": str(_stored_version(sessions, DRAFT)),
            "document": json.dumps({"header": _header(), "indicators": rows}, ensure_ascii=False)}
    live = unit.post(f"/projects/{DRAFT}/edit/check", data=form).text
    assert "指标 1「权重」不能为负数" in live and "指标 3「本年权重」应为数字（0 到 100" in live
    text = re.sub(r"<[^>]+>", "", live)  # what people read (the paths stay in data-path for the script)
    assert "indicators[" not in text and "current_weight" not in text


def test_the_unit_sees_its_owner_fields_read_only_and_cannot_change_them(sessions: sessionmaker[Session],
                                                                         unit: TestClient) -> None:
    page = unit.get(f"/projects/{DRAFT}/edit").text
    for field in ("unit_code", "unit_name", "department_code", "department_name"):
        assert re.search(rf'<input id="{field}"[^>]*readonly', page), field
    assert 'id="owner-fixed"' in page
    assert not re.search(r'<input id="project_name"[^>]*readonly', page)
    form = {"csrf_token": _csrf(page), "version": str(_stored_version(sessions, DRAFT)),
            "document": json.dumps({"header": _header(unit_name="不存在的单位", department_name="别的部门"),
                                    "indicators": _rows(4)}, ensure_ascii=False)}
    refused = unit.post(f"/projects/{DRAFT}/edit", data=form)
    assert refused.status_code == 422
    assert "「单位名称」由账号所属单位确定，不能修改" in refused.text
    assert "「主管部门名称」由账号所属单位确定" in refused.text
    assert re.search(r'id="unit_name"[^>]*aria-invalid="true"', refused.text)
    admin = _client(sessions, "admin2").get(f"/projects/{DRAFT}/edit").text
    assert not re.search(r'<input id="unit_name"[^>]*readonly', admin)  # the administrator corrects them


def test_the_api_draft_answers_a_422_envelope_in_chinese_labels(sessions: sessionmaker[Session]) -> None:
    from jixiao.services.accounts import issue_token

    token = issue_token(sessions, "unit", "字段检查")
    client = _client(sessions)
    content = _stored(sessions, DRAFT) | {"total_wan": "-10", "project_name": ""}
    content["indicators"] = [dict(row) for row in content["indicators"]]
    content["indicators"][0]["weight"] = 20  # a number, not the format's string
    answer = client.put(f"/api/v1/projects/{DRAFT}/draft", json={"content": content},
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_table"
    messages = {d["field"]: d["message"] for d in error["details"]}
    assert messages["total_wan"] == "「项目总额」不能为负数，实际为 -10（万元）"
    assert messages["project_name"] == "「项目名称」不能为空"
    assert messages["indicators[0].weight"].startswith("指标 1「权重」应为")
    assert {d["label"] for d in error["details"]} >= {"项目总额", "项目名称"}
    assert "indicators[" not in error["message"] and "total_wan" not in error["message"]


def test_a_qualitative_indicator_gets_its_points_field(sessions: sessionmaker[Session], unit: TestClient) -> None:
    """定性 rows are scored by the evaluator's points: the form asks for them (the API always took them)."""
    from jixiao.domain.workflow import Action, Role
    from jixiao.services.permissions import Actor
    from jixiao.services.workflow import transition

    code = "50011522T000000132350"  # 窗口作风建设: submitted in the demo; its 服务提升 is 定性, weight 20
    for action in (Action.START_REVIEW, Action.FORWARD, Action.APPROVE):
        transition(sessions, Actor(None, Role.ADMIN), code, action)
    page = unit.get(f"/projects/{code}/selfeval").text
    assert re.findall(r'<input id="points-(\d+)"', page) == ["2"] and 'for="points-2"' in page
    form = {"csrf_token": _csrf(page), "adjusted": "10", "executed": "10", "actual-0": "2312", "actual-1": "8",
            "actual-2": "达成年度指标", "actual-3": "96"}
    refused = unit.post(f"/projects/{code}/selfeval", data=form | {"points-2": "十分"})
    assert refused.status_code == 422
    assert "“服务提升”的“定性得分”填写的“十分”不是数字" in _notes(refused.text)["points-2"]
    done = unit.post(f"/projects/{code}/selfeval", data=form | {"points-2": "18"})
    assert done.status_code == 303 and "自评已提交：98.00 分，优" in unit.get(done.headers["location"]).text


def test_the_apis_schema_refusals_name_fields_in_chinese(sessions: sessionmaker[Session]) -> None:
    """FastAPI's own 422s keep ``location`` and ``problem`` for programs and add a Chinese ``message``."""
    from jixiao.services.accounts import issue_token

    token = issue_token(sessions, "unit", "校验")
    client = _client(sessions)
    bad = client.post(f"/api/v1/projects/{APPROVED}/monitoring", headers={"Authorization": f"Bearer {token}"},
                      json={"month": 13, "progress": [{"indicator": "x", "to_date": 5}]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    messages = {d["location"]: d["message"] for d in bad.json()["error"]["details"]}
    assert messages["body.month"] == "「月份」过大（最大 12）"
    assert messages["body.progress.0.to_date"] == "「监控进度」第 1 项的「截至目前完成」应为文字"
