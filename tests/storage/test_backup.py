"""``jixiao backup`` and ``restore`` on SQLite and PostgreSQL: a backup taken while a writer keeps inserting
is one instant of the database, and restoring it gives back exactly that content."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.backup import backup, read_manifest, restore
from jixiao.services.context import AppContext
from jixiao.services.imports import import_files
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

