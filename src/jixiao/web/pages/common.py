"""What every page shares: templates, Chinese labels and small helpers.

Pages use the login session cookie set by ``/login`` (the same sessions as the API); the viewer and
the CSRF check come from :mod:`jixiao.web.deps`. CSRF protection is a token derived from the session
secret (sha256), so it needs no server state and is the same in every worker: forms carry it as
``csrf_token``, htmx requests as ``X-CSRF-Token``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from jixiao.domain.diagnostics import SEVERITY_LABELS, Severity
from jixiao.domain.labels import COLUMN_LABELS, FIELD_LABELS
from jixiao.domain.workflow import ACTION_LABELS, ROLE_LABELS, STATE_LABELS, TRANSITIONS, Role, State
from jixiao.rules.model import CATEGORY_LABELS, Category
from jixiao.services import queries
from jixiao.services.context import AppContext, Db
from jixiao.services.dashboard import AUDIT_LABELS
from jixiao.web.deps import ANONYMOUS, Viewer, csrf_for, csrf_ok, login_url
from jixiao.web.settings import LOGIN_CSRF_COOKIE, SESSION_COOKIE

__all__ = ["ANONYMOUS", "LOGIN_CSRF_COOKIE", "SESSION_COOKIE", "Viewer", "csrf_for", "csrf_ok", "login_url",
           "render", "role_is", "signed_in_project", "small_int", "templates"]

HERE = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.autoescape = True  # every template (they end in .j2, which select_autoescape would not escape)


def _money(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return format(Decimal(str(value)), "f")
    except InvalidOperation:
        return str(value)


def _when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M")


def _jsontext(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _scriptjson(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no "</script>" can close it early."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


templates.env.filters.update(money=_money, when=_when, jsontext=_jsontext, scriptjson=_scriptjson)
templates.env.globals.update(
    STATE_LABELS={s.value: label for s, label in STATE_LABELS.items()},
    ACTION_LABELS={a.value: label for a, label in ACTION_LABELS.items()},
    ROLE_LABELS={r.value: label for r, label in ROLE_LABELS.items()},
    SEVERITY_LABELS={s.value: label for s, label in SEVERITY_LABELS.items()},
    CATEGORY_LABELS={c.value: label for c, label in CATEGORY_LABELS.items()},
    FIELD_LABELS=FIELD_LABELS, STATES=[s.value for s in State], SEVERITIES=[s.value for s in Severity],
    CATEGORIES=[c.value for c in Category], COLUMNS=COLUMN_LABELS, AUDIT_LABELS=AUDIT_LABELS,
    NEEDS_COMMENT={t.action.value for t in TRANSITIONS.values() if t.needs_comment},
)


def login_csrf(request: Request) -> str:
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def render(request: Request, template: str, viewer: Viewer, status: int = 200, /, **context: Any) -> Response:
    response: Response = templates.TemplateResponse(request, template, {"viewer": viewer, **context},
                                                    status_code=status)
    return response


def role_is(viewer: Viewer, *roles: Role) -> bool:
    return viewer.actor.role in roles


def signed_in_project(context: AppContext, viewer: Viewer, code: str,
                      more: Callable[[Db, Viewer, dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """The project as the signed-in ``viewer`` may see it (a project they may not see is a 404 page).
    ``more`` adds to the detail in the same database session."""
    with context.sessions() as session:
        detail = queries.show_project(session, viewer.actor, code)
        if more is not None:
            more(session, viewer, detail)
    return detail


def small_int(text: object, low: int = 0, high: int = 2**31 - 1) -> int | None:
    """A form or query value as an int within bounds, else ``None`` ("²" and "9" * 30 are not numbers here)."""
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if low <= number <= high else None
