"""The table editor: header fields, indicator rows, live findings (htmx), save as a new draft version.

The page's script posts the table as one JSON field (``document``: header fields and rows), so the
form parser's field limit never caps the rows (without JavaScript the plain fields still work, up to
``MAX_FORM_FIELDS``); the rows limit is stated (``editing.MAX_INDICATORS``) and more are refused, never
dropped. What was typed becomes a JSON format v1 document (what the services store), so checking and
saving go through exactly the same validation as an imported file. A refused save re-renders the
form with everything the user typed; the page also keeps a copy in the browser (localStorage) so a
lost session or a closed tab loses nothing.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from jixiao.domain.indicator import DEFAULT_DIRECTIONS, Direction, Operator
from jixiao.domain.labels import COLUMN_LABELS, INDICATOR_FIELDS
from jixiao.domain.text import fold_width
from jixiao.domain.workflow import Role, State, WorkflowError
from jixiao.services import profiles
from jixiao.services.editing import MAX_INDICATORS, DraftCheck, save_draft
from jixiao.services.errors import ServiceError
from jixiao.services.fields import TEXT_LIMITS
from jixiao.services.library_query import check_with_library
from jixiao.services.permissions import Ability, may, refusal
from jixiao.web.cookies import see_other
from jixiao.web.deps import Context, Seen, SignedIn
from jixiao.web.pages.common import Viewer, csrf_ok, render, signed_in_project, small_int
from jixiao.web.settings import MAX_FORM_FIELDS

NUMERIC = {"total_wan", "execution_weight", "fiscal", "special_account", "unit_own", "social", "bank_loan"}
NUMERIC_COLUMNS = {"weight", "current_weight"}
FUNDING = ("fiscal", "special_account", "unit_own", "social", "bank_loan")
HEADER = ("project_name", "project_suffix", "unit_code", "unit_name", "function_code", "function_name",
          "department_code", "department_name", "contact_person", "contact_phone", "total_wan", "execution_weight",
          *FUNDING, "annual_goal")
BAD_DOCUMENT = "表格内容无法读取（页面数据不完整），未保存；请刷新页面后重试（浏览器中保留了您的修改）"


def _clean(raw: object) -> str:
    if isinstance(raw, bool) or raw is None:
        return ""
    return str(raw).strip() if isinstance(raw, str | int | float) else ""


def typed(form: FormData) -> tuple[dict[str, str], list[dict[str, str]]] | None:
    """What the user typed: header fields and indicator rows, from the editor's one JSON field ``document``
    (what the page's script sends: one field, whatever the number of rows) or, without JavaScript, from the
    form's own fields. ``None`` when ``document`` is there but is not the editor's document."""
    raw = form.get("document")
    if isinstance(raw, str) and raw:
        try:
            document = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(document, dict) or not isinstance(document.get("header", {}), dict) \
                or not isinstance(document.get("indicators", []), list):
            return None
        given = document.get("header", {})
        header = {name: _clean(given.get(name)) for name in HEADER}
        rows = [{key: _clean(row.get(key)) for key in INDICATOR_FIELDS}
                for row in document.get("indicators", []) if isinstance(row, dict)]
        return header, rows
    header = {name: _clean(form.get(name)) for name in HEADER}
    columns = {key: form.getlist(key) for key in INDICATOR_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    rows = [{key: _clean(columns[key][i]) if i < len(columns[key]) else "" for key in INDICATOR_FIELDS}
            for i in range(count)]
    return header, rows


def content_from(header: dict[str, str], rows: list[dict[str, str]], code: str) -> dict[str, Any]:
    """The JSON format v1 document of what the user typed (blank is null, never 0); every row is kept."""
    def text(name: str) -> str | None:
        value = header.get(name, "")
        if name in NUMERIC:
            value = fold_width(value).replace(",", "").replace(" ", "")
        return value or None

    def coded(prefix: str) -> dict[str, str | None] | None:
        found, name = text(f"{prefix}_code"), text(f"{prefix}_name")
        return {"code": found, "name": name} if found or name else None

    indicators = []
    for row in rows:
        kept: dict[str, Any] = {}
        for key in INDICATOR_FIELDS:
            value = row.get(key, "")
            if key in NUMERIC_COLUMNS:
                value = fold_width(value).replace(" ", "")
            kept[key] = value or None
        if any(kept.values()):  # an added row left empty is not an indicator
            indicators.append(kept)
    return {"format_version": 1, "unit": coded("unit"), "project_code": code,
            "project_name": text("project_name"), "project_suffix": text("project_suffix"),
            "function": coded("function"), "department": coded("department"),
            "contact_person": text("contact_person"), "contact_phone": text("contact_phone"),
            "total_wan": text("total_wan"), "execution_weight": text("execution_weight"),
            "funding": {key: text(key) for key in FUNDING},
            "annual_goal": text("annual_goal"), "indicators": indicators}


def content_from_form(form: FormData, code: str) -> dict[str, Any] | None:
    found = typed(form)
    return None if found is None else content_from(*found, code)


def field_errors(problems: list[tuple[str, str]]) -> dict[str, str]:
    """Schema paths as form field ids: ``indicators[2].weight`` → ``row-2-weight``, ``funding.fiscal`` → ``fiscal``."""
    found: dict[str, str] = {}
    for path, message in problems:
        key = path
        if path.startswith("indicators["):
            index, _, rest = path[len("indicators["):].partition("]")
            key = f"row-{index}-{rest.lstrip('.')}" if rest else f"row-{index}"
        elif path.startswith("funding."):
            key = path.split(".", 1)[1]
        elif path in ("unit", "department", "function") or "." in path:
            key = path.replace(".", "_")
        found.setdefault(key, message)
    return found


def editor_context(content: dict[str, Any]) -> dict[str, Any]:
    profile = profiles.load().rules
    weights = []
    for row in content.get("indicators") or []:
        try:
            weights.append(float(row.get("weight") or 0))
        except ValueError:
            weights.append(0.0)
    return {"table": content, "catalogue": {k: list(v) for k, v in profile.catalogue.items()},
            "operators": [o.value for o in Operator], "directions": [d.value for d in Direction],
            "columns": COLUMN_LABELS, "indicator_fields": INDICATOR_FIELDS, "weight_total": sum(weights),
            "weight_goal": profile.indicator_weight_total, "profile_title": profile.title, "max_rows": MAX_INDICATORS,
            "default_directions": {o.value: d.value for o, d in DEFAULT_DIRECTIONS.items()}}


router = APIRouter()


def _may_edit(viewer: Viewer) -> bool:
    return may(viewer.actor, Ability.EDIT)


LIMITS = {"project_name": 300, **{key.replace(".", "_"): limit for key, limit in TEXT_LIMITS.items()}}


def _form_page(request: Request, viewer: Viewer, code: str, content: dict[str, Any], version: int | None,
               status: int = 200, error: str | None = None, errors: dict[str, str] | None = None,
               restore_local: bool = False) -> Response:
    checked = check_with_library(request.app.state.web.context.sessions, content)
    return render(request, "editor.html.j2", viewer, status, code=code, version=version, error=error,
                  errors=errors or field_errors(checked.problems), check=checked, restore_local=restore_local,
                  owner_fixed=viewer.actor.role is not Role.ADMIN, limits=LIMITS, **editor_context(content))


async def _typed_form(request: Request) -> FormData | None:
    """The posted form, or ``None`` when it cannot be parsed (the page then falls back to the browser's copy)."""
    try:
        return await request.form(max_fields=MAX_FORM_FIELDS)
    except HTTPException:
        return None


@router.get("/projects/{code}/edit")
def edit(request: Request, code: str, viewer: SignedIn, context: Context) -> Response:
    detail = signed_in_project(context, viewer, code)
    if not _may_edit(viewer):
        return render(request, "error.html.j2", viewer, 403, status=403, message=refusal(viewer.actor, Ability.EDIT))
    if detail["state"] != State.DRAFT.value:
        return render(request, "error.html.j2", viewer, 403, status=403,
                      message=f"只有草稿状态的表可以修改；本表现为“{detail['state_label']}”")
    return _form_page(request, viewer, code, detail["table"] or {}, detail["version"])


@router.post("/projects/{code}/edit/check")
async def live_check(request: Request, code: str, viewer: Seen, context: Context) -> Response:
    """Findings for what is on the screen now (htmx swaps them in while the user types), with the
    indicator library's comparable ranges (rule P006)."""
    form = await _typed_form(request)
    content = content_from_form(form, code) if form is not None else None
    checked = check_with_library(context.sessions, content) if content is not None \
        else DraftCheck([("document", BAD_DOCUMENT)])
    return render(request, "_editor_findings.html.j2", viewer, check=checked,
                  errors=field_errors(checked.problems), expired=viewer.is_public)


@router.post("/projects/{code}/edit")
async def save(request: Request, code: str, viewer: Seen, context: Context) -> Response:
    form = await _typed_form(request)
    content = content_from_form(form, code) if form is not None else None
    based_on = small_int(form.get("version"), 0) if form is not None else None
    if content is None:  # nothing readable was posted: the stored table, and the page restores the browser's copy
        stored = {} if viewer.is_public else signed_in_project(context, viewer, code)
        return _form_page(request, viewer, code, stored.get("table") or {}, stored.get("version"), 400,
                          BAD_DOCUMENT, restore_local=True)
    if viewer.is_public:
        return _form_page(request, viewer, code, content, based_on, 401,
                          "登录已过期：您填写的内容仍在本页（浏览器中也保留了一份），请在新标签页登录后再点“保存”")
    assert form is not None
    if not csrf_ok(viewer, request, str(form.get("csrf_token") or "")):
        return _form_page(request, viewer, code, content, based_on, 403, "页面已过期，请再点一次“保存”")
    try:
        saved = save_draft(context.sessions, viewer.actor, code, content, based_on)
    except ServiceError as error:  # the fields it names are marked where they are
        fields = [(d["field"], d["message"]) for d in error.details if isinstance(d, dict) and "field" in d]
        return _form_page(request, viewer, code, content, based_on, 422, error.message,
                          field_errors(fields) if fields else None)
    except WorkflowError as error:
        return _form_page(request, viewer, code, content, based_on, 422, str(error))
    message = f"已保存为第{saved['version']}版" if saved["saved"] else "内容没有变化，未产生新版本"
    return see_other(request, f"/projects/{quote(code)}?saved=1", message)
