"""The 下年预算安排建议表 on SQLite and PostgreSQL: grades from the store, decisions with reasons, audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services import results_use
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.storage.models import AuditEntry, Project, SelfEvaluation, TableVersion
from tests.storage.test_recheck import COPY, TECH, _publish

WATER = "50011522T000000132149"


def _own_evaluation(sessions: sessionmaker[Session], code: str, grade: str, total: str, adjusted: str) -> None:
    """The unit's own self-evaluation, as the 自评 form stores it (its grade counts before the published one)."""
    with sessions.begin() as session:
        version = session.scalar(select(TableVersion).join(Project).where(Project.code == code)
                                 .order_by(TableVersion.number.desc()))
        assert version is not None
        session.add(SelfEvaluation(version_id=version.id, reported={"budget": {"adjusted": adjusted}}, result={},
                                   total=Decimal(total), grade=grade, profile="chongqing"))


def test_every_project_of_the_year_gets_a_suggestion_with_its_arithmetic(sessions: sessionmaker[Session],
                                                                         actors: dict[str, Actor]) -> None:
    _publish(sessions)
    _own_evaluation(sessions, WATER, "中", "72.5", "177.12")
    with sessions() as session:
        data = results_use.sheet(session, actors["finance"], 2022)
    rows = {row["code"]: row for row in data["rows"]}
    assert len(rows) == 9 and data["next_year"] == 2023
    water = rows[WATER]
    assert (water["grade"], water["grade_source"], water["action"]) == ("中", "自评", "核减")
    assert water["arithmetic"] == "本年全年预算 177.12 万元 × (1 − 10%) = 159.41 万元"
    assert water["final_amount"] == "159.41"
    copy = rows[COPY]  # published 自评表 only: its grade and its 全年预算数 (15.00)
    assert (copy["grade_source"], copy["action"], copy["amount"]) == ("公开自评表", "优先保障", "15")
    assert rows[TECH]["audit_errors"] >= 1 and rows[TECH]["interview"]  # the inflated total: an audit error → 约谈
    assert data["totals"]["projects"] == 9 and data["totals"]["undecided"] == 0


def test_a_decision_needs_a_reason_and_is_kept_beside_the_suggestion(sessions: sessionmaker[Session],
                                                                     actors: dict[str, Actor]) -> None:
    _publish(sessions)
    finance = actors["finance"]
    with pytest.raises(results_use.DecisionRefused) as refused:
        results_use.decide(sessions, finance, COPY, "取消", "5", "  ")
    assert {problem["field"] for problem in refused.value.details} == {"amount", "reason"}
    with pytest.raises(results_use.DecisionRefused, match="“下年金额（万元）”应为非负数字"):
        results_use.decide(sessions, finance, COPY, "核减", "-3", "预算压减")
    row = results_use.decide(sessions, finance, COPY, "核减", "12.5", "复印业务量下降，按实际需要核减")
    assert row["action"] == "优先保障" and row["final_action"] == "核减" and row["final_amount"] == "12.5"
    assert row["decision"]["reason"] == "复印业务量下降，按实际需要核减"
    with sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "budget.decide"))
    assert entry is not None and entry.before == {"action": "优先保障", "amount": "15"}
    assert entry.after == {"action": "核减", "amount": "12.5"} and entry.note == "复印业务量下降，按实际需要核减"
    again = results_use.decide(sessions, finance, COPY, "据实保障", "15", "复核后恢复")
    assert again["final_action"] == "据实保障"  # the latest decision counts


def test_only_the_finance_bureau_sees_and_decides(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    _publish(sessions)
    for who in ("unit", "department"):
        with sessions() as session, pytest.raises(PermissionDenied,
                                                  match="只有财政部门审核人可以查看和确定下年预算安排建议"):
            results_use.sheet(session, actors[who], 2022)
        with pytest.raises(PermissionDenied):
            results_use.decide(sessions, actors[who], COPY, "核减", "1", "x")


def test_the_api_gives_the_sheet_and_takes_decisions_in_the_one_envelope(sessions: sessionmaker[Session]) -> None:
    from fastapi.testclient import TestClient

    from jixiao.services.context import AppContext
    from jixiao.services.demo import load_demo
    from jixiao.web.app import create_app

    accounts = {user: (role, token) for user, role, _password, token in load_demo(sessions).accounts}
    finance = next(token for role, token in accounts.values() if role == "finance_reviewer")
    unit = next(token for role, token in accounts.values() if role == "unit_editor")
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    sheet = client.get("/api/v1/budget/2022", headers={"Authorization": f"Bearer {finance}"})
    assert sheet.status_code == 200 and sheet.json()["next_year"] == 2023
    code = sheet.json()["rows"][0]["code"]
    refused = client.post(f"/api/v1/budget/projects/{code}/decision", headers={"Authorization": f"Bearer {finance}"},
                          json={"action": "取消", "amount": "3", "reason": ""})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "budget_decision_refused" and {d["field"] for d in error["details"]} == {"amount", "reason"}
    done = client.post(f"/api/v1/budget/projects/{code}/decision", headers={"Authorization": f"Bearer {finance}"},
                       json={"action": "暂停", "reason": "政策到期，暂停一年"})
    assert done.status_code == 200 and done.json()["final_action"] == "暂停"
    assert done.json()["decision"]["at"].endswith("+08:00")  # the region's time zone
    denied = client.get("/api/v1/budget/2022", headers={"Authorization": f"Bearer {unit}"})
    assert denied.status_code == 403 and "只有财政部门审核人" in denied.json()["error"]["message"]
