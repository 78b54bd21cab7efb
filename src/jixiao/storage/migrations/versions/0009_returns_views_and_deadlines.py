"""submission views (who opened a submission: withdrawal) and deadline overrides per region and year

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["review_records.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "user_id"),
    )
    with op.batch_alter_table("submission_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_views_submission_id"), ["submission_id"], unique=False)
    op.create_table(
        "deadline_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region", "fiscal_year", "label"),
    )


def downgrade() -> None:
    op.drop_table("deadline_overrides")
    with op.batch_alter_table("submission_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_views_submission_id"))
    op.drop_table("submission_views")
