"""One run of a job in a worker: claim the row, run the kind's body, record how it ended.

What ends how: a cancellation asked for (checked between files) is 已取消; bad input (a :class:`ServiceError`:
refused in Chinese, the same the next time) is 失败 at once, never retried; a transient error (the database
went away) is given back to huey, which runs the job again after ``retry_delay`` × ``retry_backoff``ⁿ while
retries remain (then 失败); the time limit is 失败 with the limit named. A run whose job was taken over by
another (the lease: ``jobs_recover``) stops at its next write without writing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from huey.exceptions import CancelExecution, TaskTimeout
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError, OperationalError

from jixiao.domain.workflow import Role
from jixiao.services.errors import ServiceError
from jixiao.services.jobs import MAX_MESSAGES
from jixiao.services.jobs_step import Cancelled, Run, Superseded
from jixiao.services.permissions import Actor
from jixiao.storage.models import Job

if TYPE_CHECKING:
    from jixiao.services.context import AppContext

log = logging.getLogger(__name__)
TRANSIENT: tuple[type[Exception], ...] = (OperationalError, DBAPIError, ConnectionError, TimeoutError)


Body = Callable[[Run], tuple[str, str, bytes] | None]  # the result file (name, media type, bytes), if any


def _bodies() -> dict[str, Body]:
    from jixiao.services import jobs_export, jobs_import, jobs_render, jobs_rereview

    return {"import": jobs_import.run_import, "export": jobs_export.run_export, "render": jobs_render.run_render,
            "rereview": jobs_rereview.run_rereview}


def _claim(context: AppContext, job_id: int) -> tuple[int, Actor, str, dict[str, Any]] | None:
    """Take the queued job (compare and set): its attempt, who it acts as and its kind; None if not queued."""
    with context.sessions.begin() as session:
        changed = session.execute(
            update(Job).where(Job.id == job_id, Job.state == "queued", Job.cancel_requested.is_(False))
            .values(state="running", attempt=Job.attempt + 1, heartbeat_at=context.clock()))
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        job = session.get(Job, job_id)
        assert job is not None
        job.started_at = job.started_at or context.clock()
        role = Role(job.role) if job.role else Role.ADMIN
        return job.attempt, Actor(job.user_id, role, job.organization_id), job.kind, dict(job.params)


def _end(context: AppContext, job_id: int, attempt: int, state: str, message: str | None = None,
         result: tuple[str, str, bytes] | None = None) -> None:
    try:
        with context.sessions.begin() as session:
            job = session.get(Job, job_id, with_for_update=True)
            if job is None or job.attempt != attempt:
                return
            job.state = state
            if message:
                job.messages = [*job.messages, message][-MAX_MESSAGES:]
            if state != "queued":
                job.finished_at = context.clock()
            if result is not None:
                job.result_name, job.result_type, job.result = result
    except TRANSIENT:  # the database is away: the lease gives the job back later (jobs_recover)
        log.warning("任务 %s 的状态未能写入（数据库不可用）", job_id)


IN_FLIGHT: set[int] = set()  # jobs this process runs now (jobs_recover never takes these over)


@contextmanager
def _heartbeat(context: AppContext, job_id: int, attempt: int) -> Iterator[None]:
    """Write the job's heartbeat every third of the lease while it runs, so a slow file is not a dead worker."""
    stop = threading.Event()
    every = max(0.1, (context.jobs.policy.lease if context.jobs else 180.0) / 3)

    def beat() -> None:
        while not stop.wait(every):
            try:
                with context.sessions.begin() as session:
                    session.execute(update(Job).where(Job.id == job_id, Job.attempt == attempt)
                                    .values(heartbeat_at=context.clock()))
            except Exception:  # the database away for a moment: the next beat tries again
                log.warning("任务 %s 的心跳未能写入", job_id)

    IN_FLIGHT.add(job_id)
    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        IN_FLIGHT.discard(job_id)


def run(context: AppContext, job_id: int, task: Any = None) -> None:
    """huey's task body (``JobQueue``): run job ``job_id`` once."""
    claimed = _claim(context, job_id)
    if claimed is None:
        log.info("任务 %s 不在排队中（已取消、已完成或已由其他进程运行），跳过", job_id)
        return
    attempt, actor, kind, params = claimed
    with _heartbeat(context, job_id, attempt):
        _run(context, job_id, attempt, actor, kind, task, params)


def _run(context: AppContext, job_id: int, attempt: int, actor: Actor, kind: str, task: Any,
         params: dict[str, Any]) -> None:
    step = Run(context, job_id, attempt, actor, task, params)
    try:
        result = _bodies()[kind](step)
    except Cancelled:
        _end(context, job_id, attempt, "cancelled", "任务已按要求取消；已完成的文件保留")
    except Superseded:
        log.info("任务 %s 已由其他进程接手，本次运行停止", job_id)
    except TaskTimeout:
        limit = context.jobs.policy.time_limit if context.jobs else 0
        _end(context, job_id, attempt, "failed", f"任务超过时限（{limit:g} 秒）而停止；已完成的文件保留")
        raise CancelExecution(retry=False) from None
    except ServiceError as error:  # bad input: refused the same way every time, so not retried
        _end(context, job_id, attempt, "failed", error.message)
        raise CancelExecution(retry=False) from None
    except TRANSIENT as error:
        retries = int(getattr(task, "retries", 0) or 0)
        if retries:
            delay = float(getattr(task, "retry_delay", 0) or 0)
            _end(context, job_id, attempt, "queued",
                 f"暂时性错误（{error.__class__.__name__}），{delay:g} 秒后重试（还可重试 {retries} 次）")
            raise  # huey schedules the retry, each delay longer than the one before
        _end(context, job_id, attempt, "failed", f"多次重试后仍失败（{error.__class__.__name__}）")
        raise CancelExecution(retry=False) from None
    except Exception:
        log.exception("任务 %s 出现内部错误", job_id)
        _end(context, job_id, attempt, "failed", "任务出现内部错误而停止；已完成的文件保留，请联系管理员")
        raise CancelExecution(retry=False) from None
    else:
        _end(context, job_id, attempt, "done", result=result)
