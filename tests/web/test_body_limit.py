"""Request bodies are counted as they arrive: a chunked body over the limit is stopped, never read whole.

The bodies come from generators through httpx's ASGI transport, which hands the application one
chunk per ``receive`` (the way a server does), so the test sees how much the application consumed.
"""

from __future__ import annotations

import asyncio
import select
import socket
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user, login
from jixiao.services.context import AppContext
from jixiao.services.organizations import import_organizations
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.web.app import create_app
from jixiao.web.deps import csrf_for
from jixiao.web.settings import MAX_FORM_BODY, MAX_UPLOAD_BODY, SESSION_COOKIE
from tests.web.conftest import Server

CHUNK = 64 * 1024
ORGS = "编码,名称,类型,上级编码\n500115,财政局,财政,\n145,部门,主管部门,500115\n145001,单位,单位,145\n"


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    folder = tmp_path_factory.mktemp("limit")
    engine = make_engine(f"sqlite:///{folder / 'jixiao.sqlite3'}")
    upgrade(engine)
    made = session_factory(engine)
    (folder / "orgs.csv").write_text(ORGS, encoding="utf-8")
    assert not import_organizations(made, folder / "orgs.csv").diagnostics
    add_user(made, "unit", "limit-password-1", Role.UNIT_EDITOR, "145001")
    yield made
    engine.dispose()


class Source:
    """An endless body in chunks, counting what the server took."""

    def __init__(self, prefix: bytes = b"") -> None:
        self.prefix, self.sent = prefix, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.prefix:
            self.sent += len(self.prefix)
            yield self.prefix
        for _ in range(10_000):  # 640 MB if nobody stops reading
            self.sent += CHUNK
            yield b"a" * CHUNK


def _send(sessions: sessionmaker[Session], method: str, path: str, source: Source,
          headers: dict[str, str] | None = None, cookies: dict[str, str] | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(AppContext(sessions)), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=cookies) as client:
            return await client.request(method, path, content=source.__aiter__(), headers=headers)

    return asyncio.run(go())


def test_a_chunked_login_body_is_stopped_at_the_small_limit(sessions: sessionmaker[Session]) -> None:
    source = Source(b'{"username": "unit", "password": "')
    response = _send(sessions, "POST", "/api/v1/session", source, {"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large" and "请求体过大" in response.json()["error"]["message"]
    assert MAX_FORM_BODY < source.sent <= MAX_FORM_BODY + 2 * CHUNK  # read up to the limit, not 640 MB


def test_a_chunked_upload_is_stopped_at_the_upload_limit(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    found = login(sessions, "unit", "limit-password-1")
    assert found is not None
    secret = found[0]
    boundary = "jixiaoboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf_for(secret)}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    source = Source(head)
    response = _send(sessions, "POST", "/import", source,
                     {"content-type": f"multipart/form-data; boundary={boundary}"}, {SESSION_COOKIE: secret})
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
    assert "请求体过大（上限 5 MB）" in response.text
    assert MAX_UPLOAD_BODY < source.sent <= MAX_UPLOAD_BODY + 2 * CHUNK


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/login"), ("POST", "/logout"), ("POST", "/projects/X/edit"), ("POST", "/projects/X/edit/check"),
    ("POST", "/projects/X/selfeval/preview"), ("POST", "/api/v1/projects/X/transitions"),
    ("POST", "/api/v1/imports"), ("PUT", "/api/v1/nowhere"),
])
def test_every_route_counts_its_body(sessions: sessionmaker[Session], method: str, path: str) -> None:
    source = Source()
    kind = "application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded"
    response = _send(sessions, method, path, source, {"content-type": kind})
    assert response.status_code == 413, response.text[:200]
    limit = MAX_UPLOAD_BODY if path == "/api/v1/imports" else MAX_FORM_BODY
    assert source.sent <= limit + 2 * CHUNK


def test_bodies_under_the_limit_are_read_whole(sessions: sessionmaker[Session]) -> None:
    async def small() -> AsyncIterator[bytes]:
        yield b'{"username": "unit", '
        yield b'"password": "limit-password-1"}'

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(AppContext(sessions)))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post("/api/v1/session", content=small(), headers={"content-type": "application/json"})

    response = asyncio.run(go())
    assert response.status_code == 200 and response.json()["role"] == "unit_editor"


def test_a_real_server_answers_413_while_a_chunked_body_is_still_being_sent(server: Server) -> None:
    """``jixiao serve`` (uvicorn) over a socket: the 413 comes after about the limit, not after 200 MB."""
    host, port = server.url.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (CHUNK, b"a" * CHUNK)
        answered = False
        try:
            while sent < 200 * 1024 * 1024 and not answered:
                connection.sendall(chunk)
                sent += CHUNK
                answered = bool(select.select([connection], [], [], 0)[0])
        except (BrokenPipeError, ConnectionResetError):
            answered = True  # the server closed the connection after its answer
        assert answered
        head = connection.recv(65536).split(b"\r\n", 1)[0]
    assert head == b"HTTP/1.1 413 Request Entity Too Large", head
    print(f"sent before the answer: {sent / 1024 / 1024:.1f} MB")
    assert sent < 64 * 1024 * 1024  # the limit is 1 MB; the rest sat in socket buffers
    assert urllib.request.urlopen(f"{server.url}/public", timeout=5).status == 200  # and it keeps serving
