"""Readiness: can this process serve requests that need the database? (``/readyz``; ``/healthz`` needs nothing.)"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from jixiao.services.context import Sessions
from jixiao.services.errors import ServiceError

log = logging.getLogger(__name__)


class NotReady(ServiceError):
    """The database cannot be reached: a load balancer should send requests elsewhere for now."""

    code = "not_ready"
    status = 503
    summary = "服务暂不可用：无法连接数据库，请稍后重试"


def check_database(sessions: Sessions) -> None:
    """One cheap query (``SELECT 1``); :class:`NotReady` when it fails, with the reason in the log only."""
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as error:
        log.warning("数据库不可用：%s", error.__class__.__name__, extra={"reason": str(error).splitlines()[0]})
        raise NotReady from None
