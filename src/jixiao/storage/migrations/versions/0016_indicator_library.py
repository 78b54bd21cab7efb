"""the indicator library (指标库): entries, their spellings, versions, and the observations from approved tables

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 20:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jixiao.storage.types import ExactDecimal

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("level1", sa.String(length=100), nullable=True),
        sa.Column("level2", sa.String(length=100), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=True),
        sa.Column("operator", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("core", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["merged_into_id"], ["library_entries.id"]),
        sa.ForeignKeyConstraint(["proposed_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("library_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_entries_status"), ["status"], unique=False)
    op.create_table(
        "library_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.Column("score", ExactDecimal(), nullable=True),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["library_entries.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("library_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_aliases_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_aliases_key"), ["key"], unique=False)
    op.create_table(
        "library_entry_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["by"], ["users.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["library_entries.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id", "number"),
    )
    with op.batch_alter_table("library_entry_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_entry_versions_entry_id"), ["entry_id"], unique=False)
    op.create_table(
        "library_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("project_code", sa.String(length=64), nullable=False),
        sa.Column("level1", sa.String(length=100), nullable=True),
        sa.Column("level2", sa.String(length=100), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("function", sa.String(length=200), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("operator", sa.String(length=16), nullable=True),
        sa.Column("direction", sa.String(length=16), nullable=True),
        sa.Column("target", ExactDecimal(), nullable=True),
        sa.Column("weight", ExactDecimal(), nullable=True),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("library_observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_observations_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_observations_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    op.drop_table("library_observations")
    op.drop_table("library_entry_versions")
    op.drop_table("library_aliases")
    op.drop_table("library_entries")
