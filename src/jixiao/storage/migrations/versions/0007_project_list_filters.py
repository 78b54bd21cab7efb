"""project list filters (review grade, worst finding severity, search text) and the published version

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 05:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_grade", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("worst_severity", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("published_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_name", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("published_search_text", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_projects_published_version"), ["published_version"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_review_grade"), ["review_grade"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_worst_severity"), ["worst_severity"], unique=False)
    _backfill()


def _backfill() -> None:
    """Search text from each project's latest version; grade and severity from stored findings."""
    import json

    from jixiao.storage.search import search_text, worst_severity

    bind = op.get_bind()
    latest = bind.execute(sa.text(
        "SELECT v.project_id, v.content FROM table_versions v WHERE v.number = "
        "(SELECT max(w.number) FROM table_versions w WHERE w.project_id = v.project_id)")).all()
    updates = [{"id": pid, "text": search_text(json.loads(c) if isinstance(c, str) else c)} for pid, c in latest]
    if updates:
        bind.execute(sa.text("UPDATE projects SET search_text = :text WHERE id = :id"), updates)
    bind.execute(sa.text(
        "UPDATE projects SET published_version = (SELECT max(v.number) FROM table_versions v "
        "WHERE v.project_id = projects.id), published_name = name, published_search_text = search_text "
        "WHERE state = 'approved'"))
    severities = bind.execute(sa.text(
        "SELECT v.project_id, f.severity FROM findings f JOIN table_versions v ON v.id = f.version_id")).all()
    found: dict[int, list[str]] = {}
    for pid, severity in severities:
        found.setdefault(pid, []).append(severity)
    worst = {pid: worst_severity(values) for pid, values in found.items()}
    if worst:
        bind.execute(sa.text("UPDATE projects SET worst_severity = :s WHERE id = :id"),
                     [{"id": k, "s": v} for k, v in worst.items()])


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_published_version"))
        batch_op.drop_column("published_search_text")
        batch_op.drop_column("published_name")
        batch_op.drop_column("published_version")
        batch_op.drop_index(batch_op.f("ix_projects_worst_severity"))
        batch_op.drop_index(batch_op.f("ix_projects_review_grade"))
        batch_op.drop_column("search_text")
        batch_op.drop_column("worst_severity")
        batch_op.drop_column("review_grade")
