"""整改 lists: by unit and department with overdue items first, the home page's reminders, the finance bureau's
summary by department (open, overdue, done) and its workbook. 逾期 is computed from ``today`` (the region's date,
``AppContext.today``) in the query itself, so the order and the counts agree with each item's label.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from jixiao.domain.rectification import STATE_LABELS, RectState, Source
from jixiao.services.errors import InvalidInput
from jixiao.services.exports import MEDIA_TYPES, Download
from jixiao.services.permissions import Ability, Actor, require
from jixiao.services.rectifications import row, visible_items
from jixiao.storage.models import Organization, Project, Rectification

MAX_ROWS = 500
OVERDUE = "overdue"  # the list's pseudo-state: not done and past its deadline
OPEN = "open"  # not done
STATE_CHOICES = {OPEN: "未完成", OVERDUE: "逾期"} | {state.value: label for state, label in STATE_LABELS.items()}


class RectificationFilterRefused(InvalidInput):
    code = "rectification_filter_refused"
    summary = "整改事项的筛选条件不符合要求"


def _overdue(today: date) -> Any:
    return and_(Rectification.state != RectState.DONE.value, Rectification.deadline < today)


def list_items(session: Session, actor: Actor, today: date, *, state: str | None = None,
               department: str | None = None, unit: str | None = None, source: str | None = None,
               code: str | None = None, limit: int | None = MAX_ROWS, page: int = 1) -> dict[str, Any]:
    """The items ``actor`` sees, filtered; overdue first (the longest overdue first), then by deadline; ``page``
    of ``limit`` at a time (``None``: all, for an export)."""
    if state and state not in STATE_CHOICES:
        raise RectificationFilterRefused(f"“状态”应为 {'、'.join(STATE_CHOICES.values())} 之一")
    if source and source not in {s.value for s in Source}:
        raise RectificationFilterRefused("“问题来源”不在可选范围内")
    owner, parent = aliased(Organization), aliased(Organization)
    query = (visible_items(session, actor).add_columns(Project, owner, parent)
             .join(Project, Project.id == Rectification.project_id)
             .outerjoin(owner, owner.id == Rectification.unit_id).outerjoin(parent, parent.id == owner.parent_id))
    if state == OVERDUE:
        query = query.where(_overdue(today))
    elif state == OPEN:
        query = query.where(Rectification.state != RectState.DONE.value)
    elif state:
        query = query.where(Rectification.state == state)
    if department:
        query = query.where((parent.code == department) | (owner.code == department))
    if unit:
        query = query.where(owner.code == unit)
    if source:
        query = query.where(Rectification.source == source)
    if code:
        query = query.where(Project.code == code)
    total = session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    ordered = query.order_by(case((_overdue(today), 0), else_=1), Rectification.deadline, Rectification.id)
    pages = max(1, -(-total // limit)) if limit else 1
    page = min(max(page, 1), pages)
    if limit:
        ordered = ordered.limit(limit).offset((page - 1) * limit)
    rows = [row(item, project, unit_org, dept, today) for item, project, unit_org, dept in session.execute(ordered)]
    first = (page - 1) * limit + 1 if limit and rows else 1
    return {"items": rows, "total": total, "shown": len(rows), "page": page, "pages": pages,
            "first": first, "last": first + len(rows) - 1}


def filter_options(session: Session, actor: Actor) -> dict[str, Any]:
    """The departments and units of the items ``actor`` sees (the list page's choices)."""
    owner, parent = aliased(Organization), aliased(Organization)
    ids = visible_items(session, actor).with_only_columns(Rectification.unit_id).distinct()
    units = session.execute(select(owner.code, owner.name, parent.code, parent.name).where(owner.id.in_(ids))
                            .outerjoin(parent, parent.id == owner.parent_id).order_by(owner.code)).all()
    departments = sorted({(d_code or u_code, d_name or u_name) for u_code, u_name, d_code, d_name in units})
    return {"units": [{"code": c, "name": n} for c, n, _dc, _dn in units],
            "departments": [{"code": c, "name": n} for c, n in departments],
            "states": STATE_CHOICES}


def reminders(session: Session, actor: Actor, today: date, shown: int = 5) -> dict[str, Any]:
    """The home page's reminder: how many of the actor's items are open and overdue, the first few overdue first."""
    if actor.is_public:
        return {"open": 0, "overdue": 0, "awaiting": 0, "items": []}
    found = list_items(session, actor, today, state=OPEN, limit=shown)
    base = visible_items(session, actor).with_only_columns(func.count())
    overdue = session.scalar(base.where(_overdue(today))) or 0
    awaiting = session.scalar(base.where(Rectification.state == RectState.AWAITING.value)) or 0
    return {"open": found["total"], "overdue": overdue, "awaiting": awaiting, "items": found["items"]}


def summary(session: Session, actor: Actor, today: date) -> dict[str, Any]:
    """The finance bureau's summary: per department (the owning unit's parent), items open, overdue, awaiting
    confirmation and done, with totals; departments with overdue items first."""
    require(actor, Ability.RECTIFY_SUMMARY)
    owner, parent = aliased(Organization), aliased(Organization)
    name = func.coalesce(parent.name, owner.name, "（未归属）")
    done = Rectification.state == RectState.DONE.value
    query = (visible_items(session, actor).with_only_columns(
        name, func.count(), func.sum(case((~done, 1), else_=0)), func.sum(case((_overdue(today), 1), else_=0)),
        func.sum(case((Rectification.state == RectState.AWAITING.value, 1), else_=0)),
        func.sum(case((done, 1), else_=0)))
        .outerjoin(owner, owner.id == Rectification.unit_id).outerjoin(parent, parent.id == owner.parent_id)
        .group_by(name))
    rows = [{"department": dept, "total": int(total), "open": int(open_ or 0), "overdue": int(late or 0),
             "awaiting": int(awaiting or 0), "done": int(finished or 0)}
            for dept, total, open_, late, awaiting, finished in session.execute(query)]
    rows.sort(key=lambda r: (-r["overdue"], -r["open"], r["department"]))
    totals = {key: sum(r[key] for r in rows) for key in ("total", "open", "overdue", "awaiting", "done")}
    return {"today": today.isoformat(), "rows": rows, "totals": totals}


def summary_file(session: Session, actor: Actor, today: date) -> Download:
    """The summary and every item, overdue first, as one workbook (the shared factory's print setup)."""
    from jixiao.reports.rectification_xlsx import write_rectifications

    found = summary(session, actor, today)
    items = list_items(session, actor, today, limit=None)["items"]  # every item: an export drops nothing
    stream = BytesIO()
    write_rectifications(found, items, stream)
    return Download(stream.getvalue(), MEDIA_TYPES["xlsx"], f"整改汇总-{today.isoformat()}")
