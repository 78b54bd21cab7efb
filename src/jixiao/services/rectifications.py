"""整改 (issue 18, item 2): findings made into items a unit must put right, the unit's response, the confirmation.

A reviewer (主管部门, 财政部门, administrator) makes an item from a finding of a project it may see
(``rectification_sources``: the finding is read again from its reference), with what must change and a
deadline; the owner is the project's unit. The unit starts it, responds with evidence files (bounded like
imports, ``rectification_files``); a reviewer confirms or returns it. Each move is planned by the pure
machine (``domain.rectification``), compared and set on the row (of two moves at once one happens), and
audited. Tenancy is the projects': a unit sees its own items only. 逾期 is derived from the deadline and the
region's ``today``. Lists and summaries are in ``rectification_lists``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.rectification import (
    ACTION_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    RectAction,
    RectificationError,
    RectState,
    Source,
    available,
    days_overdue,
    is_overdue,
    plan,
    status_label,
)
from jixiao.domain.workflow import Role
from jixiao.profiles import RegionProfile
from jixiao.services.errors import Conflict, InvalidInput, NotFound
from jixiao.services.permissions import (
    Ability,
    Actor,
    PermissionDenied,
    may,
    require,
    require_visible,
    visible_projects,
)
from jixiao.services.rectification_files import Evidence, checked_files
from jixiao.services.rectification_sources import candidates, resolve
from jixiao.storage.models import AuditEntry, Organization, Project, Rectification, RectificationFile, User, now

MAX_TEXT = 4000  # characters of a requirement, a response, a reason


class RectificationNotFound(NotFound):
    code = "rectification_not_found"
    summary = "没有这个整改事项，或无权查看（两者不作区分）"


class RectificationRefused(InvalidInput):
    code = "rectification_refused"
    summary = "整改事项的内容不符合要求（如未写整改要求、期限不是日期）"


class RectificationMoveRefused(Conflict):
    code = "rectification_move_refused"
    summary = "整改事项当前的状态或您的角色不允许这一步（如未提交就确认、退回未写理由）"


class RectificationExists(Conflict):
    code = "rectification_exists"
    summary = "这条问题已有未完成的整改事项"


def visible_items(session: Session, actor: Actor) -> Select[Rectification]:
    """The items ``actor`` may see: those of the projects it sees; a unit only its own unit's."""
    if actor.is_public:
        raise PermissionDenied("请先登录后查看整改事项")
    projects = visible_projects(session, actor).with_only_columns(Project.id)
    query = select(Rectification).where(Rectification.project_id.in_(projects))
    if actor.role is Role.UNIT_EDITOR:
        query = query.where(Rectification.unit_id == actor.organization_id)
    return query


def _get(session: Session, actor: Actor, item_id: int) -> Rectification:
    item = session.scalar(visible_items(session, actor).where(Rectification.id == item_id))
    if item is None:
        raise RectificationNotFound(f"没有整改事项 {item_id}，或无权查看")
    return item


def findings(session: Session, actor: Actor, code: str, profile: RegionProfile | None = None) -> list[dict[str, Any]]:
    """The findings of project ``code`` an item can be made from, each with its open item if there is one."""
    require(actor, Ability.RECTIFY_ASSIGN)
    project = require_visible(session, actor, code)
    found = candidates(session, project, profile)
    open_items = list(session.scalars(select(Rectification).where(Rectification.project_id == project.id,
                                                                  Rectification.state != RectState.DONE.value)))
    for item in found:
        item["open_item"] = next((kept.id for kept in open_items if kept.source == item["source"]
                                  and kept.source_ref == item["ref"]), None)
    return found


def _text(value: str | None, field: str, label: str, problems: list[dict[str, str]]) -> str:
    text = (value or "").strip()
    if not text:
        problems.append({"field": field, "message": f"“{label}”必填"})
    elif len(text) > MAX_TEXT:
        problems.append({"field": field, "message": f"“{label}”最多 {MAX_TEXT} 字，实际 {len(text)} 字"})
    return text


def _deadline(value: str | date | None, today: date, problems: list[dict[str, str]]) -> date | None:
    if isinstance(value, date):
        chosen: date | None = value
    else:
        try:
            chosen = date.fromisoformat(str(value or "").strip())
        except ValueError:
            problems.append({"field": "deadline", "message": f"“整改期限”应为日期，如 2026-12-31，实际为“{value}”"})
            return None
    if chosen is not None and chosen < today:
        problems.append({"field": "deadline", "message": f"“整改期限”不能早于今天（{today.isoformat()}）"})
    return chosen


def create(sessions: sessionmaker[Session], actor: Actor, code: str, source: str, ref: dict[str, Any],
           requirement: str, deadline: str | date, today: date, finding: str = "",
           profile: RegionProfile | None = None) -> int:
    """Make an item from the finding ``(source, ref)`` of project ``code``; its id. Audited."""
    require(actor, Ability.RECTIFY_ASSIGN)
    problems: list[dict[str, str]] = []
    if source not in {s.value for s in Source}:
        problems.append({"field": "source", "message": f"“问题来源”应为 {'、'.join(s.value for s in Source)} 之一"})
    wanted = _text(requirement, "requirement", "整改要求", problems)
    due = _deadline(deadline, today, problems)
    written = _text(finding, "finding", "问题", problems) if source == Source.OTHER.value else ""
    if problems or due is None:
        raise RectificationRefused("；".join(p["message"] for p in problems), problems)
    with sessions.begin() as session:
        project = require_visible(session, actor, code)
        text, kept_ref = (written, {}) if source == Source.OTHER.value else resolve(session, project, source, ref,
                                                                                   profile)
        open_items = session.scalars(select(Rectification.source_ref).where(
            Rectification.project_id == project.id, Rectification.source == source,
            Rectification.state != RectState.DONE.value))
        if source != Source.OTHER.value and kept_ref in list(open_items):
            raise RectificationExists(f"项目“{code}”的这条问题已有未完成的整改事项")
        item = Rectification(project_id=project.id, unit_id=project.unit_id, source=source, source_ref=kept_ref,
                             finding=text, requirement=wanted, deadline=due, state=RectState.PENDING.value,
                             rounds=0, created_by=actor.user_id)
        session.add(item)
        session.flush()
        session.add(AuditEntry(user_id=actor.user_id, action="rectification.create", object_type="rectification",
                               object_id=item.id, after={"project": code, "source": source,
                                                         "deadline": due.isoformat(), "state": item.state},
                               note=wanted))
        return item.id


def move(sessions: sessionmaker[Session], actor: Actor, item_id: int, action: str | RectAction, text: str = "",
         files: Sequence[tuple[str, bytes]] = ()) -> dict[str, Any]:
    """Take a step on an item (start, respond with files, confirm, return); the item's new state. Audited."""
    step = RectAction(action)
    if step is RectAction.RESPOND:
        evidence = checked_files(files)
    elif files:
        raise RectificationRefused("只有提交整改情况时可以附佐证材料")
    else:
        evidence = []
    said = (text or "").strip()
    if len(said) > MAX_TEXT:
        raise RectificationRefused(f"说明最多 {MAX_TEXT} 字，实际 {len(said)} 字",
                                   [{"field": "text", "message": f"说明最多 {MAX_TEXT} 字"}])
    with sessions.begin() as session:
        item = _get(session, actor, item_id)
        before = RectState(item.state)
        try:
            target = plan(before, step, actor.role, said)
        except RectificationError as refused:
            raise RectificationMoveRefused(str(refused)) from None
        values: dict[str, Any] = {"state": target.value, "updated_at": now()}
        if step is RectAction.RESPOND:
            values |= {"response": said, "rounds": item.rounds + 1}
        elif step is RectAction.RETURN:
            values["return_reason"] = said
        elif step is RectAction.CONFIRM:
            values |= {"confirmed_by": actor.user_id, "confirmed_at": values["updated_at"]}
        done = session.execute(update(Rectification).where(Rectification.id == item.id,
                                                           Rectification.state == before.value).values(**values))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise RectificationMoveRefused("整改事项刚刚已被他人处理，本次操作未执行；请刷新后再操作")
        _store(session, item.id, values.get("rounds", item.rounds), evidence, actor)
        session.add(AuditEntry(user_id=actor.user_id, action=f"rectification.{step.value}",
                               object_type="rectification", object_id=item.id, before={"state": before.value},
                               after={"state": target.value, "files": [e.name for e in evidence]},
                               note=said or None))
        return {"id": item.id, "state": target.value, "state_label": STATE_LABELS[target],
                "action_label": ACTION_LABELS[step]}


def set_deadline(sessions: sessionmaker[Session], actor: Actor, item_id: int, deadline: str | date, reason: str,
                 today: date) -> dict[str, Any]:
    """A reviewer moves the deadline of an open item (延期 or 提前), with a required reason; audited. An overdue item
    given a later deadline is no longer overdue: 逾期 is derived from the deadline."""
    require(actor, Ability.RECTIFY_ASSIGN)
    problems: list[dict[str, str]] = []
    due = _deadline(deadline, today, problems)
    said = _text(reason, "reason", "调整期限的理由", problems)
    if problems or due is None:
        raise RectificationRefused("；".join(p["message"] for p in problems), problems)
    with sessions.begin() as session:
        item = _get(session, actor, item_id)
        if item.state == RectState.DONE.value:
            raise RectificationMoveRefused("整改事项已完成，不能再调整整改期限")
        before = item.deadline
        done = session.execute(update(Rectification)
                               .where(Rectification.id == item.id, Rectification.deadline == before,
                                      Rectification.state != RectState.DONE.value)
                               .values(deadline=due, updated_at=now()))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise RectificationMoveRefused("整改事项刚刚已被他人处理，本次操作未执行；请刷新后再操作")
        session.add(AuditEntry(user_id=actor.user_id, action="rectification.deadline", object_type="rectification",
                               object_id=item.id, before={"deadline": before.isoformat()},
                               after={"deadline": due.isoformat()}, note=said))
        return {"id": item.id, "deadline": due.isoformat()}


def _store(session: Session, item_id: int, round_: int, evidence: list[Evidence], actor: Actor) -> None:
    for each in evidence:
        session.add(RectificationFile(rectification_id=item_id, round=round_, name=each.name, size=len(each.data),
                                      sha256=each.sha256, data=each.data, uploaded_by=actor.user_id))


def row(item: Rectification, project: Project, unit: Organization | None, department: Organization | None,
        today: date) -> dict[str, Any]:
    """An item as lists, pages and the API show it."""
    state = RectState(item.state)
    source = Source(item.source)
    return {"id": item.id, "code": project.code, "name": project.name, "unit": unit.name if unit else None,
            "department": department.name if department else (unit.name if unit else None),
            "source": source.value, "source_label": SOURCE_LABELS[source], "finding": item.finding,
            "requirement": item.requirement, "deadline": item.deadline.isoformat(), "state": state.value,
            "state_label": STATE_LABELS[state], "status_label": status_label(state, item.deadline, today),
            "overdue": is_overdue(state, item.deadline, today),
            "days_overdue": days_overdue(state, item.deadline, today), "rounds": item.rounds,
            "response": item.response, "return_reason": item.return_reason}


def detail(session: Session, actor: Actor, item_id: int, today: date) -> dict[str, Any]:
    """One item with its evidence files, its history (from the audit log) and the steps ``actor`` may take."""
    item = _get(session, actor, item_id)
    project = session.get(Project, item.project_id)
    assert project is not None
    unit = session.get(Organization, item.unit_id) if item.unit_id else None
    department = session.get(Organization, unit.parent_id) if unit and unit.parent_id else None
    found = row(item, project, unit, department, today)
    files = session.execute(select(RectificationFile.id, RectificationFile.name, RectificationFile.size,
                                   RectificationFile.round, RectificationFile.at)
                            .where(RectificationFile.rectification_id == item.id).order_by(RectificationFile.id))
    found["files"] = [{"id": fid, "name": name, "size": size, "round": round_, "at": at}
                      for fid, name, size, round_, at in files]
    entries = session.execute(select(AuditEntry, User.display_name).outerjoin(User, User.id == AuditEntry.user_id)
                              .where(AuditEntry.object_type == "rectification", AuditEntry.object_id == item.id)
                              .order_by(AuditEntry.id))
    found["history"] = [{"at": entry.at, "who": who or "系统", "action": entry.action,
                         "label": _history_label(entry.action) + _moved(entry), "note": entry.note,
                         "files": (entry.after or {}).get("files", [])} for entry, who in entries]
    found["actions"] = [a.value for a in available(RectState(item.state), actor.role)]
    found["may_set_deadline"] = may(actor, Ability.RECTIFY_ASSIGN) and item.state != RectState.DONE.value
    return found


def _moved(entry: AuditEntry) -> str:
    if entry.action != "rectification.deadline":
        return ""
    return f"（{(entry.before or {}).get('deadline')} → {(entry.after or {}).get('deadline')}）"


def _history_label(action: str) -> str:
    name = action.removeprefix("rectification.")
    if name == "create":
        return "生成整改事项"
    if name == "deadline":
        return "调整整改期限"
    return ACTION_LABELS[RectAction(name)] if name in {a.value for a in RectAction} else name


def evidence_file(session: Session, actor: Actor, item_id: int, file_id: int) -> tuple[str, bytes]:
    """An evidence file of a visible item: its name and bytes (404 for another item's file)."""
    item = _get(session, actor, item_id)
    found = session.scalar(select(RectificationFile).where(RectificationFile.id == file_id,
                                                           RectificationFile.rectification_id == item.id))
    if found is None:
        raise RectificationNotFound(f"整改事项 {item_id} 没有这个佐证材料")
    return found.name, found.data
