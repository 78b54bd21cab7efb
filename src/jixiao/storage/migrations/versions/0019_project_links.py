"""project_links: a finance user's corrections of which project continues which across fiscal years, append-only

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-02 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["previous_id"], ["projects.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("project_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_links_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("project_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_links_project_id"))
    op.drop_table("project_links")
