"""``jixiao worker``: huey's consumer for this deployment's queue, plus the lease check of jobs_recover."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from jixiao.services.jobs_recover import recover, resend_lost
from jixiao.services.jobs_run import run

if TYPE_CHECKING:
    from jixiao.services.context import AppContext

log = logging.getLogger(__name__)


def _watch(context: AppContext, stop: threading.Event) -> None:
    assert context.jobs is not None
    every = max(0.2, min(context.jobs.policy.lease / 3, 30.0))
    while not stop.wait(every):
        try:
            recover(context)
            resend_lost(context)
        except Exception:  # the database away for a moment: look again next time
            log.warning("检查失联任务时出错", exc_info=True)


def bind(context: AppContext) -> None:
    """Let this process run the queue's jobs with ``context`` (its engine, profile and clock)."""
    if context.jobs is None:
        raise RuntimeError("no job queue in this context")
    context.jobs.bind(lambda job_id, task: run(context, job_id, task))


def run_worker(context: AppContext, workers: int = 1) -> None:
    """Run jobs until SIGINT/SIGTERM (huey's consumer handles the signals; a running job stops at once)."""
    bind(context)
    assert context.jobs is not None
    recover(context)
    resend_lost(context)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(context, stop), name="jobs-lease", daemon=True)
    watcher.start()
    try:
        context.jobs.consumer(workers).run()
    finally:
        stop.set()
