"""project_facts: one narrow row per project for the analytics pages (统计分析), filled from what is stored, and
analytics_generations: the stamp of their caches

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_facts",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=4), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("total_yuan", sa.BigInteger(), nullable=True),
        sa.Column("review_grade", sa.String(length=8), nullable=True),
        sa.Column("score_x100", sa.Integer(), nullable=True),
        sa.Column("selfeval_grade", sa.String(length=16), nullable=True),
        sa.Column("selfeval_source", sa.String(length=16), nullable=True),
        sa.Column("rate_x10000", sa.Integer(), nullable=True),
        sa.Column("audited", sa.Boolean(), nullable=False),
        sa.Column("audit_signals", sa.Integer(), nullable=False),
        sa.Column("ranged", sa.Integer(), nullable=False),
        sa.Column("below_range", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id"),
    )
    with op.batch_alter_table("project_facts", schema=None) as batch_op:
        batch_op.create_index("ix_project_facts_year_department", ["fiscal_year", "department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_facts_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_facts_department_id"), ["department_id"], unique=False)
    op.create_table(
        "analytics_generations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("analytics_generations")
    with op.batch_alter_table("project_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_facts_department_id"))
        batch_op.drop_index(batch_op.f("ix_project_facts_unit_id"))
        batch_op.drop_index("ix_project_facts_year_department")
    op.drop_table("project_facts")
