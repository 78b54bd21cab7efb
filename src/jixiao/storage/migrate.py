"""Bring a database to the newest schema with Alembic (``jixiao serve`` does this first)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Held for the migration's transaction on PostgreSQL: web processes on several machines that start at once
# migrate one after the other (the later ones find the schema at head and change nothing). Keyed by the schema
# too, so databases kept in separate schemas of one server (test runs) do not wait for each other.
MIGRATION_LOCK = 0x6A697869  # "jixi"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
                               {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def known_revisions() -> set[str]:
    """Every schema revision this version of jixiao can migrate from (a backup of a newer one is refused)."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
