"""Structured logs: the standard library's logging, one handler on the root, a request id on every line.

The web's outermost middleware sets :data:`REQUEST_ID` for each request (the caller's ``X-Request-ID`` or a new
one); the handler's filter copies it onto every record logged while the request runs, by any logger (a service,
SQLAlchemy, uvicorn's error log), also in the thread pool, which runs sync routes in a copy of the context.
``JIXIAO_LOG_FORMAT`` chooses one JSON object per line or plain text; ``JIXIAO_LOG_LEVEL`` the level.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

from jixiao.services.settings import Settings

REQUEST_ID: ContextVar[str] = ContextVar("jixiao_request_id", default="-")
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # what a caller's X-Request-ID may be (no log injection)
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "request_id",
                                                                          "color_message"}  # uvicorn's styled copy
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def request_id(offered: str | None) -> str:
    """The caller's request id when it is a plain token, else a new one."""
    if offered and _ACCEPTED.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", REQUEST_ID.get())}
        payload |= {key: value for key, value in record.__dict__.items() if key not in _STANDARD}
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure(settings: Settings | None = None, stream: IO[str] | None = None) -> logging.Handler:
    """Install jixiao's handler on the root logger (replacing the one installed before): idempotent per process."""
    chosen = settings or Settings.from_env()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if chosen.log_format == "json" else logging.Formatter(TEXT_FORMAT))
    handler.set_name("jixiao")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "jixiao"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(chosen.log_level)
    return handler
