"""Plain ASGI middleware (no per-request task overhead): the body limit and the security headers.

The body limit counts bytes as they arrive, so a chunked request (no ``Content-Length``) is stopped
at the limit too: the application's ``receive`` raises once the limit is passed, whatever the
route does with that is dropped, and the answer is one 413 (the envelope under /api, the error
page elsewhere).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from jixiao.services.api_errors import BodyTooLarge
from jixiao.web.errors import envelope, page_error
from jixiao.web.headers import security_headers
from jixiao.web.settings import (
    API_PREFIX,
    MAX_FORM_BODY,
    MAX_UPLOAD_BODY,
    UPLOAD_ROUTES,
)


class _Exceeded(Exception):
    """Raised from ``receive`` when the body passes its limit (caught by :class:`BodyLimit` itself)."""


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


async def refuse_body(scope: dict[str, Any], send: Any, limit: int) -> None:
    async def nothing() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    error = BodyTooLarge(f"请求体过大（上限 {_size(limit)}）")
    if scope.get("path", "").startswith(API_PREFIX):
        await envelope(error)(scope, nothing, send)
    else:
        await page_error(Request(scope), error.status, error.message)(scope, nothing, send)


class BodyLimit:
    """Refuse bodies over the limit of their route kind: at once by ``Content-Length``, else as they arrive."""

    def __init__(self, app: Any, small: int = MAX_FORM_BODY, large: int = MAX_UPLOAD_BODY,
                 uploads: frozenset[tuple[str, str]] = UPLOAD_ROUTES) -> None:
        self.app, self.small, self.large, self.uploads = app, small, large, uploads

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.large if (scope.get("method"), scope.get("path")) in self.uploads else self.small
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                await refuse_body(scope, send, limit)
                return
        received = 0
        over = started = False

        async def counted() -> dict[str, Any]:
            nonlocal received, over
            if over:
                raise _Exceeded
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise _Exceeded
            return message

        async def guarded(message: dict[str, Any]) -> None:
            nonlocal started
            if over:  # the route's answer to a body it could not read is replaced by the 413
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over:
                raise
        if over and not started:
            await refuse_body(scope, send, limit)


class SecurityHeaders:
    """The headers of :mod:`jixiao.web.headers` on every answer the app gives (a crash's 500 gets them from
    its handler, which answers outside this middleware)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = security_headers(scope.get("path", ""), scope.get("scheme", "http"))

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                present = {name.lower() for name, _value in headers}
                message["headers"] = [*headers, *(h for h in added if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)
