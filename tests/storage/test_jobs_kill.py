"""A worker killed with kill -9 in the middle of an import job (``jixiao worker`` in a subprocess, on SQLite
and on PostgreSQL): no file is half-written, and a worker started after it completes the job, importing
every file exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from jixiao.domain.workflow import Role
from jixiao.services import jobs_submit
from jixiao.services.permissions import Actor
from jixiao.storage.models import ImportBatch, Job, JobFile, Project, TableVersion
from tests.storage.jobs_support import context_for, distinct_files, urls_for, wait

ADMIN = Actor(None, Role.ADMIN)
ROOT = Path(__file__).resolve().parents[2]
FILES = 12


def _worker(engine: Engine, tmp: Path) -> subprocess.Popen[bytes]:
    database, queue = urls_for(engine, tmp)
    env = {**os.environ, "JIXIAO_DATABASE_URL": database, "JIXIAO_JOBS_URL": queue, "JIXIAO_JOB_LEASE": "1",
           "PYTHONPATH": str(ROOT / "src"), "JIXIAO_LOG_FORMAT": "text"}
    return subprocess.Popen([sys.executable, "-m", "jixiao.cli.main", "worker"], env=env, cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=open(tmp / "worker.log", "ab"))


def _whole(engine: Engine) -> tuple[int, int]:
    """(files imported, files with exactly their one version): equal when nothing is half-written."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        batches = session.scalar(select(func.count()).select_from(ImportBatch)) or 0
        whole = session.scalar(select(func.count()).select_from(
            select(ImportBatch.id).join(TableVersion, TableVersion.import_batch_id == ImportBatch.id)
            .group_by(ImportBatch.id).having(func.count() == ImportBatch.tables).subquery())) or 0
        projects = session.scalar(select(func.count()).select_from(Project)) or 0
        assert projects == batches  # one project per file: none without its version, none twice
        return batches, whole


def test_kill_9_mid_import_then_restart_completes(engine: Engine, tmp_path: Path) -> None:
    context = context_for(engine, tmp_path)
    submitted = jobs_submit.submit_import(context, ADMIN, distinct_files(FILES, first=980_000))
    first = _worker(engine, tmp_path)
    try:
        seen = wait(context, ADMIN, submitted.id, until=lambda v: v.done >= 2 or v.finished, seconds=60)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert seen.state == "running" and 2 <= seen.done < FILES, (tmp_path / "worker.log").read_text()
    batches, whole = _whole(engine)
    assert batches == whole  # every file that was imported is imported whole
    with context.sessions() as session:
        killed = session.get(Job, submitted.id)
        assert killed is not None and killed.state == "running"
        done_files = session.scalar(select(func.count()).select_from(JobFile)
                                    .where(JobFile.job_id == submitted.id, JobFile.state == "done"))
    assert done_files is not None and done_files <= batches <= done_files + 1  # at most the file it was on
    time.sleep(1.1)  # the lease (1 s) runs out: the dead worker's job is given back
    second = _worker(engine, tmp_path)
    try:
        seen = wait(context, ADMIN, submitted.id, seconds=90)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(15)
    assert (seen.state, seen.done, seen.total, seen.errors) == ("done", FILES, FILES, 0), \
        (tmp_path / "worker.log").read_text()[-3000:]
    assert _whole(engine) == (FILES, FILES)  # every file once, each whole
    with context.sessions() as session:
        job = session.get(Job, submitted.id)
        assert job is not None and job.attempt == 2 and job.result is not None
