"""Background jobs as users see them: submit, list, get, cancel, download (the queue runs them: jobs_run).

A user sees only the jobs they submitted; a finance bureau reviewer also sees those of their region (every
organisation under theirs, or all when they have none); an administrator sees all. Another user's job is
"not found" (404), never told apart from a job that does not exist. Times are the region's (``local_time``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao.domain.workflow import Role
from jixiao.services.errors import Conflict, NotFound
from jixiao.services.local_time import local_iso
from jixiao.services.permissions import Actor, PermissionDenied, _subtree
from jixiao.storage.models import Job, User

STATE_LABELS = {"queued": "排队中", "running": "运行中", "done": "已完成", "failed": "失败", "cancelled": "已取消"}
KIND_LABELS = {"import": "导入文件", "export": "导出", "render": "审核报告", "rereview": "重新审核"}
FINISHED = frozenset({"done", "failed", "cancelled"})
MAX_MESSAGES = 50  # kept on the job one by one (a file's full diagnostics stay in its import batch)


class JobNotFound(NotFound):
    """No such job, or one the caller may not see (the two are not told apart)."""

    code = "job_not_found"
    summary = "没有这个任务，或无权查看（两者不作区分）"


class JobFinished(Conflict):
    """The job has already ended: it can no longer be cancelled."""

    code = "job_finished"
    summary = "任务已结束，不能取消"


class NoResult(NotFound):
    """The job has no result file (not finished, or it makes none)."""

    code = "job_no_result"
    summary = "任务没有可下载的结果文件"


@dataclass(frozen=True, slots=True)
class JobView:
    """A job as a page or the API shows it (Chinese labels, times in the region's zone)."""

    id: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    title: str
    submitted_by: str | None
    total: int
    done: int
    errors: int
    messages: list[str]
    cancel_requested: bool
    result_name: str | None
    created_at: str | None
    started_at: str | None
    finished_at: str | None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def unit(self) -> str:
        """What ``done``/``total`` count, in words: files for an import, projects for an export."""
        return "个文件" if self.kind == "import" else "个项目"

    @property
    def percent(self) -> int:
        return 100 if self.state == "done" else (self.done * 100 // self.total if self.total else 0)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__} | {"finished": self.finished,
                                                                           "percent": self.percent}


def view(job: Job, zone: str, submitted_by: str | None = None) -> JobView:
    return JobView(job.id, job.kind, KIND_LABELS.get(job.kind, job.kind), job.state,
                   STATE_LABELS.get(job.state, job.state), job.title, submitted_by, job.total, job.done, job.errors,
                   [str(m) for m in job.messages], job.cancel_requested, job.result_name,
                   local_iso(job.created_at, zone), local_iso(job.started_at, zone), local_iso(job.finished_at, zone))


def _visible(session: Session, actor: Actor) -> Any:
    query = select(Job)
    if actor.is_public:
        return query.where(Job.id.is_(None))
    if actor.role is Role.ADMIN or (actor.role is Role.FINANCE_REVIEWER and actor.organization_id is None):
        return query
    mine = Job.user_id == actor.user_id if actor.user_id is not None else Job.id.is_(None)
    if actor.role is Role.FINANCE_REVIEWER and actor.organization_id is not None:
        return query.where(mine | Job.organization_id.in_(_subtree(session, actor.organization_id)))
    return query.where(mine)


def find(session: Session, actor: Actor, job_id: int) -> Job:
    job: Job | None = session.scalar(_visible(session, actor).where(Job.id == job_id))
    if job is None:
        raise JobNotFound(f"没有任务 {job_id}，或无权查看")
    return job


def _name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return "命令行"
    user = session.get(User, user_id)
    return user.display_name if user else None


def get(session: Session, actor: Actor, job_id: int, zone: str) -> JobView:
    job = find(session, actor, job_id)
    return view(job, zone, _name(session, job.user_id))


def list_jobs(session: Session, actor: Actor, zone: str, limit: int = 50, offset: int = 0) -> tuple[int, list[JobView]]:
    """The newest jobs the caller may see, and how many there are."""
    query = _visible(session, actor)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    jobs = session.scalars(query.order_by(Job.id.desc()).limit(limit).offset(offset)).all()
    names = {uid: _name(session, uid) for uid in {j.user_id for j in jobs}}
    return total, [view(job, zone, names[job.user_id]) for job in jobs]


def result_file(session: Session, actor: Actor, job_id: int) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of the job's result; :class:`NoResult` while it has none."""
    job = find(session, actor, job_id)
    if job.result is None or job.result_name is None:
        raise NoResult(f"任务 {job_id} 没有可下载的结果文件" + ("（尚未完成）" if job.state not in FINISHED else ""))
    return job.result_name, job.result_type or "application/octet-stream", job.result


def counts_by_state(session: Session) -> dict[str, int]:
    """Jobs per state (``/metrics``)."""
    rows = session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    return dict.fromkeys(STATE_LABELS, 0) | {str(state): int(n) for state, n in rows}


def require_submitter(actor: Actor) -> None:
    if actor.is_public:
        raise PermissionDenied("提交任务需要登录")
