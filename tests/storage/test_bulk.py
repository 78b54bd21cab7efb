"""The bulk loader used for archives and the benchmark, on both databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from jixiao.io.reading import read_path
from jixiao.services.bulk import BulkLoader, version_row
from jixiao.storage.models import Organization, Project, TableVersion
from tests.test_cli import SEED


def test_bulk_load_twice_gives_second_versions(engine: Engine) -> None:
    tables = [r.table for r in read_path(SEED) if r.table is not None]
    loader = BulkLoader(engine)
    loader.load([version_row(t) for t in tables])
    BulkLoader(engine).load([version_row(t) for t in tables])  # a fresh loader reads what exists
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Project)) == 9
        assert connection.scalar(select(func.max(TableVersion.number))) == 2
        assert connection.scalar(select(func.count()).select_from(TableVersion)) == 18
        assert set(connection.scalars(select(Organization.code))) == {"145", "145001"}
    assert (loader.result.tables, loader.result.projects) == (9, 9)


def test_bulk_load_stores_what_an_import_stores(engine: Engine) -> None:
    """The same tables imported (ORM) and then bulk-loaded (DBAPI/COPY): identical stored values."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from jixiao.services.imports import import_files
    from jixiao.storage.db import session_factory

    import_files(session_factory(engine), [SEED])
    with Session(engine) as session:
        imported_search = dict(session.execute(select(Project.code, Project.search_text)).all())
    tables = [r.table for r in read_path(SEED) if r.table is not None]
    BulkLoader(engine).load([version_row(t) for t in tables])  # version 2 of every project
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT p.code, v.number, CAST(v.content AS TEXT), v.content_hash, CAST(v.total_wan AS TEXT), "
            "v.created_at IS NOT NULL FROM table_versions v JOIN projects p ON p.id = v.project_id")).all()
        search = dict(connection.execute(select(Project.code, Project.search_text)).all())
        decoded = {(code, number): content for code, number, content in connection.execute(
            select(Project.code, TableVersion.number, TableVersion.content).join(TableVersion.project))}
    by_code: dict[str, dict[int, tuple[object, ...]]] = {}
    for code, number, *values in rows:
        by_code.setdefault(code, {})[number] = tuple(values)
    assert len(by_code) == 9
    for code, versions in by_code.items():
        assert versions[1] == versions[2], code  # content text, hash, money text, a creation time
        assert decoded[(code, 1)] == decoded[(code, 2)]
        assert str(versions[1][0]).count("{") > 3 and bool(versions[1][3])
    assert search == imported_search and all(search.values())


def test_bulk_load_restores_the_connection_settings(tmp_path: Path) -> None:
    """The bigger SQLite page cache of a bulk load does not outlive it on the pooled connection."""
    from jixiao.storage.db import make_engine
    from jixiao.storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'bulk.sqlite3'}", pool_size=1, max_overflow=0)
    upgrade(engine)
    with engine.connect() as connection:
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    BulkLoader(engine).load([version_row(r.table) for r in read_path(SEED) if r.table is not None])
    with engine.connect() as connection:  # the same (only) pooled connection
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == before
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL, untouched
        assert connection.scalar(select(func.count()).select_from(TableVersion)) == 9
    engine.dispose()


def _project_indexes(engine: Engine) -> set[str]:
    from sqlalchemy import text

    query = ("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'projects' AND sql IS NOT NULL"
             if engine.dialect.name == "sqlite" else
             "SELECT indexdef FROM pg_indexes WHERE tablename = 'projects' AND schemaname = current_schema()")
    with engine.connect() as connection:
        return {str(row[0]) for row in connection.execute(text(query))}


def test_deferred_indexes_come_back_as_the_migrations_made_them(engine: Engine) -> None:
    made = _project_indexes(engine)
    assert any("state_year_code" in sql for sql in made)
    rows = [version_row(r.table) for r in read_path(SEED) if r.table is not None]
    with BulkLoader(engine, defer_indexes=True) as loader:
        assert loader.deferred
        assert not any("state_year_code" in sql for sql in _project_indexes(engine))
        loader.load(rows[:4])
        loader.load(rows[4:])
    assert _project_indexes(engine) == made
    interrupted = BulkLoader(engine, defer_indexes=True)  # projects exist: nothing is deferred
    assert not interrupted.deferred and _project_indexes(engine) == made
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Project)) == 9


def test_a_new_loader_rebuilds_what_an_interrupted_one_left_out(engine: Engine) -> None:
    made = _project_indexes(engine)
    BulkLoader(engine, defer_indexes=True)  # never finished
    assert _project_indexes(engine) != made
    BulkLoader(engine)
    assert _project_indexes(engine) == made


def test_every_version_belongs_to_the_project_of_its_code_after_gaps_in_the_ids(engine: Engine) -> None:
    """New projects' ids are taken as the next ones on SQLite (and looked up on PostgreSQL): with the largest id
    deleted and a project added by hand in between, each version still names its own project."""
    from sqlalchemy import delete, insert

    tables = [r.table for r in read_path(SEED) if r.table is not None]
    BulkLoader(engine).load([version_row(t) for t in tables[:3]])
    with engine.begin() as connection:
        last = connection.scalar(select(func.max(Project.id)))
        connection.execute(delete(TableVersion).where(TableVersion.project_id == last))
        connection.execute(delete(Project).where(Project.id == last))
        connection.execute(insert(Project).values(code="HAND-MADE", name="手工项目", state="draft"))
    renamed = tables[3:]
    loader = BulkLoader(engine)
    loader.load([version_row(t) for t in renamed])
    with engine.connect() as connection:
        pairs = connection.execute(select(Project.code, TableVersion.content["project_code"].as_string())
                                   .join(TableVersion, TableVersion.project_id == Project.id)).all()
    assert len(pairs) == 2 + len(renamed) and all(code == stored for code, stored in pairs)
    assert loader.result.projects == len(renamed)
