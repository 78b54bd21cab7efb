"""Plain ASGI middleware (no per-request task overhead): the body limit and the pages' security headers."""

from __future__ import annotations

from typing import Any

from jixiao.services.api_errors import BodyTooLarge
from jixiao.web.errors import envelope
from jixiao.web.settings import API_PREFIX, MAX_BODY


class BodyLimit:
    """Refuse oversized bodies before they are read."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", ()):
                if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY:
                    await envelope(BodyTooLarge())(scope, receive, send)
                    return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """No external requests from any page (CSP), no framing, no MIME sniffing."""

    HEADERS = ((b"content-security-policy", b"default-src 'self'; img-src 'self' data:; "
                b"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"),
               (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
