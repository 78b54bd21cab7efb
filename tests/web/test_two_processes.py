"""Two real ``jixiao serve`` processes on one PostgreSQL database, as several machines behind nginx run it.

Nothing a request depends on may live in one process only: a login made on A is valid on B, a CSRF token a
page of one process carries is accepted by the other, failed logins count across both, and a logout on A ends
the session on B at once. The same pair shows the proxy setting: A trusts X-Forwarded-Proto from 127.0.0.1
(Secure cookies and HSTS over HTTPS, neither over plain http), B is told its proxy is elsewhere
(``FORWARDED_ALLOW_IPS``) and ignores the header.

PostgreSQL as in tests/storage/conftest.py (a schema of this test's own, dropped after); unreachable, it skips
with the reason outside CI and fails under ``CI=true``.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.storage.db import session_factory
from jixiao.storage.migrate import upgrade
from tests.storage.conftest import _postgres_engine
from tests.web.conftest import _free_port

PASSWORD = "two-processes-password"
SESSION = "jixiao_session"
LOGIN_CSRF = "jixiao_login_csrf"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def cookie(self, name: str) -> str | None:
        for line in self.headers.get_all("set-cookie") or []:
            if line.startswith(f"{name}="):
                return line.split(";", 1)[0].split("=", 1)[1].strip('"')
        return None

    def cookie_line(self, name: str) -> str:
        return next(line for line in self.headers.get_all("set-cookie") or [] if line.startswith(f"{name}="))


def call(port: int, method: str, path: str, cookies: dict[str, str] | None = None,
         form: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Answer:
    """One request, no redirect followed (a 303 is what a login or logout answers)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        return Answer(answer.status, answer.headers, answer.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def page_csrf(answer: Answer) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', answer.body)
    assert found, answer.body[:500]
    return found.group(1)


def sign_in(port: int, username: str, password: str, login_port: int | None = None,
            headers: dict[str, str] | None = None) -> Answer:
    """The login form fetched from ``login_port`` (default: the same process) and posted to ``port``."""
    form = call(login_port or port, "GET", "/login")
    token = form.cookie(LOGIN_CSRF)
    assert token and page_csrf(form) == token
    return call(port, "POST", "/login", cookies={LOGIN_CSRF: token},
                form={"username": username, "password": password, "csrf_token": token, "next": "/projects"},
                headers=headers)


def signed_in_on(port: int, secret: str) -> bool:
    answer = call(port, "GET", "/projects", cookies={SESSION: secret})
    assert answer.status in (200, 303), answer.status
    return answer.status == 200


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    for engine in _postgres_engine():
        upgrade(engine)
        add_user(session_factory(engine), "officer", PASSWORD, Role.FINANCE_REVIEWER)
        yield _url(engine)


def _url(engine: Engine) -> str:
    with engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    return engine.url.render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"


@pytest.fixture(scope="module")
def ports(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """A (trusts the proxy on 127.0.0.1, uvicorn's default) and B (told the proxy is at another address)."""
    logs = tmp_path_factory.mktemp("servers")
    chosen = (_free_port(), _free_port())
    processes: list[subprocess.Popen[bytes]] = []
    for port, extra in zip(chosen, ({}, {"FORWARDED_ALLOW_IPS": "10.255.255.1"}), strict=True):
        env = {**os.environ, "JIXIAO_DATABASE_URL": database, "JIXIAO_LOG_LEVEL": "WARNING", **extra}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        with (logs / f"{port}.log").open("wb") as sink:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "jixiao.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env, stdout=subprocess.DEVNULL, stderr=sink))
    try:
        for port, process in zip(chosen, processes, strict=True):
            _wait_ready(port, process, logs / f"{port}.log")
        yield chosen
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def _wait_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until /readyz answers (a few seconds; a busy machine may take much longer, so the wait is generous)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if call(port, "GET", "/readyz").status == 200:
                return
        except OSError:
            pass
        assert process.poll() is None, log.read_text("utf-8", "replace")
        time.sleep(0.05)
    raise AssertionError(f"port {port} not ready: {log.read_text('utf-8', 'replace')}")


def test_sessions_csrf_and_logout_are_shared(ports: tuple[int, int]) -> None:
    a, b = ports
    first = sign_in(a, "officer", PASSWORD)
    assert first.status == 303, first.body[:300]
    secret = first.cookie(SESSION)
    assert secret and signed_in_on(b, secret) and signed_in_on(a, secret)
    refused = call(b, "POST", "/logout", cookies={SESSION: secret}, form={"csrf_token": "0" * 40})
    assert refused.status == 403 and signed_in_on(a, secret)  # a wrong token is refused: nothing ends

    second = sign_in(b, "officer", PASSWORD, login_port=a)  # the login form's token from A, accepted by B
    assert second.status == 303, second.body[:300]
    other = second.cookie(SESSION)
    assert other and other != secret and signed_in_on(a, other)

    token_from_b = page_csrf(call(b, "GET", "/projects", cookies={SESSION: secret}))
    out = call(a, "POST", "/logout", cookies={SESSION: secret}, form={"csrf_token": token_from_b})
    assert out.status == 303 and out.headers["location"] == "/login"
    assert not signed_in_on(b, secret) and not signed_in_on(a, secret)  # the logout on A holds on B at once
    assert signed_in_on(b, other)  # the other session is untouched

    token_from_a = page_csrf(call(a, "GET", "/projects", cookies={SESSION: other}))
    assert call(b, "POST", "/logout", cookies={SESSION: other}, form={"csrf_token": token_from_a}).status == 303
    assert not signed_in_on(a, other)


def test_failed_logins_count_across_processes(ports: tuple[int, int]) -> None:
    """Five free attempts per user name and address, then a doubling delay (1 s, 2 s, 4 s …), whichever process
    gets them. Alternating A and B, a refusal must come by the 10th attempt: counted per process, each would have
    had only five (A: attempts 1, 3, 5, 7, 9), so neither could refuse before the 11th. (Normally the 6th is
    refused; on a slow machine the first delays may pass between two attempts, hence the margin.)"""
    a, b = ports
    statuses: list[int] = []
    held = None
    for attempt in range(10):
        answer = sign_in((a, b)[attempt % 2], "guesser", "wrong-password-123")
        statuses.append(answer.status)
        if answer.status == 429:
            held = answer
            break
    assert statuses[:5] == [401] * 5 and held is not None, statuses
    assert "登录尝试过于频繁" in held.body and int(held.headers["retry-after"]) >= 1


def test_secure_cookies_and_hsts_only_over_https_from_a_trusted_proxy(ports: tuple[int, int]) -> None:
    a, b = ports
    https = {"X-Forwarded-Proto": "https"}
    proxied = sign_in(a, "officer", PASSWORD, headers=https)
    assert proxied.status == 303
    assert "secure" in proxied.cookie_line(SESSION).lower().split("; ")
    assert proxied.headers["strict-transport-security"].startswith("max-age=")
    plain = sign_in(a, "officer", PASSWORD)
    assert plain.status == 303 and "secure" not in plain.cookie_line(SESSION).lower().split("; ")
    assert plain.headers["strict-transport-security"] is None
    untrusted = sign_in(b, "officer", PASSWORD, headers=https)  # B's proxy is elsewhere: the header is ignored
    assert untrusted.status == 303 and "secure" not in untrusted.cookie_line(SESSION).lower().split("; ")
    assert untrusted.headers["strict-transport-security"] is None
