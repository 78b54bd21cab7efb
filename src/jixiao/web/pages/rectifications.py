"""整改 pages: the list (filters, overdue first), an item with its steps (htmx forms with CSRF), the form that
makes an item from a project's finding, the finance bureau's summary and its workbook.

Every route asks :mod:`jixiao.services.rectifications` / ``rectification_lists`` as the viewer: a unit sees its
own items only, a step the role or the state does not allow is refused with the reason (the form keeps what was
typed). The response with evidence files is the one upload route here (``POST /rectifications/respond``: the body
limit of uploads, ``web/settings.UPLOAD_ROUTES``), the files checked by the service like an import's.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from jixiao.domain.rectification import SOURCE_LABELS, RectAction
from jixiao.services import rectification_lists as lists
from jixiao.services import rectifications
from jixiao.services.errors import ServiceError
from jixiao.services.exports import Download
from jixiao.services.permissions import Ability, require, require_visible
from jixiao.services.rectification_files import EVIDENCE_TYPES, MAX_EVIDENCE_FILES
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, CsrfPassed, SignedIn, SignedInPost
from jixiao.web.pages.common import csrf_ok, download, render, small_int

router = APIRouter()
Code = Annotated[str, PathParam(min_length=1, max_length=64)]
ItemId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Text = Annotated[str, Form(max_length=8000)]
Token = Annotated[str, Form(max_length=100)]
STEPS = {RectAction.START.value, RectAction.CONFIRM.value, RectAction.RETURN.value}
ACCEPT = ",".join(EVIDENCE_TYPES)
EXPIRED = "页面已过期，请重新提交（您填写的内容仍在下方）"


@router.get("/rectifications")
def rectification_list(request: Request, viewer: SignedIn, context: Context,
                       state: Annotated[str, Query(max_length=16)] = "",
                       department: Annotated[str, Query(max_length=32)] = "",
                       unit: Annotated[str, Query(max_length=32)] = "",
                       source: Annotated[str, Query(max_length=16)] = "",
                       project: Annotated[str, Query(max_length=64)] = "",
                       page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    chosen = {"state": state, "department": department, "unit": unit, "source": source, "project": project}
    with context.sessions() as session:
        listing = lists.list_items(session, viewer.actor, context.today(), state=state or None,
                                   department=department or None, unit=unit or None, source=source or None,
                                   code=project or None, page=page)
        options = lists.filter_options(session, viewer.actor)
    done = render(request, "rectifications.html.j2", viewer, listing=listing, options=options, chosen=chosen,
                  sources=SOURCE_LABELS, msg=flash(request))
    return shown(done, request)


@router.get("/rectifications/summary")
def summary_page(request: Request, viewer: SignedIn, context: Context) -> Response:
    with context.sessions() as session:
        found = lists.summary(session, viewer.actor, context.today())
    return render(request, "rectification_summary.html.j2", viewer, summary=found)


@router.get("/rectifications/summary.xlsx")
def summary_file(viewer: SignedIn, context: Context) -> Response:
    with context.sessions() as session:
        return download(lists.summary_file(session, viewer.actor, context.today()), "xlsx")


def _ref(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k)[:32]: v for k, v in list(value.items())[:8] if v is None or isinstance(v, str | int)}


def _new_form(request: Request, viewer: SignedIn, context: Context, code: str, status: int = 200,
              typed: dict[str, Any] | None = None, problems: list[str] | None = None) -> Response:
    with context.sessions() as session:
        found = rectifications.findings(session, viewer.actor, code, context.profile)
        project = require_visible(session, viewer.actor, code)
        name = project.name
    for item in found:
        item["ref_json"] = json.dumps(item["ref"], ensure_ascii=False, sort_keys=True)
    return render(request, "rectification_new.html.j2", viewer, status, code=code, name=name, findings=found,
                  typed=typed or {}, problems=problems or [], today=context.today().isoformat())


@router.get("/projects/{code}/rectifications/new")
def new_page(request: Request, code: Code, viewer: SignedIn, context: Context,
             source: Annotated[str, Query(max_length=16)] = "",
             ref: Annotated[str, Query(max_length=500)] = "") -> Response:
    require(viewer.actor, Ability.RECTIFY_ASSIGN)
    chosen = json.dumps(_ref(ref), ensure_ascii=False, sort_keys=True) if ref else ""
    return _new_form(request, viewer, context, code, typed={"pick": f"{source}|{chosen}" if source else ""})


@router.post("/rectifications/projects/{code}")
async def create(request: Request, code: Code, viewer: SignedInPost, context: Context,
                 pick: Annotated[str, Form(max_length=600)] = "", requirement: Text = "",
                 deadline: Annotated[str, Form(max_length=20)] = "", finding: Text = "",
                 csrf_token: Token = "") -> Response:
    require(viewer.actor, Ability.RECTIFY_ASSIGN)
    typed = {"pick": pick, "requirement": requirement, "deadline": deadline, "finding": finding}
    if not csrf_ok(viewer, request, csrf_token):
        return _new_form(request, viewer, context, code, 403, typed, [EXPIRED])
    source, _bar, ref = pick.partition("|")
    if not source:
        return _new_form(request, viewer, context, code, 422, typed, ["请选择要整改的问题"])
    try:
        item = await run_in_threadpool(rectifications.create, context.sessions, viewer.actor, code, source, _ref(ref),
                                       requirement, deadline, context.today(), finding, context.profile)
    except (rectifications.RectificationRefused, rectifications.RectificationExists) as refused:
        messages = [str(p["message"]) for p in refused.details] or [refused.message]
        return _new_form(request, viewer, context, code, refused.status, typed, messages)
    return see_other(request, f"/rectifications/{item}", f"已生成整改事项（项目 {code}），已通知整改单位")


def _item(request: Request, viewer: SignedIn, context: Context, item_id: int, status: int = 200,
          error: str | None = None, typed: str = "", partial: bool = False) -> Response:
    with context.sessions() as session:
        found = rectifications.detail(session, viewer.actor, item_id, context.today())
    template = "_rectification.html.j2" if partial else "rectification.html.j2"
    return render(request, template, viewer, status, item=found, error=error, typed=typed, accept=ACCEPT,
                  max_files=MAX_EVIDENCE_FILES, msg=None if partial else flash(request))


@router.get("/rectifications/{item_id}")
def item_page(request: Request, item_id: ItemId, viewer: SignedIn, context: Context) -> Response:
    return shown(_item(request, viewer, context, item_id), request)


@router.get("/rectifications/{item_id}/files/{file_id}")
def evidence(item_id: ItemId, file_id: ItemId, viewer: SignedIn, context: Context) -> Response:
    with context.sessions() as session:
        name, data = rectifications.evidence_file(session, viewer.actor, item_id, file_id)
    stem, _dot, suffix = name.rpartition(".")
    return download(Download(data, "application/octet-stream", stem or name), suffix or "bin")


@router.post("/rectifications/{item_id}/deadline")
async def deadline(request: Request, item_id: ItemId, viewer: SignedInPost, context: Context,
                   due: Annotated[str, Form(max_length=20)] = "", reason: Text = "",
                   csrf_token: Token = "") -> Response:
    partial = bool(request.headers.get("hx-request"))
    if not csrf_ok(viewer, request, csrf_token):
        return _item(request, viewer, context, item_id, 403, EXPIRED, reason, partial)
    try:
        await run_in_threadpool(rectifications.set_deadline, context.sessions, viewer.actor, item_id, due, reason,
                                context.today())
    except (rectifications.RectificationMoveRefused, rectifications.RectificationRefused) as refused:
        return _item(request, viewer, context, item_id, 200 if partial else refused.status, refused.message, reason,
                     partial)
    if partial:
        return _item(request, viewer, context, item_id, partial=True)
    return see_other(request, f"/rectifications/{item_id}", f"整改期限已调整为 {due}")


@router.post("/rectifications/{item_id}/{action}")
async def step(request: Request, item_id: ItemId, action: Annotated[str, PathParam(max_length=16)],
               viewer: SignedInPost, context: Context, text: Text = "", csrf_token: Token = "") -> Response:
    partial = bool(request.headers.get("hx-request"))
    if action not in STEPS:
        return _item(request, viewer, context, item_id, 404, f"没有“{action[:16]}”这一步", text, partial)
    if not csrf_ok(viewer, request, csrf_token):
        return _item(request, viewer, context, item_id, 403, EXPIRED, text, partial)
    try:
        done = await run_in_threadpool(rectifications.move, context.sessions, viewer.actor, item_id, action, text)
    except (rectifications.RectificationMoveRefused, rectifications.RectificationRefused) as refused:
        return _item(request, viewer, context, item_id, 200 if partial else refused.status, refused.message, text,
                     partial)
    if partial:
        return _item(request, viewer, context, item_id, partial=True)
    return see_other(request, f"/rectifications/{item_id}", f"已{done['action_label']}：现在是“{done['state_label']}”")


@router.post("/rectifications/respond")
async def respond(request: Request, viewer: SignedInPost, context: Context, csrf: CsrfPassed) -> Response:
    form = await request.form(max_files=MAX_EVIDENCE_FILES + 1)
    item_id = small_int(str(form.get("item") or ""), 1)
    if item_id is None:
        raise rectifications.RectificationNotFound("没有指明整改事项")
    text = str(form.get("text") or "")[:8000]
    if not csrf:
        return _item(request, viewer, context, item_id, 403, EXPIRED, text)
    files = [(f.filename or "", await f.read()) for f in form.getlist("files")
             if isinstance(f, UploadFile) and f.filename]
    try:
        await run_in_threadpool(rectifications.move, context.sessions, viewer.actor, item_id, "respond", text, files)
    except ServiceError as refused:
        if isinstance(refused, rectifications.RectificationNotFound):
            raise
        return _item(request, viewer, context, item_id, refused.status, refused.message, text)
    done = f"已提交整改情况（{len(files)} 个佐证材料），等待审核人确认"
    return see_other(request, f"/rectifications/{item_id}", done)
