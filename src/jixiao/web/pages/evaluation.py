"""Self-evaluation (自评) and monitoring (双监控) pages: enter per indicator, see the score or light
with its explanation as you type (htmx preview, nothing stored), submit, print the official 自评表."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from jixiao.domain.reported import LIKELIHOODS
from jixiao.reports.registry import Scores
from jixiao.reports.registry import render as render_report
from jixiao.services import profiles, queries
from jixiao.services.context import AppContext, Db
from jixiao.services.corrections import BUDGET_FIELDS, OTHER_FIELDS, ROW_FIELDS, list_corrections
from jixiao.services.errors import ServiceError
from jixiao.services.exports import selfeval_report_file
from jixiao.services.lookups import stored_self_evaluation
from jixiao.services.permissions import Ability
from jixiao.services.selfeval_reports import REPORT_FORMATS
from jixiao.services.submissions import (
    SubmissionError,
    evaluation_form,
    list_submissions,
    preview_monitoring,
    preview_self_evaluation,
    submit_monitoring,
    submit_self_evaluation,
)
from jixiao.web.cookies import see_other
from jixiao.web.deps import Context, DbSession, Seen, SignedIn
from jixiao.web.pages.common import Viewer, csrf_ok, download, login_url, render, signed_in_project, small_int
from jixiao.web.pages.evaluation_fields import (
    UNSHOWN,
    Notes,
    actuals_from,
    by_points,
    entered,
    field_ids,
    field_notes,
    prefilled,
    progress_from,
    value,
)
from jixiao.web.settings import MAX_FORM_FIELDS


def _month(form: FormData, default: int) -> int:
    raw = form.get("month")
    month = small_int(raw, 1, 12)
    return default if month is None else month


router = APIRouter()


def _default_month(context: AppContext) -> int:
    return context.profile.scoring.monitoring_month


def _start(context: AppContext, viewer: Viewer, code: str, kind: str) -> dict[str, Any]:
    def submissions(session: Db, viewer: Viewer, detail: dict[str, Any]) -> None:
        detail["selfevals"] = list_submissions(session, viewer.actor, code, "selfeval")
        detail["monitoring"] = list_submissions(session, viewer.actor, code, "monitoring")
        detail["form"] = evaluation_form(session, viewer.actor, code, kind)
        detail["corrections"] = list_corrections(session, viewer.actor, code) if kind == "selfeval" else []

    return signed_in_project(context, viewer, code, submissions)


def _names(table: dict[str, Any] | None) -> list[str]:
    return [row.get("name") or "" for row in (table or {}).get("indicators") or []]


def _page(request: Request, context: AppContext, viewer: Viewer, kind: str, code: str, status: int = 200,
          error: str | None = None, form: FormData | None = None, notes: Notes | None = None) -> Response:
    if viewer.is_public:
        return RedirectResponse(login_url(request), status_code=303)
    detail = _start(context, viewer, code, kind)
    may = viewer.may(Ability.REPORT)
    evaluation = detail["form"]
    table = evaluation["table"] or {}
    values: Mapping[str, Any] = form if form is not None else prefilled(kind, evaluation["last"], _names(table))
    template = "selfeval.html.j2" if kind == "selfeval" else "monitoring.html.j2"
    default_month = _default_month(context)
    return render(request, template, viewer, status, project=detail, table=table, may=may,
                  refusal=evaluation["refusal"], approved_version=evaluation["version"], error=error, form=values,
                  prefilled=form is None and bool(values), notes=notes or {}, likelihoods=LIKELIHOODS,
                  points_rows=by_points(table), row_fields=ROW_FIELDS, other_fields=BUDGET_FIELDS | OTHER_FIELDS,
                  month=_month(form, default_month) if form else default_month)


@router.get("/projects/{code}/selfeval")
def selfeval_page(request: Request, code: str, viewer: Seen, context: Context) -> Response:
    return _page(request, context, viewer, "selfeval", code)


@router.get("/projects/{code}/monitoring")
def monitoring_page(request: Request, code: str, viewer: Seen, context: Context) -> Response:
    return _page(request, context, viewer, "monitoring", code)


@router.post("/projects/{code}/{kind}/preview")
async def preview(request: Request, code: str, kind: str, viewer: Seen, context: Context) -> Response:
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    if viewer.is_public:
        return render(request, "_expired.html.j2", viewer)
    with context.sessions() as session:
        try:
            names = _names(evaluation_form(session, viewer.actor, code, kind)["table"])
            ids = field_ids(kind, len(names))
            if not entered(form, kind, len(names)):  # nothing typed yet: no score, no grade, no complaints
                return render(request, "_evaluation_empty.html.j2", viewer, kind=kind, ids=ids)
            if kind == "selfeval":
                rows, budget = actuals_from(form, names)
                result = preview_self_evaluation(session, viewer.actor, code, rows, budget,
                                                 achieved=value(form, "achieved"))
            else:
                rows, budget = progress_from(form, names)
                result = preview_monitoring(session, viewer.actor, code, _month(form, _default_month(context)), rows,
                                            budget)
        except ServiceError as error:
            return render(request, "_message.html.j2", viewer, message=error.message)
    notes, rest = field_notes(kind, budget, result["diagnostics"], rows, names)
    template = "_selfeval_result.html.j2" if kind == "selfeval" else "_monitoring_result.html.j2"
    return render(request, template, viewer, result=result, diagnostics=rest, notes=notes, ids=ids,
                  unshown=UNSHOWN)


@router.post("/projects/{code}/{kind}")
async def submit(request: Request, code: str, kind: str, viewer: Seen, context: Context) -> Response:
    if kind not in ("selfeval", "monitoring"):
        return render(request, "error.html.j2", viewer, 404, message="没有这个页面")
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    if viewer.is_public:
        expired = "登录已过期，请在新标签页登录后再提交（已填内容仍在本页）"
        return _page(request, context, viewer, kind, code, 401, expired, form)
    if not csrf_ok(viewer, request, str(form.get("csrf_token") or "")):
        return _page(request, context, viewer, kind, code, 403, "页面已过期，请再提交一次", form)
    with context.sessions() as session:
        queries.show_project(session, viewer.actor, code)  # a project they may not see: the 404 page
        names = _names(evaluation_form(session, viewer.actor, code, kind)["table"])
    rows: list[dict[str, Any]] = []
    budget: dict[str, Any] = {}
    try:
        if kind == "selfeval":
            rows, budget = actuals_from(form, names)
            result = submit_self_evaluation(context.sessions, viewer.actor, code, rows, budget,
                                            achieved=value(form, "achieved"), now=context.clock(),
                                            region=context.profile)
            message = f"自评已提交：{result['total']} 分，{result['grade']}"
        else:
            rows, budget = progress_from(form, names)
            result = submit_monitoring(context.sessions, viewer.actor, code, _month(form, _default_month(context)),
                                       rows, budget, now=context.clock(), region=context.profile)
            message = f"运行监控已提交：截至{result['month']}月" if result.get("month") else "运行监控已提交"
    except SubmissionError as error:
        notes, rest = field_notes(kind, budget, [d.to_dict() for d in error.diagnostics], rows, names)
        problems = "；".join(str(d["message"]) for d in rest[:5])
        return _page(request, context, viewer, kind, code, 422, f"{error}" + (f"：{problems}" if problems else
                                                                              "（见各栏旁的说明）"), form, notes)
    except ServiceError as error:
        return _page(request, context, viewer, kind, code, error.status, error.message, form)
    return see_other(request, f"/projects/{quote(code)}", message)


@router.get("/projects/{code}/selfeval/{record}/print")
def print_view(code: str, record: Annotated[int, Path(ge=1, le=2**31 - 1)], viewer: SignedIn,
               session: DbSession) -> Response:
    """The official 自评表 of a submitted self-evaluation, ready to print (unknown records are a 404 page)."""
    profile, result = stored_self_evaluation(session, viewer.actor, code, record)
    html = render_report(Scores((), profiles.load(profile).scoring, stored=[result]), "html")
    return HTMLResponse(html if isinstance(html, str) else html.decode("utf-8"))


@router.get("/projects/{code}/selfeval/{record}/report.{report_format}")
def report_draft(code: str, record: Annotated[int, Path(ge=1, le=2**31 - 1)], report_format: str, viewer: SignedIn,
                 session: DbSession, request: Request) -> Response:
    """The drafted 自评报告 of a submitted self-evaluation: every figure traced, the unit's paragraphs to write."""
    if report_format not in REPORT_FORMATS:
        return render(request, "error.html.j2", viewer, 404,
                      message=f"没有“{report_format}”格式的自评报告：可选 Word（docx）、PDF（pdf）")
    return download(selfeval_report_file(session, viewer.actor, code, record, report_format), report_format)
