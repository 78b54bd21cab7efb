"""The self-evaluation's review and its correction requests on the pages (forms on the 自评 page)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from jixiao.services.corrections import decide, request_correction
from jixiao.services.errors import ServiceError, as_service_error
from jixiao.services.selfeval_review import review
from jixiao.web.cookies import see_other
from jixiao.web.deps import Context, SignedInPost
from jixiao.web.pages.common import Viewer, csrf_ok, render

router = APIRouter()
MAX_ID = 2**31 - 1


def _refused(request: Request, viewer: Viewer, error: Exception) -> Response:
    found = as_service_error(error)
    assert found is not None
    return render(request, "error.html.j2", viewer, found.status, message=found.message)


def _stale(request: Request, viewer: Viewer) -> Response:
    return render(request, "error.html.j2", viewer, 403, message="页面已过期，请返回后重新操作")


@router.post("/projects/{code}/selfeval/{record}/review")
def review_page(request: Request, code: str, viewer: SignedInPost, context: Context,
                record: Annotated[int, Path(ge=1, le=MAX_ID)],
                action: Annotated[str, Form(max_length=16)] = "",
                comment: Annotated[str, Form(max_length=5000)] = "",
                csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not csrf_ok(viewer, request, csrf_token):
        return _stale(request, viewer)
    try:
        done = review(context.sessions, viewer.actor, code, record, action, comment, now=context.clock())
    except ServiceError as error:
        return _refused(request, viewer, error)
    return see_other(request, f"/projects/{quote(code)}", f"第{record}号自评{done['state_label']}")


@router.post("/projects/{code}/selfeval/{record}/correction")
def correction_page(request: Request, code: str, viewer: SignedInPost, context: Context,
                    record: Annotated[int, Path(ge=1, le=MAX_ID)],
                    field: Annotated[str, Form(max_length=32)] = "",
                    indicator: Annotated[str, Form(max_length=300)] = "",
                    new_value: Annotated[str, Form(max_length=2000)] = "",
                    reason: Annotated[str, Form(max_length=2000)] = "",
                    csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not csrf_ok(viewer, request, csrf_token):
        return _stale(request, viewer)
    try:
        done = request_correction(context.sessions, viewer.actor, code, record, field, new_value, reason,
                                  indicator or None)
    except ServiceError as error:
        return _refused(request, viewer, error)
    return see_other(request, f"/projects/{quote(code)}/selfeval",
                     f"更正申请已提交：{done['field_label']} {done['old_value'] or '（空）'} → {done['new_value']}")


@router.post("/corrections/{correction}/decision")
def decision_page(request: Request, viewer: SignedInPost, context: Context,
                  correction: Annotated[int, Path(ge=1, le=MAX_ID)],
                  approve: Annotated[str, Form(max_length=4)] = "",
                  comment: Annotated[str, Form(max_length=5000)] = "",
                  csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not csrf_ok(viewer, request, csrf_token):
        return _stale(request, viewer)
    try:
        done = decide(context.sessions, viewer.actor, correction, approve == "1", comment, now=context.clock())
    except ServiceError as error:
        return _refused(request, viewer, error)
    return see_other(request, f"/projects/{quote(done['project'])}/selfeval",
                     f"第{correction}号更正申请{done['state_label']}")
