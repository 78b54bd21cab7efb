"""Build the indicator library from the approved tables: observations refilled, new names grouped.

Run after approvals (``jixiao library build``, or the finance bureau's 重建 button): every indicator of every
project's approved version becomes a :class:`LibraryObservation` (its target in its own unit, weight, year,
category and function, and whether the unit's stored self-evaluation gave it full marks). Names no entry
knows are grouped (:func:`jixiao.library.group_names`, with the keys already curated held fixed) and each
new group becomes a proposed entry for the finance bureau to curate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.comparable import unit_key
from jixiao.io.json_format import table_from_dict
from jixiao.library import group_names, name_key
from jixiao.services.analytics_facts import set_ranges
from jixiao.services.analytics_ranges import range_counts
from jixiao.services.library_query import store_stats
from jixiao.services.library_store import add_alias, entry_by_key, load_starter, record
from jixiao.storage.models import LibraryAlias, LibraryEntry, LibraryObservation, Project, SelfEvaluation, TableVersion

ID_CHUNK = 5_000  # ids per IN list: PostgreSQL binds at most 65,535 parameters in one statement


@dataclass(frozen=True, slots=True)
class BuildResult:
    tables: int
    observations: int
    new_entries: int
    starter_added: int


def _met_by_row(result: dict[str, Any]) -> dict[int, bool]:
    """Row index → full marks, from a stored self-evaluation's result (scoring.report)."""
    rows = result.get("indicators")
    if not isinstance(rows, list):
        projects = result.get("projects")
        rows = projects[0].get("indicators") if isinstance(projects, list) and projects else []
    found: dict[int, bool] = {}
    for row in rows or []:
        if isinstance(row, dict) and isinstance(row.get("index"), int) and row.get("lost") is not None:
            found[row["index"]] = Decimal(str(row["lost"])) == 0
    return found


def _observations(session: Session) -> tuple[int, list[LibraryObservation]]:
    approved = session.execute(
        select(Project.id, Project.code, Project.fiscal_year, TableVersion.id, TableVersion.content)
        .join(TableVersion, (TableVersion.project_id == Project.id)
              & (TableVersion.number == Project.published_version))).all()
    version_ids = [row[3] for row in approved]
    evaluations: dict[int, dict[str, Any]] = {}
    for start in range(0, len(version_ids), ID_CHUNK):  # a province's versions are more than a statement may bind
        for version_id, result in session.execute(
                select(SelfEvaluation.version_id, SelfEvaluation.result).where(
                    SelfEvaluation.version_id.in_(version_ids[start:start + ID_CHUNK])).order_by(SelfEvaluation.id)):
            evaluations[version_id] = result  # the latest submission wins (chunks do not split a version's rows)
    found = []
    for project_id, code, year, version_id, content in approved:
        table = table_from_dict(content)
        met = _met_by_row(evaluations.get(version_id, {}))
        function = table.function
        category = function.code[:3] if function and function.code and function.code[:3].isdigit() else None
        for index, item in enumerate(table.indicators):
            key = name_key(item.name)
            if not key:
                continue
            value = item.current_target or item.target
            found.append(LibraryObservation(
                key=key, name=(item.name or "")[:300], project_id=project_id, project_code=code,
                level1=(item.level1 or None) and item.level1[:100], level2=(item.level2 or None) and item.level2[:100],
                year=year, category=category, function=(function.name if function else None),
                unit=unit_key(item.unit_of_measure)[:32], operator=item.operator[:16] if item.operator else None,
                direction=item.direction_kind.value if item.direction_kind else None,
                target=value.number if value else None, weight=item.current_weight or item.weight,
                met=met.get(index)))
    return len(approved), found


def build(sessions: sessionmaker[Session], framework: str = "national", min_projects: int = 5) -> BuildResult:
    """Refill the observations, propose entries for the names no entry knows, and count each project's targets
    against the comparable ranges (``min_projects``: the profile's ``library_min_projects``), in one transaction."""
    with sessions.begin() as session:
        starter = load_starter(session, framework)
        tables, observations = _observations(session)
        session.execute(delete(LibraryObservation))
        session.add_all(observations)
        known = entry_by_key(session)
        names: Counter[str] = Counter(item.name for item in observations)
        entry_keys = dict(session.execute(select(LibraryEntry.id, LibraryEntry.key)
                                          .where(LibraryEntry.status.in_(("approved", "proposed")))).all())
        by_entry_key = {key: entry_id for entry_id, key in entry_keys.items()}
        fixed = {key: entry_keys[entry_id] for key, entry_id in known.items() if entry_id in entry_keys}
        fixed |= {key: key for key in by_entry_key}
        new = 0
        for group in group_names(names, fixed=fixed):
            if group.key in by_entry_key:  # spellings of a known entry: kept as its aliases
                entry = session.get(LibraryEntry, by_entry_key[group.key])
                if entry is not None:
                    for member in group.members:
                        _count_alias(session, entry, member.name, member.how, member.score, member.count)
                continue
            sample = [item for item in observations if item.key == group.key]
            units = Counter(item.unit for item in sample)
            first = sample[0] if sample else None
            entry = LibraryEntry(key=group.key, name=group.name[:300], level1=_level(sample, "level1"),
                                 level2=_level(sample, "level2"), unit=units.most_common(1)[0][0] if units else "",
                                 direction=first.direction if first else None,
                                 operator=first.operator if first else None,
                                 status="proposed", core=False, origin="tables", version=1)
            session.add(entry)
            session.flush()
            for member in group.members:
                _count_alias(session, entry, member.name, member.how, member.score, member.count)
            record(session, entry, "create", None, None, "由已批复目标表归并")
            new += 1
        session.flush()
        store_stats(session, observations)
        set_ranges(session, range_counts(session, min_projects))
        return BuildResult(tables, len(observations), new, starter)


def _count_alias(session: Session, entry: LibraryEntry, name: str, how: str, score: float, seen: int) -> None:
    alias = session.scalar(select(LibraryAlias).where(LibraryAlias.entry_id == entry.id, LibraryAlias.name == name))
    if alias is None:
        add_alias(session, entry, name, how, Decimal(str(score)) if how == "fuzzy" else None, seen)
    else:
        alias.seen = seen


def _level(sample: list[LibraryObservation], field: str) -> str | None:
    """The 一级/二级 most tables put the indicator under."""
    seen = Counter(getattr(item, field) for item in sample if getattr(item, field))
    return seen.most_common(1)[0][0] if seen else None
