"""NUL characters and over-long values: the same clear refusal on SQLite and PostgreSQL, never a 500.

PostgreSQL cannot store ``\\0`` in text nor a value longer than its ``varchar``; SQLite stores both.
Requests are checked once at the edge (``web/inputs.py``), uploaded files by the import service
(``services/fields.py``), so both databases answer alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role, WorkflowError
from jixiao.services.accounts import add_user, login
from jixiao.services.context import AppContext
from jixiao.services.demo import load_demo
from jixiao.services.editing import save_draft
from jixiao.services.imports import import_as, import_bytes
from jixiao.services.organizations import import_organizations
from jixiao.services.permissions import Actor
from jixiao.storage.models import ImportBatch, Organization
from jixiao.web.app import create_app
from jixiao.web.deps import csrf_for
from tests.test_cli import SEED

MAIL = "50011522T000000132376"  # 免费邮寄, a draft in the seed


@pytest.fixture
def demo(sessions: sessionmaker[Session]) -> tuple[TestClient, dict[str, str]]:
    accounts = load_demo(sessions).accounts
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False, follow_redirects=False)
    return client, {user: token for user, _role, _password, token in accounts}


@pytest.mark.parametrize(("path", "named"), [
    ("/api/v1/projects?q=%00", "搜索词"), ("/api/v1/projects?unit=145%00", "单位"),
    ("/api/v1/projects/%00", "地址"), ("/api/v1/projects/%00/versions", "地址"),
    ("/api/v1/projects/%00/findings", "地址"),
])
def test_nul_in_api_requests_is_a_named_422(demo: tuple[TestClient, dict[str, str]], path: str, named: str) -> None:
    client, _ = demo
    response = client.get(path)
    assert response.status_code == 422, response.text[:300]
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and named in error["message"] and "空字符" in error["message"]


@pytest.mark.parametrize("path", ["/public?q=%00", "/public?department=%00", "/public/projects/%00",
                                  "/public/projects/%00.json", "/public/projects/%00.csv", "/login?next=%00"])
def test_nul_in_page_requests_is_a_chinese_error_page(demo: tuple[TestClient, dict[str, str]], path: str) -> None:
    client, _ = demo
    response = client.get(path)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert "含有空字符" in response.text


def test_nul_in_login_names_and_cookies(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = demo
    api = client.post("/api/v1/session", json={"username": "admin\u0000", "password": "whatever-123"})
    assert api.status_code == 422 and "用户名" in api.json()["error"]["message"]
    page = client.post("/login", data={"username": "admin\u0000", "password": "x", "csrf_token": "t"},
                       cookies={"jixiao_login_csrf": "t"})
    assert page.status_code == 422 and "用户名" in page.text
    cookie = client.get("/api/v1/projects", headers={"cookie": 'jixiao_session="\\000abc"'})
    assert cookie.status_code == 422 and "Cookie" in cookie.json()["error"]["message"]


def test_nul_in_api_imports_is_refused_before_the_database(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    seed = SEED.read_text("utf-8")
    named = client.post("/api/v1/imports", json={"file_name": "a\u0000.txt", "content": seed}, headers=headers)
    assert named.status_code == 422 and "文件名" in named.json()["error"]["message"]
    inside = client.post("/api/v1/imports", json={"file_name": "b.txt", "content": seed.replace("邮寄", "邮\u0000寄")},
                         headers=headers)
    assert inside.status_code == 422 and "文件内容" in inside.json()["error"]["message"]


def _refusal(result_diagnostics: list[object]) -> list[str]:
    return [d.message for d in result_diagnostics if getattr(d, "code", "") == "unstorable-value"]  # type: ignore[attr-defined]


def test_files_the_database_could_not_store_are_refused_whole(sessions: sessionmaker[Session]) -> None:
    seed = SEED.read_bytes()
    nul = import_bytes(sessions, seed.replace("邮寄数量".encode(), "邮寄\0数量".encode(), 1), "nul.txt")
    assert nul.status == "refused"
    assert _refusal(nul.diagnostics) == ["第2行指标的“三级指标”含有空字符（NUL），整个文件未导入"]
    header = import_bytes(sessions, seed.replace("免费邮寄".encode(), "免费\0邮寄".encode(), 1), "nul2.txt")
    assert _refusal(header.diagnostics) == ["“项目名称”含有空字符（NUL），整个文件未导入"]
    named = import_bytes(sessions, seed, "seed\0.txt")
    assert named.status == "refused" and _refusal(named.diagnostics) == ["文件名含有空字符（NUL），整个文件未导入"]
    long_name = import_bytes(sessions, seed, "x" * 501 + ".txt")
    assert long_name.status == "refused" and "超过上限 500 个字符" in _refusal(long_name.diagnostics)[0]
    code = import_bytes(sessions, seed.replace(MAIL.encode(), (MAIL + "9" * 60).encode(), 1), "code.txt")
    assert code.status == "refused" and "“项目编码”长 81 个字符，超过上限 64 个字符" in _refusal(code.diagnostics)[0]
    unit = import_bytes(sessions, seed.replace(b"145001-", ("145001-" + "长" * 201).encode(), 1), "u.txt")
    assert unit.status == "refused" and any("“单位名称”长" in m for m in _refusal(unit.diagnostics))
    with sessions() as session:  # nothing of any of them was written
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert session.scalar(select(func.count()).select_from(Organization)) == 0
    assert import_bytes(sessions, seed, "seed.txt").status == "imported"  # the clean file goes in


def test_the_import_page_refuses_a_file_with_nul(sessions: sessionmaker[Session],
                                                 demo: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = demo
    add_user(sessions, "edge-unit", "edge-password-1", Role.UNIT_EDITOR, "145001")
    found = login(sessions, "edge-unit", "edge-password-1")
    assert found is not None
    client.cookies.set("jixiao_session", found[0])
    data = SEED.read_bytes().replace("免费邮寄".encode(), "免费\0邮寄".encode(), 1)
    response = client.post("/import", data={"csrf_token": csrf_for(found[0])}, files={"files": ("nul.txt", data)})
    assert response.status_code == 200 and "含有空字符" in response.text and "整个文件未导入" in response.text


def test_the_editor_refuses_what_the_database_could_not_store(sessions: sessionmaker[Session],
                                                               actors: dict[str, Actor]) -> None:
    from jixiao.services import queries

    with sessions() as session:
        content = dict(queries.show_project(session, actors["unit"], MAIL)["table"])
    with pytest.raises(WorkflowError, match="超过上限 300 个字符"):
        save_draft(sessions, actors["unit"], MAIL, content | {"project_name": "长" * 301})
    with pytest.raises(WorkflowError, match="空字符"):
        save_draft(sessions, actors["unit"], MAIL, content | {"annual_goal": "目标\0"})


def test_organisation_files_with_over_long_codes_are_refused(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(f"编码,名称,类型,上级编码\n{'1' * 33},财政局,财政,\n2,{'名' * 201},财政,\n", encoding="utf-8")
    result = import_organizations(sessions, path)
    assert [d.message for d in result.diagnostics] == ["“编码”长 33 个字符，超过上限 32 个字符",
                                                       "“名称”长 201 个字符，超过上限 200 个字符"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 0


def test_units_importing_files_with_nul_get_the_same_refusal(sessions: sessionmaker[Session],
                                                             actors: dict[str, Actor]) -> None:
    data = SEED.read_bytes().replace("免费邮寄".encode(), "免费\0邮寄".encode(), 1)
    result = import_as(sessions, actors["unit"], data, "again.txt")
    assert result.status == "refused" and _refusal(result.diagnostics)


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/vnd.api+json", b'{"username": "admin\\u0000", "password": "whatever-123"}'),
    ("application/json", '{"username": "admin\\u0000", "password": "whatever-123"}'.encode("utf-16")),
    ("application/json; charset=utf-32", '{"username": "admin\\u0000", "password": "whatever-123"}'.encode("utf-32")),
    ("", b'{"username": "admin\\u0000", "password": "whatever-123"}'),  # FastAPI reads it as JSON too
])
def test_nul_in_json_of_any_spelling_is_refused(demo: tuple[TestClient, dict[str, str]], content_type: str,
                                                body: bytes) -> None:
    """Found by review: the guard looked only at application/json bodies holding the six bytes \\u0000."""
    client, _ = demo
    headers = {"content-type": content_type} if content_type else {}
    answer = client.post("/api/v1/session", content=body, headers=headers)
    assert answer.status_code == 422, answer.text[:300]
    assert answer.json()["error"]["code"] == "invalid_request" and "空字符" in answer.json()["error"]["message"]


def test_multipart_forms_are_refused_outside_the_upload_routes(demo: tuple[TestClient, dict[str, str]]) -> None:
    """A multipart login with NUL in the user name passed the guard and reached PostgreSQL (a 500)."""
    client, _ = demo
    form = client.get("/login")
    token = form.cookies.get("jixiao_login_csrf") or ""
    page = client.post("/login", files={"username": (None, "admin\u0000"), "password": (None, "whatever-123"),
                                        "csrf_token": (None, token)})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "multipart/form-data" in page.text
    api = client.post("/api/v1/projects/x/comments", files={"comment": (None, "意见\u0000")})
    assert api.status_code == 422 and api.json()["error"]["details"][0]["problem"] == "multipart_refused"
