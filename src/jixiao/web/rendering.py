"""Templates and the viewer every page is rendered for, below both the pages and the error handlers.

The error page (:func:`jixiao.web.errors.page_error`) and every page render through :func:`render`, so
this module imports nothing else of ``jixiao.web``: neither side has to reach the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup

from jixiao.domain import reported
from jixiao.domain.codes import CATEGORY_NAMES
from jixiao.domain.diagnostics import SEVERITY_LABELS, Severity
from jixiao.domain.labels import COLUMN_LABELS, FIELD_LABELS
from jixiao.domain.workflow import ACTION_LABELS, ROLE_LABELS, STATE_LABELS, TRANSITIONS, State
from jixiao.rules.model import CATEGORY_LABELS, Category
from jixiao.services.audit_text import AUDIT_LABELS
from jixiao.services.permissions import PUBLIC, Ability, Actor, may
from jixiao.services.profiles import DEFAULT_TIMEZONE

__all__ = ["ANONYMOUS", "Viewer", "render", "templates"]


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person looking at a page: the actor for services, and names for the header."""

    actor: Actor
    username: str | None = None
    display_name: str | None = None
    organization: str | None = None
    csrf: str = ""
    work: int | None = None  # tables waiting on this user, counted when the viewer is read (the menu's number)

    @property
    def role(self) -> str | None:
        return self.actor.role.value if self.actor.role else None

    @property
    def is_public(self) -> bool:
        return self.actor.is_public

    def may(self, ability: str) -> bool:
        """Whether the viewer's role may do this (``services.permissions.Ability``): templates show only that."""
        return may(self.actor, Ability(ability))


ANONYMOUS = Viewer(PUBLIC)


HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.autoescape = True  # every template (they end in .j2, which select_autoescape would not escape)


def _money(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return format(Decimal(str(value)), "f")
    except InvalidOperation:
        return str(value)


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _region_zone(context: Any) -> ZoneInfo:
    """The zone of the application's region profile (``timezone``; default Asia/Shanghai)."""
    request = context.get("request")
    state = getattr(getattr(getattr(request, "app", None), "state", None), "web", None)
    app_context = getattr(state, "context", None)
    return _zone(app_context.profile.timezone if app_context is not None else DEFAULT_TIMEZONE)


@pass_context
def _when(context: Any, value: datetime | str | None, day: bool = False) -> str:
    """A stored moment (UTC) as the region reads it: "2026-12-01 13:46" in Beijing for 05:46 UTC.

    The one filter every page uses for times (``day=True``: the date only, as the region reads it); SQLite
    hands back the UTC it stored without an offset.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_region_zone(context)).strftime("%Y-%m-%d" if day else "%Y-%m-%d %H:%M")


def _jsontext(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _scriptjson(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no "</script>" can close it early."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def _plain(value: object) -> str:
    """A Decimal without trailing zeros (95, not 95.00); anything else as text."""
    from decimal import Decimal

    from jixiao.domain.comparable import plain
    return plain(value) if isinstance(value, Decimal) else ("" if value is None else str(value))



templates.env.filters.update(money=_money, when=_when, jsontext=_jsontext, scriptjson=_scriptjson, plain=_plain)
templates.env.globals.update(
    STATE_LABELS={s.value: label for s, label in STATE_LABELS.items()},
    ACTION_LABELS={a.value: label for a, label in ACTION_LABELS.items()},
    ROLE_LABELS={r.value: label for r, label in ROLE_LABELS.items()},
    SEVERITY_LABELS={s.value: label for s, label in SEVERITY_LABELS.items()},
    CATEGORY_LABELS={c.value: label for c, label in CATEGORY_LABELS.items()},
    CATEGORY_NAMES=CATEGORY_NAMES,  # 项目类别 by the code's letter (the project list's and the analytics' filter)
    FIELD_LABELS=FIELD_LABELS, STATES=[s.value for s in State], SEVERITIES=[s.value for s in Severity],
    CATEGORIES=[c.value for c in Category], COLUMNS=COLUMN_LABELS, AUDIT_LABELS=AUDIT_LABELS,
    NEEDS_COMMENT={t.action.value for t in TRANSITIONS.values() if t.needs_comment},
    # the words units report in (the fill-in workbook and CSV headings): the forms use the same
    REPORTED={name: getattr(reported, name) for name in ("ADJUSTED", "TO_DATE", "FORECAST", "PROGRESS_REASON",
                                                         "LIKELIHOOD", "EXECUTED_TO_DATE")},
)


def render(request: Request, template: str, viewer: Viewer, status: int = 200, /, **context: Any) -> Response:
    response: Response = templates.TemplateResponse(request, template, {"viewer": viewer, **context},
                                                    status_code=status)
    return response
