"""The finance bureau's 复核 pages: draw a sample, re-score a table row by row (htmx), finish, the report.

Every route asks :mod:`jixiao.services.recheck`, which refuses everyone but a finance bureau reviewer
(403 with the reason) and another region's samples (404). A refused score re-renders the form with what
was typed and every problem named; a done action redirects with a flash message.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from jixiao.services import recheck
from jixiao.services.context import AppContext
from jixiao.services.exports import RECHECK_FORMATS, recheck_file
from jixiao.services.permissions import Ability, require
from jixiao.services.recheck_sampling import MAX_SEED, MAX_SIZE
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, SignedIn, SignedInPost
from jixiao.web.pages.common import Viewer, csrf_ok, download, render, small_int
from jixiao.web.settings import MAX_FORM_FIELDS

router = APIRouter()
RecordId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]  # a larger id is no row (and no 500 on PostgreSQL)


def _list_page(request: Request, context: AppContext, viewer: Viewer, status: int = 200, error: str | None = None,
               kept: dict[str, str] | None = None) -> Response:
    with context.sessions() as session:
        samples = recheck.list_samples(session, viewer.actor)
        years = recheck.years_with_tables(session, viewer.actor)
    page = render(request, "recheck_list.html.j2", viewer, status, samples=samples, years=years, error=error,
                  kept=kept or {}, max_size=MAX_SIZE, msg=flash(request))
    return shown(page, request)


@router.get("/recheck")
def recheck_list(request: Request, viewer: SignedIn, context: Context) -> Response:
    require(viewer.actor, Ability.RECHECK)  # refused: the error page says why (403)
    return _list_page(request, context, viewer)


def _number(form: FormData, name: str, low: int, high: int) -> int | None:
    return small_int(str(form.get(name) or "").strip(), low, high)


@router.post("/recheck")
async def draw(request: Request, viewer: SignedInPost, context: Context) -> Response:
    require(viewer.actor, Ability.RECHECK)
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    kept = {key: str(form.get(key) or "")[:20] for key in ("year", "size", "risk_share", "seed")}
    if not csrf_ok(viewer, request, str(form.get("csrf_token") or "")):
        return _list_page(request, context, viewer, 403, "页面已过期，请重新抽样（您填写的条件仍在下方）", kept)
    problems = []
    year, size = _number(form, "year", 1900, 2200), _number(form, "size", 1, MAX_SIZE)
    share = _number(form, "risk_share", 0, 100) if kept["risk_share"].strip() else 50
    seed = _number(form, "seed", 0, MAX_SEED) if kept["seed"].strip() else None
    if year is None:
        problems.append(f"「年度」应为四位数字的年份，收到“{kept['year']}”")
    if size is None:
        problems.append(f"「样本量」应为 1 到 {MAX_SIZE} 之间的整数，收到“{kept['size']}”")
    if share is None:
        problems.append(f"「按风险抽取的比例（%）」应为 0 到 100 之间的整数，收到“{kept['risk_share']}”")
    if kept["seed"].strip() and seed is None:
        problems.append(f"「随机种子」应为 0 到 {MAX_SEED} 之间的整数（可不填），收到“{kept['seed']}”")
    if problems:
        return _list_page(request, context, viewer, 422, "抽样条件有误：" + "；".join(problems), kept)
    assert year is not None and size is not None and share is not None
    try:
        done = await run_in_threadpool(recheck.draw_sample, context.sessions, viewer.actor, year, size, seed, share,
                                       context.profile)
    except recheck.SampleRefused as refused:
        return _list_page(request, context, viewer, 422, refused.message, kept)
    return see_other(request, f"/recheck/{done['id']}",
                     f"已抽取第{done['id']}号样本：{len(done['items'])} 张（随机种子 {done['seed']}）")


@router.get("/recheck/{sample_id}")
def sample_page(request: Request, sample_id: RecordId, viewer: SignedIn, context: Context) -> Response:
    with context.sessions() as session:
        sample = recheck.show_sample(session, viewer.actor, sample_id, context.profile)
    return shown(render(request, "recheck_sample.html.j2", viewer, sample=sample, msg=flash(request)), request)


def _item_page(request: Request, context: AppContext, viewer: Viewer, sample_id: RecordId, item_id: RecordId,
               status: int = 200, error: str | None = None, problems: list[str] | None = None,
               entered: dict[str, tuple[str, str]] | None = None, partial: bool = False) -> Response:
    with context.sessions() as session:
        item = recheck.show_item(session, viewer.actor, sample_id, item_id, context.profile)
    rows = {row["key"]: row | {"entered": (entered or {}).get(row["key"], (None, None))[0],
                               "entered_reason": (entered or {}).get(row["key"], (None, None))[1]}
            for row in item["rows"]}
    template = "_recheck_form.html.j2" if partial else "recheck_item.html.j2"
    page = render(request, template, viewer, status, item=item, recheck=rows if item["state"] != "done" else {},
                  error=error, problems=problems or [], msg=flash(request))
    return shown(page, request)


@router.get("/recheck/{sample_id}/items/{item_id}")
def item_page(request: Request, sample_id: RecordId, item_id: RecordId, viewer: SignedIn, context: Context) -> Response:
    return _item_page(request, context, viewer, sample_id, item_id)


def _entries(form: FormData) -> tuple[list[dict[str, Any]], dict[str, tuple[str, str]]]:
    """The rows of the form (``score-<row>``, ``reason-<row>``): blank scores are rows left alone."""
    entries, entered = [], {}
    for name in form:
        if not name.startswith("score-"):
            continue
        key = name[len("score-"):]
        score, reason = str(form.get(name) or ""), str(form.get(f"reason-{key}") or "")
        entered[key] = (score, reason)
        if score.strip():
            entries.append({"row": key, "score": score, "reason": reason})
    return entries, entered


@router.post("/recheck/{sample_id}/items/{item_id}")
async def save_scores(request: Request, sample_id: RecordId, item_id: RecordId, viewer: SignedInPost,
                      context: Context) -> Response:
    require(viewer.actor, Ability.RECHECK)
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    partial = bool(request.headers.get("hx-request"))
    entries, entered = _entries(form)
    if not csrf_ok(viewer, request, str(form.get("csrf_token") or "")):
        return _item_page(request, context, viewer, sample_id, item_id, 403,
                          "页面已过期，请重新保存（您填写的评分仍在下方）", entered=entered, partial=partial)
    try:
        await run_in_threadpool(recheck.rescore, context.sessions, viewer.actor, sample_id, item_id, entries)
    except recheck.RescoreRefused as refused:
        return _item_page(request, context, viewer, sample_id, item_id, 200 if partial else 422, refused.message,
                          [str(p) for p in refused.details], entered, partial)
    except recheck.RecheckClosed as closed:
        return _item_page(request, context, viewer, sample_id, item_id, 200 if partial else 409, closed.message,
                          partial=partial)
    if partial:  # htmx swaps only 2xx answers: the saved form, with its new total, in place
        return _item_page(request, context, viewer, sample_id, item_id, 200, None, partial=True)
    return see_other(request, f"/recheck/{sample_id}/items/{item_id}", "复核评分已保存")


@router.post("/recheck/{sample_id}/items/{item_id}/complete")
def complete(request: Request, sample_id: RecordId, item_id: RecordId, viewer: SignedInPost, context: Context,
             csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    require(viewer.actor, Ability.RECHECK)
    if not csrf_ok(viewer, request, csrf_token):
        return _item_page(request, context, viewer, sample_id, item_id, 403, "页面已过期，请重新操作")
    try:
        done = recheck.complete(context.sessions, viewer.actor, sample_id, item_id, context.profile)
    except recheck.RecheckClosed as closed:
        return _item_page(request, context, viewer, sample_id, item_id, 409, closed.message)
    said = f"已完成第{done['position']}张表的复核：复核总分 {done['recheck_total']} 分（{done['recheck_grade']}）"
    return see_other(request, f"/recheck/{sample_id}", said)


@router.get("/recheck/{sample_id}/report.{output_format}")
def report(request: Request, sample_id: RecordId, output_format: str, viewer: SignedIn, context: Context) -> Response:
    """The 复核 report of a sample: HTML to read or print, xlsx and PDF to download."""
    if output_format not in RECHECK_FORMATS:
        message = f"没有“{output_format}”格式的复核报告：可选 HTML（html）、Excel（xlsx）、PDF（pdf）"
        return render(request, "error.html.j2", viewer, 404, message=message)
    with context.sessions() as session:
        found = recheck_file(session, viewer.actor, sample_id, output_format, context.profile)
    if output_format == "html":
        return HTMLResponse(found.content.decode("utf-8"))
    return download(found, output_format)
