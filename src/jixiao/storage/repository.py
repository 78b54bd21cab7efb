"""The storage queries several use cases repeat, written once.

A project's current version, the hash that makes an identical table or file a no-op, and the lookup
of an imported file by that hash were copied in the import, editing, workflow, submission, query and
bulk services; a change to what "latest" or "identical" means now happens here, for all of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, false, func, select, text, update
from sqlalchemy.orm import Session

from jixiao.storage.models import HistoryState, ImportBatch, Project, ReviewRecord, TableVersion


def content_hash(data: bytes | str) -> str:
    """SHA-256 of bytes (a file as imported) or of text, encoded as UTF-8."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def table_hash(content: dict[str, Any]) -> str:
    """The hash of a table's JSON content, independent of key order: equal content, equal hash."""
    return content_hash(json.dumps(content, ensure_ascii=False, sort_keys=True))


def latest_version(session: Session, project_id: int) -> TableVersion | None:
    """The project's version with the highest number, or ``None`` when it has none."""
    return session.scalar(select(TableVersion).where(TableVersion.project_id == project_id)
                          .order_by(TableVersion.number.desc()).limit(1))


def submitted_by(session: Session, project_id: int) -> int | None:
    """Who made the project's latest submission (提交) of its current version (``None``: none on record)."""
    return session.scalar(select(ReviewRecord.user_id).join(TableVersion, TableVersion.id == ReviewRecord.version_id)
                          .where(TableVersion.project_id == project_id, ReviewRecord.action == "submit")
                          .order_by(TableVersion.number.desc(), ReviewRecord.id.desc()).limit(1))


def latest_numbers(connection: Connection | Session, project_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Project id → its highest version number (all projects when ``project_ids`` is ``None``)."""
    query = select(TableVersion.project_id, func.max(TableVersion.number)).group_by(TableVersion.project_id)
    if project_ids is not None:
        query = query.where(TableVersion.project_id.in_(list(project_ids)))
    return {project: number for project, number in connection.execute(query)}  # noqa: C416 (rows, not pairs)


def find_batch_by_hash(session: Session, digest: str) -> int | None:
    """The id of the import batch of the file with this hash, if it was imported before."""
    return session.scalar(select(ImportBatch.id).where(ImportBatch.content_hash == digest))


def lock_project(session: Session, project: Project, expected_state: str | None = None,
                 new_state: str | None = None) -> bool:
    """Take the project's row for the rest of this transaction, as a compare-and-set on its state.

    One ``UPDATE projects … WHERE id = :id [AND state = :expected]`` does it on both databases: on
    PostgreSQL it holds the row lock, so a concurrent writer waits here and then sees our commit; on
    SQLite it takes the one write lock (unless an earlier write of the transaction has), so reads
    after it are current. Call it before reading what the write depends on. ``False`` when the state
    is no longer ``expected_state`` (someone else moved the project meanwhile): nothing was changed.
    The project is refreshed either way, so its attributes are what the database now holds.
    """
    statement = update(Project).where(Project.id == project.id)
    if expected_state is not None:
        statement = statement.where(Project.state == expected_state)
    statement = statement.values(state=new_state if new_state is not None else Project.state)
    done = session.execute(statement.execution_options(synchronize_session=False))
    session.refresh(project)
    return bool(getattr(done, "rowcount", 0) == 1)


def lock_projects(session: Session, codes: Iterable[str]) -> None:
    """Take the rows of the projects with these codes that exist, in code order.

    A file may hold several projects; two files holding the same ones in another order would each
    take one row and wait for the other's (a deadlock on PostgreSQL). Taken in one order up front,
    the second simply waits. (SQLite has one write lock for the whole database: nothing to order.)
    """
    wanted = sorted(set(codes))
    if wanted:
        session.execute(select(Project.id).where(Project.code.in_(wanted)).order_by(Project.code)
                        .with_for_update()).all()


def serialise(session: Session, key: int) -> None:
    """Make the transactions that call this with ``key`` run one after another, from here to their end: an advisory
    lock on PostgreSQL (per schema); on SQLite, which has one writer at a time, a write (of nothing) that takes the
    write lock. Call it first in the transaction, before reading what the work depends on."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"), {"key": key})
    else:
        session.execute(update(HistoryState).where(false()).values(fresh=False))
