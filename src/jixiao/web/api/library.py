"""The indicator library through the API (指标库): list and search, an entry with its statistics, suggestions,
proposals (departments), curation, rebuilding and importing (the finance bureau). The same services as the pages."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from jixiao.domain.comparable import plain
from jixiao.services import library_build, library_curate, library_query, library_xlsx
from jixiao.services.errors import InvalidInput
from jixiao.services.local_time import local_iso
from jixiao.services.permissions import Ability, require
from jixiao.web.api.library_models import (
    LibraryActionIn,
    LibraryBuildOut,
    LibraryDetailOut,
    LibraryEntryIn,
    LibraryEntryOut,
    LibraryImportIn,
    LibraryImportOut,
    LibraryListOut,
    LibrarySuggestionOut,
)
from jixiao.web.deps import Context, DbSession, Who
from jixiao.web.settings import MAX_BODY

router = APIRouter()
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _quartiles(found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"count": found.count, "low": plain(found.low), "q1": plain(found.q1), "median": plain(found.median),
            "q3": plain(found.q3), "high": plain(found.high)}


def _comparable(found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"unit": found.unit, "q1": plain(found.q1), "median": plain(found.median), "q3": plain(found.q3),
            "projects": found.projects, "sentence": found.sentence()}


@router.get("/library", response_model=LibraryListOut, summary="指标库：按名称（含各种写法）查找")
def library_list(db: DbSession, who: Who, q: Annotated[str, Query(max_length=100)] = "",
                 status: Annotated[str | None, Query(max_length=16)] = None,
                 offset: Annotated[int, Query(ge=0, le=10**6)] = 0,
                 limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    total, rows = library_query.entries(db, who, q, status, offset=offset, limit=limit)
    return {"total": total, "items": [library_query.as_dict(row) for row in rows]}


@router.get("/library/suggest", response_model=list[LibrarySuggestionOut],
            summary="编辑时的建议：与输入的指标名称相近的指标库条目，附可比项目的目标范围")
def library_suggest(db: DbSession, who: Who, name: Annotated[str, Query(max_length=300)]) -> list[dict[str, Any]]:
    return [{"entry": library_query.as_dict(s.entry), "score": s.score, "comparable": _comparable(s.comparable)}
            for s in library_query.suggest(db, who, name)]


@router.get("/library/{entry_id}", response_model=LibraryDetailOut, summary="指标库条目：统计、写法和版本")
def library_entry(db: DbSession, who: Who, entry_id: EntryId, context: Context) -> dict[str, Any]:
    found = library_query.detail(db, who, entry_id)
    stats = found.stats
    zone = context.profile.timezone
    return {
        "entry": library_query.as_dict(found.entry),
        "stats": {"unit": stats.unit, "units": stats.units, "operators": stats.operators,
                  "targets": _quartiles(stats.targets),
                  "by_category": {k: _quartiles(v) for k, v in stats.by_category.items()},
                  "by_function": {k: _quartiles(v) for k, v in stats.by_function.items()},
                  "by_year": {str(k): _quartiles(v) for k, v in stats.by_year.items()},
                  "weights": _quartiles(stats.weights), "evaluated": stats.evaluated, "met": stats.met,
                  "met_share": None if stats.met_share is None else str(stats.met_share),
                  "projects": list(found.visible_projects), "project_count": len(stats.projects)},
        "comparable": _comparable(found.comparable),
        "aliases": [{"name": a.name, "how": a.how, "score": None if a.score is None else plain(a.score),
                     "seen": a.seen} for a in found.aliases],
        "versions": [{"number": v.number, "action": v.action, "snapshot": v.snapshot,
                      "at": local_iso(v.at, zone), "by": v.by} for v in found.versions],
    }


@router.post("/library", response_model=LibraryEntryOut, status_code=201,
             summary="提出新指标（主管部门；财政部门提出的直接审核通过）")
def library_propose(db: DbSession, who: Who, body: LibraryEntryIn, context: Context) -> dict[str, Any]:
    entry_id = library_curate.propose(context.sessions, who, body.model_dump(exclude_none=True))
    return library_query.as_dict(library_query.entry(db, entry_id))


@router.post("/library/build", response_model=LibraryBuildOut, summary="从已批复目标表重建指标库（财政部门）")
def library_rebuild(who: Who, context: Context) -> dict[str, Any]:
    require(who, Ability.CURATE_LIBRARY)
    done = library_build.build(context.sessions, context.profile.rules.name,
                               context.profile.rules.library_min_projects)
    return {"tables": done.tables, "observations": done.observations, "new_entries": done.new_entries,
            "starter_added": done.starter_added}


@router.post("/library/import", response_model=LibraryImportOut,
             summary="导入本地指标库（xlsx；有一处错误即整个文件不导入）")
def library_import(who: Who, body: LibraryImportIn, context: Context) -> dict[str, Any]:
    require(who, Ability.CURATE_LIBRARY)
    try:
        data = base64.b64decode("".join(body.content_base64.split()), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"文件“{body.file_name}”的 content_base64 不是有效的 base64 编码") from None
    if len(data) > MAX_BODY:
        raise InvalidInput(f"文件“{body.file_name}”解码后为 {len(data)} 字节，超过上限 {MAX_BODY // 1024 // 1024} MB")
    done = library_xlsx.import_file(context.sessions, who, data, body.file_name)
    return {"added": done.added, "updated": done.updated, "unchanged": done.unchanged}


@router.post("/library/{entry_id}/actions", response_model=LibraryEntryOut,
             summary="审核与维护（财政部门）：approve、rename、update、merge、retire、core、uncore")
def library_action(who: Who, entry_id: EntryId, body: LibraryActionIn, context: Context) -> dict[str, Any]:
    fields = body.fields.model_dump(exclude_none=True) if body.fields else {}
    done = library_curate.change(context.sessions, who, entry_id, body.action, fields, body.into, body.note)
    return library_query.as_dict(done)
