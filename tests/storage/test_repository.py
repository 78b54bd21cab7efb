"""The shared storage queries, on both databases: latest version, version numbers, hashes, batch lookup."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from jixiao.storage.models import ImportBatch, Project, TableVersion
from jixiao.storage.repository import content_hash, find_batch_by_hash, latest_numbers, latest_version, table_hash


def _project(session: Session, code: str, numbers: list[int]) -> int:
    project = Project(code=code, name=code)
    session.add(project)
    session.flush()
    for number in numbers:  # inserted out of order: "latest" is the highest number, not the last row
        session.add(TableVersion(project_id=project.id, number=number, content={"n": number},
                                 content_hash=f"{code}-{number}"))
    session.flush()
    return project.id


def test_latest_version_is_the_highest_number(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        first = _project(session, "P1", [2, 3, 1])
        second = _project(session, "P2", [1])
        empty = _project(session, "P3", [])
    with sessions() as session:
        latest = latest_version(session, first)
        assert latest is not None and (latest.number, latest.content) == (3, {"n": 3})
        other = latest_version(session, second)
        assert other is not None and other.number == 1
        assert latest_version(session, empty) is None


def test_latest_numbers_for_all_or_some_projects(sessions: sessionmaker[Session], engine: Engine) -> None:
    with sessions.begin() as session:
        first = _project(session, "P1", [1, 4, 2])
        second = _project(session, "P2", [1, 2])
        empty = _project(session, "P3", [])
    with sessions() as session:
        assert latest_numbers(session) == {first: 4, second: 2}
        assert latest_numbers(session, [second, empty]) == {second: 2}
        assert latest_numbers(session, []) == {}
    with engine.connect() as connection:  # the bulk loader asks on a Core connection
        assert latest_numbers(connection) == {first: 4, second: 2}


def test_hashes() -> None:
    assert content_hash(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert content_hash("绩效") == hashlib.sha256("绩效".encode()).hexdigest()
    assert table_hash({"a": 1, "b": "二"}) == table_hash({"b": "二", "a": 1})
    assert table_hash({"a": 1}) != table_hash({"a": 2})
    assert table_hash({"b": "二"}) == content_hash('{"b": "二"}')  # the form stored since the first schema


def test_find_batch_by_hash(sessions: sessionmaker[Session]) -> None:
    digest = content_hash(b"a file")
    with sessions.begin() as session:
        assert find_batch_by_hash(session, digest) is None
        batch = ImportBatch(file_name="a.txt", content_hash=digest)
        session.add(batch)
        session.flush()
        ident = batch.id
    with sessions() as session:
        assert find_batch_by_hash(session, digest) == ident
        assert find_batch_by_hash(session, content_hash(b"another file")) is None
