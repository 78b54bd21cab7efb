"""A database held by another writer longer than a request waits answers 503 数据库正忙, never a 500.

The lock is held by a second connection for real (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``LOCK TABLE`` with a
short ``lock_timeout`` on the app's connections), so the driver's own busy error reaches the web layer.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.services.context import AppContext
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.web.app import create_app
from tests.storage.conftest import PG_URL, _postgres_engine

PASSWORD = "正确的密码-123456"


def _app(engine: Engine) -> TestClient:
    sessions = session_factory(engine)
    add_user(sessions, "zhang", PASSWORD, Role.UNIT_EDITOR)
    return TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)


def _assert_busy(client: TestClient) -> None:
    answer = client.post("/api/v1/session", json={"username": "zhang", "password": PASSWORD})
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"]["code"] == "database_busy"
    assert "数据库正忙" in answer.json()["error"]["message"]
    assert answer.headers["Retry-After"] == "2"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    page = client.post("/login", data={"username": "zhang", "password": PASSWORD, "next": "/",
                                       "csrf_token": token.group(1)}, follow_redirects=False)
    assert page.status_code == 503
    assert "数据库正忙" in page.text


def test_sqlite_locked_by_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "jixiao.sqlite3"
    engine = make_engine(f"sqlite:///{path}", sqlite_busy_ms=200)
    upgrade(engine)
    client = _app(engine)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write
    try:
        _assert_busy(client)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    answer = client.post("/api/v1/session", json={"username": "zhang", "password": PASSWORD})
    assert answer.status_code == 200  # the same request, sent again once the lock is gone
    engine.dispose()


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    for engine in _postgres_engine():
        upgrade(engine)
        with engine.connect() as connection:
            yield str(connection.execute(text("SELECT current_schema()")).scalar_one())


def test_postgresql_lock_timeout(postgres_schema: str) -> None:
    options = f"-csearch_path={postgres_schema} -clock_timeout=200"
    engine = make_engine(PG_URL, connect_args={"options": options})
    client = _app(engine)
    holder = make_engine(PG_URL, connect_args={"options": f"-csearch_path={postgres_schema}"})
    with holder.connect() as connection:
        connection.execute(text("LOCK TABLE login_throttle IN ACCESS EXCLUSIVE MODE"))
        _assert_busy(client)
        connection.rollback()
    answer = client.post("/api/v1/session", json={"username": "zhang", "password": PASSWORD})
    assert answer.status_code == 200
    engine.dispose()
    holder.dispose()


def test_other_database_faults_stay_500(tmp_path: Path) -> None:
    """Only a lock is 'busy': a broken database is a logged internal error, not a reason to retry."""
    path = tmp_path / "jixiao.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    client = _app(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE login_throttle"))
    answer = client.post("/api/v1/session", json={"username": "zhang", "password": PASSWORD})
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal_error"
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text("SELECT * FROM login_throttle"))
    engine.dispose()


def test_cli_on_a_locked_database_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``jixiao import`` while another process writes: a Chinese message and exit 75 (try again), no traceback."""
    from jixiao.cli.main import main
    from jixiao.storage import db
    from tests.test_cli import SEED

    path = tmp_path / "jixiao.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    monkeypatch.setattr(db, "SQLITE_BUSY_MS", 200)
    monkeypatch.setenv("JIXIAO_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setattr("sys.argv", ["jixiao", "import", str(SEED)])
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(SystemExit) as exited:
            main()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert exited.value.code == 75
    said = capsys.readouterr()
    assert "数据库正忙" in said.err + said.out
    assert "Traceback" not in said.err + said.out
