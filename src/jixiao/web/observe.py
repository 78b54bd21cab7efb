"""The outermost middleware: a request id for every request, one log line and the metrics of each answer.

The id is the caller's ``X-Request-ID`` when it is a plain token (a proxy's, so its log and ours agree), else
a new one; it is returned in ``X-Request-ID`` and is on every log line written while the request runs
(:mod:`jixiao.services.logs`). Requests are counted by their route template, after routing has found it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from jixiao.services import metrics
from jixiao.services.logs import REQUEST_ID, request_id

log = logging.getLogger("jixiao.web.request")
UNMATCHED = "(unmatched)"  # no route: one series for every unknown path, never the path itself


def route_template(scope: dict[str, Any]) -> str:
    """The template of the route that answered (``/api/v1/projects/{code}``), or :data:`UNMATCHED`."""
    found = (scope.get("fastapi") or {}).get("effective_route_context")  # a route of an included router: full path
    path = getattr(found, "path", None) or getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    if "endpoint" in scope:  # a mount (static files): its prefix
        return f"{scope.get('root_path', '')}/{{path}}"
    return UNMATCHED


def _offered(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            return str(value.decode("latin-1"))
    return None


class Observe:
    """Request id, access log line, request count and latency (a crash counts as a 500)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(_offered(scope))
        REQUEST_ID.set(rid)  # each request runs in its own task: the id does not leak into another request
        started = time.perf_counter()
        status = 500

        async def identified(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, identified)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            metrics.observe_request(scope.get("method", ""), route, status, seconds)
            log.info("%s %s %s", scope.get("method", ""), scope.get("path", ""), status,
                     extra={"method": scope.get("method", ""), "path": scope.get("path", ""), "route": route,
                            "status": status, "duration_ms": round(seconds * 1000, 1)})
