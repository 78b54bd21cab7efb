"""The table editor: header fields, indicator rows, live findings (htmx), save as a new draft version.

The form is turned into a JSON format v1 document (what the services store), so checking and
saving go through exactly the same validation as an imported file. A refused save re-renders the
form with everything the user typed; the page also keeps a copy in the browser (localStorage) so a
lost session or a closed tab loses nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from jixiao.domain.indicator import Direction, Operator
from jixiao.domain.labels import COLUMN_LABELS, INDICATOR_FIELDS
from jixiao.domain.text import fold_width
from jixiao.domain.workflow import Role, State, WorkflowError
from jixiao.services import profiles
from jixiao.services.editing import check_draft, save_draft
from jixiao.services.permissions import PermissionDenied
from jixiao.web.deps import Context, Seen, SignedIn
from jixiao.web.pages.common import Viewer, csrf_ok, render, signed_in_project, small_int

NUMERIC = {"total_wan", "execution_weight", "fiscal", "special_account", "unit_own", "social", "bank_loan"}
NUMERIC_COLUMNS = {"weight", "current_weight"}
FUNDING = ("fiscal", "special_account", "unit_own", "social", "bank_loan")
MAX_ROWS = 200


def _text(form: FormData, name: str, numeric: bool = False) -> str | None:
    raw = form.get(name)
    value = raw.strip() if isinstance(raw, str) else ""
    if numeric:
        value = fold_width(value).replace(",", "").replace(" ", "")
    return value or None


def _coded(form: FormData, prefix: str) -> dict[str, str | None] | None:
    code, name = _text(form, f"{prefix}_code"), _text(form, f"{prefix}_name")
    return {"code": code, "name": name} if code or name else None


def content_from_form(form: FormData, code: str) -> dict[str, Any]:
    """The JSON format v1 document of what the user typed (blank is null, never 0)."""
    columns = {key: form.getlist(key) for key in INDICATOR_FIELDS}
    count = min(max((len(values) for values in columns.values()), default=0), MAX_ROWS)
    rows = []
    for index in range(count):
        row: dict[str, Any] = {}
        for key in INDICATOR_FIELDS:
            values = columns[key]
            raw = values[index] if index < len(values) else ""
            text = raw.strip() if isinstance(raw, str) else ""
            if key in NUMERIC_COLUMNS:
                text = fold_width(text).replace(" ", "")
            row[key] = text or None
        if any(row.values()):  # an added row left empty is not an indicator
            rows.append(row)
    return {"format_version": 1, "unit": _coded(form, "unit"), "project_code": code,
            "project_name": _text(form, "project_name"), "project_suffix": _text(form, "project_suffix"),
            "function": _coded(form, "function"), "department": _coded(form, "department"),
            "contact_person": _text(form, "contact_person"), "contact_phone": _text(form, "contact_phone"),
            "total_wan": _text(form, "total_wan", True), "execution_weight": _text(form, "execution_weight", True),
            "funding": {key: _text(form, key, True) for key in FUNDING},
            "annual_goal": _text(form, "annual_goal"), "indicators": rows}


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
            "weight_goal": profile.indicator_weight_total, "profile_title": profile.title}


router = APIRouter()


def _may_edit(viewer: Viewer) -> bool:
    return viewer.actor.role in (Role.UNIT_EDITOR, Role.ADMIN)


def _form_page(request: Request, viewer: Viewer, code: str, content: dict[str, Any], version: int | None,
               status: int = 200, error: str | None = None, errors: dict[str, str] | None = None) -> Response:
    checked = check_draft(content)
    return render(request, "editor.html.j2", viewer, status, code=code, version=version, error=error,
                  errors=errors or field_errors(checked.problems), check=checked, **editor_context(content))


@router.get("/projects/{code}/edit")
def edit(request: Request, code: str, viewer: SignedIn, context: Context) -> Response:
    detail = signed_in_project(context, viewer, code)
    if not _may_edit(viewer) or detail["state"] != State.DRAFT.value:
        return render(request, "error.html.j2", viewer, 403,
                      message="只有草稿状态的表可以修改，且只能由项目所属单位修改")
    return _form_page(request, viewer, code, detail["table"] or {}, detail["version"])


@router.post("/projects/{code}/edit/check")
async def live_check(request: Request, code: str, viewer: Seen) -> Response:
    """Findings for what is on the screen now (htmx swaps them in while the user types)."""
    form = await request.form()
    content = content_from_form(form, code)
    checked = check_draft(content)
    return render(request, "_editor_findings.html.j2", viewer, check=checked,
                  errors=field_errors(checked.problems), expired=viewer.is_public)


@router.post("/projects/{code}/edit")
async def save(request: Request, code: str, viewer: Seen, context: Context) -> Response:
    form = await request.form()
    content = content_from_form(form, code)
    raw_version = form.get("version")
    based_on = small_int(raw_version, 0)
    if viewer.is_public:
        return _form_page(request, viewer, code, content, based_on, 401,
                          "登录已过期：您填写的内容仍在本页（浏览器中也保留了一份），请在新标签页登录后再点“保存”")
    if not csrf_ok(viewer, request, str(form.get("csrf_token") or "")):
        return _form_page(request, viewer, code, content, based_on, 403, "页面已过期，请再点一次“保存”")
    try:
        saved = save_draft(context.sessions, viewer.actor, code, content, based_on)
    except (WorkflowError, PermissionDenied) as error:
        return _form_page(request, viewer, code, content, based_on, 422, str(error))
    message = f"已保存为第{saved['version']}版" if saved["saved"] else "内容没有变化，未产生新版本"
    return RedirectResponse(f"/projects/{quote(code)}?msg={quote(message)}&saved=1", status_code=303)
