"""The region's deadlines for a target year: everyone signed in reads them, the finance bureau sets them.

The profile's ``[calendar]`` gives the defaults; what the finance bureau types is stored per region and
year (``services.deadlines``), audited, and shown on every home page of its region. After a deadline the
finance bureau reopens the submission for a unit or a project here (``services.reopenings``).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from jixiao.services.context import AppContext
from jixiao.services.deadlines import DeadlineRefused, deadline_page, set_deadlines
from jixiao.services.permissions import PermissionDenied
from jixiao.services.reopenings import TASK_LABELS, ReopenRefused, list_reopenings, reopen
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, SignedIn, SignedInPost
from jixiao.web.pages.common import Viewer, csrf_ok, render

router = APIRouter()
MAX_ENTRIES = 20  # form fields date-0 … date-19: a profile has a handful


def _page(request: Request, context: AppContext, viewer: Viewer, year: int, status: int = 200,
          error: str | None = None, kept: dict[str, str] | None = None) -> Response:
    with context.sessions() as session:
        data = deadline_page(session, viewer.actor, year, context.profile.calendar, context.today())
        reopened = list_reopenings(session, viewer.actor, year)
    page = render(request, "deadlines.html.j2", viewer, status, msg=flash(request), error=error, kept=kept or {},
                  reopenings=reopened, tasks=TASK_LABELS, **data)
    return shown(page, request)


@router.get("/deadlines")
def deadlines_page(request: Request, viewer: SignedIn, context: Context,
                   year: Annotated[int | None, Query(ge=1900, le=2200)] = None) -> Response:
    return _page(request, context, viewer, year or context.today().year + 1)


@router.post("/deadlines")
async def save_deadlines(request: Request, viewer: SignedInPost, context: Context,
                         year: Annotated[int, Form(ge=1900, le=2200)],
                         csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    form = await request.form()  # date-0 … date-n: one per entry of the profile's calendar
    typed = {key: str(form[key])[:40] for key in (f"date-{n}" for n in range(MAX_ENTRIES)) if key in form}
    return await run_in_threadpool(_save, request, context, viewer, year, csrf_token, typed)


def _save(request: Request, context: AppContext, viewer: Viewer, year: int, csrf_token: str,
          typed: dict[str, str]) -> Response:
    if not csrf_ok(viewer, request, csrf_token):
        return _page(request, context, viewer, year, 403, "页面已过期，请重新保存（您填写的日期仍在下方）", typed)
    calendar = context.profile.calendar
    dates = {entry[0]: typed[f"date-{n}"] for n, entry in enumerate(calendar[:MAX_ENTRIES]) if f"date-{n}" in typed}
    try:
        changed = set_deadlines(context.sessions, viewer.actor, year, dates, calendar)
    except (PermissionDenied, DeadlineRefused) as error:
        return _page(request, context, viewer, year, error.status, str(error), typed)
    message = f"已保存{year}年度截止日期：{'、'.join(changed)}" if changed else "截止日期没有变化"
    return see_other(request, f"/deadlines?year={year}", message)


@router.post("/deadlines/reopen")
def reopen_submission(request: Request, viewer: SignedInPost, context: Context,
                      year: Annotated[int, Form(ge=1900, le=2200)],
                      task: Annotated[str, Form(max_length=16)] = "",
                      unit: Annotated[str, Form(max_length=32)] = "",
                      project: Annotated[str, Form(max_length=64)] = "",
                      until: Annotated[str, Form(max_length=20)] = "",
                      reason: Annotated[str, Form(max_length=2000)] = "",
                      back: Annotated[str, Form(max_length=10)] = "",
                      csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    """重新开放提交 for a unit or one project (from this page, or from a project's page: ``back=project``)."""
    kept = {"task": task, "unit": unit, "project": project, "until": until, "reason": reason}
    if not csrf_ok(viewer, request, csrf_token):
        return _page(request, context, viewer, year, 403, "页面已过期，请重新提交（您填写的内容仍在下方）", kept)
    try:
        done = reopen(context.sessions, viewer.actor, task, year, until, reason, unit or None, project or None,
                      region=context.profile, now=context.clock())
    except (PermissionDenied, ReopenRefused) as error:
        return _page(request, context, viewer, year, error.status, str(error), kept)
    whom = f"项目“{done['project']}”" if done.get("project") else f"单位“{done['unit']}”"
    message = f"已为{whom}重新开放{year}年度{done['task_label']}的提交，至 {done['until']}"
    to_project = back == "project" and project.strip()
    target = f"/projects/{quote(project.strip())}" if to_project else f"/deadlines?year={year}"
    return see_other(request, target, message)
