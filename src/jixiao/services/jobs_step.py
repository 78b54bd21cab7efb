"""What a job's body is handed (:class:`Run`) and how it stops early (cancelled, taken over)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jixiao.services.jobs import MAX_MESSAGES
from jixiao.services.permissions import Actor
from jixiao.storage.models import Job

if TYPE_CHECKING:
    from jixiao.services.context import AppContext


class Cancelled(Exception):
    """The user asked to cancel: the run stops between two files."""


class Superseded(Exception):
    """Another run has the job now (this one was thought dead): stop without writing anything more."""


@dataclass(slots=True)
class Run:
    """What a job's body is handed: the context, who it acts as, and the checks and writes of progress."""

    context: AppContext
    job_id: int
    attempt: int
    actor: Actor
    task: Any = None  # huey's task (its deadline)
    job_params: dict[str, Any] = field(default_factory=dict)  # what the submitter chose (format, year …)

    def checkpoint(self) -> None:
        """Between two files: stop if cancelled, taken over or out of time."""
        if self.task is not None:
            self.task.check_timeout()
        with self.context.sessions() as session:
            job = session.get(Job, self.job_id)
            if job is None or job.attempt != self.attempt:
                raise Superseded
            if job.cancel_requested:
                raise Cancelled

    def done_so_far(self, session: Any) -> int:
        """How far earlier runs of this job got (a body that works in order resumes there)."""
        job = session.get(Job, self.job_id)
        return int(job.done) if job is not None else 0

    def record(self, session: Any, done: int = 0, errors: int = 0, messages: list[str] | None = None,
               total: int | None = None, params: dict[str, Any] | None = None) -> None:
        """Progress, inside the caller's transaction (with the file's own write, so the two commit together)."""
        job = session.get(Job, self.job_id, with_for_update=True)
        if job is None or job.attempt != self.attempt:
            raise Superseded
        job.done += done
        job.errors += errors
        if total is not None:
            job.total = total
        if params:
            job.params = {**job.params, **params}
        if messages and len(job.messages) < MAX_MESSAGES:
            job.messages = [*job.messages, *messages][:MAX_MESSAGES]
        job.heartbeat_at = self.context.clock()
