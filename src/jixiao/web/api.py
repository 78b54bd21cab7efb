"""The JSON API under /api/v1: a thin shell over the services, with one error envelope.

Every error is ``{"error": {"code": …, "message": <中文>, "details": […]}}``. Callers identify
themselves with ``Authorization: Bearer <token>``; without it they are the public and see approved
tables only.
"""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Cookie, Depends, FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from jixiao import __version__
from jixiao.domain.workflow import Action, WorkflowError
from jixiao.services import queries
from jixiao.services.accounts import (
    AccountError,
    TooManyAttempts,
    actor_for_session,
    actor_for_token,
    login,
    logout,
)
from jixiao.services.imports import import_as
from jixiao.services.permissions import PUBLIC, Actor, PermissionDenied
from jixiao.services.submissions import SubmissionError, list_submissions, submit_monitoring, submit_self_evaluation
from jixiao.services.workflow import comment, transition

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 5 * 1024 * 1024  # 5 MB: far above any real file of target tables
SESSION_COOKIE = "jixiao_session"
TOKEN_CACHE_SECONDS = 30  # a revoked token stops working within this time


def _envelope(status: int, code: str, message: str, details: list[Any] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message,
                                                               "details": details or []}})


class BodyLimit:
    """Refuse oversized bodies before they are read (plain ASGI: no per-request task overhead)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", ()):
                if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY:
                    response = _envelope(413, "body_too_large", f"请求体过大（上限 {MAX_BODY // 1024 // 1024} MB）")
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


class TransitionIn(BaseModel):
    action: Action
    comment: str | None = Field(default=None, max_length=5000)
    override_reason: str | None = Field(default=None, max_length=5000)


class CommentIn(BaseModel):
    comment: str = Field(min_length=1, max_length=5000)
    field: str | None = Field(default=None, max_length=40, description="表头字段，如 total_wan、annual_goal")
    indicator: int | None = Field(default=None, ge=0, le=1000, description="指标行序号（从 0 开始）")


class SelfEvalIn(BaseModel):
    actuals: list[dict[str, str | None]] = Field(description="[{indicator, actual, points, reason}]",
                                                 max_length=500)
    budget: dict[str, str | None] | None = Field(default=None, description="{initial, adjusted, executed}（万元）")


class MonitoringIn(BaseModel):
    month: int = Field(ge=1, le=12)
    progress: list[dict[str, str | None]] = Field(description="[{indicator, to_date, forecast, reason, likelihood}]",
                                                  max_length=500)
    budget: dict[str, str | None] | None = Field(default=None, description="{adjusted, executed_to_date}（万元）")


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class ImportIn(BaseModel):
    file_name: str = Field(min_length=1, max_length=500)
    content: str = Field(description="文件内容（公开文本版式或 JSON 交换格式第1版）", max_length=MAX_BODY)


def create_app(sessions: sessionmaker[Session]) -> FastAPI:
    app = FastAPI(title="jixiao 绩效 API", version=__version__, openapi_url="/api/v1/openapi.json",
                  docs_url="/api/v1/docs", redoc_url=None)

    app.add_middleware(BodyLimit)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        messages = {404: "没有这个地址", 405: "不支持这个请求方法"}
        message = messages.get(error.status_code, str(error.detail))
        if not request.url.path.startswith("/api/"):
            return page_error(request, error.status_code, message)
        return _envelope(error.status_code, f"http_{error.status_code}", message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        if not request.url.path.startswith("/api/"):
            return page_error(request, 422, "请求参数不符合要求，请返回上一页重试")
        details = [{"location": ".".join(str(p) for p in item.get("loc", ())), "problem": item.get("type")}
                   for item in error.errors()]
        return _envelope(422, "invalid_request", "请求内容不符合要求，请检查 details 所列字段", details)

    @app.exception_handler(PermissionDenied)
    async def denied(_request: Request, error: PermissionDenied) -> JSONResponse:
        return _envelope(404 if "没有项目" in str(error) else 403, "forbidden", str(error))

    @app.exception_handler(WorkflowError)
    async def refused(_request: Request, error: WorkflowError) -> JSONResponse:
        return _envelope(409, "workflow_refused", str(error))

    @app.exception_handler(SubmissionError)
    async def unscorable(_request: Request, error: SubmissionError) -> JSONResponse:
        return _envelope(422, "invalid_submission", str(error), [d.to_dict() for d in error.diagnostics])

    @app.exception_handler(AccountError)
    async def account(_request: Request, error: AccountError) -> JSONResponse:
        if isinstance(error, TooManyAttempts):
            return _envelope(429, "too_many_attempts", str(error))
        return _envelope(400, "account_error", str(error))

    @app.exception_handler(Exception)
    async def crashed(request: Request, _error: Exception) -> Response:
        if not request.url.path.startswith("/api/"):
            return page_error(request, 500, "服务器内部错误，已记录；请稍后重试")
        return _envelope(500, "internal_error", "服务器内部错误，已记录；请稍后重试")

    # Reads are short and local: they run on the event loop, not in a thread pool, which on a small
    # machine is what costs most per request. Writes (transitions, imports, submissions) stay in threads.
    async def session() -> AsyncIterator[Session]:
        with sessions() as opened:
            yield opened

    token_cache: dict[str, tuple[float, Actor]] = {}
    counts = queries.CountCache()

    def token_actor(token: str) -> Actor | None:
        """Tokens are checked against the database at most every ``TOKEN_CACHE_SECONDS`` per token."""
        cached = token_cache.get(token)
        clock = time.monotonic()
        if cached is not None and clock - cached[0] < TOKEN_CACHE_SECONDS:
            return cached[1]
        found = actor_for_token(sessions, token)
        if found is not None:
            if len(token_cache) > 10_000:
                token_cache.clear()
            token_cache[token] = (clock, found)
        return found

    async def actor(authorization: Annotated[str | None, Header()] = None,
              jixiao_session: Annotated[str | None, Cookie()] = None) -> Actor:
        if not authorization:
            if jixiao_session:
                found = actor_for_session(sessions, jixiao_session)
                if found is None:
                    raise PermissionDenied("登录已过期，请重新登录")
                return found
            return PUBLIC
        scheme, _, token = authorization.partition(" ")
        found = token_actor(token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise PermissionDenied("令牌无效或已撤销")
        return found

    Db = Annotated[Session, Depends(session)]
    Who = Annotated[Actor, Depends(actor)]
    # Routes return plain dicts serialised straight to JSON (no response-model validation on the hot path).
    api = APIRouter(prefix="/api/v1", default_response_class=JSONResponse)

    @api.post("/session", response_model=None, summary="登录（本地账号；失败过多会暂时锁定）")
    def sign_in(body: LoginIn, response: Response) -> dict[str, Any]:
        found = login(sessions, body.username, body.password)
        if found is None:
            raise PermissionDenied("用户名或密码不正确")
        token, who = found
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax")
        return {"user_id": who.user_id, "role": who.role.value if who.role else None}

    @api.delete("/session", response_model=None, summary="退出登录")
    def sign_out(response: Response, jixiao_session: Annotated[str | None, Cookie()] = None) -> dict[str, Any]:
        if jixiao_session:
            logout(sessions, jixiao_session)
        response.delete_cookie(SESSION_COOKIE)
        return {"signed_out": True}

    @api.get("/organizations", response_model=None, summary="组织（财政部门、主管部门、单位）")
    async def organizations(db: Db) -> list[dict[str, Any]]:
        return queries.list_organizations(db)

    @api.get("/projects", response_model=None, summary="项目列表（分页、筛选、排序）")
    async def projects(db: Db, who: Who, state: Annotated[str | None, Query(max_length=32)] = None,
                 year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                 unit: Annotated[str | None, Query(max_length=32)] = None,
                 department: Annotated[str | None, Query(max_length=32)] = None,
                 grade: Annotated[Literal["优", "良", "中", "差"] | None, Query()] = None,
                 severity: Annotated[Literal["error", "warning", "info", "none"] | None, Query()] = None,
                 q: Annotated[str | None, Query(max_length=100)] = None,
                 sort: Literal["code", "-code", "name", "-name", "year", "-year", "state", "-state"] = "code",
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                 per_page: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = 50) -> dict[str, Any]:
        return queries.list_projects(db, who, state=state, year=year, unit=unit, department=department, grade=grade,
                                     severity=severity, q=q, sort=sort, page=page, per_page=per_page, counts=counts)

    @api.get("/projects/{code}", response_model=None, summary="项目详情（当前版本的绩效目标表）")
    async def project(db: Db, who: Who, code: str) -> dict[str, Any]:
        return queries.show_project(db, who, code)

    @api.get("/projects/{code}/versions", response_model=None, summary="项目的全部版本")
    async def versions(db: Db, who: Who, code: str) -> list[dict[str, Any]]:
        return queries.list_versions(db, who, code)

    @api.get("/projects/{code}/findings", response_model=None, summary="提交时自动审核发现的问题")
    async def findings(db: Db, who: Who, code: str) -> list[dict[str, Any]]:
        return queries.list_findings(db, who, code)

    @api.post("/projects/{code}/transitions", response_model=None,
             summary="流转：提交、审核、报送、批复、退回、调整")
    def move(who: Who, code: str, body: TransitionIn) -> dict[str, Any]:
        result = transition(sessions, who, code, body.action, body.comment, body.override_reason)
        return {"project": result.project, "action": result.action, "from_state": result.from_state,
                "to_state": result.to_state, "version": result.version,
                "errors_overridden": result.errors_overridden}

    @api.post("/projects/{code}/comments", response_model=None, summary="审核意见（可指向某个字段或某条指标）")
    def add_comment(who: Who, code: str, body: CommentIn) -> dict[str, Any]:
        return comment(sessions, who, code, body.comment, body.field, body.indicator)

    @api.post("/projects/{code}/self-evaluations", response_model=None,
             summary="填报自评：实际完成值和预算执行，返回计分及算式")
    def self_evaluate(who: Who, code: str, body: SelfEvalIn) -> dict[str, Any]:
        return submit_self_evaluation(sessions, who, code, body.actuals, body.budget)

    @api.get("/projects/{code}/self-evaluations", response_model=None, summary="项目的自评记录")
    def self_evaluations(db: Db, who: Who, code: str) -> list[dict[str, Any]]:
        return list_submissions(db, who, code, "selfeval")

    @api.post("/projects/{code}/monitoring", response_model=None, summary="填报运行监控（双监控），返回红黄绿灯")
    def report_monitoring(who: Who, code: str, body: MonitoringIn) -> dict[str, Any]:
        return submit_monitoring(sessions, who, code, body.month, body.progress, body.budget)

    @api.get("/projects/{code}/monitoring", response_model=None, summary="项目的监控记录")
    def monitoring(db: Db, who: Who, code: str) -> list[dict[str, Any]]:
        return list_submissions(db, who, code, "monitoring")

    @api.post("/imports", response_model=None, summary="导入文件（每个文件一个事务，重复导入不产生重复数据）")
    def imports(who: Who, body: ImportIn) -> dict[str, Any]:
        if who.is_public:
            raise PermissionDenied("导入需要登录")
        return import_as(sessions, who, body.content.encode("utf-8"), body.file_name).to_dict()

    @api.get("/audit", response_model=None, summary="审计日志")
    def audit(db: Db, who: Who, page: Annotated[int, Query(ge=1, le=100_000)] = 1,
              per_page: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = 50) -> dict[str, Any]:
        return queries.list_audit(db, who, page, per_page)

    app.include_router(api)
    from jixiao.web.pages import page_router  # the pages import this module's limits

    app.include_router(page_router(sessions))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(SecurityHeaders)
    return app


def page_error(request: Request, status: int, message: str) -> Response:
    from jixiao.web.pages.common import ANONYMOUS, render

    response: Response = render(request, "error.html.j2", ANONYMOUS, status, message=message)
    return response


class SecurityHeaders:
    """No external requests from any page (CSP), no framing, no MIME sniffing (plain ASGI)."""

    HEADERS = ((b"content-security-policy", b"default-src 'self'; img-src 'self' data:; "
                b"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"),
               (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith("/api/"):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
