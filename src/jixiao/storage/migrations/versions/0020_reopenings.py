"""reopenings (the finance bureau reopens a closed submission window), the self-evaluation's review state, and
correction requests of approved self-evaluations

Revision ID: 0020
Revises: 0017 (to be rechained after 0018 and 0019 when those branches merge)
Create Date: 2026-12-02 14:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reopenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=16), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["organizations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reopenings", schema=None) as batch_op:
        batch_op.create_index("ix_reopenings_task_year", ["task", "fiscal_year"], unique=False)
    with op.batch_alter_table("self_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=16), server_default="submitted", nullable=False))
        batch_op.add_column(sa.Column("reviewed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("review_comment", sa.Text(), nullable=True))
        batch_op.create_foreign_key("fk_self_evaluations_reviewed_by_users", "users", ["reviewed_by"], ["id"])
    op.create_table(
        "selfeval_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("self_evaluation_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=300), nullable=True),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("applied_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["applied_id"], ["self_evaluations.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["self_evaluation_id"], ["self_evaluations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("selfeval_corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_selfeval_corrections_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_selfeval_corrections_self_evaluation_id"), ["self_evaluation_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("selfeval_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selfeval_corrections_self_evaluation_id"))
        batch_op.drop_index(batch_op.f("ix_selfeval_corrections_project_id"))
    op.drop_table("selfeval_corrections")
    with op.batch_alter_table("self_evaluations", schema=None) as batch_op:
        batch_op.drop_constraint("fk_self_evaluations_reviewed_by_users", type_="foreignkey")
        batch_op.drop_column("review_comment")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")
        batch_op.drop_column("state")
    with op.batch_alter_table("reopenings", schema=None) as batch_op:
        batch_op.drop_index("ix_reopenings_task_year")
    op.drop_table("reopenings")
