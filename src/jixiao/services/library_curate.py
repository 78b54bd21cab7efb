"""Governing the indicator library: departments propose entries, the finance bureau curates them.

Curation (approve, rename, merge, retire, mark 核心指标, edit 一级/二级, unit and direction) is the finance
bureau's (``Ability.CURATE_LIBRARY``); a proposal (``Ability.PROPOSE_LIBRARY``) adds an entry awaiting review.
Each change is one transaction that takes the entry's row first, keeps the entry's new version and writes the
audit log (:func:`jixiao.services.library_store.record`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import Direction
from jixiao.library import name_key
from jixiao.services.errors import Conflict, InvalidInput
from jixiao.services.library_query import entry
from jixiao.services.library_store import add_alias, record, snapshot
from jixiao.services.permissions import Ability, Actor, require
from jixiao.storage.models import LibraryAlias, LibraryEntry

FIELD_LABELS = {"name": "指标名称", "level1": "一级指标", "level2": "二级指标", "unit": "计量单位",
                "direction": "指标方向", "operator": "指标性质", "note": "说明"}
LIMITS = {"name": 300, "level1": 100, "level2": 100, "unit": 32, "direction": 16, "operator": 16, "note": 2000}
DIRECTIONS = tuple(d.value for d in Direction)


class LibraryConflict(Conflict):
    code = "library_conflict"
    summary = "指标库中的指标与这一操作冲突"


class LibraryInvalid(InvalidInput):
    code = "library_invalid"
    summary = "指标库条目的内容不符合要求"


def clean_fields(given: dict[str, Any]) -> dict[str, Any]:
    """The fields of an entry as typed, checked: Chinese messages naming the field by its label."""
    found: dict[str, Any] = {}
    problems = []
    for field, label in FIELD_LABELS.items():
        if field not in given:
            continue
        raw = given[field]
        value = "" if raw is None else str(raw).strip()
        if "\x00" in value:
            problems.append({"field": field, "message": f"「{label}」含有不可见的控制字符"})
        elif len(value) > LIMITS[field]:
            problems.append({"field": field,
                             "message": f"「{label}」最多 {LIMITS[field]} 个字符，实际 {len(value)} 个"})
        elif field == "direction" and value and value not in DIRECTIONS:
            problems.append({"field": field, "message": f"「{label}」应为 正向指标 或 反向指标，实际为“{value}”"})
        found[field] = value if field == "unit" else (value or None)
    if "name" in given and not found.get("name"):
        problems.append({"field": "name", "message": "「指标名称」不能为空"})
    elif "name" in found and not name_key(found["name"]):
        problems.append({"field": "name", "message": "「指标名称」应含有文字，不能只有标点"})
    if problems:
        raise LibraryInvalid("；".join(p["message"] for p in problems), problems)
    return found


def _locked(session: Session, entry_id: int) -> LibraryEntry:
    session.execute(update(LibraryEntry).where(LibraryEntry.id == entry_id)
                    .values(version=LibraryEntry.version))  # the row's lock first (as storage.repository does)
    return entry(session, entry_id)


def _free_key(session: Session, key: str, keep: int | None = None) -> None:
    other = session.scalar(select(LibraryEntry).where(LibraryEntry.key == key))
    if other is not None and other.id != keep:
        raise LibraryConflict(f"指标库中已有同名指标“{other.name}”（编号 {other.id}），请改用合并")


def propose(sessions: sessionmaker[Session], actor: Actor, fields: dict[str, Any]) -> int:
    """A department proposes an entry (a finance bureau reviewer's proposal is approved at once)."""
    require(actor, Ability.PROPOSE_LIBRARY)
    cleaned = clean_fields({"name": None, **fields})
    with sessions.begin() as session:
        key = name_key(cleaned["name"])
        _free_key(session, key)
        curated = actor.role is not None and actor.role.value == "finance_reviewer"
        item = LibraryEntry(key=key, name=cleaned["name"], level1=cleaned.get("level1"), level2=cleaned.get("level2"),
                            unit=cleaned.get("unit") or "", direction=cleaned.get("direction"),
                            operator=cleaned.get("operator"), note=cleaned.get("note"),
                            status="approved" if curated else "proposed", core=False, origin="proposal",
                            version=1, proposed_by=actor.user_id)
        session.add(item)
        session.flush()
        add_alias(session, item, item.name)
        record(session, item, "propose", actor, None)
        return item.id


def change(sessions: sessionmaker[Session], actor: Actor, entry_id: int, action: str,
           fields: dict[str, Any] | None = None, into: int | None = None, note: str | None = None) -> LibraryEntry:
    """One curation step: approve | rename | update | merge (into ``into``) | retire | core | uncore."""
    require(actor, Ability.CURATE_LIBRARY)
    cleaned = clean_fields(fields or {})
    with sessions.begin() as session:
        item = _locked(session, entry_id)
        before = snapshot(item)
        if item.status == "merged" and action != "update":
            raise LibraryConflict(f"指标“{item.name}”已合并到编号 {item.merged_into_id}，请在合并后的指标上操作")
        if action == "approve":
            item.status = "approved"
        elif action in ("rename", "update"):
            if "name" in cleaned and cleaned["name"] != item.name:
                key = name_key(cleaned["name"])
                _free_key(session, key, keep=item.id)
                item.key = key
                add_alias(session, item, cleaned["name"], "manual")
            for field, value in cleaned.items():
                setattr(item, field, value)
        elif action == "merge":
            _merge(session, actor, item, into)
        elif action == "retire":
            item.status = "retired"
        elif action in ("core", "uncore"):
            item.core = action == "core"
        else:
            raise LibraryInvalid(f"未知的操作“{action}”（可用：approve、rename、update、merge、retire、core、uncore）")
        record(session, item, action, actor, before, note)
        session.flush()
        session.refresh(item)
        session.expunge(item)
        return item


def _merge(session: Session, actor: Actor, item: LibraryEntry, into: int | None) -> None:
    if into is None:
        raise LibraryInvalid("合并时须指明合并到哪个指标（编号）")
    if into == item.id:
        raise LibraryConflict("不能把指标合并到它自己")
    target = _locked(session, into)
    if target.status in ("merged", "retired"):
        raise LibraryConflict(f"指标“{target.name}”{'已合并' if target.status == 'merged' else '已停用'}，不能合并到它")
    before = snapshot(target)
    item.status, item.merged_into_id = "merged", target.id
    for alias in session.scalars(select(LibraryAlias).where(LibraryAlias.entry_id == item.id)):
        alias.entry_id = target.id
        alias.how = "manual"
    record(session, target, "merge", actor, before, f"并入“{item.name}”（编号 {item.id}）")
