"""published_self_evaluations.audit: the audit findings kept with the immutable version a page shows

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for the versions already stored: the first 复核 sample or import that audits one keeps its findings
    with op.batch_alter_table("published_self_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("published_self_evaluations", schema=None) as batch_op:
        batch_op.drop_column("audit")
