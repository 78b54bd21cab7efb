"""我的任务: the signed-in user's background jobs with live progress (htmx polls the rows), cancel, download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from jixiao.services import jobs, jobs_submit
from jixiao.services.context import AppContext
from jixiao.services.errors import InvalidInput
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, CsrfPassed, SignedIn, SignedInPost
from jixiao.web.downloads import attachment
from jixiao.web.pages.common import Viewer, render

router = APIRouter()
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]
POLL = "2s"  # how often an open page asks for the rows while a job is unfinished


def _rows(context: AppContext, viewer: Viewer) -> dict[str, object]:
    with context.sessions() as session:
        total, views = jobs.list_jobs(session, viewer.actor, context.profile.timezone)
    return {"total": total, "jobs": views, "polling": any(not v.finished for v in views), "poll": POLL}


@router.get("/jobs")
def jobs_page(request: Request, viewer: SignedIn, context: Context) -> Response:
    page = render(request, "jobs.html.j2", viewer, msg=flash(request), error=None, **_rows(context, viewer))
    return shown(page, request)


@router.get("/jobs/rows")
def job_rows(request: Request, viewer: SignedIn, context: Context) -> Response:
    """The table's rows (htmx swaps them in every few seconds while a job is unfinished)."""
    return render(request, "_job_rows.html.j2", viewer, **_rows(context, viewer))


@router.post("/jobs/exports")
def export(request: Request, viewer: SignedInPost, context: Context, csrf: CsrfPassed,
           output_format: Annotated[str, Form(alias="format", max_length=8)] = "xlsx",
           year: Annotated[str, Form(max_length=8)] = "") -> Response:
    if not csrf:
        return see_other(request, "/jobs", "页面已过期，请重试")
    chosen = int(year) if year.strip().isdigit() else None
    if year.strip() and chosen is None:
        return _page(request, context, viewer, 422, f"年度“{year}”无效：应为四位数字，如 2022")
    try:
        view = jobs_submit.submit_export(context, viewer.actor, output_format, chosen)
    except InvalidInput as refused:
        return _page(request, context, viewer, 422, refused.message)
    return see_other(request, "/jobs", f"已提交后台任务 {view.id}：{view.title}")


def _page(request: Request, context: AppContext, viewer: Viewer, status: int, error: str | None) -> Response:
    return render(request, "jobs.html.j2", viewer, status, msg=None, error=error, **_rows(context, viewer))


@router.post("/jobs/{job_id}/cancel")
def cancel(request: Request, viewer: SignedInPost, context: Context, csrf: CsrfPassed, job_id: JobId) -> Response:
    if not csrf:
        return see_other(request, "/jobs", "页面已过期，请重试")
    view = jobs_submit.cancel(context, viewer.actor, job_id)  # another's job: 404 (the error page says so)
    said = "已取消" if view.state == "cancelled" else "已要求取消，当前文件完成后停止"
    return see_other(request, "/jobs", f"任务 {job_id}：{said}")


@router.get("/jobs/{job_id}/result")
async def result(viewer: SignedIn, context: Context, job_id: JobId) -> Response:
    def read() -> tuple[str, str, bytes]:
        with context.sessions() as session:
            return jobs.result_file(session, viewer.actor, job_id)

    name, media, data = await run_in_threadpool(read)
    return attachment(name, media, data)
