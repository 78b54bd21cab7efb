"""The indicator library pages (指标库): browse and search, an entry with its statistics and history, the finance
bureau's curation, a department's proposal, export and import; and the editor's suggestions (htmx).

Every route asks the library services (``services.library_*``), which refuse the public, and all but the finance
bureau's reviewers for curation (403 with the reason); a done action redirects with a flash message.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from jixiao.services import library_build, library_curate, library_query, library_xlsx
from jixiao.services.context import AppContext
from jixiao.services.errors import ServiceError
from jixiao.services.library_store import ACTION_LABELS, HOW_LABELS, ORIGIN_LABELS, STATUS_LABELS
from jixiao.services.permissions import Ability, require
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, CsrfPassed, SignedIn, SignedInPost
from jixiao.web.pages.common import Viewer, csrf_ok, download, render
from jixiao.web.settings import MAX_FILES, MAX_FORM_FIELDS

router = APIRouter()
EntryId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
PAGE = 50
EXPIRED = "页面已过期，请刷新后重试"
LABELS = {"status": STATUS_LABELS, "origin": ORIGIN_LABELS, "how": HOW_LABELS, "action": ACTION_LABELS}


def _list(request: Request, context: AppContext, viewer: Viewer, status: int = 200, error: str | None = None,
          problems: list[Any] | None = None, q: str = "", state: str = "", page: int = 1) -> Response:
    with context.sessions() as session:
        total, rows = library_query.entries(session, viewer.actor, q, state or None, offset=(page - 1) * PAGE,
                                            limit=PAGE)
    pages = max(1, -(-total // PAGE))
    found = render(request, "library_list.html.j2", viewer, status, rows=rows, total=total, q=q, state=state,
                   page=page, pages=pages, labels=LABELS, error=error, problems=problems or [], msg=flash(request),
                   level1s=sorted(context.profile.rules.catalogue), directions=library_curate.DIRECTIONS)
    return shown(found, request)


@router.get("/library")
def library_list(request: Request, viewer: SignedIn, context: Context,
                 q: Annotated[str, Query(max_length=100)] = "", status: Annotated[str, Query(max_length=16)] = "",
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    library_query.require_reader(viewer.actor)
    state = status if status in STATUS_LABELS else ""
    return _list(request, context, viewer, q=q, state=state, page=page)


@router.get("/library/export.xlsx")
def library_export(viewer: SignedIn, context: Context) -> Response:
    with context.sessions() as session:
        return download(library_xlsx.export_file(session, viewer.actor), "xlsx")


@router.get("/library/suggest")
def library_suggest(request: Request, viewer: SignedIn, context: Context,
                    name: Annotated[str, Query(max_length=300)] = "") -> Response:
    """The editor's suggestions for the name being typed (the partial htmx swaps in under the name cell)."""
    with context.sessions() as session:
        found = library_query.suggest(session, viewer.actor, name) if name.strip() else []
    return render(request, "_library_suggest.html.j2", viewer, suggestions=found, typed=name)


@router.post("/library/build")
async def library_rebuild(request: Request, viewer: SignedInPost, context: Context, csrf: CsrfPassed) -> Response:
    require(viewer.actor, Ability.CURATE_LIBRARY)
    if not csrf:
        return _list(request, context, viewer, 403, EXPIRED)
    done = await run_in_threadpool(library_build.build, context.sessions, context.profile.rules.name,
                                  context.profile.rules.library_min_projects)
    return see_other(request, "/library", f"已从 {done.tables} 张已批复目标表重建指标库：{done.observations} 条指标，"
                                         f"新归并出 {done.new_entries} 个待审核指标")


@router.post("/library/import")
async def library_import(request: Request, viewer: SignedInPost, context: Context, csrf: CsrfPassed) -> Response:
    require(viewer.actor, Ability.CURATE_LIBRARY)
    if not csrf:
        return _list(request, context, viewer, 403, EXPIRED)
    form = await request.form(max_files=MAX_FILES)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _list(request, context, viewer, 400, "请选择要导入的指标库文件（.xlsx）")
    data = await upload.read()
    try:
        done = await run_in_threadpool(library_xlsx.import_file, context.sessions, viewer.actor, data, upload.filename)
    except library_xlsx.LibraryImportRefused as refused:
        if not refused.details:  # the file itself: the message says it all
            return _list(request, context, viewer, 422, refused.message)
        return _list(request, context, viewer, 422, f"“{upload.filename}”有 {len(refused.details)} 处错误，"
                     "整个文件未导入，指标库没有任何改动：", refused.details)
    return see_other(request, "/library", f"已导入“{upload.filename}”：新增 {done.added} 个，更新 {done.updated} 个，"
                                         f"{done.unchanged} 个无变化")


@router.post("/library/propose")
async def library_propose(request: Request, viewer: SignedInPost, context: Context) -> Response:
    require(viewer.actor, Ability.PROPOSE_LIBRARY)
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    if not csrf_ok(viewer, request, str(form.get("csrf_token") or "")):
        return _list(request, context, viewer, 403, EXPIRED)
    fields = {key: str(form.get(key) or "") for key in library_curate.FIELD_LABELS}
    try:
        entry_id = await run_in_threadpool(library_curate.propose, context.sessions, viewer.actor, fields)
    except ServiceError as refused:
        return _list(request, context, viewer, refused.status, refused.message)
    return see_other(request, f"/library/{entry_id}", f"已提出新指标“{fields['name'].strip()}”，待财政部门审核"
                     if not viewer.may("curate_library") else f"已新增指标“{fields['name'].strip()}”")


def _entry(request: Request, context: AppContext, viewer: Viewer, entry_id: int, status: int = 200,
           error: str | None = None) -> Response:
    with context.sessions() as session:
        found = library_query.detail(session, viewer.actor, entry_id)
        into = library_query.entry(session, found.entry.merged_into_id) if found.entry.merged_into_id else None
    page = render(request, "library_entry.html.j2", viewer, status, d=found, into=into, labels=LABELS, error=error,
                  msg=flash(request), directions=library_curate.DIRECTIONS,
                  level1s=sorted(context.profile.rules.catalogue))
    return shown(page, request)


@router.get("/library/{entry_id}")
def library_entry(request: Request, viewer: SignedIn, context: Context, entry_id: EntryId) -> Response:
    return _entry(request, context, viewer, entry_id)


@router.post("/library/{entry_id}")
async def library_change(request: Request, viewer: SignedInPost, context: Context, entry_id: EntryId) -> Response:
    require(viewer.actor, Ability.CURATE_LIBRARY)
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    if not csrf_ok(viewer, request, str(form.get("csrf_token") or "")):
        return _entry(request, context, viewer, entry_id, 403, EXPIRED)
    action = str(form.get("action") or "")
    fields = {key: str(form.get(key)) for key in library_curate.FIELD_LABELS if form.get(key) is not None}
    into_text = str(form.get("into") or "").strip()
    into = int(into_text) if into_text.isascii() and into_text.isdigit() and len(into_text) < 10 else None
    if action == "merge" and into is None:
        return _entry(request, context, viewer, entry_id, 422, f"「合并到（编号）」应为指标编号，收到“{into_text}”")
    try:
        done = await run_in_threadpool(library_curate.change, context.sessions, viewer.actor, entry_id, action,
                                       fields, into, str(form.get("note") or "").strip() or None)
    except ServiceError as refused:
        return _entry(request, context, viewer, entry_id, refused.status, refused.message)
    target = f"/library/{done.merged_into_id}" if action == "merge" and done.merged_into_id else f"/library/{entry_id}"
    return see_other(request, target, f"已{ACTION_LABELS.get(action, action)}：“{done.name}”（第 {done.version} 版）")
