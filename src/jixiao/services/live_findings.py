"""The live review findings of each project's current version, as its page shows them, counted for the overview.

The overview used to count the findings stored at each submission (past versions twice, drafts not at all),
so its figures disagreed with the project pages and the list's 问题级别 filter. Versions never change, so
each current version is reviewed once per process (keyed by its content hash) and counted from then on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jixiao import profiles
from jixiao.services.editing import check_draft
from jixiao.storage.models import TableVersion

CACHE_SIZE = 100_000  # reviewed versions kept (a few hundred bytes each)


@dataclass
class LiveCounts:
    """Findings of the current versions by category and by severity; ``incomplete``: tables not yet valid
    (their page lists what is missing, as errors); ``tables``: current versions counted."""

    categories: Counter[str] = field(default_factory=Counter)
    severities: Counter[str] = field(default_factory=Counter)
    incomplete: int = 0
    tables: int = 0


_reviewed: dict[str, tuple[tuple[str, str], ...] | None] = {}  # content hash → (category, severity) per finding
_MISSING: Any = object()
_profile: list[Any] = []  # the rules profile the cache was filled with


def _findings(content: dict[str, Any]) -> tuple[tuple[str, str], ...] | None:
    checked = check_draft(content)
    if checked.problems:
        return None
    return tuple((str(f["category"]), str(f["severity"])) for f in checked.findings)


def live_counts(session: Session, visible: Select[Any]) -> LiveCounts:
    """Count the live findings of the current version of each project in ``visible`` (a query of project ids)."""
    rules = profiles.load().rules
    if not _profile or _profile[0] is not rules or len(_reviewed) > CACHE_SIZE:
        _reviewed.clear()
        _profile[:] = [rules]
    latest = (select(TableVersion.project_id, func.max(TableVersion.number).label("number"))
              .where(TableVersion.project_id.in_(visible)).group_by(TableVersion.project_id).subquery())
    current = list(session.execute(select(TableVersion.id, TableVersion.content_hash).join(
        latest, (latest.c.project_id == TableVersion.project_id) & (latest.c.number == TableVersion.number))))
    known = {digest: _reviewed.get(digest, _MISSING) for _vid, digest in current}
    known = {digest: found for digest, found in known.items() if found is not _MISSING}
    missing = {vid for vid, digest in current if digest not in known}
    if missing:  # reviewed here and kept (another request may clear the shared cache meanwhile: count from ours)
        for digest, content in session.execute(select(TableVersion.content_hash, TableVersion.content)
                                               .where(TableVersion.id.in_(missing))):
            known[digest] = _reviewed[digest] = _findings(content)
    counts = LiveCounts(tables=len(current))
    for _vid, digest in current:
        found = known[digest]
        if found is None:
            counts.incomplete += 1
            continue
        for category, severity in found:
            counts.categories[category] += 1
            counts.severities[severity] += 1
    return counts
