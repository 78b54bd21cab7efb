"""``jixiao backup`` and ``restore`` on SQLite and PostgreSQL: a backup taken while a writer keeps inserting
is one instant of the database, and restoring it gives back exactly that content."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from jixiao.services.backup import backup, read_manifest, restore
from jixiao.services.context import AppContext, migrate
from jixiao.services.imports import import_files
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.storage.models import AuditEntry, Organization
from tests.test_cli import SEED


def _content(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    metadata = MetaData()
    metadata.reflect(engine)
    content = {}
    with engine.connect() as connection:
        for name, table in metadata.tables.items():
            order = list(table.primary_key.columns) or list(table.columns)
            content[name] = [tuple(row) for row in connection.execute(select(table).order_by(*order))]
    return content


class Writer(threading.Thread):
    """Inserts an organisation and its audit entry in one transaction, again and again, until stopped."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        super().__init__(daemon=True)
        self.sessions, self.done, self.stop, self.failure = sessions, 0, threading.Event(), None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with self.sessions.begin() as session:
                    org = Organization(code=f"W{self.done:06d}", name=f"写入者 {self.done}", kind="unit")
                    session.add(org)
                    session.flush()
                    session.add(AuditEntry(action="writer", object_type="organization", object_id=org.id))
                self.done += 1
        except Exception as error:  # reported by the test, not lost in the thread
            self.failure = error

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 30
        while self.done < count and self.failure is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert self.failure is None and self.done >= count, self.failure


def _writer_rows(content: dict[str, list[tuple[Any, ...]]]) -> tuple[int, int]:
    orgs = sum(1 for row in content["organizations"] if str(row[1]).startswith("W"))
    return orgs, sum(1 for row in content["audit_log"] if "writer" in row)


def test_backup_while_writing_restores_one_instant(engine: Engine, sessions: sessionmaker[Session],
                                                   tmp_path: Path) -> None:
    import_files(sessions, [SEED])
    context = AppContext(sessions)
    writer = Writer(sessions)
    writer.start()
    try:
        writer.wait_for(20)
        result = backup(context, tmp_path)
        at_backup = writer.done
        writer.wait_for(at_backup + 20)  # the writer goes on after the copy: the live database moves past it
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.failure is None
    live = _content(engine)

    manifest = read_manifest(result.path)
    assert manifest["engine"] == engine.dialect.name and manifest["tables"] == result.tables
    assert result.tables["projects"] == 9 and result.tables["table_versions"] == 9

    restore(AppContext(sessions), result.path)
    restored = _content(engine)

    assert set(restored) == set(live)
    assert {name: len(rows) for name, rows in restored.items()} == result.tables
    for name, rows in restored.items():  # the writer only appends: the snapshot is a prefix of every table
        assert rows == live[name][:len(rows)], name
    orgs, entries = _writer_rows(restored)
    assert orgs == entries >= 20  # each of the writer's transactions is in the copy whole, or not at all
    assert orgs < _writer_rows(live)[0]  # and the rows written after the copy are gone again
    untouched = set(live) - {"organizations", "audit_log"}
    assert all(restored[name] == live[name] for name in untouched)




@contextmanager
def _fresh_database(engine: Engine) -> Iterator[str]:
    """A new, empty database beside the server's test database (PostgreSQL), dropped afterwards."""
    name = f"jixiao_restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(engine.url.set(query={}), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield engine.url.set(database=name, query={}).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _round_trip(source: Engine, target_url: str, folder: Path) -> None:
    import_files(session_factory(source), [SEED])
    made = backup(AppContext(session_factory(source)), folder)
    target = AppContext.from_url(target_url)
    try:
        assert restore(target, made.path).tables["projects"] == 9
        migrate(target)
        assert _content(target.sessions.kw["bind"]) == _content(source)
    finally:
        target.close()


def test_restore_onto_a_new_machine(engine: Engine, tmp_path: Path) -> None:
    """A backup restored where there is no database yet: a new SQLite file in a new folder, or a new, empty
    PostgreSQL database from one where jixiao is in ``public``, as in production (the whole database is dumped)."""
    if engine.dialect.name == "sqlite":
        _round_trip(engine, f"sqlite:///{tmp_path / 'new-machine' / 'jixiao.sqlite3'}", tmp_path)
        return
    with _fresh_database(engine) as source_url, _fresh_database(engine) as target_url:
        source = make_engine(source_url)
        try:
            upgrade(source)
            _round_trip(source, target_url, tmp_path)
        finally:
            source.dispose()
