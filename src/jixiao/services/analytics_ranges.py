"""Which approved targets lie outside the comparable projects' range on the easy side, counted per project.

Computed when the library is built (the ranges change only then) and written to ``project_facts`` for the
统计分析 view “目标与指标库”. The ranges are those P006 compares with (the entry's quartiles in its own unit,
at least the profile's ``library_min_projects`` projects), over every approved table: here the project's own
target is one of the figures (the review leaves it out, as it asks about one table; leaving each project out in
turn would make the build quadratic).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.domain.indicator import Direction, Operator, parse_operator
from jixiao.library.stats import Observation, comparable, entry_stats
from jixiao.services.library_store import entry_by_key
from jixiao.storage.models import LibraryEntry, LibraryObservation

_MORE = (Operator.GE, Operator.GT)
_LESS = (Operator.LE, Operator.LT)


def _direction(row: Any, fallback: Direction | None) -> Direction | None:
    if row.direction:
        return Direction(row.direction)
    kind = parse_operator(row.operator)
    if kind in _MORE:
        return Direction.POSITIVE
    if kind in _LESS:
        return Direction.NEGATIVE
    return fallback


def range_counts(session: Session, min_projects: int) -> dict[int, tuple[int, int]]:
    """project id → (indicators with a comparable range, those outside it on the easy side)."""
    entries = {entry.id: entry for entry in session.scalars(
        select(LibraryEntry).where(LibraryEntry.status.in_(("approved", "proposed"))))}
    owner = {entry.key: entry.id for entry in entries.values()} | entry_by_key(session)
    by_entry: dict[int, list[Any]] = defaultdict(list)  # rows of the columns below
    columns = (LibraryObservation.key, LibraryObservation.project_id, LibraryObservation.project_code,
               LibraryObservation.name, LibraryObservation.unit, LibraryObservation.operator,
               LibraryObservation.direction, LibraryObservation.target)  # rows, not objects: a province has millions
    for row in session.execute(select(*columns)):
        entry_id = owner.get(row.key)
        if entry_id in entries:
            by_entry[entry_id].append(row)
    ranged: dict[int, int] = defaultdict(int)
    below: dict[int, int] = defaultdict(int)
    for entry_id, rows in by_entry.items():
        item = entries[entry_id]
        stats = entry_stats([Observation(row.name, row.project_code, row.unit, row.operator, None, row.target)
                             for row in rows], item.unit or None)
        fallback = Direction(item.direction) if item.direction in {d.value for d in Direction} else None
        found = comparable(stats, item.name, item.level1, item.level2, fallback)
        if found is None or found.projects < min_projects:
            continue
        for row in rows:
            if row.unit != found.unit or row.target is None:
                continue
            ranged[row.project_id] += 1
            direction = _direction(row, found.direction)
            if (direction is Direction.POSITIVE and row.target < found.q1) \
                    or (direction is Direction.NEGATIVE and row.target > found.q3):
                below[row.project_id] += 1
    return {project_id: (count, below.get(project_id, 0)) for project_id, count in ranged.items()}
