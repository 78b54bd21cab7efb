"""What every answer carries: no caching of signed-in pages and the API, CSP on the API and its vendored
docs, Secure cookies and HSTS over HTTPS, status messages only from the server, a logout that holds."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.context import AppContext
from jixiao.web.app import create_app
from tests.web.test_pages import PASSWORD, RETURNED, _client, _csrf, sessions

__all__ = ["sessions"]  # the module's database, shared with test_pages


def _signed_in(sessions: sessionmaker[Session], username: str, base_url: str = "http://testserver") -> TestClient:
    client = TestClient(create_app(AppContext(sessions)), base_url=base_url, follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    done = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)})
    assert done.status_code == 303
    return client


@pytest.mark.parametrize("path", ["/", f"/projects/{RETURNED}", "/projects", "/import", "/api/v1/projects",
                                  f"/api/v1/projects/{RETURNED}", "/api/v1/nowhere", "/api/v1/openapi.json"])
def test_signed_in_pages_and_every_api_answer_are_not_stored(sessions: sessionmaker[Session], path: str) -> None:
    response = _client(sessions, "unit").get(path)
    assert response.headers.get("cache-control") == "no-store", path


def test_static_files_may_be_cached(sessions: sessionmaker[Session]) -> None:
    assert "no-store" not in _client(sessions).get("/static/app.css").headers.get("cache-control", "")


def test_the_api_and_its_docs_have_a_csp_and_no_cdn(sessions: sessionmaker[Session]) -> None:
    client = _client(sessions)
    for path in ("/api/v1/projects", "/api/v1/docs", "/api/v1/openapi.json", "/api/v1/nowhere"):
        policy = client.get(path).headers.get("content-security-policy", "")
        assert "default-src 'none'" in policy and "script-src 'self'" in policy, path
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "<script>" not in docs.text and "https://" not in docs.text
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', docs.text)
    assert "/static/vendor/swagger-ui-5.35.0-bundle.js" in scripts and "/static/vendor/swagger-ui-5.35.0.css" in scripts
    for asset in scripts:
        assert asset.startswith("/static/") and client.get(asset).status_code == 200, asset


def test_cookies_are_secure_and_hsts_is_sent_over_https(sessions: sessionmaker[Session]) -> None:
    client = TestClient(create_app(AppContext(sessions)), base_url="https://testserver", follow_redirects=False)
    page = client.get("/login")
    assert "secure" in page.headers["set-cookie"].lower()
    assert page.headers["strict-transport-security"].startswith("max-age=")
    done = client.post("/login", data={"username": "unit", "password": PASSWORD, "csrf_token": _csrf(page.text)})
    assert done.status_code == 303 and "jixiao_session=" in done.headers["set-cookie"]
    assert "secure" in done.headers["set-cookie"].lower()
    api = client.post("/api/v1/session", json={"username": "unit", "password": PASSWORD})
    assert "secure" in api.headers["set-cookie"].lower()
    plain = _client(sessions).get("/login")  # plain http (a laptop, the tests): no HSTS, cookies still work
    assert "strict-transport-security" not in plain.headers and "secure" not in plain.headers["set-cookie"].lower()


def test_secure_cookies_can_be_required_whatever_the_scheme(sessions: sessionmaker[Session],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.web import cookies, headers

    monkeypatch.setattr(cookies, "SECURE_COOKIES", "always")
    monkeypatch.setattr(headers, "SECURE_COOKIES", "always")
    page = _client(sessions).get("/login")
    assert "secure" in page.headers["set-cookie"].lower() and "strict-transport-security" in page.headers


def test_a_link_cannot_put_text_in_the_status_box(sessions: sessionmaker[Session]) -> None:
    dept = _client(sessions, "dept")
    spoofed = dept.get(f"/projects/{RETURNED}", params={"msg": "系统升级，请把密码发到 evil@example.com"}).text
    assert "evil@example.com" not in spoofed and 'id="flash"' not in spoofed


def test_the_server_shows_its_own_message_once(sessions: sessionmaker[Session]) -> None:
    dept = _client(sessions, "dept")
    page = dept.get(f"/projects/{RETURNED}").text
    done = dept.post(f"/projects/{RETURNED}/comment", data={"text": "请核实", "csrf_token": _csrf(page)})
    assert done.status_code == 303 and "msg=" not in done.headers["location"]
    shown = dept.get(done.headers["location"])
    assert 'id="flash"' in shown.text and "审核意见已保存" in shown.text
    assert 'id="flash"' not in dept.get(done.headers["location"]).text  # once
    flash = done.cookies.get("jixiao_flash") or ""
    assert flash  # someone else's (valid for dept) message is not shown to another user
    other = _client(sessions, "admin2")
    other.cookies.set("jixiao_flash", flash)
    assert "审核意见已保存" not in other.get(f"/projects/{RETURNED}").text
    forged = _client(sessions, "dept")
    forged.cookies.set("jixiao_flash", "5Ly66YCg.0000")
    assert 'id="flash"' not in forged.get(f"/projects/{RETURNED}").text


def test_a_logout_with_a_bad_token_changes_nothing(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    refused = unit.post("/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403 and "未退出" in refused.text
    assert "jixiao_session" not in refused.headers.get("set-cookie", "")  # the cookie is kept …
    assert unit.get("/").status_code == 200  # … and so is the session
    secret = unit.cookies.get("jixiao_session")
    done = unit.post("/logout", data={"csrf_token": _csrf(unit.get("/").text)})
    assert done.status_code == 303 and 'jixiao_session=""' in done.headers["set-cookie"]
    again = _client(sessions)
    again.cookies.set("jixiao_session", secret or "")
    assert again.get("/").headers["location"] == "/login?expired=1"  # the server session is gone too
