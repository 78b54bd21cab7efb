"""Integrity on both databases: self-evaluation and monitoring only of the approved version; the fields that name
a table's owner (单位、主管部门) are fixed by the account, in the save service and in the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action
from jixiao.services import queries
from jixiao.services.context import AppContext
from jixiao.services.editing import save_draft
from jixiao.services.errors import InvalidInput
from jixiao.services.permissions import Actor
from jixiao.services.submissions import NotApproved, submit_monitoring, submit_self_evaluation
from jixiao.services.workflow import transition
from jixiao.storage.models import SelfEvaluation, TableVersion
from tests.storage.test_workflow_service import COPY

ACTUALS = [{"indicator": "复印覆盖率", "actual": "100"}]


def approve(sessions: sessionmaker[Session], actors: dict[str, Actor], code: str) -> None:
    for action, who in ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"), (Action.FORWARD, "department"),
                        (Action.APPROVE, "finance")):
        transition(sessions, actors[who], code, action)


def _version_content(sessions: sessionmaker[Session], number: int) -> dict[str, object]:
    from jixiao.domain.workflow import Role

    with sessions() as session:
        return queries.version_content(session, Actor(None, Role.ADMIN), COPY, number)


def _table(sessions: sessionmaker[Session], actor: Actor, **change: object) -> dict[str, object]:
    with sessions() as session:
        return dict(queries.show_project(session, actor, COPY)["table"]) | change


def test_only_approved_tables_are_self_evaluated(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    unit = actors["unit"]
    with pytest.raises(NotApproved, match="尚未批复（当前：草稿）"):
        submit_self_evaluation(sessions, unit, COPY, ACTUALS, {"adjusted": "15", "executed": "15"})
    with pytest.raises(NotApproved, match="尚未批复"):
        submit_monitoring(sessions, unit, COPY, 6, [], None)
    with sessions() as session:
        assert session.scalar(select(SelfEvaluation.id)) is None  # nothing stored
    approve(sessions, actors, COPY)
    transition(sessions, unit, COPY, Action.ADJUST, comment="年中追加预算")  # version 2, a draft
    changed = _table(sessions, unit, project_name="调整中的名称")
    save_draft(sessions, unit, COPY, changed, 2)
    approved = _version_content(sessions, 1)
    actuals = [{"indicator": row["name"], "actual": row["target"]} for row in approved["indicators"]]
    done = submit_self_evaluation(sessions, unit, COPY, actuals, {"adjusted": "15", "executed": "15"})
    assert done["project_name"] != "调整中的名称"  # scored on the approved version, not the adjustment
    with sessions() as session:
        number = session.scalar(select(TableVersion.number).join(SelfEvaluation,
                                                                  SelfEvaluation.version_id == TableVersion.id))
    assert number == 1


def test_the_owner_fields_are_fixed_by_the_account(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    unit = actors["unit"]
    stored = _table(sessions, unit)
    for change, field in (({"unit": {"code": "145001", "name": "不存在的单位"}}, "单位名称"),
                          ({"unit": {"code": "999001", "name": "另一个单位"}}, "单位编码"),
                          ({"department": {"code": "999", "name": "另一个部门"}}, "主管部门编码"),
                          ({"department": {"code": "145", "name": "改过的部门名称"}}, "主管部门名称")):
        with pytest.raises(InvalidInput, match=f"「{field}」由账号所属单位确定，不能修改"):
            save_draft(sessions, unit, COPY, stored | change, 1)
    blank = stored | {"unit": None, "department": None}  # left out: filled in from the account
    assert save_draft(sessions, unit, COPY, blank | {"contact_person": "张三"}, 1)["saved"] is True
    now = _table(sessions, unit)
    assert now["unit"] == stored["unit"] and now["department"] == stored["department"]


def test_the_api_refuses_the_same_change(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    from jixiao.services.accounts import issue_token
    from jixiao.storage.models import User

    with sessions() as session:
        name = session.scalar(select(User.username).where(User.id == actors["unit"].user_id))
    assert name is not None
    token = issue_token(sessions, name, "测试")
    client = TestClient(create_app_for(sessions))
    stored = _table(sessions, actors["unit"])
    moved = stored | {"unit": {"code": "145001", "name": "不存在的单位"}}
    answer = client.put(f"/api/v1/projects/{COPY}/draft", json={"content": moved, "based_on": 1},
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "owner_fixed" and "「单位名称」由账号所属单位确定" in error["message"]
    assert error["details"][0]["field"] == "unit.name"
    fine = client.put(f"/api/v1/projects/{COPY}/draft", json={"content": stored | {"contact_person": "李四"},
                                                             "based_on": 1},
                      headers={"Authorization": f"Bearer {token}"})
    assert fine.status_code == 200 and fine.json() == {"version": 2, "saved": True}


def create_app_for(sessions: sessionmaker[Session]) -> object:
    from jixiao.web.app import create_app

    return create_app(AppContext(sessions))


def test_an_import_cannot_move_a_units_table_to_another_department(sessions: sessionmaker[Session],
                                                                   actors: dict[str, Actor]) -> None:
    import json

    from jixiao.services.imports import import_as

    moved = _table(sessions, actors["unit"], department={"code": "999", "name": "另一个部门"},
                   contact_person="换了部门")
    result = import_as(sessions, actors["unit"], json.dumps(moved, ensure_ascii=False).encode(), "换部门.json")
    assert result.status == "refused"
    assert any("「主管部门编码」为 999" in d.message and "应为 145" in d.message for d in result.diagnostics)
    assert _table(sessions, actors["unit"])["department"]["code"] == "145"  # type: ignore[index]
