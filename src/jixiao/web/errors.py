"""One set of exception handlers: the JSON envelope under /api, the error page everywhere else.

Every error body of the API is ``{"error": {"code": …, "message": <中文>, "details": […]}}``. The
status and code come from the error's class (:class:`~jixiao.services.errors.ServiceError`), never
from the words of its message; ``docs/api-errors.md`` is generated from the same classes.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from jixiao.domain.workflow import WorkflowError
from jixiao.services.errors import NotFound, ServiceError, as_service_error, error_classes, subclasses_in
from jixiao.web.rendering import ANONYMOUS, render
from jixiao.web.settings import API_PREFIX, MAX_BODY


class InvalidRequest(ServiceError):
    """The request does not match the API's schema (FastAPI's validation)."""

    code = "invalid_request"
    status = 422
    summary = "请求内容不符合要求，请检查 details 所列字段"


class RouteNotFound(NotFound):
    code = "http_404"
    summary = "没有这个地址"


class MethodNotAllowed(ServiceError):
    code = "http_405"
    status = 405
    summary = "不支持这个请求方法"


class BodyTooLarge(ServiceError):
    code = "body_too_large"
    status = 413
    summary = f"请求体过大（上限 {MAX_BODY // 1024 // 1024} MB）"


class InternalError(ServiceError):
    code = "internal_error"
    status = 500
    summary = "服务器内部错误，已记录；请稍后重试"


class LoginRequired(Exception):
    """A page needs a signed-in user: answer with a redirect to ``location`` (the login page)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


HTTP_ERRORS: dict[int, type[ServiceError]] = {404: RouteNotFound, 405: MethodNotAllowed}


def envelope(error: ServiceError) -> JSONResponse:
    return JSONResponse(status_code=error.status,
                        content={"error": {"code": error.code, "message": error.message, "details": error.details}})


def page_error(request: Request, status: int, message: str) -> Response:
    viewer = getattr(request.state, "viewer", ANONYMOUS)
    return render(request, "error.html.j2", viewer, status, message=message)


def _answer(request: Request, error: ServiceError, page_message: str | None = None) -> Response:
    if request.url.path.startswith(API_PREFIX):
        return envelope(error)
    return page_error(request, error.status, page_message or error.message)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app`` (``create_app`` calls this once)."""

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, error: ServiceError) -> Response:
        return _answer(request, error)

    @app.exception_handler(WorkflowError)
    async def workflow_error(request: Request, error: WorkflowError) -> Response:
        mapped = as_service_error(error)
        assert mapped is not None
        return _answer(request, mapped)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        known = HTTP_ERRORS.get(error.status_code)
        if known is not None:
            return _answer(request, known())
        if not request.url.path.startswith(API_PREFIX):
            return page_error(request, error.status_code, str(error.detail))
        return JSONResponse(status_code=error.status_code, content={"error": {
            "code": f"http_{error.status_code}", "message": str(error.detail), "details": []}})

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        details = [{"location": ".".join(str(p) for p in item.get("loc", ())), "problem": item.get("type")}
                   for item in error.errors()]
        return _answer(request, InvalidRequest(details=details), "请求参数不符合要求，请返回上一页重试")

    @app.exception_handler(LoginRequired)
    async def login_required(_request: Request, error: LoginRequired) -> Response:
        return RedirectResponse(error.location, status_code=303)

    @app.exception_handler(Exception)
    async def crashed(request: Request, _error: Exception) -> Response:
        # Starlette's error middleware re-raises after this answer, so the server logs the traceback once.
        return _answer(request, InternalError())


def documented_classes() -> list[type[ServiceError]]:
    """Every error class the API can answer with: the services' and the web layer's own."""
    return sorted({*error_classes(), *subclasses_in("jixiao.web")},
                  key=lambda c: (c.status, c.code, c.__module__, c.__qualname__))


def generate_api_errors() -> str:
    """docs/api-errors.md: one row per error code, from the classes themselves."""
    lines = [
        "# API 错误代码（API error codes）",
        "",
        "本文件由 `make docs`（`python -m jixiao.cli.docgen`）根据错误类生成，请勿手工修改。",
        "",
        "`/api/v1` 的每个错误响应都是 `{\"error\": {\"code\": …, \"message\": …, \"details\": […]}}`："
        "`code` 稳定，供程序判断；`message` 是给人看的中文说明；`details` 列出具体字段或问题（可为空）。"
        "HTTP 状态码和 `code` 由错误的类别决定，不取决于消息文字。",
        "",
        "| HTTP 状态 | 代码 | 含义 | 错误类 |",
        "| --- | --- | --- | --- |",
    ]
    seen: set[tuple[int, str]] = set()
    rows: list[tuple[int, str, str, list[str]]] = []
    for cls in documented_classes():
        key = (cls.status, cls.code)
        name = f"`{cls.__module__}.{cls.__qualname__}`"
        if key in seen:
            next(r for r in rows if (r[0], r[1]) == key)[3].append(name)
            continue
        seen.add(key)
        rows.append((cls.status, cls.code, cls.summary, [name]))
    for status, code, summary, names in rows:
        lines.append(f"| {status} | `{code}` | {summary} | {'<br>'.join(names)} |")
    lines += ["| 其他 4xx | `http_<状态码>` | 其他 HTTP 错误（如请求格式无法解析） | — |", ""]
    return "\n".join(lines)
