"""Database engines: SQLite by default (a file under ./data/), PostgreSQL when a URL names it.

SQLite gets WAL, foreign keys and a busy timeout on every connection; there is one writer at a
time, which is what a unit's laptop or a small bureau needs. PostgreSQL is the production store.
JSON columns are written by msgspec (several times faster than ``json.dumps`` on a table's content,
UTF-8 rather than ``\\u`` escapes); reading stays ``json.loads``, which reads both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_SQLITE = Path("data") / "jixiao.sqlite3"
URL_VARIABLE = "JIXIAO_DATABASE_URL"
CONNECT_TIMEOUT = 10  # seconds to reach PostgreSQL
# How long a SQLite statement waits for another connection's write lock before it gives up (the web then answers
# 503 数据库正忙, nothing written). Long enough for a burst of requests on a slow laptop to queue rather than fail.
SQLITE_BUSY_MS = 20_000


def database_url() -> str:
    """``JIXIAO_DATABASE_URL`` or the default SQLite file (its folder is created)."""
    url = os.environ.get(URL_VARIABLE)
    if url:
        return url
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


_JSON = msgspec.json.Encoder()


def json_text(value: Any) -> str:
    """The JSON text stored for a JSON column (the engines' ``json_serializer``; the bulk loader's too)."""
    return _JSON.encode(value).decode("utf-8")


def _sqlite_pragmas(busy_ms: int) -> Any:
    def on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()
    return on_connect


def make_engine(url: str | None = None, *, sqlite_busy_ms: int | None = None, **options: Any) -> Engine:
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if ":memory:" not in url:
        # The API serves many requests at once from a thread pool: enough connections that they do not queue.
        options = {"pool_size": 20, "max_overflow": 20, "pool_pre_ping": url.startswith("postgresql"), **options}
    if url.startswith("postgresql"):  # an unreachable server is an error within seconds (/readyz), not minutes
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT, **options.get("connect_args", {})}
    engine = create_engine(url, **{"json_serializer": json_text, **options})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(SQLITE_BUSY_MS if sqlite_busy_ms is None else sqlite_busy_ms))
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
