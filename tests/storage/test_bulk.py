"""The bulk loader used for archives and the benchmark, on both databases."""

from __future__ import annotations

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
