"""What a signed-in user sees first (my work, counts, recent activity) and the region overview.

Everything is computed over the projects the actor may see (:func:`visible_projects`), so a unit's
home page never counts another unit's tables.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from jixiao.domain.workflow import STATE_LABELS, Role, State
from jixiao.profiles import DEFAULT_CALENDAR, Deadline
from jixiao.services.audit_text import AUDIT_LABELS, sentence
from jixiao.services.deadlines import reminders
from jixiao.services.live_findings import live_counts
from jixiao.services.permissions import Actor, visible_projects
from jixiao.services.queries import project_summary, version_contents
from jixiao.services.rectification_lists import reminders as rectification_reminders
from jixiao.services.returns import person, returned
from jixiao.storage.models import (
    AuditEntry,
    Organization,
    Project,
    SelfEvaluation,
    TableVersion,
    User,
)

# What each role has to do, as (label, states) pairs; the first non-empty list is "my work".
WORK: dict[Role, tuple[tuple[str, tuple[State, ...]], ...]] = {
    Role.UNIT_EDITOR: (("待填报或修改", (State.DRAFT,)),),
    Role.DEPARTMENT_REVIEWER: (("待主管部门审核", (State.SUBMITTED, State.DEPARTMENT_REVIEW)),),
    Role.FINANCE_REVIEWER: (("待财政部门审核", (State.FINANCE_REVIEW,)),),
    Role.ADMIN: (("待主管部门审核", (State.SUBMITTED, State.DEPARTMENT_REVIEW)),
                 ("待财政部门审核", (State.FINANCE_REVIEW,))),
}


def counts_by_state(session: Session, actor: Actor) -> dict[str, int]:
    query = visible_projects(session, actor).with_only_columns(Project.state, func.count()).group_by(Project.state)
    found = dict(session.execute(query).all())
    return {state.value: found.get(state.value, 0) for state in State}


def work_count(session: Session, actor: Actor) -> int:
    """How many tables wait on this user: every state of its "my work" lists, in one count."""
    if actor.role is None:
        return 0
    states = {s.value for _label, group in WORK[actor.role] for s in group}
    query = visible_projects(session, actor).where(Project.state.in_(sorted(states)))
    return session.scalar(query.with_only_columns(func.count())) or 0


def my_work(session: Session, actor: Actor, limit: int = 20) -> list[dict[str, Any]]:
    """Lists of projects waiting for this user, each with its count; returned tables flagged."""
    if actor.role is None:
        return []
    lists = []
    for label, states in WORK[actor.role]:
        query = visible_projects(session, actor).where(Project.state.in_([s.value for s in states]))
        total = session.scalar(query.with_only_columns(func.count())) or 0
        # the (state, year, code) index serves this order, so a rare state is found without a scan
        projects = list(session.scalars(query.order_by(Project.state, Project.fiscal_year, Project.code).limit(limit)))
        back = returned(session, projects)
        items = []
        for project in projects:
            found = back.get(project.id)
            items.append(project_summary(project) | {"returned": found is not None,
                                                     "return_comment": found["comment"] if found else None,
                                                     "returned_by": found["by"] if found else None})
        items.sort(key=lambda item: not item["returned"])  # returned tables first: they wait on this user
        lists.append({"label": label, "total": total, "items": items,
                      "returned": sum(1 for item in items if item["returned"]), "states": [s.value for s in states]})
    return lists


def deadlines(years: list[int], today: date,
              calendar: tuple[Deadline, ...] = DEFAULT_CALENDAR) -> list[dict[str, Any]]:
    """Upcoming dates of the years in view (target year y: targets due in y−1, monitoring in y, self-eval y+1),
    from the profile's ``[calendar]``."""
    found = []
    for year in sorted(set(years)):
        for label, offset, month, day in calendar:
            due = date(year - 1 + offset, month, day)
            if due >= today:
                found.append({"label": f"{year}年度{label}", "date": due.isoformat(), "days": (due - today).days})
    return sorted(found, key=lambda d: str(d["date"]))[:5]


def recent_activity(session: Session, actor: Actor, limit: int = 10) -> list[dict[str, Any]]:
    visible = visible_projects(session, actor).with_only_columns(Project.id)
    rows = session.execute(
        select(AuditEntry, Project.code, Project.name, User.display_name, User.role)
        .join(Project, Project.id == AuditEntry.object_id).outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.object_type == "project", AuditEntry.object_id.in_(visible))
        .order_by(AuditEntry.id.desc()).limit(limit))
    contents = version_contents(session)
    return [{"at": entry.at, "action": AUDIT_LABELS.get(entry.action, entry.action), "code": code, "name": name,
             "who": who or "系统", "note": entry.note,
             "text": sentence(entry.action, person(who, role), entry.before, entry.after, entry.note,
                              partial(contents, entry.object_id))}
            for entry, code, name, who, role in rows]


def home(session: Session, actor: Actor, today: date,
         calendar: tuple[Deadline, ...] = DEFAULT_CALENDAR) -> dict[str, Any]:
    counts = counts_by_state(session, actor)
    return {"counts": counts, "total": sum(counts.values()),
            "state_labels": {s.value: STATE_LABELS[s] for s in State}, "work": my_work(session, actor),
            "deadlines": reminders(session, actor, today, calendar), "activity": recent_activity(session, actor),
            "rectifications": rectification_reminders(session, actor, today)}


def overview(session: Session, actor: Actor) -> dict[str, Any]:
    """Figures for the region overview charts, over the projects the actor may see."""
    visible = visible_projects(session, actor).with_only_columns(Project.id)
    unit, department = aliased(Organization), aliased(Organization)
    by_department: dict[str, Counter[str]] = {}
    owner = func.coalesce(department.name, unit.name, "（未归属）")
    for name, state, count in session.execute(
            select(owner, Project.state, func.count())
            .select_from(Project).outerjoin(unit, unit.id == Project.unit_id)
            .outerjoin(department, department.id == unit.parent_id)
            .where(Project.id.in_(visible)).group_by(owner, Project.state)):
        by_department.setdefault(name, Counter())[state] += count
    live = live_counts(session, visible)  # what the project pages and the 问题级别 filter show, not past submissions
    review_grades = dict(session.execute(
        select(Project.review_grade, func.count()).where(Project.id.in_(visible), Project.review_grade.is_not(None))
        .group_by(Project.review_grade)).all())
    totals = list(session.scalars(select(SelfEvaluation.total).join(TableVersion)
                                  .where(TableVersion.project_id.in_(visible))))
    bands = [(Decimal(90), "90–100"), (Decimal(80), "80–90"), (Decimal(70), "70–80"), (Decimal(60), "60–70"),
             (Decimal(0), "60 以下")]
    distribution = Counter(next(label for low, label in bands if total >= low) for total in totals)
    selfeval_grades = dict(session.execute(
        select(SelfEvaluation.grade, func.count()).join(TableVersion)
        .where(TableVersion.project_id.in_(visible)).group_by(SelfEvaluation.grade)).all())
    return {"states": [{"value": s.value, "label": STATE_LABELS[s]} for s in State],
            "by_department": {name: dict(counter) for name, counter in sorted(by_department.items())},
            "finding_categories": dict(live.categories.most_common()),
            "finding_severities": dict(live.severities), "finding_tables": live.tables,
            "incomplete_tables": live.incomplete,
            "review_grades": {g: review_grades.get(g, 0) for g in ("优", "良", "中", "差")},
            "score_bands": {label: distribution.get(label, 0) for _low, label in reversed(bands)},
            "selfeval_grades": {g: selfeval_grades.get(g, 0) for g in ("优", "良", "中", "差")},
            "selfevals": len(totals)}
