"""Self-evaluation (自评) and monitoring (双监控) pages: enter per indicator, see the score or light
with its explanation as you type (htmx preview, nothing stored), submit, print the official 自评表."""

from __future__ import annotations

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
from jixiao.services.lookups import stored_self_evaluation
from jixiao.services.permissions import Ability, PermissionDenied
from jixiao.services.submissions import (
    SubmissionError,
    list_submissions,
    preview_monitoring,
    preview_self_evaluation,
    submit_monitoring,
    submit_self_evaluation,
)
from jixiao.web.cookies import see_other
from jixiao.web.deps import Context, DbSession, Seen, SignedIn
from jixiao.web.pages.common import Viewer, csrf_ok, login_url, render, signed_in_project, small_int
from jixiao.web.settings import MAX_FORM_FIELDS


def _value(form: FormData, name: str) -> str | None:
    raw = form.get(name)
    return raw.strip() or None if isinstance(raw, str) else None


def actuals_from(form: FormData, names: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = [{"indicator": name, "actual": _value(form, f"actual-{n}"), "reason": _value(form, f"reason-{n}")}
            for n, name in enumerate(names)]
    budget = {key: _value(form, key) for key in ("initial", "adjusted", "executed")}
    return [r for r in rows if r["actual"] is not None or r["reason"]], budget


def progress_from(form: FormData, names: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = [{"indicator": name, "to_date": _value(form, f"to_date-{n}"), "forecast": _value(form, f"forecast-{n}"),
             "reason": _value(form, f"reason-{n}"), "likelihood": _value(form, f"likelihood-{n}")}
            for n, name in enumerate(names)]
    budget = {key: _value(form, key) for key in ("adjusted", "executed_to_date")}
    return [r for r in rows if r["to_date"] is not None], budget


def _month(form: FormData, default: int) -> int:
    raw = form.get("month")
    month = small_int(raw, 1, 12)
    return default if month is None else month


router = APIRouter()


def _default_month(context: AppContext) -> int:
    return context.profile.scoring.monitoring_month


def _start(context: AppContext, viewer: Viewer, code: str) -> dict[str, Any]:
    def submissions(session: Db, viewer: Viewer, detail: dict[str, Any]) -> None:
        detail["selfevals"] = list_submissions(session, viewer.actor, code, "selfeval")
        detail["monitoring"] = list_submissions(session, viewer.actor, code, "monitoring")

    return signed_in_project(context, viewer, code, submissions)


def _names(detail: dict[str, Any]) -> list[str]:
    return [row.get("name") or "" for row in (detail["table"] or {}).get("indicators") or []]


def _page(request: Request, context: AppContext, viewer: Viewer, kind: str, code: str, status: int = 200,
          error: str | None = None, form: FormData | None = None, result: dict[str, Any] | None = None) -> Response:
    if viewer.is_public:
        return RedirectResponse(login_url(request), status_code=303)
    detail = _start(context, viewer, code)
    may = viewer.may(Ability.REPORT)
    template = "selfeval.html.j2" if kind == "selfeval" else "monitoring.html.j2"
    default_month = _default_month(context)
    return render(request, template, viewer, status, project=detail, table=detail["table"] or {}, may=may,
                  error=error, form=form or {}, result=result, likelihoods=LIKELIHOODS,
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
            detail = queries.show_project(session, viewer.actor, code)
            if kind == "selfeval":
                rows, budget = actuals_from(form, _names(detail))
                result = preview_self_evaluation(session, viewer.actor, code, rows, budget)
            else:
                rows, budget = progress_from(form, _names(detail))
                result = preview_monitoring(session, viewer.actor, code, _month(form, _default_month(context)), rows,
                                            budget)
        except (PermissionDenied, SubmissionError) as error:
            return render(request, "_message.html.j2", viewer, message=error.message)
    template = "_selfeval_result.html.j2" if kind == "selfeval" else "_monitoring_result.html.j2"
    return render(request, template, viewer, result=result)


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
        detail = queries.show_project(session, viewer.actor, code)  # a project they may not see: the 404 page
    try:
        if kind == "selfeval":
            rows, budget = actuals_from(form, _names(detail))
            result = submit_self_evaluation(context.sessions, viewer.actor, code, rows, budget)
            message = f"自评已提交：{result['total']} 分，{result['grade']}"
        else:
            rows, budget = progress_from(form, _names(detail))
            result = submit_monitoring(context.sessions, viewer.actor, code, _month(form, _default_month(context)),
                                       rows, budget)
            message = f"运行监控已提交：截至{result['month']}月" if result.get("month") else "运行监控已提交"
    except SubmissionError as error:
        problems = "；".join(d.message for d in error.diagnostics[:5])
        return _page(request, context, viewer, kind, code, 422, f"{error}：{problems}", form)
    except PermissionDenied as error:
        return _page(request, context, viewer, kind, code, 403, str(error), form)
    return see_other(request, f"/projects/{quote(code)}", message)


@router.get("/projects/{code}/selfeval/{record}/print")
def print_view(code: str, record: Annotated[int, Path(ge=1, le=2**31 - 1)], viewer: SignedIn,
               session: DbSession) -> Response:
    """The official 自评表 of a submitted self-evaluation, ready to print (unknown records are a 404 page)."""
    profile, result = stored_self_evaluation(session, viewer.actor, code, record)
    html = render_report(Scores((), profiles.load(profile).scoring, stored=[result]), "html")
    return HTMLResponse(html if isinstance(html, str) else html.decode("utf-8"))
