"""结果应用: the finance bureau's 下年预算安排建议表 page, a decision per project (htmx), and its downloads.

Every route asks :mod:`jixiao.services.results_use`, which refuses everyone but a finance bureau reviewer
(403 with the reason) and projects outside the reviewer's region (404). A refused decision re-renders the
row's form with what was typed and each problem named.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from jixiao.services import results_use
from jixiao.services.exports import BUDGET_FORMATS, budget_file
from jixiao.services.permissions import Ability, require
from jixiao.web.cookies import flash, shown
from jixiao.web.deps import Context, SignedIn, SignedInPost
from jixiao.web.pages.common import csrf_ok, download, render, small_int

router = APIRouter()
Code = Annotated[str, PathParam(min_length=1, max_length=64)]
ACTIONS = ("优先保障", "据实保障", "核减", "暂停", "取消", "约谈")


@router.get("/results")
def results_page(request: Request, viewer: SignedIn, context: Context, year: str = "") -> Response:
    require(viewer.actor, Ability.BUDGET)
    with context.sessions() as session:
        years = results_use.years(session, viewer.actor)
        chosen = small_int(year.strip(), 1900, 2200) if year.strip() else (years[0] if years else None)
        sheet = results_use.sheet(session, viewer.actor, chosen, context.profile) if chosen else None
    status = 200 if chosen or not year.strip() else 422
    error = None if status == 200 else f"「年度」应为四位数字的年份，收到“{year[:20]}”"
    page = render(request, "results.html.j2", viewer, status, years=years, year=chosen, sheet=sheet, error=error,
                  actions=ACTIONS, typed={}, problems=[], saved=None, msg=flash(request))
    return shown(page, request)


@router.post("/results/{code}/decision")
async def decide(request: Request, code: Code, viewer: SignedInPost, context: Context,
                 action: Annotated[str, Form(max_length=16)] = "", amount: Annotated[str, Form(max_length=40)] = "",
                 reason: Annotated[str, Form(max_length=4000)] = "",
                 csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    require(viewer.actor, Ability.BUDGET)
    typed = {"action": action, "amount": amount, "reason": reason}
    if not csrf_ok(viewer, request, csrf_token):
        return _row(request, context, viewer, code, 403, ["页面已过期，请重新保存（您填写的内容仍在下方）"], typed)
    try:
        await run_in_threadpool(results_use.decide, context.sessions, viewer.actor, code, action, amount, reason,
                                context.profile)
    except results_use.DecisionRefused as refused:
        return _row(request, context, viewer, code, 200 if request.headers.get("hx-request") else 422,
                    [str(problem["message"]) for problem in refused.details], typed)
    return _row(request, context, viewer, code, 200, [], None, "已保存")


def _row(request: Request, context: Context, viewer: SignedIn, code: str, status: int, problems: list[str],
         typed: dict[str, str] | None, saved: str | None = None) -> Response:
    with context.sessions() as session:
        project = results_use.project_year(session, viewer.actor, code)
        sheet = results_use.sheet(session, viewer.actor, project, context.profile)
    row = next(item for item in sheet["rows"] if item["code"] == code)
    return render(request, "_budget_row.html.j2", viewer, status, row=row, problems=problems, typed=typed or {},
                  saved=saved, actions=ACTIONS)


@router.get("/results/{year}/sheet.{output_format}")
def sheet_file(request: Request, year: Annotated[int, PathParam(ge=1900, le=2200)], output_format: str,
               viewer: SignedIn, context: Context) -> Response:
    """The 下年预算安排建议表: xlsx and PDF to download, HTML to read or print."""
    if output_format not in BUDGET_FORMATS:
        message = f"没有“{output_format}”格式的预算安排建议表：可选 Excel（xlsx）、PDF（pdf）、HTML（html）"
        return render(request, "error.html.j2", viewer, 404, message=message)
    with context.sessions() as session:
        found = budget_file(session, viewer.actor, year, output_format, context.profile)
    if output_format == "html":
        return HTMLResponse(found.content.decode("utf-8"))
    return download(found, output_format)
