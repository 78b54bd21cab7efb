"""What every page shares: templates, the signed-in user, CSRF tokens and Chinese labels.

Pages use the login session cookie set by ``/login`` (the same sessions as the API). CSRF
protection is a token derived from the session secret (sha256), so it needs no server state and is
the same in every worker: forms carry it as ``csrf_token``, htmx requests as ``X-CSRF-Token``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.diagnostics import SEVERITY_LABELS, Severity
from jixiao.domain.labels import COLUMN_LABELS, FIELD_LABELS
from jixiao.domain.workflow import ACTION_LABELS, ROLE_LABELS, STATE_LABELS, TRANSITIONS, Role, State
from jixiao.rules.model import CATEGORY_LABELS, Category
from jixiao.services.accounts import actor_for_session
from jixiao.services.dashboard import AUDIT_LABELS
from jixiao.services.permissions import PUBLIC, Actor
from jixiao.storage.models import Organization, User

SESSION_COOKIE = "jixiao_session"
LOGIN_CSRF_COOKIE = "jixiao_login_csrf"
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


def csrf_for(secret: str) -> str:
    return hashlib.sha256(b"jixiao-csrf:" + secret.encode("utf-8")).hexdigest()[:40]


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person looking at a page: the actor for services, and names for the header."""

    actor: Actor
    username: str | None = None
    display_name: str | None = None
    organization: str | None = None
    csrf: str = ""

    @property
    def role(self) -> str | None:
        return self.actor.role.value if self.actor.role else None

    @property
    def is_public(self) -> bool:
        return self.actor.is_public


ANONYMOUS = Viewer(PUBLIC)


def viewer_for(sessions: sessionmaker[Session], request: Request) -> Viewer:
    """The signed-in user of this request, or the public (also when the session has expired)."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return ANONYMOUS
    actor = actor_for_session(sessions, secret)
    if actor is None or actor.user_id is None:
        return ANONYMOUS
    with sessions() as session:
        user = session.get(User, actor.user_id)
        organization = session.get(Organization, actor.organization_id) if actor.organization_id else None
        return Viewer(actor, user.username if user else None, user.display_name if user else None,
                      organization.name if organization else None, csrf_for(secret))


def csrf_ok(viewer: Viewer, request: Request, submitted: str | None) -> bool:
    token = submitted or request.headers.get("x-csrf-token") or ""
    return bool(viewer.csrf) and hmac.compare_digest(token, viewer.csrf)


def login_csrf(request: Request) -> str:
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target)}"


def render(request: Request, template: str, viewer: Viewer, status: int = 200, /, **context: Any) -> Response:
    response: Response = templates.TemplateResponse(request, template, {"viewer": viewer, **context},
                                                    status_code=status)
    return response


def role_is(viewer: Viewer, *roles: Role) -> bool:
    return viewer.actor.role in roles


def signed_in_project(sessions: sessionmaker[Session], request: Request, code: str,
                      more: Callable[[Session, Viewer, dict[str, Any]], None] | None = None,
                      ) -> tuple[Viewer, dict[str, Any]] | Response:
    """The signed-in viewer and the project as they may see it — or the page to show instead
    (login for the public, 404 for a project they may not see). ``more`` adds to the detail in the
    same database session."""
    viewer = viewer_for(sessions, request)
    if viewer.is_public:
        return RedirectResponse(login_url(request), status_code=303)
    from jixiao.services import queries
    from jixiao.services.permissions import PermissionDenied

    with sessions() as session:
        try:
            detail = queries.show_project(session, viewer.actor, code)
        except PermissionDenied as denied:
            return render(request, "error.html.j2", viewer, 404, message=str(denied))
        if more is not None:
            more(session, viewer, detail)
    return viewer, detail


def small_int(text: object, low: int = 0, high: int = 2**31 - 1) -> int | None:
    """A form or query value as an int within bounds, else ``None`` ("²" and "9" * 30 are not numbers here)."""
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if low <= number <= high else None
