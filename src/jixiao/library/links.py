"""The same project across fiscal years, and the same indicator within it (pure: storage feeds the projects).

A project is linked to last year's by the serial of its 21-character code (region, category and serial without
the year), else by its unit and a name close enough (rapidfuzz on :func:`name_key`); a finance user's stored
correction wins over both. Indicators are matched by name key and unit, then by a close name in the same unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Final, Literal

import msgspec
from rapidfuzz import fuzz, process

from jixiao.domain.codes import ProjectCode
from jixiao.domain.comparable import unit_key
from jixiao.library.names import name_key

LINK_CUTOFF: Final = 90.0  # name similarity (0–100) needed to link two projects of one unit by name
INDICATOR_CUTOFF: Final = 90.0

By = Literal["serial", "name_unit", "manual"]
BY_LABELS: Final[dict[str, str]] = {"serial": "项目编码序号相同", "name_unit": "同一单位、名称相近",
                                    "manual": "人工确定"}


class ProjectRef(msgspec.Struct, frozen=True):
    """What linking needs of a stored project."""

    id: int
    code: str
    year: int | None
    name: str | None
    unit_id: int | None


class Link(msgspec.Struct, frozen=True):
    """Project ``project`` continues ``previous`` (last year's, or the latest earlier year's)."""

    project: int
    previous: int
    by: By
    score: float = 100.0


def serial_key(code: str) -> str | None:
    """The code without its two year digits (region, category, serial), or None for a code of another shape."""
    parsed = ProjectCode(code)
    if parsed.serial is None or parsed.region is None:
        return None
    return f"{parsed.region}{parsed.category}{parsed.serial}"


def link_projects(projects: Sequence[ProjectRef], overrides: Mapping[int, int | None] | None = None,
                  cutoff: float = LINK_CUTOFF) -> dict[int, Link]:
    """Each project's predecessor (project id → link); a project without one is absent.

    ``overrides`` are corrections (project id → its predecessor, or None: it has none) and win. A computed
    predecessor is of an earlier year: by serial the latest such; by name within the unit the closest name of
    the nearest earlier year, each earlier project taken by one successor only."""
    fixed = dict(overrides or {})
    found: dict[int, Link] = {}
    claimed: set[int] = set()
    for project, previous in fixed.items():
        if previous is not None:
            found[project] = Link(project, previous, "manual")
            claimed.add(previous)
    dated = sorted((p for p in projects if p.year is not None), key=lambda p: (p.year or 0, p.code))
    by_serial: dict[str, list[ProjectRef]] = {}
    for item in dated:
        key = serial_key(item.code)
        if key is not None:
            by_serial.setdefault(key, []).append(item)
    for group in by_serial.values():
        for before, after in pairwise(group):
            if after.id in fixed or before.id in claimed or before.year == after.year:
                continue
            found[after.id] = Link(after.id, before.id, "serial")
            claimed.add(before.id)
    keys = {p.id: name_key(p.name) for p in dated}
    # unit → year → the names still unclaimed (id → name key, in code order): each name is compared in
    # rapidfuzz's loop with one earlier year at a time, nearest first, and leaves its pool once claimed
    pools: dict[int, dict[int, dict[int, str]]] = {}
    for item in dated:
        if item.unit_id is not None and keys[item.id] and item.id not in claimed:
            pools.setdefault(item.unit_id, {}).setdefault(item.year or 0, {})[item.id] = keys[item.id]
    for item in dated:
        if item.id in fixed or item.id in found or not keys[item.id] or item.unit_id is None:
            continue
        years = pools.get(item.unit_id, {})
        for year in sorted((y for y in years if y < (item.year or 0)), reverse=True):  # the nearest year first
            pool = years[year]
            best = process.extractOne(keys[item.id], pool, scorer=fuzz.ratio, processor=None,
                                      score_cutoff=cutoff) if pool else None
            if best is not None:  # the closest name of that year (the first of equals, in code order)
                chosen = best[2]
                found[item.id] = Link(item.id, chosen, "name_unit", round(float(best[1]), 1))
                claimed.add(chosen)
                del pool[chosen]
                break
    return found


def chain(project: int, links: Mapping[int, Link], limit: int = 50) -> list[int]:
    """``project``'s predecessors, nearest first (a loop made by corrections is cut)."""
    seen = [project]
    while len(seen) <= limit:
        link = links.get(seen[-1])
        if link is None or link.previous in seen:
            break
        seen.append(link.previous)
    return seen[1:]


def match_indicators(current: Sequence[tuple[str | None, str | None]],
                     earlier: Sequence[tuple[str | None, str | None]],
                     cutoff: float = INDICATOR_CUTOFF) -> dict[int, int]:
    """Rows of ``current`` (name, unit) → the row of ``earlier`` that is the same indicator.

    The same name key and unit first, then the closest name (at least ``cutoff``) in the same unit; each earlier
    row is matched once."""
    keys = [(name_key(name), unit_key(unit)) for name, unit in current]
    others = [(name_key(name), unit_key(unit)) for name, unit in earlier]
    found: dict[int, int] = {}
    taken: set[int] = set()
    for index, key in enumerate(keys):
        for other, seen in enumerate(others):
            if other not in taken and key[0] and seen == key:
                found[index] = other
                taken.add(other)
                break
    for index, (name, unit) in enumerate(keys):
        if index in found or not name:
            continue
        best: tuple[float, int] | None = None
        for other, (other_name, other_unit) in enumerate(others):
            if other in taken or other_unit != unit or not other_name:
                continue
            score = float(fuzz.ratio(name, other_name))
            if score >= cutoff and (best is None or score > best[0]):
                best = (score, other)
        if best is not None:
            found[index] = best[1]
            taken.add(best[1])
    return found
