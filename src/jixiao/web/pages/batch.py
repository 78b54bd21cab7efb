"""Batch work from the project list: tick tables, choose one action (and one comment for 退回), see a result per table.

The list's rows carry checkboxes of the form ``#batch-form`` (``form=`` attribute, so filtering and paging,
which swap the rows, keep working); with htmx the result is swapped in above the list and the rows are
reloaded, without it the result is its own page (200 when any table was done; when none was, the status the
single step would have answered). Every table is checked by the services as if done alone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jixiao.domain.workflow import Action
from jixiao.services.batch import batch_transition
from jixiao.services.errors import ServiceError
from jixiao.web.deps import Context, SignedInPost
from jixiao.web.pages.common import Viewer, csrf_ok, render

router = APIRouter()


def _answer(request: Request, viewer: Viewer, status: int, **shown: object) -> Response:
    """The partial for htmx (a 200: htmx swaps only those; a refusal shows as an alert), else the whole page."""
    if request.headers.get("hx-request"):
        response = render(request, "_batch_result.html.j2", viewer, **shown)
        if "batch" in shown:
            response.headers["HX-Trigger"] = "batch-done"  # the list reloads its rows (their states changed)
        return response
    return render(request, "batch.html.j2", viewer, status, **shown)


@router.post("/projects/batch")
def batch(request: Request, viewer: SignedInPost, context: Context,
          action: Annotated[str, Form(max_length=32)] = "",
          codes: Annotated[list[str] | None, Form()] = None,
          comment: Annotated[str, Form(max_length=5000)] = "",
          csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not csrf_ok(viewer, request, csrf_token):
        return _answer(request, viewer, 403, error="页面已过期，请刷新后重新勾选并操作")
    if action not in {a.value for a in Action}:
        return _answer(request, viewer, 400, error="请选择要进行的操作")
    try:
        result = batch_transition(context.sessions, viewer.actor, codes or [], Action(action), comment,
                                  region=context.profile, now=context.clock())
    except ServiceError as error:
        return _answer(request, viewer, error.status, error=error.message)
    return _answer(request, viewer, result.status, batch=result.to_dict())
