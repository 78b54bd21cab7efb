"""What every page shares: the templates (from :mod:`jixiao.web.rendering`) and small helpers.

Pages use the login session cookie set by ``/login`` (the same sessions as the API); the viewer and
the CSRF check come from :mod:`jixiao.web.deps`. CSRF protection is a token derived from the session
secret (sha256), so it needs no server state and is the same in every worker: forms carry it as
``csrf_token``, htmx requests as ``X-CSRF-Token``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from jixiao.domain.codes import CATEGORY_NAMES
from jixiao.domain.workflow import STATE_LABELS, Role
from jixiao.services import queries
from jixiao.services.context import AppContext, Db
from jixiao.services.exports import Download
from jixiao.web.deps import csrf_for, csrf_ok, login_url
from jixiao.web.rendering import ANONYMOUS, Viewer, render, templates
from jixiao.web.settings import LOGIN_CSRF_COOKIE, SESSION_COOKIE

__all__ = ["ANONYMOUS", "LOGIN_CSRF_COOKIE", "SESSION_COOKIE", "Viewer", "csrf_for", "csrf_ok", "download", "login_url",
           "render", "role_is", "signed_in_project", "small_int", "templates"]


def login_csrf(request: Request) -> str:
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


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


def download(found: Download, suffix: str, kind: str = "attachment") -> Response:
    """A file from :mod:`jixiao.services.exports`, named for any code (codes may be Chinese): RFC 6266."""
    name = f"{found.name}.{suffix}"
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in found.name) or "export"
    return Response(found.content, media_type=found.media_type, headers={
        "Content-Disposition": f"{kind}; filename=\"{fallback}.{suffix}\"; filename*=UTF-8''{quote(name)}"})


SEVERITY_CHOICES = {"error": "有错误", "warning": "有警告", "info": "有提示", "none": "无问题"}
GRADES = ("优", "良", "中", "差")


def bad_filters(chosen: dict[str, str | None]) -> str | None:
    """What is wrong with the list's query values, in the filter labels' words (``None``: all usable).

    An unknown 状态 or 问题级别 used to list nothing and a 年度 "abc" was ignored, so the user could not tell
    a mistyped link from an empty result."""
    problems = []
    year = chosen.get("year")
    if year and small_int(year, 1900, 2200) is None:
        problems.append(f"「年度」应为四位数字的年份（1900–2200），收到“{year}”")
    choices = {"state": ("状态", {s.value: label for s, label in STATE_LABELS.items()}),
               "grade": ("审核等级", {g: g for g in GRADES}), "severity": ("问题级别", SEVERITY_CHOICES),
               "category": ("项目类别", CATEGORY_NAMES)}
    for key, (label, allowed) in choices.items():
        value = chosen.get(key)
        if value and value not in allowed:
            problems.append(f"「{label}」没有“{value}”这个选项（可选：{'、'.join(allowed.values())}）")
    return "筛选条件有误：" + "；".join(problems) + "。请在筛选栏重新选择" if problems else None
