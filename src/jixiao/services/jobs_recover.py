"""Give back the jobs of dead workers: huey removes a message when a worker takes it, so a worker killed
mid-job (kill -9, a lost machine) would leave its job 运行中 for ever. A running job writes a heartbeat every
third of the lease (``jobs_run``); one whose heartbeat is older than the lease is set back to 排队中 (compare and
set: of two workers looking at once, one gives it back) and sent again. Its next run skips the files done.

A queued job can lose its message too (the queue's storage wiped or restored from an older copy, a process killed
between the row's commit and the send): a job 排队中 for longer than the lease whose id no message on the queue
carries (waiting or scheduled for a retry) is sent again (:func:`resend_lost`). Sending twice is harmless: a run
claims the row by compare and set (``jobs_run._claim``), so the other message finds it taken and is skipped.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update

from jixiao.services.jobs_run import IN_FLIGHT
from jixiao.storage.models import Job

if TYPE_CHECKING:
    from jixiao.services.context import AppContext

log = logging.getLogger(__name__)


def recover(context: AppContext) -> list[int]:
    """Send again every running job whose heartbeat is older than the lease; the ids sent."""
    assert context.jobs is not None
    cutoff = context.clock() - timedelta(seconds=context.jobs.policy.lease)
    sent: list[int] = []
    with context.sessions() as session:
        stale = session.scalars(select(Job.id).where(Job.state == "running", Job.heartbeat_at < cutoff)).all()
    for job_id in stale:
        if job_id in IN_FLIGHT:  # this process runs it (its heartbeat is only late)
            continue
        with context.sessions.begin() as session:
            changed = session.execute(update(Job).where(Job.id == job_id, Job.state == "running",
                                                        Job.heartbeat_at < cutoff)
                                      .values(state="queued", heartbeat_at=context.clock()))
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                continue
        context.jobs.enqueue(job_id)
        log.warning("任务 %s 的工作进程已失去联系，任务重新排队", job_id)
        sent.append(job_id)
    return sent


def _on_queue(context: AppContext) -> set[int]:
    """The job ids the queue's messages carry (waiting, or scheduled for a retry)."""
    assert context.jobs is not None
    huey = context.jobs.huey
    ids: set[int] = set()
    for task in (*huey.pending(), *huey.scheduled()):
        if task.args:
            ids.add(int(task.args[0]))
    return ids


def resend_lost(context: AppContext) -> list[int]:
    """Send again every job queued for longer than the lease that no message on the queue carries; the ids sent."""
    assert context.jobs is not None
    cutoff = context.clock() - timedelta(seconds=context.jobs.policy.lease)
    since = func.coalesce(Job.heartbeat_at, Job.created_at)
    with context.sessions() as session:
        waiting = session.execute(select(Job.id, since).where(Job.state == "queued", Job.cancel_requested.is_(False),
                                                               since < cutoff)).all()
    if not waiting:
        return []
    carried = _on_queue(context)
    sent: list[int] = []
    for job_id, _seen in waiting:
        if job_id in carried or job_id in IN_FLIGHT:
            continue
        with context.sessions.begin() as session:  # compare and set: of two workers, one sends it
            changed = session.execute(update(Job).where(Job.id == job_id, Job.state == "queued", since < cutoff)
                                      .values(heartbeat_at=context.clock()))
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                continue
        task_id = context.jobs.enqueue(job_id)
        with context.sessions.begin() as session:
            row = session.get(Job, job_id)
            if row is not None:
                row.params = {**row.params, "task": task_id}  # cancel revokes the message that is on the queue
        log.warning("任务 %s 排队中但队列中没有它的消息，已重新发送", job_id)
        sent.append(job_id)
    return sent
