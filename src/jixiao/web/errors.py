"""One set of exception handlers: the JSON envelope under /api, the error page everywhere else.

Every error body of the API is ``{"error": {"code": …, "message": <中文>, "details": […]}}``. The
status and code come from the error's class (:class:`~jixiao.services.errors.ServiceError`), never
from the words of its message; ``docs/api-errors.md`` is generated from the same classes (the
HTTP-level ones are in :mod:`jixiao.services.api_errors`).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from jixiao.domain.workflow import WorkflowError
from jixiao.services.api_errors import HTTP_ERRORS, InternalError, InvalidRequest, validation_message
from jixiao.services.errors import DATABASE_ERRORS, ServiceError, as_service_error
from jixiao.services.logs import REQUEST_ID
from jixiao.web.headers import security_headers
from jixiao.web.rendering import ANONYMOUS, render
from jixiao.web.settings import API_PREFIX

logger = logging.getLogger(__name__)


class LoginRequired(Exception):
    """A page needs a signed-in user: answer with a redirect to ``location`` (the login page)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def retry_after(error: ServiceError) -> dict[str, str]:
    """``Retry-After`` (seconds) for a throttled request whose details say how long to wait, as HTTP clients expect."""
    waits = [item.get("retry_after") for item in error.details if isinstance(item, dict)]
    seconds = [wait for wait in waits if isinstance(wait, int) and wait >= 0]
    return {"Retry-After": str(max(seconds))} if error.status in (429, 503) and seconds else {}


def envelope(error: ServiceError) -> JSONResponse:
    return JSONResponse(status_code=error.status, headers=retry_after(error),
                        content={"error": {"code": error.code, "message": error.message, "details": error.details}})


def page_error(request: Request, status: int, message: str) -> Response:
    viewer = getattr(request.state, "viewer", ANONYMOUS)
    return render(request, "error.html.j2", viewer, status, message=message, status=status)


def _answer(request: Request, error: ServiceError, page_message: str | None = None) -> Response:
    if request.url.path.startswith(API_PREFIX):
        return envelope(error)
    response = page_error(request, error.status, page_message or error.message)
    response.headers.update(retry_after(error))
    return response


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
        details = [{"location": ".".join(str(p) for p in item.get("loc", ())), "problem": item.get("type"),
                    "message": validation_message(tuple(item.get("loc", ())), str(item.get("type")), item.get("ctx"))}
                   for item in error.errors()]
        named = "；".join(dict.fromkeys(str(item["message"]) for item in details))  # each field by its Chinese label
        return _answer(request, InvalidRequest(details=details), f"请求参数不符合要求：{named}。请修改后重试")

    async def database_error(request: Request, error: Exception) -> Response:
        mapped = as_service_error(error)
        if mapped is None:
            raise error  # a real fault: the error middleware below answers 500 and logs the traceback
        logger.warning("数据库忙，请求 %s 未执行：%s", request.url.path, error.__class__.__name__)
        return _answer(request, mapped)

    for database_class in DATABASE_ERRORS:
        app.add_exception_handler(database_class, database_error)

    @app.exception_handler(LoginRequired)
    async def login_required(_request: Request, error: LoginRequired) -> Response:
        return RedirectResponse(error.location, status_code=303)

    @app.exception_handler(Exception)
    async def crashed(request: Request, _error: Exception) -> Response:
        # Starlette's error middleware re-raises after this answer, so the server logs the traceback once. It
        # answers outside every other middleware: the security headers are added here.
        response = _answer(request, InternalError())
        for name, value in security_headers(request.url.path, request.url.scheme):
            response.headers.setdefault(name.decode("latin-1"), value.decode("latin-1"))
        response.headers.setdefault("X-Request-ID", REQUEST_ID.get())  # the id of the log line of the traceback
        return response
