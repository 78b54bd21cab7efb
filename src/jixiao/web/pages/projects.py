"""Project list (search, filters, paging) and the project page: table, findings, versions, audit, actions."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from jixiao.domain.codes import CATEGORY_NAMES
from jixiao.domain.workflow import ACTION_LABELS, STATE_LABELS, Action, State, WorkflowError
from jixiao.services import project_history, queries
from jixiao.services.batch import batch_actions
from jixiao.services.context import AppContext, Db
from jixiao.services.diffing import diff_contents
from jixiao.services.editing import check_draft
from jixiao.services.errors import as_service_error
from jixiao.services.exports import TABLE_FORMATS, list_file, table_file
from jixiao.services.opened import note_view
from jixiao.services.permissions import PermissionDenied
from jixiao.services.profiles import RegionProfile
from jixiao.services.published_selfeval import project_self_evaluations
from jixiao.services.workflow import comment, transition
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, DbSession, SignedIn, SignedInPost, Web
from jixiao.web.pages.common import SEVERITY_CHOICES, Viewer, bad_filters, csrf_ok, download, render, small_int

PER_PAGE = 50
FILTERS = ("q", "year", "department", "unit", "state", "grade", "severity", "sort")


def anchored(findings: list[dict[str, Any]]) -> tuple[dict[str, list[dict[str, Any]]], dict[int, list[dict[str, Any]]]]:
    """Findings by header field and by indicator row, so each is shown next to what it concerns."""
    by_field: dict[str, list[dict[str, Any]]] = {}
    by_row: dict[int, list[dict[str, Any]]] = {}
    for finding in findings:
        where = finding.get("location") or {}
        if where.get("indicator") is not None:
            by_row.setdefault(int(where["indicator"]), []).append(finding)
        else:
            by_field.setdefault(where.get("field") or "table", []).append(finding)
    return by_field, by_row


def project_context(session: Db, viewer: Viewer, code: str, profile: RegionProfile | None = None) -> dict[str, Any]:
    detail = queries.show_project(session, viewer.actor, code)
    content = detail["table"] or {}
    rules = None  # the page's review has always used the default profile, as the stored summary does
    if viewer.is_public:
        checked = check_draft(content, rules) if content else None
        history = None
    else:  # the review with the project's past years (P007–P010), and each indicator's history
        checked = project_history.check_with_history(session, viewer.actor, code, content, rules) if content else None
        history = project_history.link_view(session, viewer.actor, code)
    by_field, by_row = anchored(checked.findings if checked else [])
    versions = queries.list_versions(session, viewer.actor, code)
    audit = [] if viewer.is_public else queries.project_audit(session, viewer.actor, code)
    comments_by_row: dict[int, list[dict[str, Any]]] = {}
    comments_by_field: dict[str, list[dict[str, Any]]] = {}
    for review in detail.get("reviews", []):
        anchor = review.get("anchor") or {}
        if anchor.get("indicator") is not None:
            comments_by_row.setdefault(int(anchor["indicator"]), []).append(review)
        elif anchor.get("field"):
            comments_by_field.setdefault(anchor["field"], []).append(review)
    selfeval = None if viewer.is_public else project_self_evaluations(session, viewer.actor, code, profile)
    return {"project": detail, "table": content, "check": checked, "by_field": by_field, "by_row": by_row,
            "versions": versions, "audit": audit, "comments_by_row": comments_by_row,
            "comments_by_field": comments_by_field, "selfeval": selfeval, "history": history,
            "own_rows": {row["index"]: row for row in (selfeval or {}).get("rows", [])}
            if selfeval and selfeval.get("own") else {}}


router = APIRouter()
@router.get("/projects")
def project_list(request: Request, viewer: SignedIn, web: Web, session: DbSession,
                 q: Annotated[str | None, Query(max_length=100)] = None,
                 year: Annotated[str | None, Query(max_length=4)] = None,
                 department: Annotated[str | None, Query(max_length=32)] = None,
                 unit: Annotated[str | None, Query(max_length=32)] = None,
                 project_state: Annotated[str | None, Query(alias="state", max_length=32)] = None,
                 grade: Annotated[str | None, Query(max_length=2)] = None,
                 severity: Annotated[str | None, Query(max_length=16)] = None,
                 category: Annotated[str | None, Query(max_length=2)] = None,
                 sort: Annotated[str, Query(max_length=8)] = "code",
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    sort = sort if sort.lstrip("-") in queries.SORTS else "code"
    chosen = {"q": q, "year": year, "department": department, "unit": unit, "state": project_state, "grade": grade,
              "severity": severity, "category": category, "sort": sort}
    wrong = bad_filters(chosen)
    if wrong is not None:
        return render(request, "error.html.j2", viewer, 400, message=wrong, status=400)
    choices = web.cache("page-choices", seconds=60)  # years, departments, units: until the data changes
    listing = queries.list_projects(
        session, viewer.actor, q=(q or "").strip() or None, year=small_int(year, 1900, 2200),
        department=department or None, unit=unit or None, state=project_state or None, grade=grade or None,
        severity=severity or None, sort=sort, page=page, per_page=PER_PAGE, with_units=True, category=category or None)
    options = queries.cached_filter_options(session, viewer.actor, choices, (viewer.actor,))
    kept = {k: v for k, v in chosen.items() if v}
    pages_total = max(1, -(-listing["total"] // PER_PAGE))

    def link(**change: Any) -> str:
        return "/projects?" + urlencode({**kept, **change})

    template = "_project_rows.html.j2" if request.headers.get("hx-request") else "projects.html.j2"
    return render(request, template, viewer, listing=listing, options=options, chosen=chosen,
                  pages_total=pages_total, link=link, export_link="/projects.xlsx?" + urlencode(kept),
                  batch_actions=[a.value for a in batch_actions(viewer.actor.role)])


LIST_FILTER_LABELS = {"q": "搜索", "year": "年度", "department": "主管部门", "unit": "单位", "state": "状态",
                      "grade": "审核等级", "severity": "问题级别", "category": "项目类别"}


def _filters_in_words(chosen: dict[str, str | None], options: dict[str, Any]) -> list[str]:
    """The chosen filters as the page's labels and choices say them ("状态：已批复")."""
    names = {"department": dict(options["departments"]), "unit": dict(options["units"]),
             "state": {s.value: label for s, label in STATE_LABELS.items()},
             "severity": SEVERITY_CHOICES, "category": CATEGORY_NAMES}
    return [f"{label}：{names.get(key, {}).get(chosen[key] or '', chosen[key])}"
            for key, label in LIST_FILTER_LABELS.items() if chosen.get(key)]


@router.get("/projects.xlsx")
def project_list_xlsx(request: Request, viewer: SignedIn, session: DbSession,
                      q: Annotated[str | None, Query(max_length=100)] = None,
                      year: Annotated[str | None, Query(max_length=4)] = None,
                      department: Annotated[str | None, Query(max_length=32)] = None,
                      unit: Annotated[str | None, Query(max_length=32)] = None,
                      project_state: Annotated[str | None, Query(alias="state", max_length=32)] = None,
                      grade: Annotated[str | None, Query(max_length=2)] = None,
                      severity: Annotated[str | None, Query(max_length=16)] = None,
                      category: Annotated[str | None, Query(max_length=2)] = None,
                      sort: Annotated[str, Query(max_length=8)] = "code") -> Response:
    """The list under the same filters as ``/projects``, every page of it, as a workbook."""
    sort = sort if sort.lstrip("-") in queries.SORTS else "code"
    chosen = {"q": q, "year": year, "department": department, "unit": unit, "state": project_state, "grade": grade,
              "severity": severity, "category": category}
    wrong = bad_filters(chosen)
    if wrong is not None:
        return render(request, "error.html.j2", viewer, 400, message=wrong, status=400)
    words = _filters_in_words(chosen, queries.filter_options(session, viewer.actor))
    found = list_file(session, viewer.actor, words, q=(q or "").strip() or None, year=small_int(year, 1900, 2200),
                      department=department or None, unit=unit or None, state=project_state or None,
                      grade=grade or None, severity=severity or None, sort=sort, category=category or None)
    return download(found, "xlsx")


@router.get("/projects/{code}")
def project_page(request: Request, code: str, viewer: SignedIn, context: Context) -> Response:
    note_view(context.sessions, viewer.actor, code)  # a reviewer opened the submission (no withdrawal after this)
    with context.sessions() as session:
        found = project_context(session, viewer, code, context.profile)
    page = render(request, "project.html.j2", viewer, msg=flash(request), **found)
    return shown(page, request)


@router.get("/projects/{code}/table.{output_format}")
def table_download(request: Request, code: str, output_format: str, viewer: SignedIn, session: DbSession) -> Response:
    """The official 项目支出绩效目标表 of the current version as Excel, Word or PDF (what 导出 offers)."""
    if output_format not in TABLE_FORMATS:
        message = f"没有“{output_format}”格式的导出：可选 Excel（xlsx）、Word（docx）、PDF（pdf）"
        return render(request, "error.html.j2", viewer, 404, message=message)
    return download(table_file(session, viewer.actor, code, output_format), output_format)


@router.get("/projects/{code}/diff")
def version_diff(request: Request, code: str, viewer: SignedIn, session: DbSession,
                 a: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                 b: Annotated[int, Query(ge=1, le=1_000_000)] = 2) -> Response:
    old = queries.version_content(session, viewer.actor, code, a)  # a missing version is the 404 page
    new = queries.version_content(session, viewer.actor, code, b)
    versions = queries.list_versions(session, viewer.actor, code)
    return render(request, "diff.html.j2", viewer, code=code, a=a, b=b, versions=versions,
                  diff=diff_contents(old, new), name=new.get("project_name"))


def _back(request: Request, code: str, message: str) -> Response:
    return see_other(request, f"/projects/{quote(code)}", message)


def _refused(request: Request, context: AppContext, viewer: Viewer, code: str, message: str, status: int,
             **kept: Any) -> Response:
    with context.sessions() as session:
        found = project_context(session, viewer, code, context.profile)
    return render(request, "project.html.j2", viewer, status, error=message, kept=kept, **found)


def _status(error: Exception) -> int:
    """The refusal's own status (a permission refusal is 403/404, a workflow one 409), as the API answers."""
    found = as_service_error(error)
    return found.status if found is not None else 409


@router.post("/projects/{code}/transition")
def move(request: Request, code: str, viewer: SignedInPost, context: Context,
         action: Annotated[str, Form(max_length=32)],
         comment_text: Annotated[str, Form(alias="comment", max_length=5000)] = "",
         override_reason: Annotated[str, Form(max_length=5000)] = "",
         expected_state: Annotated[str, Form(max_length=32)] = "",
         csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    kept = {"comment": comment_text, "override_reason": override_reason, "action": action}
    if not csrf_ok(viewer, request, csrf_token):
        return _refused(request, context, viewer, code, "页面已过期，请重新操作（您填写的意见仍在下方）", 403, **kept)
    if action not in {a.value for a in Action}:
        return _refused(request, context, viewer, code, f"没有“{action}”这个操作", 400, **kept)
    chosen = Action(action)
    try:
        seen = State(expected_state) if expected_state in {s.value for s in State} else None  # the page's state
        done = transition(context.sessions, viewer.actor, code, chosen, comment_text.strip() or None,
                          override_reason.strip() or None, expected_state=seen,
                          region=context.profile, now=context.clock())
    except (WorkflowError, PermissionDenied) as error:
        return _refused(request, context, viewer, code, str(error), _status(error), **kept)
    now_in = STATE_LABELS[State(done.to_state)]
    return _back(request, code, f"已{ACTION_LABELS[chosen]}：现为“{now_in}”（第{done.version}版）")


@router.post("/projects/{code}/comment")
def add_comment(request: Request, code: str, viewer: SignedInPost, context: Context,
                text: Annotated[str, Form(max_length=5000)] = "",
                anchor: Annotated[str, Form(max_length=60)] = "",
                csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    kept = {"comment_text": text, "anchor": anchor}
    if not csrf_ok(viewer, request, csrf_token):
        return _refused(request, context, viewer, code, "页面已过期，请重新提交（您填写的意见仍在下方）", 403, **kept)
    field, indicator = None, None
    if anchor.startswith("row-"):
        indicator = small_int(anchor[4:], 0, 10_000)
        if indicator is None:
            return _refused(request, context, viewer, code, "没有这一行指标", 400, **kept)
    elif anchor:
        field = anchor
    try:
        comment(context.sessions, viewer.actor, code, text, field, indicator)
    except (WorkflowError, PermissionDenied) as error:
        return _refused(request, context, viewer, code, str(error), _status(error), **kept)
    return _back(request, code, "审核意见已保存")
