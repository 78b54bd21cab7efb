"""Sign in and out of the pages (server-side sessions; throttled; CSRF on the login form too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from jixiao.services.accounts import PASSWORD_MAX, TooManyAttempts, login, logout
from jixiao.web.cookies import delete_cookie, set_cookie
from jixiao.web.deps import Context, Seen
from jixiao.web.errors import retry_after
from jixiao.web.pages.common import LOGIN_CSRF_COOKIE, SESSION_COOKIE, Viewer, csrf_ok, login_csrf, render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only paths of this site: never an open redirect to another host."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _form(request: Request, viewer: Viewer, status: int = 200, error: str | None = None, username: str = "",
          target: str | None = None) -> Response:
    token = login_csrf(request)
    response: Response = render(request, "login.html.j2", viewer, status,
                                error=error, username=username, login_csrf=token,
                                next=_safe_next(target or request.query_params.get("next")),
                                expired=request.query_params.get("expired") == "1")
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, samesite="strict")
    return response


@router.get("/login")
def login_page(request: Request, viewer: Seen) -> Response:
    return _form(request, viewer)


@router.post("/login")
def sign_in(request: Request, viewer: Seen, context: Context,
            username: Annotated[str, Form(max_length=64)] = "",
            password: Annotated[str, Form(max_length=PASSWORD_MAX)] = "",
            csrf_token: Annotated[str, Form(max_length=100)] = "",
            next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    if not csrf_token or csrf_token != request.cookies.get(LOGIN_CSRF_COOKIE):
        return _form(request, viewer, 400, "页面已过期，请重新登录", username, next)
    if not username or not password:
        return _form(request, viewer, 400, "请填写用户名和密码", username, next)
    try:
        found = login(context.sessions, username, password, request.client.host if request.client else None,
                      context.clock)
    except TooManyAttempts as error:
        refused = _form(request, viewer, error.status, error.message, username, next)
        refused.headers.update(retry_after(error))
        return refused
    if found is None:
        return _form(request, viewer, 401, "用户名或密码不正确", username, next)
    secret, _actor = found
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_cookie(response, request, SESSION_COOKIE, secret, samesite="lax")
    delete_cookie(response, request, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def sign_out(request: Request, viewer: Seen, context: Context,
             csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Sign out completely (the server session ends and the cookie goes), or refuse and change nothing."""
    if not viewer.is_public and not csrf_ok(viewer, request, csrf_token):
        return render(request, "error.html.j2", viewer, 403, message="页面已过期，未退出；请刷新页面后再点“退出”")
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        logout(context.sessions, secret)
    response = RedirectResponse("/login", status_code=303)
    delete_cookie(response, request, SESSION_COOKIE)
    return response
