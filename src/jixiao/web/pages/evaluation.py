"""Self-evaluation (自评) and monitoring (双监控) pages: enter per indicator, see the score or light
with its explanation as you type (htmx preview, nothing stored), submit, print the official 自评表."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from jixiao.domain.indicator import Operator, parse_operator
from jixiao.domain.reported import LIKELIHOODS
from jixiao.domain.workflow import Role
from jixiao.reports.registry import Scores
from jixiao.reports.registry import render as render_report
from jixiao.services import profiles, queries
from jixiao.services.context import AppContext, Db
from jixiao.services.errors import ServiceError
from jixiao.services.lookups import stored_self_evaluation
from jixiao.services.submissions import (
    SPLITS,
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
from jixiao.web.pages.common import Viewer, csrf_ok, login_url, render, signed_in_project, small_int
from jixiao.web.settings import MAX_FORM_FIELDS


def _value(form: Mapping[str, Any], name: str) -> str | None:
    raw = form.get(name)
    return raw.strip() or None if isinstance(raw, str) else None


SELFEVAL_MONEY = ("initial", "adjusted", "executed", *SPLITS)
MONITOR_MONEY = ("adjusted", "executed_to_date")


def actuals_from(form: Mapping[str, Any], names: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = [{"indicator": name, "actual": _value(form, f"actual-{n}"), "reason": _value(form, f"reason-{n}"),
             "points": _value(form, f"points-{n}")} for n, name in enumerate(names)]
    budget = {key: _value(form, key) for key in SELFEVAL_MONEY}
    return [r for r in rows if r["actual"] is not None or r["reason"] or r["points"]], budget


def progress_from(form: Mapping[str, Any], names: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = [{"indicator": name, "to_date": _value(form, f"to_date-{n}"), "forecast": _value(form, f"forecast-{n}"),
             "reason": _value(form, f"reason-{n}"), "likelihood": _value(form, f"likelihood-{n}")}
            for n, name in enumerate(names)]
    budget = {key: _value(form, key) for key in MONITOR_MONEY}
    return [r for r in rows if r["to_date"] is not None], budget


def _row_fields(kind: str) -> tuple[str, ...]:
    return ("actual", "points", "reason") if kind == "selfeval" else ("to_date", "forecast", "reason", "likelihood")


def by_points(table: dict[str, Any]) -> list[int]:
    """The rows scored by the evaluator's points (定性, 定量（其他）): the form asks for 定性得分 there."""
    kinds = (Operator.QUALITATIVE, Operator.OTHER_QUANTITATIVE)
    return [n for n, row in enumerate(table.get("indicators") or []) if parse_operator(row.get("operator")) in kinds]


def field_ids(kind: str, count: int) -> list[str]:
    """Every input of the form, in order (each has a note beside it: ``note-<id>``)."""
    fixed = [*SELFEVAL_MONEY, "achieved"] if kind == "selfeval" else list(MONITOR_MONEY)
    return fixed + [f"{name}-{n}" for n in range(count) for name in _row_fields(kind)]


def entered(form: Mapping[str, Any], kind: str, count: int) -> bool:
    """Whether anything has been typed yet (an empty form shows no score, no grade and no complaints)."""
    return any(_value(form, name) for name in field_ids(kind, count))


def prefilled(kind: str, last: dict[str, Any] | None, names: list[str]) -> dict[str, str]:
    """The form as it was last submitted (by indicator name, so a reordered table still fits)."""
    if not last:
        return {}
    found: dict[str, str] = {k: str(v) for k, v in (last.get("budget") or {}).items() if v is not None}
    if last.get("achieved"):
        found["achieved"] = str(last["achieved"])
    rows = last.get("actuals" if kind == "selfeval" else "progress") or []
    by_name = {str(row.get("indicator") or ""): row for row in rows if isinstance(row, dict)}
    for n, name in enumerate(names):
        row = by_name.get(name) or {}
        for key in _row_fields(kind):
            if row.get(key) is not None:
                found[f"{key}-{n}"] = str(row[key])
    return found


MISSING = {"adjusted": "未填写全年预算数", "executed": "未填写全年执行数"}
UNSHOWN = ("缺少实际完成值", "缺少全年预算数或全年执行数", "缺少累计完成值")  # said beside the field instead
_COLUMN_FIELDS = {"实际完成值": "actual", "定性得分": "points", "累计完成值": "to_date", "全年预计完成值": "forecast",
                  "偏差原因分析及改进措施": "reason", "偏差原因": "reason"}


def _field_of(diagnostic: dict[str, Any], rows: list[dict[str, Any]], names: list[str]) -> str | None:
    """The form field a diagnostic is about: its column (``actuals[2].actual``, ``adjusted``) or its row."""
    column, line = diagnostic.get("column"), diagnostic.get("line")
    if isinstance(column, str) and "[" in column:
        index, _, key = column.partition("[")[2].partition("]")
        column, line = key.lstrip("."), int(index) + 1 if index.isdigit() else None
    elif isinstance(column, str) and column in (*SELFEVAL_MONEY, *MONITOR_MONEY, "achieved"):
        return column
    field = _COLUMN_FIELDS.get(str(column),
                               column if column in ("actual", "points", "reason", "to_date", "forecast") else None)
    if field is None or not isinstance(line, int) or not 0 < line <= len(rows):
        return None
    name = rows[line - 1].get("indicator")
    return f"{field}-{names.index(name)}" if name in names else None


Notes = dict[str, tuple[str, str]]


def field_notes(kind: str, budget: Mapping[str, Any], diagnostics: list[dict[str, Any]],
                rows: list[dict[str, Any]], names: list[str]) -> tuple[Notes, list[dict[str, Any]]]:
    """Each problem once, beside its field (``{id: (message, severity)}``), and the ones that have no field.
    What is missing is said where it is missing (not again in the list of problems)."""
    notes: Notes = {}
    if kind == "selfeval":
        given = {row.get("indicator") for row in rows if row.get("actual")}
        for n, name in enumerate(names):
            if name not in given:
                notes[f"actual-{n}"] = ("未填写实际完成值", "error")
        for key, message in MISSING.items():
            if not budget.get(key):
                notes[key] = (message, "error")
    rest = []
    for diagnostic in diagnostics:
        if kind == "selfeval" and diagnostic.get("code") == "missing-actual":
            continue  # the field itself says so
        field = _field_of(diagnostic, rows, names)
        if field is None:
            rest.append(diagnostic)
        else:  # beside the row, the indicator's name need not be said again
            message = str(diagnostic.get("message"))
            name = names[int(field.rsplit("-", 1)[1])] if field[-1].isdigit() else ""
            notes.setdefault(field, (message.removeprefix(f"“{name}”填写的") if name else message,
                                     str(diagnostic.get("severity"))))  # the first, most particular, problem
    return notes, rest


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

    return signed_in_project(context, viewer, code, submissions)


def _names(table: dict[str, Any] | None) -> list[str]:
    return [row.get("name") or "" for row in (table or {}).get("indicators") or []]


def _page(request: Request, context: AppContext, viewer: Viewer, kind: str, code: str, status: int = 200,
          error: str | None = None, form: FormData | None = None, notes: Notes | None = None) -> Response:
    if viewer.is_public:
        return RedirectResponse(login_url(request), status_code=303)
    detail = _start(context, viewer, code, kind)
    may = viewer.actor.role in (Role.UNIT_EDITOR, Role.ADMIN)
    evaluation = detail["form"]
    table = evaluation["table"] or {}
    values: Mapping[str, Any] = form if form is not None else prefilled(kind, evaluation["last"], _names(table))
    template = "selfeval.html.j2" if kind == "selfeval" else "monitoring.html.j2"
    default_month = _default_month(context)
    return render(request, template, viewer, status, project=detail, table=table, may=may,
                  refusal=evaluation["refusal"], approved_version=evaluation["version"], error=error, form=values,
                  prefilled=form is None and bool(values), notes=notes or {}, likelihoods=LIKELIHOODS,
                  points_rows=by_points(table),
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
                                                 achieved=_value(form, "achieved"))
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
                                            achieved=_value(form, "achieved"))
            message = f"自评已提交：{result['total']} 分，{result['grade']}"
        else:
            rows, budget = progress_from(form, names)
            result = submit_monitoring(context.sessions, viewer.actor, code, _month(form, _default_month(context)),
                                       rows, budget)
            message = "监控情况已提交"
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
