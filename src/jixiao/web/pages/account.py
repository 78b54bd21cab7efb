"""The signed-in user's own account: change the password (the old one required, throttled like a login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jixiao.services.accounts import PASSWORD_MAX, AccountError, TooManyAttempts, WrongPassword, change_own_password
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, SignedIn, SignedInPost
from jixiao.web.errors import retry_after
from jixiao.web.pages.common import SESSION_COOKIE, csrf_ok, render

router = APIRouter()


@router.get("/account/password")
def password_page(request: Request, viewer: SignedIn) -> Response:
    return shown(render(request, "account_password.html.j2", viewer, msg=flash(request)), request)


@router.post("/account/password")
def change_password(request: Request, viewer: SignedInPost, context: Context,
                    old: Annotated[str, Form(max_length=PASSWORD_MAX)] = "",
                    new: Annotated[str, Form(max_length=PASSWORD_MAX)] = "",
                    again: Annotated[str, Form(max_length=PASSWORD_MAX)] = "",
                    csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not csrf_ok(viewer, request, csrf_token):
        return render(request, "account_password.html.j2", viewer, 403,
                      error="页面已过期，密码未修改；请刷新页面后重试")
    if new != again:
        return render(request, "account_password.html.j2", viewer, 400,
                      error="两次输入的新密码不一致，密码未修改", field="again")
    try:
        change_own_password(context.sessions, viewer.actor, old, new, request.client.host if request.client else None,
                            request.cookies.get(SESSION_COOKIE), context.clock)
    except (TooManyAttempts, WrongPassword) as error:
        refused = render(request, "account_password.html.j2", viewer, error.status, error=error.message, field="old")
        refused.headers.update(retry_after(error))
        return refused
    except AccountError as error:
        return render(request, "account_password.html.j2", viewer, error.status, error=error.message, field="new")
    return see_other(request, "/account/password", "密码已修改；您在其他地方的登录已全部结束")
