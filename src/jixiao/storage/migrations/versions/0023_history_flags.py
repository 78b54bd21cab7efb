"""history_flags, history_lines, history_states: the cross-year flags (P007–P010) stored per project, with the
line they were computed over and whether they are current (the 跨年度 page reads them instead of reviewing every
project of a year)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 13:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history_states",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("fresh", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id"),
    )
    with op.batch_alter_table("history_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_history_states_fresh"), ["fresh"], unique=False)
    op.create_table(
        "history_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("finding", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("history_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_history_flags_project_id"), ["project_id"], unique=False)
    op.create_table(
        "history_lines",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("earlier_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["earlier_id"], ["projects.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "earlier_id"),
    )
    with op.batch_alter_table("history_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_history_lines_earlier_id"), ["earlier_id"], unique=False)


def downgrade() -> None:
    op.drop_table("history_lines")
    op.drop_table("history_flags")
    op.drop_table("history_states")
