"""The job queue: huey, on SQLite beside the database (embedded) or on the same PostgreSQL (production).

The queue carries a job's id only; what the job is, how far it got and its result are our own rows
(``storage.models.Job``, :mod:`jixiao.services.jobs`). huey gives the rest: messages that survive a restart
(both storages are tables), a worker that runs as its own process (``jixiao worker``), retries with an
exponentially growing delay (``retry_delay`` × ``retry_backoff``), a deadline per task (``timeout``, checked
between files with ``task.check_timeout()``: every file is itself bounded by ``io/limits.py``), and revoking a
queued task. What huey does not do — give a message back when its worker dies mid-task — is
:mod:`jixiao.services.jobs_recover` (a heartbeat lease on our row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from huey import Huey

QUEUE_NAME = "jixiao"
TASK_NAME = "jixiao.job"


@dataclass(frozen=True, slots=True)
class Policy:
    """How a job is retried and bounded (``JIXIAO_JOB_*`` settings)."""

    retries: int = 3  # after a transient error (the database went away); bad input is never retried
    retry_delay: float = 5.0  # seconds before the first retry; each next one waits ``retry_backoff`` times longer
    retry_backoff: float = 2.0
    time_limit: float = 3600.0  # seconds one run of a job may take
    lease: float = 180.0  # a running job whose heartbeat is older is taken over (its worker died)


def queue_url(database: str, explicit: str | None = None) -> str:
    """Where the queue lives: ``explicit`` (``JIXIAO_JOBS_URL``), else beside the database — the SQLite file's
    ``.jobs.sqlite3`` sibling, or the PostgreSQL database itself (huey's tables next to ours)."""
    if explicit:
        return explicit
    if database.startswith("sqlite"):
        path = database.split(":///", 1)[1] if ":///" in database else ""
        if not path or path == ":memory:":
            return "memory://"
        db = Path(path)
        return f"sqlite:///{db.with_name(db.stem + '.jobs.sqlite3')}"
    return database


def _huey(url: str, **options: Any) -> Huey:
    from huey import PostgresHuey, SqliteHuey  # when first used: huey imports psycopg (start-up is benchmarked)

    if url.startswith("memory://"):
        from huey import MemoryHuey

        return MemoryHuey(QUEUE_NAME, **options)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=path, **options)
    if url.startswith("postgresql"):
        parts = urlsplit(url)
        dsn = parts._replace(scheme="postgresql").geturl()  # psycopg's own spelling, without '+psycopg'
        return PostgresHuey(QUEUE_NAME, dsn=dsn, table_prefix="jixiao_jobs", **options)
    raise ValueError(f"不支持的任务队列地址“{url.split(':', 1)[0]}”：可用 sqlite:/// 或 postgresql://")


@dataclass(slots=True)
class JobQueue:
    """One huey instance and its one task (run a job by id), built once per process in the composition root
    (huey itself on first use, so a command that sends no job does not import it)."""

    url: str
    policy: Policy = field(default_factory=Policy)
    storage: dict[str, Any] = field(default_factory=dict)
    _huey: Huey | None = None
    _runner: Callable[..., Any] | None = None
    _handler: Callable[[int, Any], None] | None = None  # what runs a job (set by the worker: jobs_worker.bind)

    @classmethod
    def open(cls, url: str, policy: Policy | None = None, **storage: Any) -> JobQueue:
        return cls(url, policy or Policy(), storage)

    @property
    def huey(self) -> Huey:
        if self._huey is None:
            self._huey = _huey(self.url, **self.storage)
            self._register(self._huey)
        return self._huey

    def _register(self, huey: Huey) -> None:
        policy = self.policy

        def run_job(job_id: int, task: Any = None) -> None:
            if self._handler is None:  # only a worker binds a handler; a web process never runs jobs
                raise RuntimeError("job queue not bound (jixiao worker binds it)")
            self._handler(job_id, task)

        self._runner = huey.task(name=TASK_NAME, retries=policy.retries, retry_delay=policy.retry_delay,
                                      retry_backoff=policy.retry_backoff, timeout=policy.time_limit,
                                      context=True)(run_job)

    def bind(self, handler: Callable[[int, Any], None]) -> None:
        """What runs a job by id in this process (the worker's: ``jobs_run.run`` with its own context)."""
        self._handler = handler

    def enqueue(self, job_id: int) -> str:
        """Put the job on the queue; the returned id lets a queued job be revoked."""
        self.huey  # noqa: B018 (registers the task)
        assert self._runner is not None
        result = self._runner(job_id)
        return str(result.id)

    def revoke(self, task_id: str) -> None:
        self.huey.revoke_by_id(task_id)

    def ping(self) -> int:
        """How many messages wait (a query on the queue's storage: ``/readyz`` calls it)."""
        return int(self.huey.pending_count())

    def consumer(self, workers: int = 1) -> Any:
        """huey's consumer with ``workers`` threads (a job's files are read in bounded child processes)."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=False,
                                         initial_delay=0.1, max_delay=1.0, check_worker_health=True)

    def close(self) -> None:
        if self._huey is not None:
            self._huey.storage.close()
