"""published self-evaluation tables (项目支出绩效自评表) as immutable versions of their project

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jixiao.storage.types import ExactDecimal

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_self_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("total_score", ExactDecimal(), nullable=True),
        sa.Column("grade", sa.String(length=16), nullable=True),
        sa.Column("matched_by", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["import_batch_id"], ["import_batches.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "number"),
    )
    with op.batch_alter_table("published_self_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_published_self_evaluations_project_id"), ["project_id"], unique=False)
        batch_op.create_index("ix_published_self_evaluations_year", ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("published_self_evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_published_self_evaluations_year")
        batch_op.drop_index(batch_op.f("ix_published_self_evaluations_project_id"))
    op.drop_table("published_self_evaluations")
