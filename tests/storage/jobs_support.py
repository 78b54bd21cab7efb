"""What the job tests share: a queue on the test's own backend, a worker in a thread, distinct files to import."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from jixiao.services import jobs
from jixiao.services.context import AppContext
from jixiao.services.job_queue import JobQueue, Policy
from jixiao.services.jobs import JobView
from jixiao.services.jobs_worker import bind
from jixiao.services.permissions import Actor
from jixiao.services.tables import read_tables
from jixiao.storage.db import session_factory
from tests.storage.conftest import PG_URL
from tests.test_cli import SEED


def queue_for(engine: Engine, tmp: Path, policy: Policy) -> JobQueue:
    """SqliteHuey in a file of the test's own, or PostgresHuey in the test's own PostgreSQL schema."""
    if engine.dialect.name == "sqlite":
        return JobQueue.open(f"sqlite:///{tmp / 'jobs.sqlite3'}", policy)
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    return JobQueue.open(PG_URL, policy, options=f"-csearch_path={schema}")


def urls_for(engine: Engine, tmp: Path) -> tuple[str, str]:
    """The database and queue addresses a command or worker process of the test is given (``JIXIAO_DATABASE_URL``,
    ``JIXIAO_JOBS_URL``): the same database and queue as :func:`queue_for`."""
    if engine.dialect.name == "sqlite":
        return str(engine.url), f"sqlite:///{tmp / 'jobs.sqlite3'}"
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    return url, url


def context_for(engine: Engine, tmp: Path, policy: Policy | None = None) -> AppContext:
    context = AppContext(session_factory(engine), jobs=queue_for(engine, tmp, policy or Policy(retry_delay=0.1)))
    bind(context)
    return context


@contextmanager
def worker(context: AppContext, workers: int = 1) -> Iterator[Any]:
    """huey's consumer in threads of this process (no signal handlers: those belong to a main thread)."""
    assert context.jobs is not None
    consumer = context.jobs.consumer(workers)
    consumer._set_signal_handlers = lambda: None
    thread = threading.Thread(target=consumer.start, daemon=True)
    thread.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        thread.join(10)


def wait(context: AppContext, actor: Actor, job_id: int, until: Any = None, seconds: float = 60) -> JobView:
    """Poll the job (as a page does) until it has finished or ``until(view)`` holds; a bound, not a timing."""
    deadline = time.monotonic() + seconds
    while True:
        with context.sessions() as session:
            seen = jobs.get(session, actor, job_id, "Asia/Shanghai")
        if (until(seen) if until else seen.finished) or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)


def distinct_files(count: int, first: int = 900_000) -> list[tuple[str, bytes]]:
    """``count`` files of one target table each, every one a project of its own (JSON format v1)."""
    from jixiao.io.json_format import table_to_dict

    base = table_to_dict(read_tables([SEED])[0], with_source=False)
    files = []
    for number in range(count):
        document = dict(base, project_code=f"50011522T{first + number:012d}",
                        project_name=f"测试项目{number}")
        files.append((f"项目{number:04d}.json", json.dumps(document, ensure_ascii=False).encode("utf-8")))
    return files
