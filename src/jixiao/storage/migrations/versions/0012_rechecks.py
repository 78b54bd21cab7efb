"""the finance bureau's 复核: samples of published self-evaluations, their items and re-scored rows

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 09:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jixiao.storage.types import ExactDecimal

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recheck_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("risk_share", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recheck_samples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recheck_samples_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recheck_samples_year"), ["year"], unique=False)
    op.create_table(
        "recheck_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("self_evaluation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("chosen_by", sa.String(length=8), nullable=False),
        sa.Column("risk", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("total", ExactDecimal(), nullable=True),
        sa.Column("grade", sa.String(length=16), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["completed_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["sample_id"], ["recheck_samples.id"]),
        sa.ForeignKeyConstraint(["self_evaluation_id"], ["published_self_evaluations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sample_id", "self_evaluation_id"),
    )
    with op.batch_alter_table("recheck_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recheck_items_sample_id"), ["sample_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recheck_items_self_evaluation_id"), ["self_evaluation_id"], unique=False)
    op.create_table(
        "recheck_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.String(length=32), nullable=False),
        sa.Column("published_score", ExactDecimal(), nullable=True),
        sa.Column("score", ExactDecimal(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["by"], ["users.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["recheck_items.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "row"),
    )
    with op.batch_alter_table("recheck_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recheck_rows_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recheck_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recheck_rows_item_id"))
    op.drop_table("recheck_rows")
    with op.batch_alter_table("recheck_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recheck_items_self_evaluation_id"))
        batch_op.drop_index(batch_op.f("ix_recheck_items_sample_id"))
    op.drop_table("recheck_items")
    with op.batch_alter_table("recheck_samples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recheck_samples_year"))
        batch_op.drop_index(batch_op.f("ix_recheck_samples_organization_id"))
    op.drop_table("recheck_samples")
