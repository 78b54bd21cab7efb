"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL (0011 and 0012 included)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from jixiao.storage.models import Base


def test_migrated_database_equals_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        tables = set(inspect(connection).get_table_names())
    assert differences == []
    assert {"published_self_evaluations", "recheck_samples", "recheck_items", "recheck_rows"} <= tables
