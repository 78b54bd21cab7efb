"""The submission window (提交期限): after a stage's deadline, handing in needs the finance bureau to reopen it.

A stage is a task of the profile's ``[calendar]`` (targets, monitoring, self-evaluation) for a target year;
its deadline is what :mod:`deadlines` resolves for the project's region (the region's date, else the
deployment's, else the profile's). The date is local: the window closes at the end of that day in the
region's time zone. The window concerns the first hand-in of a task: a table handed in on time and returned
(or adjusted after approval) may be handed in again. After the deadline the finance bureau (or an
administrator) reopens it for a unit or one project until a date, with a reason (:func:`reopen`, audited);
a region whose profile sets ``[workflow] submission_window = false`` keeps deadlines as reminders only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.profiles import RegionProfile
from jixiao.services.deadlines import EDITORS, Due, calendar_for, region_of
from jixiao.services.errors import Conflict, InvalidInput
from jixiao.services.permissions import Actor, PermissionDenied, require_visible
from jixiao.storage.models import (
    AuditEntry,
    MonitoringReport,
    Organization,
    Project,
    Reopening,
    ReviewRecord,
    SelfEvaluation,
    TableVersion,
)

TASK_OFFSETS = {"targets": 0, "monitoring": 1, "selfeval": 2}
TASK_LABELS = {"targets": "绩效目标申报", "monitoring": "运行监控", "selfeval": "绩效自评"}
MAX_REASON = 2000


class SubmissionClosed(Conflict):
    """The stage's deadline has passed and nobody reopened the window for this unit or project."""

    code = "submission_closed"
    summary = "提交期限已过：须由财政部门为本单位或本项目重新开放后才能提交"


class ReopenRefused(InvalidInput):
    """A reopening that cannot be recorded (no reason, a date in the past, no such unit or task …)."""

    code = "reopen_refused"
    summary = "重新开放提交的条件有误（须填写理由、截止日期不早于今天，并指定单位或项目）"


@dataclass(frozen=True, slots=True)
class Window:
    """One project's window for one task: the deadline (``None``: no calendar entry) and any reopening."""

    task: str
    year: int | None
    due: Due | None
    reopened_until: date | None

    def open_on(self, today: date) -> bool:
        if self.due is None or today <= self.due.due:
            return True
        return self.reopened_until is not None and today <= self.reopened_until


def local_today(region: RegionProfile, now: datetime | None = None) -> date:
    """Today in the region's time zone (deadlines are local dates)."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(region.timezone)).date()


def window(session: Session, project: Project, task: str, region: RegionProfile) -> Window:
    """The deadline of ``task`` for the project's target year and region, and the latest reopening of it."""
    year = project.fiscal_year
    if year is None:
        return Window(task, None, None, None)
    entries = calendar_for(session, region_of(session, project.unit_id), year, region.calendar)
    due = next((d for d in entries if d.offset == TASK_OFFSETS[task]), None)
    scope = Reopening.project_id == project.id
    if project.unit_id is not None:
        scope = or_(scope, Reopening.unit_id == project.unit_id)
    until = session.scalar(select(func.max(Reopening.until)).where(
        Reopening.task == task, Reopening.fiscal_year == year, scope))
    return Window(task, year, due, until)


def _handed_in_before(session: Session, project: Project, task: str) -> bool:
    if task == "targets":
        record = select(ReviewRecord.id).where(ReviewRecord.action == "submit")
        return bool(session.scalar(select(exists(record.join(TableVersion, TableVersion.id == ReviewRecord.version_id)
                                                 .where(TableVersion.project_id == project.id)))))
    model: type[SelfEvaluation] | type[MonitoringReport] = SelfEvaluation if task == "selfeval" else MonitoringReport
    return bool(session.scalar(select(exists(select(model.id).join(TableVersion, TableVersion.id == model.version_id)
                                             .where(TableVersion.project_id == project.id)))))


def enforced(region: RegionProfile) -> bool:
    """Whether the region's deadlines close the window (``[workflow] submission_window``)."""
    return region.submission_window


def require_open(session: Session, project: Project, task: str, region: RegionProfile,
                 now: datetime | None = None) -> None:
    """Refuse (:class:`SubmissionClosed`, naming the deadline) a first hand-in after the deadline, unless reopened."""
    if not enforced(region):
        return
    found = window(session, project, task, region)
    today = local_today(region, now)
    if found.open_on(today) or _handed_in_before(session, project, task):
        return
    assert found.due is not None
    late = (f"（重新开放至 {found.reopened_until.isoformat()}，也已过期）" if found.reopened_until else "")
    raise SubmissionClosed(f"{found.year}年度{found.due.label}的提交截止日期为 {found.due.due.isoformat()}，"
                           f"已过期{late}：项目“{project.code}”须由财政部门重新开放后才能提交")


def _parse_until(text: str | date, today: date) -> date:
    try:
        until = text if isinstance(text, date) else date.fromisoformat(str(text).strip())
    except ValueError:
        raise ReopenRefused(f"重新开放的截止日期应为日期（如 {today.isoformat()}），实际为“{str(text)[:40]}”") from None
    if until < today:
        raise ReopenRefused(f"重新开放的截止日期 {until.isoformat()} 早于今天（{today.isoformat()}）")
    if (until - today).days > 366:
        raise ReopenRefused(f"重新开放的截止日期 {until.isoformat()} 离今天超过一年")
    return until


def _unit(session: Session, actor: Actor, code: str) -> Organization:
    unit = session.scalar(select(Organization).where(Organization.code == code.strip(), Organization.kind == "unit"))
    mine = region_of(session, actor.organization_id)
    if unit is None or (actor.organization_id is not None and region_of(session, unit.id) != mine):
        raise ReopenRefused(f"没有单位“{code.strip()[:40]}”，或不在本地区")
    return unit


def reopen(sessions: sessionmaker[Session], actor: Actor, task: str, year: int, until: str | date, reason: str,
           unit_code: str | None = None, project_code: str | None = None, region: RegionProfile | None = None,
           now: datetime | None = None) -> dict[str, Any]:
    """Reopen ``task`` of target ``year`` for one unit or one project until ``until`` (inclusive), with a reason."""
    from jixiao.services import profiles

    if actor.role not in EDITORS:
        raise PermissionDenied("只有财政部门和管理员可以重新开放提交")
    if task not in TASK_OFFSETS:
        raise ReopenRefused(f"没有“{task[:20]}”这项填报（可选：{'、'.join(TASK_LABELS.values())}）")
    if not 1900 <= year <= 2200:
        raise ReopenRefused(f"年度应在 1900 至 2200 之间，实际为 {year}")
    text = (reason or "").strip()
    if not text:
        raise ReopenRefused("重新开放提交必须填写理由")
    if len(text) > MAX_REASON:
        raise ReopenRefused(f"理由长 {len(text)} 个字符，超过上限 {MAX_REASON} 个字符")
    if bool(unit_code and unit_code.strip()) == bool(project_code and project_code.strip()):
        raise ReopenRefused("请指定一个单位或一个项目（二者选一）")
    ends = _parse_until(until, local_today(region or profiles.load(), now))
    with sessions.begin() as session:
        project = require_visible(session, actor, project_code.strip()) if project_code and project_code.strip() \
            else None
        unit = _unit(session, actor, unit_code or "") if project is None else None
        row = Reopening(task=task, fiscal_year=year, unit_id=unit.id if unit else None,
                        project_id=project.id if project else None, until=ends, reason=text,
                        created_by=actor.user_id)
        session.add(row)
        session.flush()
        what = {"project": project.code} if project else {"unit": unit.code if unit else None}
        session.add(AuditEntry(user_id=actor.user_id, action="deadline.reopen",
                               object_type="project" if project else "organization",
                               object_id=project.id if project else unit.id if unit else None,
                               after=what | {"task": task, "fiscal_year": year, "until": ends.isoformat()},
                               note=text))
        return {"id": row.id, "task": task, "task_label": TASK_LABELS[task], "fiscal_year": year,
                "until": ends.isoformat(), "reason": text} | what


def list_reopenings(session: Session, actor: Actor, year: int) -> list[dict[str, Any]]:
    """The reopenings of target ``year`` the actor may see (finance bureau and administrators), newest first."""
    if actor.role not in EDITORS:
        return []
    rows = session.execute(select(Reopening, Organization.code, Organization.name, Project.code, Project.unit_id)
                           .outerjoin(Organization, Organization.id == Reopening.unit_id)
                           .outerjoin(Project, Project.id == Reopening.project_id)
                           .where(Reopening.fiscal_year == year).order_by(Reopening.id.desc()).limit(200))
    mine = region_of(session, actor.organization_id) if actor.organization_id is not None else None
    found = []
    for row, unit_code, unit_name, project_code, project_unit in rows:
        owner = row.unit_id or project_unit
        if mine is not None and (owner is None or region_of(session, owner) != mine):
            continue
        found.append({"id": row.id, "task": row.task, "task_label": TASK_LABELS.get(row.task, row.task),
                      "unit": unit_code, "unit_name": unit_name, "project": project_code,
                      "until": row.until.isoformat(), "reason": row.reason, "at": row.created_at})
    return found
