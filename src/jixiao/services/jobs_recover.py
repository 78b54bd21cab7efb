"""Give back the jobs of dead workers: huey removes a message when a worker takes it, so a worker killed
mid-job (kill -9, a lost machine) would leave its job 运行中 for ever. A running job writes a heartbeat every
third of the lease (``jobs_run``); one whose heartbeat is older than the lease is set back to 排队中 (compare and
set: of two workers looking at once, one gives it back) and sent again. Its next run skips the files done.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

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
