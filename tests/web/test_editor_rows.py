"""The editor saves tables of any real size: one JSON field, a stated row limit, nothing typed lost."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jixiao.services import queries
from jixiao.services.editing import MAX_INDICATORS
from jixiao.web.pages.editor import HEADER
from tests.web.test_pages import DRAFT, RETURNED, _client, _csrf, sessions

__all__ = ["sessions"]  # the module's database, shared with test_pages


def _rows(count: int) -> list[dict[str, str]]:
    weight = f"{90 / count:.4f}"
    return [{"level1": "产出指标", "level2": "数量指标", "name": f"指标{n:03d}", "operator": "≥", "history": "",
             "target": str(n), "current_target": "", "unit_of_measure": "件", "weight": weight, "current_weight": "",
             "direction": "正向指标"} for n in range(count)]


UNIT_NAME = "重庆市长寿区政务服务管理办公室（本级）"  # the account's unit: fixed, as the editor shows it


def _header(**change: str) -> dict[str, str]:
    base = dict.fromkeys(HEADER, "")
    return base | {"project_name": "免费邮寄", "unit_code": "145001", "unit_name": UNIT_NAME, "total_wan": "40.00",
                   "execution_weight": "10", "annual_goal": "一百五十个指标的年度目标"} | change


def _stored(sessions: sessionmaker[Session], code: str) -> dict[str, Any]:
    from jixiao.domain.workflow import Role
    from jixiao.services.permissions import Actor

    with sessions() as session:
        return dict(queries.show_project(session, Actor(None, Role.ADMIN, None), code)["table"])


def test_a_table_of_150_indicators_is_saved_as_one_json_field(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{DRAFT}/edit").text
    assert 'name="document"' in page and f"最多 {MAX_INDICATORS} 行" in page
    version = int(_stored_version(sessions, DRAFT))
    document = {"header": _header(), "indicators": _rows(150)}
    saved = unit.post(f"/projects/{DRAFT}/edit", data={"csrf_token": _csrf(page), "version": str(version),
                                                         "document": json.dumps(document, ensure_ascii=False)})
    assert saved.status_code == 303, saved.text[:500]
    stored = _stored(sessions, DRAFT)
    assert [row["name"] for row in stored["indicators"]] == [f"指标{n:03d}" for n in range(150)]
    assert stored["annual_goal"] == "一百五十个指标的年度目标"
    shown = unit.get(f"/projects/{DRAFT}/edit").text  # and the editor shows every row again
    assert shown.count('class="edit-row"') == 150 + 1  # the rows and the template of a new one


def test_without_javascript_the_plain_fields_of_150_rows_are_read(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{RETURNED}/edit").text
    rows = _rows(150)
    form: dict[str, Any] = _header(project_name="免费复印") | {
        "csrf_token": _csrf(page), "version": str(_stored_version(sessions, RETURNED))}
    for key in rows[0]:
        form[key] = [row[key] for row in rows]
    saved = unit.post(f"/projects/{RETURNED}/edit", data=form)  # 1,650 indicator fields
    assert saved.status_code == 303, saved.text[:500]
    assert len(_stored(sessions, RETURNED)["indicators"]) == 150


def test_more_rows_than_the_limit_are_refused_in_chinese_and_kept(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{DRAFT}/edit").text
    rows = _rows(MAX_INDICATORS + 1)
    document = {"header": _header(annual_goal="太多行时写的目标"), "indicators": rows}
    data = {"csrf_token": _csrf(page), "version": str(_stored_version(sessions, DRAFT)),
            "document": json.dumps(document, ensure_ascii=False)}
    refused = unit.post(f"/projects/{DRAFT}/edit", data=data)
    assert refused.status_code == 422
    assert f"指标最多 {MAX_INDICATORS} 行，本表有 {MAX_INDICATORS + 1} 行" in refused.text
    assert "太多行时写的目标" in refused.text and f"指标{MAX_INDICATORS:03d}" in refused.text  # the last row too
    assert "退出" in refused.text  # still shown as signed in
    checked = unit.post(f"/projects/{DRAFT}/edit/check", data=data)
    assert checked.status_code == 200 and "指标最多" in checked.text


def test_a_broken_document_is_a_chinese_refusal_that_restores_the_browser_copy(
        sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{DRAFT}/edit").text
    refused = unit.post(f"/projects/{DRAFT}/edit", data={"csrf_token": _csrf(page), "document": "{broken"})
    assert refused.status_code == 400 and "表格内容无法读取" in refused.text and "data-restore-local" in refused.text
    assert "退出" in refused.text


def _stored_version(sessions: sessionmaker[Session], code: str) -> int:
    from jixiao.domain.workflow import Role
    from jixiao.services.permissions import Actor

    with sessions() as session:
        return int(queries.show_project(session, Actor(None, Role.ADMIN, None), code)["version"])


def test_monitoring_of_a_long_table_is_not_cut_by_the_field_limit(sessions: sessionmaker[Session]) -> None:
    """The sibling forms (self-evaluation, monitoring) post 2 to 4 fields per indicator: 1,200 fields here."""
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{DRAFT}/monitoring").text
    data: dict[str, str] = {"csrf_token": _csrf(page), "month": "7"}
    for n in range(300):
        data |= {f"to_date-{n}": "1", f"forecast-{n}": "1", f"reason-{n}": "", f"likelihood-{n}": ""}
    response = unit.post(f"/projects/{DRAFT}/monitoring/preview", data=data)
    assert response.status_code == 200 and "<html" not in response.text


def test_a_form_too_large_to_parse_gets_a_chinese_page_with_the_user_signed_in(
        sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    response = unit.post(f"/projects/{DRAFT}/selfeval", data={f"f{n}": "" for n in range(7_000)})
    assert response.status_code == 400 and "请求格式无法解析" in response.text and "Too many" not in response.text
    assert "退出" in response.text  # the header still shows who is signed in
