"""Deadlines of a region and target year, and the reminders a user's home page shows.

The profile's ``[calendar]`` gives the usual dates; a finance bureau may set its own for its region and a
target year in the web (stored in ``deadline_overrides``, audited), and the profile stays the default.
A date set for the whole deployment (``region`` "": an administrator, or a finance bureau without a
region) applies where the region has set none. Reminders are per task the user owns: a deadline whose
date has passed while some of the user's tables are still not done is shown as 已逾期, not dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role, State
from jixiao.profiles import Deadline
from jixiao.services.errors import InvalidInput
from jixiao.services.permissions import Actor, PermissionDenied, visible_projects
from jixiao.storage.models import (
    AuditEntry,
    DeadlineOverride,
    MonitoringReport,
    Organization,
    Project,
    SelfEvaluation,
    TableVersion,
)

TASKS = {0: "targets", 1: "monitoring", 2: "selfeval"}  # the calendar's year offset says which task it is
EDITORS = (Role.FINANCE_REVIEWER, Role.ADMIN)
MAX_UPCOMING = 5


class DeadlineRefused(InvalidInput):
    """A deadline that cannot be set (not a date, too far from its target year, or no such entry)."""

    code = "deadline_refused"
    summary = "截止日期不正确（应为目标年度前后几年内的日期，如 2024-03-31）"


@dataclass(frozen=True, slots=True)
class Due:
    """One entry of a region's calendar for one target year."""

    label: str  # the profile's name of the entry ("绩效自评")
    offset: int  # 0: targets (the year before), 1: monitoring (the year), 2: self-evaluation (the year after)
    default: date  # the profile's date
    due: date  # what applies: the region's date, else the deployment's, else the default
    set_here: date | None  # the date this region (or the deployment, for "") has stored


def region_of(session: Session, organization_id: int | None) -> str:
    """The code of the finance bureau an organisation is under ("" when none: the whole deployment)."""
    seen: set[int] = set()
    current = session.get(Organization, organization_id) if organization_id else None
    found = ""
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if current.kind == "finance":
            found = current.code
        current = current.parent
    return found


def _default(year: int, entry: Deadline) -> date:
    _label, offset, month, day = entry
    try:
        return date(year - 1 + offset, month, day)
    except ValueError:  # 02-30 in a profile: the month's last day
        return date(year - 1 + offset, month, 28)


def calendar_for(session: Session, region: str, year: int, calendar: tuple[Deadline, ...]) -> list[Due]:
    """The calendar of ``region`` for target ``year``: each profile entry with the date that applies."""
    stored: dict[tuple[str, str], date] = {
        (row.region, row.label): row.due for row in session.scalars(select(DeadlineOverride).where(
            DeadlineOverride.fiscal_year == year, DeadlineOverride.region.in_({region, ""})))}
    found = []
    for entry in calendar:
        label, offset = entry[0], entry[1]
        here = stored.get((region, label))
        default = _default(year, entry)
        found.append(Due(label, offset, default, here or stored.get(("", label)) or default, here))
    return found


def _parse(label: str, text: str, year: int) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise DeadlineRefused(f"“{label}”的截止日期应为日期（如 {year}-03-31），实际为“{text[:40]}”") from None
    if not year - 2 <= value.year <= year + 3:
        raise DeadlineRefused(f"“{label}”的截止日期 {value.isoformat()} 离{year}年度太远"
                              f"（应在 {year - 2} 至 {year + 3} 年之间）")
    return value


def set_deadlines(sessions: sessionmaker[Session], actor: Actor, year: int, dates: Mapping[str, str],
                  calendar: tuple[Deadline, ...]) -> list[str]:
    """Store the dates of ``year`` for the actor's region (an empty date: back to the default); each change is
    audited. Returns the labels that changed. All or nothing: one bad date refuses the whole form."""
    if actor.role not in EDITORS:
        raise PermissionDenied("只有财政部门和管理员可以修改截止日期")
    if not 1900 <= year <= 2200:
        raise DeadlineRefused(f"年度应在 1900 至 2200 之间，实际为 {year}")
    labels = {entry[0] for entry in calendar}
    unknown = sorted(set(dates) - labels)
    if unknown:
        raise DeadlineRefused(f"没有截止日期“{unknown[0]}”（可用：{'、'.join(e[0] for e in calendar)}）")
    wanted = {label: _parse(label, text, year) for label, text in dates.items()}
    for attempt in range(2):  # a second editor inserting the same row at once: the rerun updates it
        try:
            with sessions.begin() as session:
                return _store(session, actor, year, wanted, calendar)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _store(session: Session, actor: Actor, year: int, wanted: Mapping[str, date | None],
           calendar: tuple[Deadline, ...]) -> list[str]:
    region = region_of(session, actor.organization_id) if actor.role is Role.FINANCE_REVIEWER else ""
    rows = {row.label: row for row in session.scalars(select(DeadlineOverride).where(
        DeadlineOverride.region == region, DeadlineOverride.fiscal_year == year).with_for_update())}
    defaults = {entry[0]: _default(year, entry) for entry in calendar}
    region_id = session.scalar(select(Organization.id).where(Organization.code == region)) if region else None
    changed = []
    for label, value in wanted.items():
        row = rows.get(label)
        old = row.due if row is not None else None
        if value == defaults[label] and row is None:
            value = None  # the default typed again: nothing to store
        if old == value:
            continue
        if value is None:
            assert row is not None
            session.delete(row)
        elif row is None:
            session.add(DeadlineOverride(region=region, fiscal_year=year, label=label, due=value,
                                         updated_by=actor.user_id))
        else:
            row.due, row.updated_by = value, actor.user_id
        session.flush()
        session.add(AuditEntry(user_id=actor.user_id, action="deadline.set", object_type="deadline",
                               object_id=region_id,  # the region's finance bureau: its audit log shows it
                               before={"due": old.isoformat() if old else None},
                               after={"due": value.isoformat() if value else None, "region": region,
                                      "fiscal_year": year, "label": label,
                                      "default": defaults[label].isoformat()}))
        changed.append(label)
    return changed


def _pending(session: Session, actor: Actor, year: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """How many of the actor's tables of ``year`` still owe the task, and the first few of them."""
    query = visible_projects(session, actor).where(Project.fiscal_year == year)
    if offset == 0:  # targets: handed in once it left the draft (or was ever approved)
        query = query.where(Project.state == State.DRAFT.value, Project.published_version.is_(None))
    else:  # monitoring and self-evaluation are of approved tables
        record = MonitoringReport if offset == 1 else SelfEvaluation
        query = query.where(Project.published_version.is_not(None), ~exists(
            select(record.id).join(TableVersion, TableVersion.id == record.version_id)
            .where(TableVersion.project_id == Project.id)))
    total = session.scalar(query.with_only_columns(func.count())) or 0
    first = session.execute(query.with_only_columns(Project.code, Project.name).order_by(Project.code).limit(3))
    return total, [{"code": code, "name": name} for code, name in first]


def reminders(session: Session, actor: Actor, today: date, calendar: tuple[Deadline, ...]) -> list[dict[str, Any]]:
    """The next deadlines of what the actor owns, overdue ones first (已逾期 while tables still owe the task),
    then the upcoming ones by date; each with how many of the actor's tables still owe it."""
    if actor.role is None:
        return []
    per_year = (visible_projects(session, actor).with_only_columns(Project.fiscal_year, func.count())
                .where(Project.fiscal_year.is_not(None)).group_by(Project.fiscal_year)
                .order_by(Project.fiscal_year.desc()).limit(20))
    owned = {int(year): int(count) for year, count in session.execute(per_year) if year is not None}
    # the years the user has tables of; a unit also sees the 目标申报 of the years being drafted now (it must
    # file targets before it has any table of that year). Other tasks of a year without tables do not apply.
    drafting = {today.year + 1, today.year + 2} if actor.role is Role.UNIT_EDITOR else set()
    years = sorted(set(owned) | drafting)
    region = region_of(session, actor.organization_id)
    overdue, upcoming = [], []
    for year in years:
        for due in calendar_for(session, region, year, calendar):
            if year not in owned and TASKS.get(due.offset) != "targets":
                continue
            count, first = _pending(session, actor, year, due.offset) if year in owned else (0, [])
            days = (due.due - today).days
            item = {"label": f"{year}年度{due.label}", "date": due.due.isoformat(), "days": days, "pending": count,
                    "projects": first, "overdue": days < 0 and count > 0, "changed": due.due != due.default,
                    "task": TASKS.get(due.offset, "other"), "tables": owned.get(year, 0)}
            if days >= 0:
                upcoming.append(item)
            elif count:
                overdue.append(item)
    overdue.sort(key=lambda d: str(d["date"]))
    upcoming.sort(key=lambda d: str(d["date"]))
    return overdue + upcoming[:MAX_UPCOMING]  # every overdue task stays until it is done


def deadline_page(session: Session, actor: Actor, year: int, calendar: tuple[Deadline, ...],
                  today: date) -> dict[str, Any]:
    """What the deadline page shows: the actor's region, the years to choose from, the entries of ``year``."""
    if actor.role is None:
        raise PermissionDenied("请先登录")
    region = region_of(session, actor.organization_id)
    editing = region if actor.role is Role.FINANCE_REVIEWER else ""
    name = session.scalar(select(Organization.name).where(Organization.code == region)) if region else None
    years = {y for y in session.scalars(visible_projects(session, actor).with_only_columns(Project.fiscal_year)
                                        .distinct().limit(20)) if y} | {today.year, today.year + 1, year}
    return {"year": year, "years": sorted(years, reverse=True), "region": region, "region_name": name,
            "can_edit": actor.role in EDITORS, "scope": (name or region) if editing else "全部地区（默认）",
            "entries": calendar_for(session, editing if actor.role in EDITORS else region, year, calendar)}
