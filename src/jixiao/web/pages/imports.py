"""The import page: upload one or many files; per-file results with diagnostics and links."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import UploadFile

from jixiao.services.imports import ImportResult, import_as
from jixiao.services.permissions import PermissionDenied
from jixiao.storage.models import Project, TableVersion
from jixiao.web.api import MAX_BODY
from jixiao.web.pages.common import csrf_ok, login_url, render, viewer_for

MAX_FILES = 50


def router(sessions: sessionmaker[Session]) -> APIRouter:
    pages = APIRouter()

    @pages.get("/import")
    def import_page(request: Request) -> Response:
        viewer = viewer_for(sessions, request)
        if viewer.is_public:
            return RedirectResponse(login_url(request), status_code=303)
        return render(request, "import.html.j2", viewer, results=None, max_mb=MAX_BODY // 1024 // 1024)

    @pages.post("/import")
    async def upload(request: Request) -> Response:
        viewer = viewer_for(sessions, request)
        if viewer.is_public:
            return RedirectResponse(login_url(request) + "&expired=1", status_code=303)
        form = await request.form(max_files=MAX_FILES)
        if not csrf_ok(viewer, request, str(form.get("csrf_token") or "")):
            return render(request, "import.html.j2", viewer, 403, results=None, error="页面已过期，请重新选择文件上传",
                          max_mb=MAX_BODY // 1024 // 1024)
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        results: list[dict[str, object]] = []
        error = None if files else "请选择至少一个文件"
        for upload_file in files:
            data = await upload_file.read()
            name = upload_file.filename or "（未命名）"
            try:
                result = import_as(sessions, viewer.actor, data, name)
            except PermissionDenied as denied:
                error = str(denied)
                break
            results.append(_with_links(sessions, result))
        status = 403 if error and files else 200
        template = "_import_results.html.j2" if request.headers.get("hx-request") else "import.html.j2"
        return render(request, template, viewer, status, results=results, error=error,
                      max_mb=MAX_BODY // 1024 // 1024)

    return pages


def _with_links(sessions: sessionmaker[Session], result: ImportResult) -> dict[str, object]:
    """The result with the projects it touched (by batch), for links to each imported table."""
    projects: list[tuple[str, str | None]] = []
    if result.batch_id is not None:
        with sessions() as session:
            projects = list(session.execute(select(Project.code, Project.name).join(TableVersion)
                                            .where(TableVersion.import_batch_id == result.batch_id)
                                            .order_by(Project.code)))
    return result.to_dict() | {"projects": projects}
