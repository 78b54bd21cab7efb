"""Sign in and out of the pages (server-side sessions; throttled; CSRF on the login form too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.accounts import TooManyAttempts, login, logout
from jixiao.web.pages.common import LOGIN_CSRF_COOKIE, SESSION_COOKIE, csrf_ok, login_csrf, render, viewer_for


def _safe_next(target: str | None) -> str:
    """Only paths of this site: never an open redirect to another host."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def router(sessions: sessionmaker[Session]) -> APIRouter:
    pages = APIRouter()

    def form(request: Request, status: int = 200, error: str | None = None, username: str = "",
             target: str | None = None) -> Response:
        token = login_csrf(request)
        response: Response = render(request, "login.html.j2", viewer_for(sessions, request), status,
                                    error=error, username=username, login_csrf=token,
                                    next=_safe_next(target or request.query_params.get("next")),
                                    expired=request.query_params.get("expired") == "1")
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
        return response

    @pages.get("/login")
    def login_page(request: Request) -> Response:
        return form(request)

    @pages.post("/login")
    def sign_in(request: Request, username: Annotated[str, Form(max_length=64)] = "",
                password: Annotated[str, Form(max_length=200)] = "",
                csrf_token: Annotated[str, Form(max_length=100)] = "",
                next: Annotated[str, Form(max_length=500)] = "/") -> Response:
        if not csrf_token or csrf_token != request.cookies.get(LOGIN_CSRF_COOKIE):
            return form(request, 400, "页面已过期，请重新登录", username, next)
        if not username or not password:
            return form(request, 400, "请填写用户名和密码", username, next)
        try:
            found = login(sessions, username, password)
        except TooManyAttempts as error:
            return form(request, 429, str(error), username, next)
        if found is None:
            return form(request, 401, "用户名或密码不正确", username, next)
        secret, _actor = found
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax")
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    @pages.post("/logout")
    def sign_out(request: Request, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
        viewer = viewer_for(sessions, request)
        if csrf_ok(viewer, request, csrf_token):
            logout(sessions, request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    return pages
