"""budget_decisions: the finance reviewer's 结果应用 decisions on next year's budget, append-only

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 20:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jixiao.storage.types import ExactDecimal

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budget_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("amount", ExactDecimal(), nullable=True),
        sa.Column("suggested_action", sa.String(length=16), nullable=True),
        sa.Column("suggested_amount", ExactDecimal(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("budget_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_decisions_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("budget_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_decisions_project_id"))
    op.drop_table("budget_decisions")
