"""Correction requests (更正申请) of an approved self-evaluation, whose actuals are locked.

The unit files a request naming one figure — an indicator's 实际完成值 (``actual``), its 定性得分 (``points``) or
偏差原因 (``reason``), or an amount of the budget block (``executed`` …) or the 实际完成情况 (``achieved``) — with
the value on record, the new value and why. A reviewer other than the requester approves it (the figures are
re-scored with the same arithmetic as a submission and kept as a new, approved self-evaluation) or refuses it
with a comment. Each step is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import OwnSubmission, refuse_own
from jixiao.services.bounded import capped
from jixiao.services.errors import Conflict, InvalidInput, NotFound, OwnSubmissionRefused
from jixiao.services.permissions import Ability, Actor, PermissionDenied, require, require_visible
from jixiao.services.selfeval_review import latest_of, record_of
from jixiao.services.submissions import MONEY_LABELS, SPLITS, _refuse_errors, _self_evaluation
from jixiao.storage.models import AuditEntry, Project, SelfEvalCorrection, SelfEvaluation
from jixiao.storage.repository import lock_project

ROW_FIELDS = {"actual": "实际完成值", "points": "定性得分", "reason": "偏差原因"}
BUDGET_FIELDS = {key: MONEY_LABELS[key] for key in ("initial", "adjusted", "executed", *SPLITS)}
OTHER_FIELDS = {"achieved": "实际完成情况"}
STATE_LABELS = {"pending": "待审批", "approved": "已批准并更正", "refused": "已驳回"}
MAX_TEXT = 2000


class CorrectionRefused(InvalidInput):
    """A correction request that cannot be filed (no approved self-evaluation, no such field, no reason …)."""

    code = "correction_refused"
    summary = "更正申请有误（须针对已审核通过的自评，指明字段、新值和理由）"


class CorrectionNotFound(NotFound):
    code = "correction_not_found"
    summary = "没有这个更正申请，或无权查看"


class CorrectionDecided(Conflict):
    """The request was already approved or refused."""

    code = "correction_decided"
    summary = "这个更正申请已经处理过"


def _label(indicator: str | None, field: str) -> str:
    if indicator is not None:
        return f"“{indicator}”的{ROW_FIELDS.get(field, field)}"
    return BUDGET_FIELDS.get(field) or OTHER_FIELDS.get(field) or field


def _old_value(reported: dict[str, Any], indicator: str | None, field: str) -> str | None:
    if indicator is None:
        value = reported.get("achieved") if field == "achieved" else (reported.get("budget") or {}).get(field)
    else:
        row: dict[str, Any] = next((r for r in reported.get("actuals") or []
                                    if str(r.get("indicator") or "") == indicator), {})
        value = row.get(field)
    return None if value is None or value == "" else str(value)


def _text(value: str | None, label: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise CorrectionRefused(f"更正申请必须填写{label}")
    if len(text) > MAX_TEXT:
        raise CorrectionRefused(f"{label}长 {len(text)} 个字符，超过上限 {MAX_TEXT} 个字符")
    return text


def request_correction(sessions: sessionmaker[Session], actor: Actor, code: str, record_id: int,
                       field: str, new_value: str, reason: str, indicator: str | None = None) -> dict[str, Any]:
    """File a request to change one figure of the approved self-evaluation ``record_id``."""
    require(actor, Ability.REPORT)
    indicator = (indicator or "").strip() or None
    if indicator is not None and field not in ROW_FIELDS:
        raise CorrectionRefused(f"指标行可更正的是{'、'.join(ROW_FIELDS.values())}，没有“{field[:20]}”")
    if indicator is None and field not in BUDGET_FIELDS and field not in OTHER_FIELDS:
        choices = "、".join([*BUDGET_FIELDS.values(), *OTHER_FIELDS.values()])
        raise CorrectionRefused(f"没有可更正的“{field[:20]}”（可更正：{choices}，或指明一条指标）")
    new = _text(new_value, "新值")
    why = _text(reason, "更正理由")
    with sessions.begin() as session:
        project = require_visible(session, actor, code)
        lock_project(session, project)
        record = record_of(session, project, record_id)
        if record.state != "approved" or latest_of(session, project) is not record:
            raise CorrectionRefused(f"第{record.id}号自评不是项目当前已审核通过的自评：未审核的自评可直接重新填报")
        if indicator is not None:
            names = {str(i.get("name") or "") for i in record.result.get("indicators") or []} | {
                str(r.get("indicator") or "") for r in record.reported.get("actuals") or []}
            if indicator not in names:
                raise CorrectionRefused(f"这份自评没有指标“{indicator[:60]}”")
        old = _old_value(record.reported, indicator, field)
        if old == new:
            raise CorrectionRefused(f"{_label(indicator, field)}的新值与原值相同（{old}）")
        row = SelfEvalCorrection(self_evaluation_id=record.id, project_id=project.id, indicator=indicator,
                                 field=field, old_value=old, new_value=new, reason=why, requested_by=actor.user_id)
        session.add(row)
        session.flush()
        session.add(AuditEntry(user_id=actor.user_id, action="selfeval.correction.request",
                               object_type="selfeval_correction", object_id=row.id,
                               after={"project": project.code, "self_evaluation": record.id, "indicator": indicator,
                                      "field": field, "old": old, "new": new}, note=why))
        return _show(row, project)


def _corrected(reported: dict[str, Any], row: SelfEvalCorrection) -> dict[str, Any]:
    actuals: list[dict[str, Any]] = [dict(r) for r in reported.get("actuals") or []]
    budget: dict[str, Any] = dict(reported.get("budget") or {})
    achieved = reported.get("achieved")
    if row.indicator is None and row.field == "achieved":
        achieved = row.new_value
    elif row.indicator is None:
        budget[row.field] = row.new_value
    else:
        target = next((r for r in actuals if str(r.get("indicator") or "") == row.indicator), None)
        if target is None:
            target = {"indicator": row.indicator}
            actuals.append(target)
        target[row.field] = row.new_value
    return {"actuals": actuals, "budget": budget, "achieved": achieved}


def decide(sessions: sessionmaker[Session], actor: Actor, correction_id: int, approve: bool,
           comment: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Approve (re-score with the new value, kept as a new approved self-evaluation) or refuse (a comment
    required) a request, by a reviewer who did not file it."""
    require(actor, Ability.REVIEW_SELFEVAL)
    verb = "批准" if approve else "驳回"
    text = (comment or "").strip() or None
    with sessions.begin() as session:
        row = session.get(SelfEvalCorrection, correction_id)
        project = session.get(Project, row.project_id) if row is not None else None
        if row is None or project is None:
            raise CorrectionNotFound(f"没有第{correction_id}号更正申请，或无权查看")
        require_visible(session, actor, project.code)
        lock_project(session, project)
        session.refresh(row)
        try:
            refuse_own(verb, "更正申请", actor.user_id, row.requested_by)
        except OwnSubmission as error:
            raise OwnSubmissionRefused(str(error)) from None
        if row.state != "pending":
            raise CorrectionDecided(f"第{row.id}号更正申请{STATE_LABELS.get(row.state, row.state)}，不能再处理")
        if not approve and text is None:
            raise CorrectionRefused("驳回更正申请必须填写意见")
        record = session.get(SelfEvaluation, row.self_evaluation_id)
        assert record is not None
        if latest_of(session, project) is not record:
            raise CorrectionDecided(f"第{record.id}号自评已被更正过：请单位按最新的自评重新申请")
        after: dict[str, Any] = {"project": project.code, "indicator": row.indicator, "field": row.field,
                                 "old": row.old_value, "new": row.new_value}
        if approve:
            reported = _corrected(record.reported, row)
            done = _self_evaluation(session, actor, project.code, reported["actuals"], reported["budget"],
                                    record.profile, lock=False, achieved=reported["achieved"], correcting=True)
            _refuse_errors(done.problems)  # a new value that cannot be scored: nothing is saved
            scored = done.outcome
            applied = SelfEvaluation(version_id=done.version.id, submitted_by=row.requested_by,
                                     reported=reported | {"correction": row.id}, result=done.result,
                                     total=scored.total, grade=scored.grade, profile=done.profile, state="approved",
                                     reviewed_by=actor.user_id, reviewed_at=now or datetime.now(UTC),
                                     review_comment=text)
            session.add(applied)
            session.flush()
            row.applied_id = applied.id
            after |= {"total_before": str(record.total), "total": str(scored.total), "grade_before": record.grade,
                      "grade": scored.grade, "self_evaluation": applied.id,
                      "diagnostics": [d.to_dict() for d in capped(done.problems)]}
        row.state = "approved" if approve else "refused"
        row.decided_by, row.decided_at, row.decision_comment = actor.user_id, now or datetime.now(UTC), text
        step = "approve" if approve else "refuse"
        session.add(AuditEntry(user_id=actor.user_id, action=f"selfeval.correction.{step}",
                               object_type="selfeval_correction", object_id=row.id,
                               before={"state": "pending"}, after=after, note=text))
        return _show(row, project) | ({"total": str(after["total"]), "grade": after["grade"]} if approve else {})


def _show(row: SelfEvalCorrection, project: Project) -> dict[str, Any]:
    return {"id": row.id, "project": project.code, "self_evaluation": row.self_evaluation_id,
            "indicator": row.indicator, "field": row.field, "field_label": _label(row.indicator, row.field),
            "old_value": row.old_value, "new_value": row.new_value, "reason": row.reason, "state": row.state,
            "state_label": STATE_LABELS[row.state], "comment": row.decision_comment, "applied": row.applied_id}


def list_corrections(session: Session, actor: Actor, code: str) -> list[dict[str, Any]]:
    """The project's correction requests, newest first (not public)."""
    if actor.is_public:
        raise PermissionDenied("自评和更正申请不公开")
    project = require_visible(session, actor, code)
    rows = session.scalars(select(SelfEvalCorrection).where(SelfEvalCorrection.project_id == project.id)
                           .order_by(SelfEvalCorrection.id.desc()).limit(100))
    return [_show(row, project) for row in rows]
