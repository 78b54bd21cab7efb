"""projects.name_key: the name as a published self-evaluation is matched by, indexed

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f("ix_projects_name_key"), ["name_key"], unique=False)
    _backfill()


def _backfill() -> None:
    """Each named project's key, as the model keeps it (storage.search.name_key)."""
    from jixiao.storage.search import name_key

    bind = op.get_bind()
    named = bind.execute(sa.text("SELECT id, name FROM projects WHERE name IS NOT NULL")).all()
    updates = [{"id": pid, "key": name_key(name) or None} for pid, name in named]
    if updates:
        bind.execute(sa.text("UPDATE projects SET name_key = :key WHERE id = :id"), updates)


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_name_key"))
        batch_op.drop_column("name_key")
