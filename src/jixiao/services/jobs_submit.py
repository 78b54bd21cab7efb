"""Putting jobs on the queue and taking them off: submit (a row, its inputs, then the message) and cancel.

The row and its inputs are committed before the message is sent, so a worker always finds what it was sent;
a message that could not be sent marks the job 失败 and the caller is told (503), so nothing waits for ever.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING

from jixiao.services.errors import InvalidInput, ServiceError
from jixiao.services.jobs import FINISHED, JobFinished, JobView, find, get, require_submitter
from jixiao.services.permissions import Ability, Actor, require
from jixiao.storage.models import Job, JobFile

if TYPE_CHECKING:
    from jixiao.services.context import AppContext
    from jixiao.services.job_queue import JobQueue

ARCHIVES = (".zip",)


class JobsUnavailable(ServiceError):
    """This process was built without a job queue (an embedded test app, a tool): nothing can be submitted."""

    code = "jobs_unavailable"
    status = 503
    summary = "后台任务暂不可用：本服务没有配置任务队列"


def _queue(context: AppContext) -> JobQueue:
    if context.jobs is None:
        raise JobsUnavailable("后台任务暂不可用：本服务没有配置任务队列，请联系管理员")
    return context.jobs


def submit_import(context: AppContext, actor: Actor, files: Iterable[tuple[str, bytes]], title: str | None = None
                  ) -> JobView:
    """An import job of ``files`` (name, bytes); a ``.zip`` is opened by the worker, within the file limits."""
    require_submitter(actor)
    require(actor, Ability.IMPORT)
    _queue(context)  # before anything is written: no job row that no queue will ever run
    chosen = [(name, data) for name, data in files]
    if not chosen:
        raise InvalidInput("请选择至少一个文件")
    names = [name for name, _ in chosen]
    label = title or (names[0] if len(names) == 1 else f"{names[0]} 等 {len(names)} 个文件")
    with context.sessions.begin() as session:
        job = Job(kind="import", state="queued", title=f"导入：{label}"[:300], params={}, user_id=actor.user_id,
                  role=actor.role.value if actor.role else None, organization_id=actor.organization_id,
                  total=len(chosen), done=0, errors=0, messages=[], attempt=0, cancel_requested=False)
        session.add(job)
        session.flush()
        for position, (name, data) in enumerate(chosen):
            archive = PurePath(name).suffix.lower() in ARCHIVES
            session.add(JobFile(job_id=job.id, position=position, name=name[:500], data=data,
                                state="archive" if archive else "pending"))
        job_id = job.id
    return _enqueue(context, actor, job_id)


def submit_export(context: AppContext, actor: Actor, output_format: str, year: int | None = None,
                  department: str | None = None) -> JobView:
    """An export job: the official target tables the submitter sees (of ``year``, under ``department``) in a zip."""
    from jixiao.services.jobs_export import check_request, chosen_codes

    require_submitter(actor)
    _queue(context)
    with context.sessions() as session:
        codes = chosen_codes(session, actor, year, department)
    check_request(output_format, len(codes))
    scope = "、".join(str(p) for p in (f"部门 {department}" if department else None,
                                        f"{year} 年度" if year else None) if p) or "全部可见项目"
    with context.sessions.begin() as session:
        job = Job(kind="export", state="queued", title=f"导出绩效目标表（{output_format}）：{scope}"[:300],
                  params={"format": output_format, "year": year, "department": department}, user_id=actor.user_id,
                  role=actor.role.value if actor.role else None, organization_id=actor.organization_id,
                  total=len(codes), done=0, errors=0, messages=[], attempt=0, cancel_requested=False)
        session.add(job)
        session.flush()
        job_id = job.id
    return _enqueue(context, actor, job_id)


def submit_rereview(context: AppContext, actor: Actor, year: int) -> JobView:
    """A re-review job: every project of ``year`` the submitter sees, reviewed again with the current profile."""
    from jixiao.services.jobs_rereview import check_request, project_ids

    require_submitter(actor)
    check_request(actor, year)
    _queue(context)
    with context.sessions() as session:
        count = len(project_ids(session, actor, year))
    if count == 0:
        raise InvalidInput(f"{year} 年度没有可重新审核的项目（在您可见的范围内）")
    with context.sessions.begin() as session:
        job = Job(kind="rereview", state="queued", title=f"重新审核 {year} 年度的项目（{context.profile.name}）"[:300],
                  params={"year": year}, user_id=actor.user_id, role=actor.role.value if actor.role else None,
                  organization_id=actor.organization_id, total=count, done=0, errors=0, messages=[], attempt=0,
                  cancel_requested=False)
        session.add(job)
        session.flush()
        job_id = job.id
    return _enqueue(context, actor, job_id)


def submit_render(context: AppContext, actor: Actor, output_format: str = "pdf", year: int | None = None,
                  department: str | None = None) -> JobView:
    """A report job: the review of the projects the submitter sees (of ``year``, under ``department``), one file."""
    from jixiao.services.jobs_export import chosen_codes
    from jixiao.services.jobs_render import check_request

    require_submitter(actor)
    _queue(context)
    with context.sessions() as session:
        codes = chosen_codes(session, actor, year, department)
    check_request(output_format, len(codes))
    scope = "、".join(str(p) for p in (f"部门 {department}" if department else None,
                                        f"{year} 年度" if year else None) if p) or "全部可见项目"
    with context.sessions.begin() as session:
        job = Job(kind="render", state="queued", title=f"审核报告（{output_format}）：{scope}"[:300],
                  params={"format": output_format, "year": year, "department": department}, user_id=actor.user_id,
                  role=actor.role.value if actor.role else None, organization_id=actor.organization_id,
                  total=len(codes), done=0, errors=0, messages=[], attempt=0, cancel_requested=False)
        session.add(job)
        session.flush()
        job_id = job.id
    return _enqueue(context, actor, job_id)


def _enqueue(context: AppContext, actor: Actor, job_id: int) -> JobView:
    try:
        task_id = _queue(context).enqueue(job_id)
    except Exception as error:  # the queue's storage is away: the job is refused now, not left waiting for ever
        with context.sessions.begin() as session:
            row = session.get(Job, job_id)
            assert row is not None
            row.state, row.finished_at = "failed", context.clock()
            row.messages = ["任务队列暂不可用，任务未能提交；请稍后重新提交"]
        raise JobsUnavailable("后台任务队列暂不可用，任务未能提交；请稍后重试") from error
    with context.sessions.begin() as session:
        row = session.get(Job, job_id)
        assert row is not None
        row.params = {**row.params, "task": task_id}
        return get(session, actor, job_id, context.profile.timezone)


def cancel(context: AppContext, actor: Actor, job_id: int) -> JobView:
    """Cancel: a queued job at once (its message revoked); a running one at its next file (the run checks)."""
    with context.sessions.begin() as session:
        job = find(session, actor, job_id)
        if job.state in FINISHED:
            raise JobFinished(f"任务 {job_id} 已{'完成' if job.state == 'done' else '结束'}，不能取消")
        job.cancel_requested = True
        if job.state == "queued":
            job.state = "cancelled"
            job.finished_at = context.clock()
            task = job.params.get("task")
            if task:
                _queue(context).revoke(str(task))
        return get(session, actor, job_id, context.profile.timezone)


def acting_as(context: AppContext, username: str | None) -> Actor:
    """Who a command's job acts as: the named active user, or (no name) the administrator the CLI is."""
    from sqlalchemy import select

    from jixiao.domain.workflow import Role
    from jixiao.services.accounts import actor_of
    from jixiao.services.errors import NotFound
    from jixiao.storage.models import User

    if username is None:
        return Actor(None, Role.ADMIN)
    with context.sessions() as session:
        user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
        if user is None:
            raise NotFound(f"没有启用的用户“{username}”")
        return actor_of(user)
