"""Sign in and out with a local account (the same sessions as the pages)."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated

from fastapi import APIRouter, Cookie, Request, Response
from pydantic import BaseModel, Field

from jixiao.services.accounts import PASSWORD_MAX, login, logout
from jixiao.services.permissions import PermissionDenied
from jixiao.web.api.models import ErrorOut, SignedInOut, SignedOutOut
from jixiao.web.cookies import delete_cookie, set_cookie
from jixiao.web.deps import Context
from jixiao.web.settings import SESSION_COOKIE

router = APIRouter()


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)


@router.post("/session", response_model=SignedInOut, summary="登录（本地账号；尝试过于频繁时延缓，不锁定）",
             responses={429: {"model": ErrorOut,
                              "description": "尝试过于频繁：稍后再试（details 中的 retry_after 为秒数）"}})
def sign_in(body: LoginIn, request: Request, response: Response, context: Context) -> dict[str, object]:
    address = request.client.host if request.client else None
    found = login(context.sessions, body.username, body.password, address, context.clock)
    if found is None:
        raise PermissionDenied("用户名或密码不正确")
    token, who = found
    set_cookie(response, request, SESSION_COOKIE, token, samesite="lax")
    return {"user_id": who.user_id, "role": who.role.value if who.role else None}


@router.delete("/session", response_model=SignedOutOut, summary="退出登录")
def sign_out(request: Request, response: Response, context: Context,
             jixiao_session: Annotated[str | None, Cookie()] = None) -> dict[str, object]:
    if jixiao_session:
        logout(context.sessions, jixiao_session)
    delete_cookie(response, request, SESSION_COOKIE)
    return {"signed_out": True}
