"""list index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 04:40:49.137158
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index("ix_projects_state_year_code", ["state", "fiscal_year", "code"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_state_year_code")
