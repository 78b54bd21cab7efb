"""Readiness: can this process serve requests that need the database? (``/readyz``; ``/healthz`` needs nothing.)"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from jixiao.services.context import Sessions
from jixiao.services.errors import ServiceError
from jixiao.services.job_queue import JobQueue

log = logging.getLogger(__name__)


class NotReady(ServiceError):
    """The database cannot be reached: a load balancer should send requests elsewhere for now."""

    code = "not_ready"
    status = 503
    summary = "服务暂不可用：无法连接数据库，请稍后重试"


class QueueNotReady(NotReady):
    """The job queue cannot be reached: jobs could be neither submitted nor run."""

    code = "queue_not_ready"
    summary = "服务暂不可用：无法连接后台任务队列，请稍后重试"


def check_queue(queue: JobQueue | None) -> int | None:
    """How many messages wait in the job queue (a query on its storage); :class:`QueueNotReady` when it fails;
    None when this process has no queue."""
    if queue is None:
        return None
    try:
        return queue.ping()
    except Exception as error:  # whatever the storage raises (sqlite3, psycopg): the reason goes to the log
        log.warning("任务队列不可用：%s", error.__class__.__name__, extra={"reason": str(error).splitlines()[0]
                                                                      if str(error) else ""})
        raise QueueNotReady from None


def check_database(sessions: Sessions) -> None:
    """One cheap query (``SELECT 1``); :class:`NotReady` when it fails, with the reason in the log only."""
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as error:
        log.warning("数据库不可用：%s", error.__class__.__name__, extra={"reason": str(error).splitlines()[0]})
        raise NotReady from None
