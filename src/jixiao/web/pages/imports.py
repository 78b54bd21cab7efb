"""The import page: upload one or many files; per-file results with diagnostics and links."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from jixiao.services.context import AppContext
from jixiao.services.imports import ImportResult, import_as
from jixiao.services.jobs_submit import ARCHIVES, submit_import
from jixiao.services.lookups import projects_of_batch
from jixiao.services.permissions import Ability, PermissionDenied, may, refusal, require
from jixiao.web.cookies import see_other
from jixiao.web.deps import Context, CsrfPassed, SignedIn, SignedInPost
from jixiao.web.pages.common import Viewer, render
from jixiao.web.settings import MAX_BODY, MAX_FILES

router = APIRouter()
MAX_MB = MAX_BODY // 1024 // 1024
INLINE_FILES = 5  # more files than this (or a zip) go to a background job


@router.get("/import")
def import_page(request: Request, viewer: SignedIn) -> Response:
    require(viewer.actor, Ability.IMPORT)  # refused: the error page says why (403)
    return render(request, "import.html.j2", viewer, results=None, max_mb=MAX_MB, inline_files=INLINE_FILES)


@router.post("/import")
async def upload(request: Request, viewer: SignedInPost, context: Context, csrf: CsrfPassed) -> Response:
    if not may(viewer.actor, Ability.IMPORT):
        message = refusal(viewer.actor, Ability.IMPORT)
        if request.headers.get("hx-request"):  # the upload form shows it in place (app.js swaps a 403 there)
            return render(request, "_import_results.html.j2", viewer, 403, results=None, error=message)
        raise PermissionDenied(message)
    form = await request.form(max_files=MAX_FILES)
    if not csrf:
        return render(request, "import.html.j2", viewer, 403, results=None, error="页面已过期，请重新选择文件上传",
                      max_mb=MAX_MB, inline_files=INLINE_FILES)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if files and (len(files) > INLINE_FILES or form.get("background")
                  or any((f.filename or "").lower().endswith(ARCHIVES) for f in files)):
        return await _as_job(request, viewer, context, files)
    results: list[dict[str, object]] = []
    error = None if files else "请选择至少一个文件"
    for upload_file in files:
        data = await upload_file.read()
        name = upload_file.filename or "（未命名）"
        try:
            # off the event loop: the read (an office file: a bounded child process) must not stall other requests
            result = await run_in_threadpool(import_as, context.sessions, viewer.actor, data, name, context.profile)
        except PermissionDenied as denied:
            error = denied.message
            break
        results.append(_with_links(context, result))
    status = 403 if error and files else 200
    template = "_import_results.html.j2" if request.headers.get("hx-request") else "import.html.j2"
    return render(request, template, viewer, status, results=results, error=error, max_mb=MAX_MB,
                  inline_files=INLINE_FILES)


async def _as_job(request: Request, viewer: Viewer, context: AppContext, files: list[UploadFile]) -> Response:
    """Many files, or a zip: a background job (我的任务 shows its progress), not work inside this request."""
    chosen = [(f.filename or "（未命名）", await f.read()) for f in files]
    view = await run_in_threadpool(submit_import, context, viewer.actor, chosen)
    message = f"已提交后台任务 {view.id}（{len(chosen)} 个文件），进度见下表"
    answer = see_other(request, "/jobs", message)
    if request.headers.get("hx-request"):  # htmx follows a redirect inside the swap: tell it to go there
        answer.headers["HX-Redirect"] = "/jobs"
        answer.status_code = 200
    return answer


def _with_links(context: AppContext, result: ImportResult) -> dict[str, object]:
    """The result with the projects it touched (by batch), for links to each imported table."""
    projects: list[tuple[str, str | None]] = []
    if result.batch_id is not None:
        with context.sessions() as session:
            projects = projects_of_batch(session, result.batch_id)
    return result.to_dict() | {"projects": projects}
