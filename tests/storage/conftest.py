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
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.imports import import_files
from jixiao.services.permissions import Actor
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.storage.models import Organization, User
from tests.test_cli import SEED

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


@pytest.fixture
def actors(sessions: sessionmaker[Session]) -> dict[str, Actor]:
    import_files(sessions, [SEED])
    with sessions.begin() as session:
        unit = session.scalar(select(Organization).where(Organization.code == "145001"))
        department = session.scalar(select(Organization).where(Organization.code == "145"))
        other = Organization(code="999", name="另一个部门", kind="department")
        session.add(other)
        session.flush()
        other_unit = Organization(code="999001", name="另一个单位", kind="unit", parent_id=other.id)
        session.add(other_unit)
        session.flush()
        assert unit is not None and department is not None
        people = {"unit": (Role.UNIT_EDITOR, unit.id), "department": (Role.DEPARTMENT_REVIEWER, department.id),
                  "finance": (Role.FINANCE_REVIEWER, None), "other_unit": (Role.UNIT_EDITOR, other_unit.id),
                  "other_department": (Role.DEPARTMENT_REVIEWER, other.id)}
        actors = {}
        for name, (role, organization) in people.items():
            user = User(username=name, display_name=name, role=role.value, organization_id=organization)
            session.add(user)
            session.flush()
            actors[name] = Actor(user.id, role, organization)
        return actors
