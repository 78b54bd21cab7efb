"""Reading the indicator library: the list and search, an entry with its statistics, the editor's suggestions,
and the comparable ranges the review is given."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import Direction, TargetTable
from jixiao.domain.comparable import ComparableRange, unit_key
from jixiao.library import EntryStats, Observation, entry_stats, name_key
from jixiao.library.names import plain_name
from jixiao.library.stats import comparable
from jixiao.library.suggest import rank
from jixiao.services.analytics_facts import generation_columns
from jixiao.services.editing import DraftCheck, check_draft
from jixiao.services.errors import NotFound
from jixiao.services.library_store import LIVE, entry_by_key
from jixiao.services.permissions import Actor, PermissionDenied, visible_projects
from jixiao.services.queries import CountCache
from jixiao.storage.models import (
    LibraryAlias,
    LibraryEntry,
    LibraryEntryVersion,
    LibraryObservation,
    LibraryStats,
    Project,
)


class LibraryEntryNotFound(NotFound):
    code = "library_entry_not_found"
    summary = "指标库中没有这个指标"


def require_reader(actor: Actor) -> None:
    """The library is for people who set and review targets: everyone signed in, not the public."""
    if actor.is_public:
        raise PermissionDenied("指标库仅供登录用户查看")


def entry(session: Session, entry_id: int) -> LibraryEntry:
    found = session.get(LibraryEntry, entry_id)
    if found is None:
        raise LibraryEntryNotFound(f"指标库中没有编号为 {entry_id} 的指标")
    return found


def entries(session: Session, actor: Actor, query: str = "", status: str | None = None, level1: str | None = None,
            core: bool | None = None, offset: int = 0, limit: int = 50) -> tuple[int, list[LibraryEntry]]:
    """Entries, by status then name; ``query`` matches the name or any spelling (as its key)."""
    require_reader(actor)
    chosen = select(LibraryEntry)
    if query.strip():
        key = name_key(query)
        spelled = select(LibraryAlias.entry_id).where(LibraryAlias.key.contains(key, autoescape=True))
        chosen = chosen.where(or_(LibraryEntry.key.contains(key, autoescape=True),
                                  LibraryEntry.name.contains(query.strip(), autoescape=True),
                                  LibraryEntry.id.in_(spelled)))
    chosen = chosen.where(LibraryEntry.status == status if status else LibraryEntry.status != "merged")
    if level1:
        chosen = chosen.where(LibraryEntry.level1 == level1)
    if core is not None:
        chosen = chosen.where(LibraryEntry.core.is_(core))
    total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    rows = session.scalars(chosen.order_by(LibraryEntry.core.desc(), LibraryEntry.status, LibraryEntry.name,
                                           LibraryEntry.id).offset(offset).limit(limit)).all()
    return total, list(rows)


def _keys_of(session: Session, entry_id: int, resolved: Mapping[str, int] | None = None) -> set[str]:
    """Every key an entry's observations are filed under (its own, its spellings', those merged into it);
    ``resolved`` is :func:`entry_by_key` when the caller asks for several entries."""
    found = resolved if resolved is not None else entry_by_key(session)
    return {key for key, owner in found.items() if owner == entry_id} | {
        session.scalar(select(LibraryEntry.key).where(LibraryEntry.id == entry_id)) or ""}


def _observation(row: LibraryObservation) -> Observation:
    return Observation(row.name, row.project_code, row.unit, row.operator,
                       Direction(row.direction) if row.direction else None, row.target, row.weight, row.year,
                       row.category, row.function, row.met)


def observations(session: Session, keys: set[str]) -> list[Observation]:
    if not keys:
        return []
    rows = session.scalars(select(LibraryObservation).where(LibraryObservation.key.in_(sorted(keys)))
                           .order_by(LibraryObservation.id)).all()
    return [_observation(row) for row in rows]


def stats_of(session: Session, item: LibraryEntry, resolved: Mapping[str, int] | None = None) -> EntryStats:
    """The entry's statistics: as the last build stored them while its keys and unit are still those, else computed
    from its observations (a curation since the build)."""
    keys = _keys_of(session, item.id, resolved)
    stored = session.get(LibraryStats, item.id)
    if stored is not None and stored.keys == sorted(keys) and stored.unit == (item.unit or ""):
        return msgspec.convert(stored.stats, EntryStats, strict=False)
    return entry_stats(observations(session, keys), item.unit if item.unit else None)


def store_stats(session: Session, rows: Iterable[LibraryObservation] | None = None) -> int:
    """Compute and keep every live entry's statistics from the observations (``rows``: those the build just wrote;
    else read), exactly as :func:`stats_of` computes them live."""
    resolved = entry_by_key(session)
    live = list(session.scalars(select(LibraryEntry).where(LibraryEntry.status != "merged")))
    keys_of: dict[int, set[str]] = defaultdict(set)
    for key, owner in resolved.items():
        keys_of[owner].add(key)
    for item in live:
        keys_of[item.id].add(item.key)
    owners: dict[str, list[int]] = defaultdict(list)
    for item in live:
        for key in keys_of[item.id]:
            owners[key].append(item.id)
    grouped: dict[int, list[Observation]] = {item.id: [] for item in live}
    ordered = rows if rows is not None else session.scalars(select(LibraryObservation).order_by(LibraryObservation.id))
    for row in ordered:  # in the order observations() reads them, so that ties (the commonest unit) fall alike
        if row.key in owners:
            found = _observation(row)
            for owner in owners[row.key]:
                grouped[owner].append(found)
    session.execute(delete(LibraryStats))
    stored = [{"entry_id": item.id, "keys": sorted(keys_of[item.id]), "unit": item.unit or "",
               "stats": msgspec.to_builtins(entry_stats(grouped[item.id], item.unit if item.unit else None))}
              for item in live]
    if stored:
        session.execute(insert(LibraryStats), stored)
    return len(stored)


@dataclass(frozen=True, slots=True)
class EntryDetail:
    entry: LibraryEntry
    stats: EntryStats
    aliases: list[LibraryAlias]
    versions: list[LibraryEntryVersion]
    merged: list[LibraryEntry]  # entries merged into this one
    comparable: ComparableRange | None
    # the projects the figures come from that the viewer may see (the figures themselves are the region's)
    visible_projects: tuple[str, ...] = ()


def detail(session: Session, actor: Actor, entry_id: int) -> EntryDetail:
    require_reader(actor)
    item = entry(session, entry_id)
    stats = stats_of(session, item)
    merged = list(session.scalars(select(LibraryEntry).where(LibraryEntry.merged_into_id == item.id)))
    aliases = list(session.scalars(select(LibraryAlias).where(
        LibraryAlias.entry_id.in_([item.id, *(m.id for m in merged)])).order_by(LibraryAlias.seen.desc(),
                                                                                LibraryAlias.name)))
    versions = list(session.scalars(select(LibraryEntryVersion).where(LibraryEntryVersion.entry_id == item.id)
                                    .order_by(LibraryEntryVersion.number.desc())))
    visible = visible_projects(session, actor).where(Project.code.in_(stats.projects)).with_only_columns(Project.code)
    shown = tuple(sorted(session.scalars(visible))) if stats.projects else ()
    return EntryDetail(item, stats, aliases, versions, merged, _range(item, stats), shown)


def _range(item: LibraryEntry, stats: EntryStats) -> ComparableRange | None:
    direction = next((d for d in Direction if d.value == item.direction), None)
    return comparable(stats, item.name, item.level1, item.level2, direction)


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What a suggestion shows of an entry, copied out of the session so that one answer serves every request
    for the same text while the library is unchanged (threads share it; nothing of it is lazy)."""

    id: int
    name: str
    level1: str | None
    level2: str | None
    unit: str
    direction: str | None
    operator: str | None
    status: str
    core: bool
    origin: str
    version: int
    merged_into_id: int | None

    @classmethod
    def of(cls, item: LibraryEntry) -> EntryFacts:
        return cls(item.id, item.name, item.level1, item.level2, item.unit, item.direction, item.operator,
                   item.status, item.core, item.origin, item.version, item.merged_into_id)


@dataclass(frozen=True, slots=True)
class Suggestion:
    entry: EntryFacts
    score: float
    comparable: ComparableRange | None


def _live_spellings(session: Session, resolved: Mapping[str, int] | None = None) -> dict[str, int]:
    live = set(session.scalars(select(LibraryEntry.id).where(LibraryEntry.status.in_(LIVE))))
    resolved = resolved if resolved is not None else entry_by_key(session)
    found = {key: entry_id for key, entry_id in resolved.items() if entry_id in live}
    for entry_id, key in session.execute(select(LibraryEntry.id, LibraryEntry.key)
                                         .where(LibraryEntry.status.in_(LIVE))):
        found.setdefault(key, entry_id)
    for name in session.scalars(select(LibraryAlias.name)):
        owner = found.get(name_key(name))
        if owner is not None:  # a spelling as written (群众满意度), to the entry its key resolves to
            found.setdefault(plain_name(name), owner)
    return found


# The editor asks for suggestions on every pause in typing: the spellings and each entry's comparable range are
# kept per process while the library is unchanged (``library_stamp``: a build writes a new analytics generation,
# every curation a new entry version). ``LIBRARY_SECONDS`` bounds what the stamp can miss (two writers committing
# out of the order of their ids), as for the analytics.
LIBRARY_SECONDS = 120.0
_LIBRARY_CACHE = CountCache(seconds=LIBRARY_SECONDS, size=4096)
_ANSWERS = CountCache(seconds=LIBRARY_SECONDS, size=2048)  # (text typed, limit) → its suggestions: many editors
# type the same beginnings (满意, 完成率); the answer does not depend on who asks (every reader sees the library)


def library_stamp(session: Session) -> tuple[object, int]:
    """What the spellings and the ranges depend on (:func:`generation` and the newest curation), in one query."""
    newest, at = generation_columns()
    found = session.execute(select(newest, at, select(func.max(LibraryEntryVersion.id)).scalar_subquery())).one()
    return (None if found[0] is None else (found[0], found[1])), found[2] or 0


def _cached_spellings(session: Session, stamp: object) -> tuple[dict[str, int], dict[str, int]]:
    found: tuple[dict[str, int], dict[str, int]] | None = _LIBRARY_CACHE.get(("spellings",), stamp)
    if found is None:
        resolved = entry_by_key(session)
        found = (resolved, _live_spellings(session, resolved))
        _LIBRARY_CACHE.put(("spellings",), found, stamp)
    return found


def _cached_range(session: Session, item: LibraryEntry, resolved: Mapping[str, int],
                  stamp: object) -> ComparableRange | None:
    key = ("range", item.id)
    kept: tuple[ComparableRange | None] | None = _LIBRARY_CACHE.get(key, stamp)
    if kept is None:
        kept = (_range(item, stats_of(session, item, resolved)),)
        _LIBRARY_CACHE.put(key, kept, stamp)
    return kept[0]


def suggest(session: Session, actor: Actor, typed: str, limit: int = 6) -> list[Suggestion]:
    """Library entries for a name being typed (approved and proposed ones), with what comparable projects set."""
    require_reader(actor)
    stamp = library_stamp(session)
    key = (typed, limit)
    kept: tuple[Suggestion, ...] | None = _ANSWERS.get(key, stamp)
    if kept is not None:
        return list(kept)
    found = []
    resolved, spellings = _cached_spellings(session, stamp)
    ranked = rank(typed, spellings, limit)
    known = {item.id: item for item in session.scalars(
        select(LibraryEntry).where(LibraryEntry.id.in_([entry_id for entry_id, _ in ranked])))} if ranked else {}
    for entry_id, score in ranked:
        item = known.get(entry_id)
        if item is not None:  # an entry deleted since the spellings were read (curation does not delete; an import may)
            found.append(Suggestion(EntryFacts.of(item), score, _cached_range(session, item, resolved, stamp)))
    found.sort(key=lambda s: (-s.score, s.entry.status != "approved", not s.entry.core,
                              -(s.comparable.projects if s.comparable else 0), s.entry.name))
    _ANSWERS.put(key, tuple(found), stamp)
    return found


def comparables_for(session: Session, table: TargetTable) -> Mapping[int, ComparableRange]:
    """What comparable projects set for each row of ``table`` whose name the library knows (for the review).

    Observations of the table's own project are left out: a table is not compared with itself."""
    return comparables_lookup(session)(table)


def comparables_lookup(session: Session) -> Callable[[TargetTable], Mapping[int, ComparableRange]]:
    """:func:`comparables_for` for many tables (``jixiao check --library``): the spellings are read once and each
    entry's observations once, however many tables ask for it."""
    resolved = entry_by_key(session)
    spellings = _live_spellings(session, resolved)
    seen: dict[int, tuple[LibraryEntry, list[Observation]]] = {}

    def lookup(table: TargetTable) -> Mapping[int, ComparableRange]:
        rows: dict[int, list[int]] = defaultdict(list)
        for index, item in enumerate(table.indicators):
            entry_id = spellings.get(name_key(item.name))
            if entry_id is not None:
                rows[entry_id].append(index)
        found: dict[int, ComparableRange] = {}
        own = table.project_code
        for entry_id, indexes in rows.items():
            if entry_id not in seen:
                keys = _keys_of(session, entry_id, resolved)
                seen[entry_id] = (entry(session, entry_id), observations(session, keys))
            known, every = seen[entry_id]
            others = [o for o in every if o.project != own]
            ranged = _range(known, entry_stats(others, known.unit if known.unit else None))
            if ranged is None:
                continue
            for index in indexes:
                if unit_key(table.indicators[index].unit_of_measure) == ranged.unit:
                    found[index] = ranged
        return found

    return lookup


def as_dict(item: LibraryEntry | EntryFacts) -> dict[str, Any]:
    return {"id": item.id, "name": item.name, "level1": item.level1, "level2": item.level2, "unit": item.unit,
            "direction": item.direction, "operator": item.operator, "status": item.status, "core": item.core,
            "origin": item.origin, "version": item.version, "merged_into_id": item.merged_into_id}


def check_with_library(sessions: sessionmaker[Session], content: dict[str, Any]) -> DraftCheck:
    """The editor's check of ``content`` with what comparable projects set (rule P006): one read of the library."""
    with sessions() as session:
        return check_draft(content, comparables_of=lambda table: comparables_for(session, table))
