"""Copy a whole database to one file and back: what ``jixiao backup`` and ``jixiao restore`` stand on.

SQLite is copied with its online backup API from inside one read transaction, so the copy is the database
as it was at one instant while writers go on (in WAL mode they are not blocked, and the copy does not
restart when they write). PostgreSQL is dumped by ``pg_dump --format=custom`` from a snapshot exported by a
repeatable-read transaction, so the row counts taken in that transaction are those of the dump. Both sides
say what went wrong in Chinese (:class:`DumpError`); the archive around the copy is ``services/backup.py``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text

Progress = Callable[[int, int], None]  # (done, total) in the step's own unit (pages for SQLite)
STEP_PAGES = 1024  # pages per backup step: progress often enough, little overhead


class DumpError(Exception):
    """A copy or a restore that could not be done; ``str()`` is the Chinese reason."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the copy holds: rows per table and the schema revision (Alembic), counted in the copy itself."""

    tables: dict[str, int]
    revision: str | None


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (``None`` for PostgreSQL); an in-memory database cannot be copied."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    if not name or name == ":memory:":
        raise DumpError("内存中的 SQLite 数据库不能备份或恢复，请用数据库文件（JIXIAO_DATABASE_URL）")
    return Path(name)


def _sqlite_snapshot(connection: sqlite3.Connection) -> Snapshot:
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    tables = {name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names}
    revision = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return Snapshot(tables, revision)


def copy_sqlite(source: Path, target: Path, progress: Progress | None = None) -> Snapshot:
    """Copy the SQLite database ``source`` to the new file ``target`` as of one instant (writers may go on)."""
    if not source.is_file():
        raise DumpError(f"数据库文件不存在：{source}")
    reader = sqlite3.connect(source, isolation_level=None, timeout=30)
    writer = sqlite3.connect(target)
    try:
        reader.execute("BEGIN")  # one read transaction: every step of the copy sees the same instant
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        reader.backup(writer, pages=STEP_PAGES,
                      progress=(lambda _status, left, total: progress(total - left, total)) if progress else None)
        reader.execute("COMMIT")
        writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        return _sqlite_snapshot(writer)
    except sqlite3.Error as error:
        raise DumpError(f"复制 SQLite 数据库 {source} 失败：{error}") from None
    finally:
        writer.close()
        reader.close()


def check_sqlite(path: Path) -> Snapshot:
    """The copy's rows and revision, after SQLite's own integrity check (a damaged copy is refused)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise DumpError(f"备份中的 SQLite 数据库已损坏：{verdict}")
            return _sqlite_snapshot(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise DumpError(f"备份中的数据库不是有效的 SQLite 数据库：{error}") from None


def restore_sqlite(source: Path, target: Path, progress: Progress | None = None) -> None:
    """Replace the content of the database ``target`` (created if missing) with the copy ``source``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target, timeout=30)
    try:
        reader.backup(writer, pages=STEP_PAGES,
                      progress=(lambda _status, left, total: progress(total - left, total)) if progress else None)
    except sqlite3.Error as error:
        raise DumpError(f"恢复到 SQLite 数据库 {target} 失败（是否有程序正在使用它？）：{error}") from None
    finally:
        writer.close()
        reader.close()


def tool(name: str) -> str:
    """The full path of a PostgreSQL client program, or a Chinese error saying how to get it."""
    found = shutil.which(name)
    if found is None:
        raise DumpError(f"找不到 PostgreSQL 客户端程序 {name}：请安装与服务器同一主版本的 PostgreSQL 客户端"
                        f"（Debian/Ubuntu：apt install postgresql-client），并确认它在 PATH 中")
    return found


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The connection URI for the client programs (without the password) and their environment (PGPASSWORD)."""
    url = engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DumpError(f"{what}失败（{Path(command[0]).name} 退出码 {done.returncode}）：{done.stderr.strip()}")


def table_counts(engine: Engine) -> Snapshot:
    """Rows per table and the schema revision as the database is now (the check after a restore)."""
    with engine.connect() as connection:
        names = sorted(inspect(connection).get_table_names())
        tables = {name: int(connection.scalar(text(f'SELECT count(*) FROM "{name}"')) or 0) for name in names}
        revision = connection.scalar(text("SELECT version_num FROM alembic_version")) \
            if "alembic_version" in tables else None
    return Snapshot(tables, revision)


def dump_postgres(engine: Engine, target: Path) -> Snapshot:
    """``pg_dump --format=custom`` of jixiao's schema to ``target``, from the instant its rows were counted."""
    program = tool("pg_dump")
    uri, env = _libpq(engine)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        schema = connection.scalar(text("SELECT current_schema()"))
        names = sorted(inspect(connection).get_table_names())
        tables = {name: int(connection.scalar(text(f'SELECT count(*) FROM "{name}"')) or 0) for name in names}
        revision = connection.scalar(text("SELECT version_num FROM alembic_version")) \
            if "alembic_version" in tables else None
        # jixiao in a schema of its own (not public): only that schema, so a restore touches nothing else
        only = [f"--schema={schema}"] if schema and schema != "public" else []
        _run([program, "--format=custom", f"--snapshot={snapshot}", *only, f"--file={target}", f"--dbname={uri}"],
             env, "pg_dump 导出数据库")
    return Snapshot(tables, revision)


def check_postgres_dump(path: Path) -> None:
    """``pg_restore --list``: the file is a dump pg_restore can read."""
    _run([tool("pg_restore"), "--list", str(path)], dict(os.environ), "读取备份中的 PostgreSQL 导出文件")


def restore_postgres(engine: Engine, source: Path) -> None:
    """``pg_restore --clean --if-exists`` of ``source`` into the database, in one transaction."""
    uri, env = _libpq(engine)
    engine.dispose()  # our own pooled connections hold no locks the restore would wait for
    _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
          "--exit-on-error", f"--dbname={uri}", str(source)], env, "pg_restore 恢复数据库")
