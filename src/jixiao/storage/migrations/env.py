"""Alembic environment: run migrations on the connection jixiao hands over (see migrate.py)."""

from __future__ import annotations

from alembic import context

from jixiao.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` on the command line: build an engine from the URL
        from jixiao.storage.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
        with engine.begin() as fresh:
            context.configure(connection=fresh, target_metadata=target_metadata,
                              render_as_batch=fresh.dialect.name == "sqlite")
            context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run()
