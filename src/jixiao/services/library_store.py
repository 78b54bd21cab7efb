"""The indicator library's records: entries as data, each change versioned and audited, the starter library.

Every change of an entry goes through :func:`record`: the entry's version goes up, its state after the change
is kept as a :class:`LibraryEntryVersion`, and the audit log says who did what (before and after).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.library import name_key
from jixiao.services.permissions import Actor
from jixiao.storage.models import AuditEntry, LibraryAlias, LibraryEntry, LibraryEntryVersion, now

STATUS_LABELS: Final = {"proposed": "待审核", "approved": "已审核", "retired": "已停用", "merged": "已合并"}
ORIGIN_LABELS: Final = {"starter": "系统起步库", "tables": "已批复目标表", "import": "导入", "proposal": "部门提出"}
HOW_LABELS: Final = {"same": "名称相同", "synonym": "规范化后相同", "fuzzy": "近似", "manual": "人工归并"}
ACTION_LABELS: Final = {"create": "新建", "propose": "提出", "approve": "审核通过", "rename": "改名", "merge": "合并",
                        "retire": "停用", "core": "标为核心指标", "uncore": "取消核心指标", "update": "修改",
                        "import": "导入"}
LIVE: Final = ("approved", "proposed")  # entries people are offered


def snapshot(entry: LibraryEntry) -> dict[str, Any]:
    return {"name": entry.name, "key": entry.key, "level1": entry.level1, "level2": entry.level2,
            "unit": entry.unit, "direction": entry.direction, "operator": entry.operator, "status": entry.status,
            "core": entry.core, "merged_into_id": entry.merged_into_id, "note": entry.note}


def record(session: Session, entry: LibraryEntry, action: str, actor: Actor | None,
           before: dict[str, Any] | None, note: str | None = None) -> None:
    """Keep the entry's new version and an audit entry (``before`` is ``None`` for a new entry)."""
    if entry.id is None:
        session.flush()
    if before is not None:
        entry.version += 1
    entry.updated_at = now()
    entry.updated_by = actor.user_id if actor else None
    after = snapshot(entry)
    session.add(LibraryEntryVersion(entry_id=entry.id, number=entry.version, action=action, snapshot=after,
                                    by=actor.user_id if actor else None))
    session.add(AuditEntry(user_id=actor.user_id if actor else None, action=f"library_{action}",
                           object_type="library_entry", object_id=entry.id, before=before, after=after, note=note))


def add_alias(session: Session, entry: LibraryEntry, name: str, how: str = "same", score: Any = None,
              seen: int = 0) -> None:
    key = name_key(name)
    if not key or session.scalar(select(LibraryAlias.id).where(LibraryAlias.key == key,
                                                               LibraryAlias.name == name)) is not None:
        return
    session.add(LibraryAlias(entry_id=entry.id, name=name, key=key, how=how, score=score, seen=seen))


@dataclass(frozen=True, slots=True)
class StarterEntry:
    name: str
    level1: str | None
    level2: str | None
    unit: str
    direction: str | None
    operator: str | None
    aliases: tuple[str, ...]
    core: bool


def starter_entries(framework: str = "national") -> list[StarterEntry]:
    """The starter library shipped with jixiao (``data/indicator_library.toml``), in a profile's framework."""
    text = resources.files("jixiao.data").joinpath("indicator_library.toml").read_text("utf-8")
    found = []
    for item in tomllib.loads(text)["entry"]:
        level1, level2 = item.get("level1"), item.get("level2")
        if framework.startswith("central") and "central" in item:
            level1, level2 = item["central"]
        found.append(StarterEntry(item["name"], level1, level2, item.get("unit", ""), item.get("direction"),
                                  item.get("operator"), tuple(item.get("aliases", ())), bool(item.get("core"))))
    return found


def load_starter(session: Session, framework: str = "national") -> int:
    """Add the starter entries the library lacks (by key), approved; the number added."""
    known = set(session.scalars(select(LibraryEntry.key)))
    fresh: list[tuple[LibraryEntry, StarterEntry]] = []
    for item in starter_entries(framework):
        key = name_key(item.name)
        if key in known:
            continue
        known.add(key)
        fresh.append((LibraryEntry(key=key, name=item.name, level1=item.level1, level2=item.level2, unit=item.unit,
                                   direction=item.direction, operator=item.operator, status="approved",
                                   core=item.core, origin="starter", version=1), item))
    session.add_all([entry for entry, _ in fresh])
    session.flush()  # one flush for all: the ids the aliases, versions and audit entries need
    for entry, item in fresh:
        for alias in dict.fromkeys((item.name, *item.aliases)):
            how = "same" if alias == item.name else "synonym" if name_key(alias) == entry.key else "manual"
            session.add(LibraryAlias(entry_id=entry.id, name=alias, key=name_key(alias), how=how, seen=0))
        record(session, entry, "create", None, None, "系统起步库")
    return len(fresh)


def entry_by_key(session: Session) -> dict[str, int]:
    """Every alias key → its entry (merged entries point to the entry they were merged into)."""
    merged: dict[int, int] = {}
    for entry_id, into in session.execute(select(LibraryEntry.id, LibraryEntry.merged_into_id)
                                          .where(LibraryEntry.merged_into_id.is_not(None))):
        if into is not None:
            merged[entry_id] = into
    found: dict[str, int] = {}
    for key, entry_id in session.execute(select(LibraryAlias.key, LibraryAlias.entry_id)):
        for _ in range(len(merged)):  # a chain of merges, never a loop (merge refuses one)
            if entry_id not in merged:
                break
            entry_id = merged[entry_id]
        found.setdefault(key, entry_id)
    return found
