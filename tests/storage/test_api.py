"""The JSON API on both databases: demo data, tenancy, transitions, one error envelope."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.context import AppContext
from jixiao.services.demo import load_demo
from jixiao.web.app import create_app
from jixiao.web.settings import MAX_BODY


@pytest.fixture
def demo(sessions: sessionmaker[Session]) -> tuple[TestClient, dict[str, str]]:
    result = load_demo(sessions)
    tokens = {user: token for user, _role, _password, token in result.accounts}
    return TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False), tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_demo_is_idempotent(sessions: sessionmaker[Session]) -> None:
    first = load_demo(sessions)
    assert first.imported == "imported" and len(first.accounts) == 4 and first.story_told
    again = load_demo(sessions)
    assert again.imported == "unchanged" and again.accounts == [] and not again.story_told


def test_public_sees_approved_tables_without_phone_or_reviews(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = demo
    listing = client.get("/api/v1/projects").json()
    assert listing["total"] == 2 and {p["state"] for p in listing["items"]} == {"approved"}
    detail = client.get("/api/v1/projects/50011522T000000132369").json()
    assert "contact_phone" not in detail["table"] and "reviews" not in detail
    assert client.get("/api/v1/projects/50011522T000000157087").status_code == 404  # not approved: not public
    assert client.get("/api/v1/projects/50011522T000000132369/findings").status_code == 403


def test_filters_sorting_and_pagination(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    headers = auth(tokens["unit145001"])
    page = client.get("/api/v1/projects?per_page=4&page=2&sort=-code", headers=headers).json()
    assert page["total"] == 9 and len(page["items"]) == 4
    codes = [p["code"] for p in client.get("/api/v1/projects?per_page=9&sort=-code", headers=headers).json()["items"]]
    assert codes == sorted(codes, reverse=True) and page["items"][0]["code"] == codes[4]
    drafts = client.get("/api/v1/projects?state=draft", headers=headers).json()
    assert drafts["total"] == 5  # 4 never touched + 1 returned to draft (2 approved, 1 finance review, 1 submitted)
    assert client.get("/api/v1/projects?q=网络", headers=headers).json()["total"] == 1


def test_transitions_through_the_api(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    code = "50011522T000000132359"  # 网络通讯, still a draft
    done = client.post(f"/api/v1/projects/{code}/transitions", json={"action": "submit"},
                       headers=auth(tokens["unit145001"]))
    assert done.status_code == 200 and done.json()["to_state"] == "submitted"
    refused = client.post(f"/api/v1/projects/{code}/transitions", json={"action": "return"},
                          headers=auth(tokens["dept145"]))
    assert refused.status_code == 409 and "必须填写意见" in refused.json()["error"]["message"]
    assert refused.json()["error"]["code"] == "workflow_refused"
    detail = client.get(f"/api/v1/projects/{code}", headers=auth(tokens["dept145"])).json()
    assert detail["actions"] == ["start_review", "return"]


def test_one_error_envelope(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    cases = [
        client.get("/api/v1/projects/NOPE", headers=auth(tokens["admin"])),
        client.get("/api/v1/projects", headers=auth("jx_forged")),
        client.get("/api/v1/projects?page=0"),
        client.post("/api/v1/projects/X/transitions", json={"action": "fly"}, headers=auth(tokens["admin"])),
        client.post("/api/v1/imports", content=b"{not json", headers={**auth(tokens["admin"]),
                                                                       "content-type": "application/json"}),
        client.post("/api/v1/imports", content=b"x" * (MAX_BODY + 1), headers=auth(tokens["admin"])),
        client.get("/api/v1/nowhere"),
        client.get("/api/v1/audit", headers=auth(tokens["unit145001"])),
    ]
    assert [r.status_code for r in cases] == [404, 403, 422, 422, 422, 413, 404, 403]
    assert [r.json()["error"]["code"] for r in cases] == [  # stable codes (docs/api-errors.md): clients rely on them
        "forbidden", "forbidden", "invalid_request", "invalid_request", "invalid_request", "body_too_large", "http_404",
        "forbidden"]
    for response in cases:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "details"} and error["message"]


def test_import_and_audit_through_the_api(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    text = "绩效目标表\n单位信息：145001-单位\n预算项目：50011522T000000999999-新项目\n项目总额：1.00 万元\n"
    refused = client.post("/api/v1/imports", json={"file_name": "新.txt", "content": text},
                          headers=auth(tokens["admin"]))
    assert refused.json()["status"] == "refused"  # no indicator table: nothing written
    audit = client.get("/api/v1/audit?per_page=5", headers=auth(tokens["finance"])).json()
    assert audit["total"] > 10 and len(audit["items"]) == 5


def test_openapi_is_served(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = demo
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/projects" in spec["paths"] and "/api/v1/projects/{code}/transitions" in spec["paths"]


def test_login_sessions_and_throttling(sessions: sessionmaker[Session]) -> None:
    from jixiao.domain.workflow import Role
    from jixiao.services.accounts import add_user

    load_demo(sessions)
    add_user(sessions, "zhang", "正确的密码-123456", Role.UNIT_EDITOR, "145001")
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    assert client.get("/api/v1/projects").json()["total"] == 2  # public
    wrong = client.post("/api/v1/session", json={"username": "zhang", "password": "错的"})
    assert wrong.status_code == 403 and wrong.json()["error"]["message"] == "用户名或密码不正确"
    good = client.post("/api/v1/session", json={"username": "zhang", "password": "正确的密码-123456"})
    assert good.status_code == 200 and "jixiao_session" in good.cookies
    assert client.get("/api/v1/projects").json()["total"] == 9  # the cookie makes it the unit
    client.delete("/api/v1/session")
    client.cookies.clear()
    assert client.get("/api/v1/projects").json()["total"] == 2
    for _ in range(5):
        client.post("/api/v1/session", json={"username": "zhang", "password": "猜"})
    locked = client.post("/api/v1/session", json={"username": "zhang", "password": "正确的密码-123456"})
    assert locked.status_code == 429 and "登录尝试过于频繁" in locked.json()["error"]["message"]
    assert locked.json()["error"]["code"] == "too_many_attempts"


def test_passwords_are_hashed_and_short_ones_refused(sessions: sessionmaker[Session]) -> None:
    from sqlalchemy import select

    from jixiao.domain.workflow import Role
    from jixiao.services.accounts import AccountError, add_user
    from jixiao.storage.models import User

    with pytest.raises(AccountError, match="至少 10 个字符"):
        add_user(sessions, "li", "short", Role.UNIT_EDITOR)
    add_user(sessions, "li", "long-enough-password", Role.ADMIN)
    with sessions() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "li"))
    assert stored is not None and stored.startswith("$argon2") and "long-enough" not in stored


def test_organizations_are_public(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = demo
    orgs = {o["code"]: o for o in client.get("/api/v1/organizations").json()}
    assert orgs["145001"]["parent"] == "145" and orgs["145"]["parent"] == "500115"
    assert orgs["500115"]["kind"] == "finance"


def test_self_evaluation_and_monitoring_submissions(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    code = "50011522T000000157087"  # 免费复印
    actuals = [{"indicator": "纸张使用量", "actual": "650000", "reason": "群众自带材料增多"},
               {"indicator": "墨粉消耗量", "actual": "192"}, {"indicator": "减少办事成本", "actual": "380000"},
               {"indicator": "群众满意度", "actual": "97"}]
    body = {"actuals": actuals, "budget": {"initial": "15.00", "adjusted": "15.00", "executed": "14.25"}}
    draft = client.post(f"/api/v1/projects/{code}/self-evaluations", json=body, headers=auth(tokens["unit145001"]))
    assert draft.status_code == 409 and draft.json()["error"]["code"] == "not_approved"  # returned: a draft
    for action, who in (("submit", "unit145001"), ("start_review", "dept145"), ("forward", "dept145"),
                        ("approve", "finance")):
        moved = client.post(f"/api/v1/projects/{code}/transitions", headers=auth(tokens[who]),
                            json={"action": action, "override_reason": "测试"})
        assert moved.status_code == 200, moved.text
    done = client.post(f"/api/v1/projects/{code}/self-evaluations", json=body, headers=auth(tokens["unit145001"]))
    assert done.status_code == 200, done.text
    assert done.json()["total"] == "97.56" and done.json()["grade"] == "优"  # as worked by hand in test_selfeval_seed
    listed = client.get(f"/api/v1/projects/{code}/self-evaluations", headers=auth(tokens["dept145"])).json()
    assert len(listed) == 1 and listed[0]["result"]["total"] == "97.56"
    bad = client.post(f"/api/v1/projects/{code}/self-evaluations", headers=auth(tokens["unit145001"]),
                      json={"actuals": [{"indicator": "纸张用量", "actual": "1"}], "budget": None})
    assert bad.status_code == 422 and bad.json()["error"]["details"]  # unknown indicator, missing rows: named
    assert bad.json()["error"]["code"] == "invalid_submission"
    assert client.post(f"/api/v1/projects/{code}/self-evaluations", json=body,
                       headers=auth(tokens["dept145"])).status_code == 403  # only the unit reports
    progress = [{"indicator": "纸张使用量", "to_date": "420000", "forecast": "720000"},
                {"indicator": "墨粉消耗量", "to_date": "20", "forecast": "150", "reason": "库存充足",
                 "likelihood": "有可能"},
                {"indicator": "减少办事成本", "to_date": "210000", "forecast": "360000"},
                {"indicator": "群众满意度", "to_date": "96", "forecast": "96"}]
    report = client.post(f"/api/v1/projects/{code}/monitoring", headers=auth(tokens["unit145001"]),
                         json={"month": 7, "progress": progress,
                               "budget": {"adjusted": "15.00", "executed_to_date": "8.75"}})
    assert report.status_code == 200, report.text
    data = report.json()
    assert data["spending"]["light"] == "绿" and data["indicators"][1]["light"] == "红"
    assert len(client.get(f"/api/v1/projects/{code}/monitoring", headers=auth(tokens["finance"])).json()) == 1


def test_comments_anchored_to_a_field_or_an_indicator(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    code = "50011522T000000132149"  # 水电维保
    done = client.post(f"/api/v1/projects/{code}/comments", headers=auth(tokens["dept145"]),
                       json={"comment": "分项合计177.12万元与总额147.12万元不符", "field": "annual_goal"})
    assert done.status_code == 200 and done.json()["anchor"] == {"field": "annual_goal"}
    row = client.post(f"/api/v1/projects/{code}/comments", headers=auth(tokens["dept145"]),
                      json={"comment": "二级指标应为可持续影响指标", "indicator": 2})
    assert row.json()["anchor"] == {"indicator": 2}
    assert client.post(f"/api/v1/projects/{code}/comments", headers=auth(tokens["dept145"]),
                       json={"comment": "x", "indicator": 9}).status_code == 409
    assert client.post(f"/api/v1/projects/{code}/comments", headers=auth(tokens["unit145001"]),
                       json={"comment": "x"}).status_code == 403
    reviews = client.get(f"/api/v1/projects/{code}", headers=auth(tokens["unit145001"])).json()["reviews"]
    assert [r["anchor"] for r in reviews if r["action"] == "comment"] == [{"field": "annual_goal"}, {"indicator": 2}]
