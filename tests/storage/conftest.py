"""Every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``JIXIAO_TEST_PG_URL`` (default: the local server on 127.0.0.1:5432,
database ``test``). Each test gets its own schema, migrated from nothing and dropped after. Outside
CI an unreachable server skips the PostgreSQL half with the reason; in CI (``CI=true``) it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade

PG_URL = os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_engine() -> Iterator[Engine]:
    admin = make_engine(PG_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        message = f"PostgreSQL 不可用（{PG_URL}）：{error.orig}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "jixiao.sqlite3"
        created = make_engine(f"sqlite:///{path}")
        upgrade(created)
        yield created
        created.dispose()
    else:
        for created in _postgres_engine():
            upgrade(created)
            yield created


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)
