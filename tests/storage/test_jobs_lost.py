"""A queued job whose message was lost (the queue's storage wiped, a send that never happened) is sent again by
``jobs_recover.resend_lost`` (the worker's start and its periodic check), once, and runs once; on both databases."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select, update

from jixiao.domain.workflow import Role
from jixiao.services import jobs_submit
from jixiao.services.context import AppContext
from jixiao.services.jobs_recover import resend_lost
from jixiao.services.permissions import Actor
from jixiao.storage.models import ImportBatch, Job
from tests.storage.jobs_support import context_for, distinct_files, wait, worker

ADMIN = Actor(None, Role.ADMIN)


def _age(context: AppContext, job_id: int, seconds: float) -> None:
    with context.sessions.begin() as session:
        session.execute(update(Job).where(Job.id == job_id)
                        .values(created_at=context.clock() - timedelta(seconds=seconds)))


def test_a_job_whose_message_was_wiped_is_sent_again_and_runs_once(engine: Engine, tmp_path: Path) -> None:
    context = context_for(engine, tmp_path)
    assert context.jobs is not None
    lost = jobs_submit.submit_import(context, ADMIN, distinct_files(2, first=950_000))
    young = jobs_submit.submit_import(context, ADMIN, distinct_files(1, first=951_000))
    context.jobs.huey.flush()  # the queue's storage wiped: both rows 排队中, no message
    assert context.jobs.ping() == 0
    assert resend_lost(context) == []  # younger than the lease: perhaps only not sent yet
    _age(context, lost.id, context.jobs.policy.lease + 5)
    assert resend_lost(context) == [lost.id]
    assert resend_lost(context) == []  # its message is on the queue now: not sent twice
    assert context.jobs.ping() == 1
    with worker(context):
        seen = wait(context, ADMIN, lost.id)
    assert (seen.state, seen.done, seen.errors) == ("done", 2, 0)
    with context.sessions() as session:
        job = session.get(Job, lost.id)
        assert job is not None and job.attempt == 1
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 2
        still = session.get(Job, young.id)
        assert still is not None and still.state == "queued"


def test_two_messages_for_one_job_run_it_once(engine: Engine, tmp_path: Path) -> None:
    context = context_for(engine, tmp_path)
    assert context.jobs is not None
    submitted = jobs_submit.submit_import(context, ADMIN, distinct_files(2, first=952_000))
    context.jobs.enqueue(submitted.id)  # a resend that raced the original: two messages
    _age(context, submitted.id, context.jobs.policy.lease + 5)
    assert resend_lost(context) == []  # a message carries it
    with worker(context, workers=2):
        seen = wait(context, ADMIN, submitted.id)
        wait(context, ADMIN, submitted.id, until=lambda _v: context.jobs is not None and context.jobs.ping() == 0)
    assert (seen.state, seen.done) == ("done", 2)
    with context.sessions() as session:
        job = session.get(Job, submitted.id)
        assert job is not None and job.attempt == 1  # claimed once: the other message was skipped
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 2


def test_a_cancelled_or_running_job_is_not_sent(engine: Engine, tmp_path: Path) -> None:
    context = context_for(engine, tmp_path)
    assert context.jobs is not None
    cancelled = jobs_submit.submit_import(context, ADMIN, distinct_files(1, first=953_000))
    jobs_submit.cancel(context, ADMIN, cancelled.id)
    context.jobs.huey.flush()
    _age(context, cancelled.id, context.jobs.policy.lease + 5)
    assert resend_lost(context) == []


def test_jixiao_worker_sends_lost_jobs_again_when_it_starts(engine: Engine, tmp_path: Path) -> None:
    import signal

    from tests.storage.test_jobs_kill import _worker

    context = context_for(engine, tmp_path)
    assert context.jobs is not None
    submitted = jobs_submit.submit_import(context, ADMIN, distinct_files(2, first=954_000))
    context.jobs.huey.flush()
    _age(context, submitted.id, 5)  # the worker's lease is 1 s (JIXIAO_JOB_LEASE)
    process = _worker(engine, tmp_path)
    try:
        seen = wait(context, ADMIN, submitted.id, seconds=60)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)
    assert (seen.state, seen.done) == ("done", 2), (tmp_path / "worker.log").read_text()[-2000:]
    assert "重新发送" in (tmp_path / "worker.log").read_text()
