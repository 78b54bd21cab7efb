"""The API of workflow hardening on both databases: reopening a closed window, reviewing a self-evaluation,
filing and deciding a correction; each refusal with its stable code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action
from jixiao.services.accounts import issue_token
from jixiao.services.context import AppContext
from jixiao.services.permissions import Actor
from jixiao.services.submissions import submit_self_evaluation
from jixiao.services.workflow import transition
from jixiao.web.app import create_app
from tests.storage.regions import ACTUALS, BUDGET

COPY = "50011522T000000157087"
MAIL = "50011522T000000132376"


@pytest.fixture
def api(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> tuple[TestClient, dict[str, dict[str, str]]]:
    context = AppContext(sessions, clock=lambda: datetime(2026, 12, 2, 6, 0, tzinfo=UTC))
    headers = {name: {"Authorization": f"Bearer {issue_token(sessions, name, 'test')}"}
               for name in ("unit", "department", "finance")}
    return TestClient(create_app(context), raise_server_exceptions=False), headers


@pytest.mark.submission_window
def test_a_late_submission_and_its_reopening(api: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, who = api
    late = client.post(f"/api/v1/projects/{MAIL}/transitions", json={"action": "submit", "override_reason": "知悉"},
                       headers=who["unit"])
    assert late.status_code == 409 and late.json()["error"]["code"] == "submission_closed"
    assert "2021-10-31" in late.json()["error"]["message"]
    body = {"task": "targets", "fiscal_year": 2022, "until": "2026-12-10", "reason": "补报", "project": MAIL}
    refused = client.post("/api/v1/reopenings", json=body, headers=who["unit"])
    assert refused.status_code == 403
    blank = client.post("/api/v1/reopenings", json=body | {"reason": " "}, headers=who["finance"])
    assert blank.status_code == 422 and blank.json()["error"]["code"] == "reopen_refused"
    done = client.post("/api/v1/reopenings", json=body, headers=who["finance"])
    assert done.status_code == 200 and done.json()["until"] == "2026-12-10"
    listed = client.get("/api/v1/reopenings?year=2022", headers=who["finance"]).json()
    assert [r["project"] for r in listed] == [MAIL]
    again = client.post(f"/api/v1/projects/{MAIL}/transitions", json={"action": "submit", "override_reason": "知悉"},
                        headers=who["unit"])
    assert again.status_code == 200, again.text


def test_review_and_correction_through_the_api(sessions: sessionmaker[Session], actors: dict[str, Actor],
                                               api: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, who = api
    for action, name in ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"),
                         (Action.FORWARD, "department"), (Action.APPROVE, "finance")):
        transition(sessions, actors[name], COPY, action)
    record = submit_self_evaluation(sessions, actors["unit"], COPY, ACTUALS, BUDGET)["id"]
    base = f"/api/v1/projects/{COPY}/self-evaluations/{record}"
    listed = client.get(f"/api/v1/projects/{COPY}/self-evaluations", headers=who["unit"]).json()
    assert listed[0]["state"] == "submitted"
    assert client.post(f"{base}/review", json={"action": "approve"}, headers=who["unit"]).status_code == 403
    approved = client.post(f"{base}/review", json={"action": "approve"}, headers=who["department"])
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    locked = client.post(f"/api/v1/projects/{COPY}/self-evaluations", json={"actuals": ACTUALS, "budget": BUDGET},
                         headers=who["unit"])
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "actuals_locked"
    asked = client.post(f"{base}/corrections", headers=who["unit"], json={
        "indicator": "群众满意度", "field": "actual", "new_value": "99", "reason": "问卷统计有误"})
    assert asked.status_code == 200 and asked.json()["old_value"] == "97"
    decided = client.post(f"/api/v1/corrections/{asked.json()['id']}/decision", json={"approve": True},
                          headers=who["finance"])
    assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "approved" and decided.json()["applied"]
    listed = client.get(f"/api/v1/projects/{COPY}/corrections", headers=who["unit"]).json()
    assert [c["state"] for c in listed] == ["approved"]
