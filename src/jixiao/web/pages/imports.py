"""The import page: upload one or many files; per-file results with diagnostics and links."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from jixiao.services.context import AppContext
from jixiao.services.imports import ImportResult, import_as
from jixiao.services.lookups import projects_of_batch
from jixiao.services.permissions import Ability, PermissionDenied, may, refusal, require
from jixiao.web.deps import Context, CsrfPassed, SignedIn, SignedInPost
from jixiao.web.pages.common import render
from jixiao.web.settings import MAX_BODY, MAX_FILES

router = APIRouter()
MAX_MB = MAX_BODY // 1024 // 1024


@router.get("/import")
def import_page(request: Request, viewer: SignedIn) -> Response:
    require(viewer.actor, Ability.IMPORT)  # refused: the error page says why (403)
    return render(request, "import.html.j2", viewer, results=None, max_mb=MAX_MB)


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
                      max_mb=MAX_MB)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
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
    return render(request, template, viewer, status, results=results, error=error, max_mb=MAX_MB)


def _with_links(context: AppContext, result: ImportResult) -> dict[str, object]:
    """The result with the projects it touched (by batch), for links to each imported table."""
    projects: list[tuple[str, str | None]] = []
    if result.batch_id is not None:
        with context.sessions() as session:
            projects = projects_of_batch(session, result.batch_id)
    return result.to_dict() | {"projects": projects}
