"""Every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``JIXIAO_TEST_PG_URL`` (default: the local server on 127.0.0.1:5432,
database ``test``). Each test gets its own database (a SQLite file, a PostgreSQL schema) at the newest
revision, dropped after. The migrations run once per test process, into a template: each test's SQLite file
is a copy of the migrated one, each PostgreSQL schema is created from ``pg_dump --schema-only`` of the migrated
template (the same DDL the migrations produced, in one round trip instead of 17 migrations per test). The
migrations themselves are tested from nothing in ``test_migrations.py``. Outside CI an unreachable server skips
the PostgreSQL half with the reason; in CI (``CI=true``) it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

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


_TEMPLATES: dict[str, object] = {}  # per test process: the migrated SQLite file, the PostgreSQL DDL


def _sqlite_head(factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head (once per process), checkpointed so that the file alone holds it."""
    if "sqlite" not in _TEMPLATES:
        path = factory.mktemp("template") / "head.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        _TEMPLATES["sqlite"] = path
    path = _TEMPLATES["sqlite"]
    assert isinstance(path, Path)
    return path


def _dump(schema: str, *options: str) -> str:
    """``pg_dump`` of one schema as SQL a driver can run (psql's meta-commands left out)."""
    dsn = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    dumped = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", f"--schema={schema}", *options, dsn],
                            capture_output=True, text=True, timeout=120, check=True).stdout
    return "\n".join(line for line in dumped.splitlines() if not line.startswith("\\"))  # \restrict …


def _postgres_head() -> tuple[str, str, str]:
    """(template schema name, its DDL from pg_dump, alembic revision): a schema migrated to head once per process."""
    if "postgresql" not in _TEMPLATES:
        for engine in _postgres_engine():
            upgrade(engine)
            with engine.connect() as connection:
                schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
                revision = str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
            _TEMPLATES["postgresql"] = (schema, _dump(schema, "--schema-only"), revision)
    found = _TEMPLATES["postgresql"]
    assert isinstance(found, tuple)
    return found


def _postgres_from(template: str, sql: str, revision: str | None) -> Iterator[Engine]:
    """A fresh schema made by running a template's dump (``revision``: the alembic row a schema-only dump lacks),
    dropped after."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, poolclass=NullPool)
    with admin.begin() as connection:  # (the dump's SET statements stay on this connection, which is closed after)
        with connection.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(sql.replace(template, schema))  # no parameters: the dump's '%' are text
        if revision is not None:
            connection.execute(text(f'INSERT INTO "{schema}".alembic_version (version_num) VALUES (:r)'),
                               {"r": revision})
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _postgres_at_head() -> Iterator[Engine]:
    """A fresh schema at head, made from the template's DDL, dropped after."""
    yield from _postgres_from(*_postgres_head())


def _seed(sessions: sessionmaker[Session]) -> dict[str, Actor]:
    """The seed's nine tables, a second department with a unit, and one user of each role."""
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


def _sqlite_seeded(factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Actor]]:
    """A SQLite file at head holding what :func:`_seed` writes (once per process)."""
    if "sqlite-seeded" not in _TEMPLATES:
        path = factory.mktemp("template") / "seeded.sqlite3"
        shutil.copyfile(_sqlite_head(factory), path)
        engine = make_engine(f"sqlite:///{path}")
        actors = _seed(session_factory(engine))
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        _TEMPLATES["sqlite-seeded"] = (path, actors)
    found = _TEMPLATES["sqlite-seeded"]
    assert isinstance(found, tuple)
    return found


def _postgres_seeded() -> tuple[str, str, dict[str, Actor]]:
    """(schema name, pg_dump of schema and rows as INSERTs, actors): a schema holding :func:`_seed`'s rows."""
    if "postgresql-seeded" not in _TEMPLATES:
        for engine in _postgres_at_head():
            actors = _seed(session_factory(engine))
            with engine.connect() as connection:
                schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
            _TEMPLATES["postgresql-seeded"] = (schema, _dump(schema, "--inserts"), actors)
    found = _TEMPLATES["postgresql-seeded"]
    assert isinstance(found, tuple)
    return found


_SEEDED: dict[int, dict[str, Actor]] = {}  # id(engine) -> the actors its copy of the seeded template holds


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database at head for this test alone; already seeded (a copy of the seeded template) when the test asks
    for ``actors``."""
    seeded = "actors" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "jixiao.sqlite3"
        if seeded:
            template, actors = _sqlite_seeded(tmp_path_factory)
        else:
            template, actors = _sqlite_head(tmp_path_factory), {}
        shutil.copyfile(template, path)
        created = make_engine(f"sqlite:///{path}")
        _SEEDED[id(created)] = actors
        yield created
        _SEEDED.pop(id(created), None)
        created.dispose()
    else:
        if seeded:
            schema, sql, actors = _postgres_seeded()
            made = _postgres_from(schema, sql, None)
        else:
            schema, ddl, revision = _postgres_head()
            made, actors = _postgres_from(schema, ddl, revision), {}
        for created in made:
            _SEEDED[id(created)] = actors
            yield created
            _SEEDED.pop(id(created), None)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def actors(engine: Engine) -> dict[str, Actor]:
    """The seed and one user of each role (see :func:`_seed`), copied from the process's seeded template."""
    return dict(_SEEDED[id(engine)])
