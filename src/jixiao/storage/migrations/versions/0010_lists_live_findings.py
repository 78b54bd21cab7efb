"""the list's 问题级别 and 审核等级 follow the current version (live findings), no longer the last submission

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:30:00.000000

The old values are cleared; ``services.context.migrate`` then reviews each project's current version
(``services.summaries.refresh``), as every save and import now does. ``"none"`` is a reviewed table
without findings, NULL one not reviewed yet.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().execute(sa.text("UPDATE projects SET worst_severity = NULL, review_grade = NULL"))


def downgrade() -> None:
    op.get_bind().execute(sa.text("UPDATE projects SET worst_severity = NULL WHERE worst_severity = 'none'"))
