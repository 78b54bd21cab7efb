"""Workflow use cases: move a project's current version through review, with findings and audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.domain import Severity
from jixiao.domain.workflow import Action, OwnSubmission, State, WorkflowError, plan
from jixiao.io.json_format import table_from_dict
from jixiao.profiles import RegionProfile
from jixiao.rules.engine import active_rules, review_table
from jixiao.rules.profile import Profile
from jixiao.services.concurrency import ChangedMeanwhile, changed_meanwhile
from jixiao.services.editing import NO_FINDINGS
from jixiao.services.errors import OwnSubmissionRefused
from jixiao.services.opened import opened_by
from jixiao.services.permissions import Ability, Actor, PermissionDenied, require, require_visible
from jixiao.services.project_history import history_of
from jixiao.services.reopenings import require_open
from jixiao.storage.models import AuditEntry, Project, ReviewRecord, StoredFinding, TableVersion
from jixiao.storage.repository import latest_version, lock_project, submitted_by
from jixiao.storage.search import search_text, worst_severity


@dataclass(frozen=True, slots=True)
class TransitionResult:
    project: str
    action: str
    from_state: str
    to_state: str
    version: int
    errors_overridden: int = 0


class ErrorsFound(WorkflowError):
    """A submission whose automatic review found errors and that gave no reason to submit anyway."""

    def __init__(self, errors: int) -> None:
        super().__init__(f"自动审核发现 {errors} 条错误级问题：请修改后再提交，或填写理由强制提交")
        self.errors = errors

def _latest(session: Session, project: Project) -> TableVersion:
    version = latest_version(session, project.id)
    if version is None:
        raise WorkflowError(f"项目“{project.code}”还没有任何版本的绩效目标表")
    return version


def _store_findings(session: Session, actor: Actor, project: Project, version: TableVersion,
                    profile: Profile) -> int:
    """Review the version with its project's past years (P007–P010), keep its findings and grade, and
    return how many are errors: what is stored is what the project page showed before submitting."""
    table = table_from_dict(version.content)
    past = history_of(session, actor, project, [(row.name, row.unit_of_measure) for row in table.indicators])
    reviewed = review_table(table, profile, active_rules(profile), past=past)
    for finding in reviewed.findings:
        session.add(StoredFinding(version_id=version.id, code=finding.code, category=str(finding.category),
                                  severity=str(finding.severity), title=finding.title, message=finding.message,
                                  location=finding.location.to_dict(), profile=profile.name))
    project.review_grade = reviewed.grade
    project.worst_severity = worst_severity(str(f.severity) for f in reviewed.findings) or NO_FINDINGS
    return reviewed.count(Severity.ERROR)


def _meanwhile(session: Session, actor: Actor, project: Project, action: Action,
               comment: str | None) -> ChangedMeanwhile:
    """The loser's refusal: the project as it is now, and why the step no longer applies (if it does not)."""
    assert actor.role is not None
    version = latest_version(session, project.id)
    try:
        plan(State(project.state), action, actor.role, comment)
        reason = None
    except WorkflowError as error:
        reason = str(error)
    return changed_meanwhile(project.code, project.state, version.number if version else None, action, reason)


def transition(sessions: sessionmaker[Session], actor: Actor, project_code: str, action: Action,
               comment: str | None = None, override_reason: str | None = None,
               profile: Profile | None = None, expected_state: State | None = None,
               region: RegionProfile | None = None, now: datetime | None = None) -> TransitionResult:
    """Take ``action`` on the project's current version, in one transaction, or refuse with a reason.

    Check and write are one step: the state the move was planned from is compared and set in one
    statement (:func:`lock_project`), so of two moves made at once exactly one happens and the
    other gets :class:`ChangedMeanwhile` (409). ``expected_state`` is the state the caller saw (the
    page it clicked on): if the project has moved on since, the step is refused the same way. A first
    submission after the region's deadline (``region``'s calendar, ``now``) is :class:`SubmissionClosed`
    unless the finance bureau reopened it (:mod:`reopenings`).
    """
    if actor.role is None:
        raise PermissionDenied("公众只能查看已批复的绩效目标，不能操作")
    with sessions.begin() as session:
        project = require_visible(session, actor, project_code)
        state = State(project.state)
        if expected_state is not None and state is not expected_state:
            raise _meanwhile(session, actor, project, action, comment)
        try:
            step = plan(state, action, actor.role, comment, actor_id=actor.user_id,
                        submitted_by=submitted_by(session, project.id))
        except OwnSubmission as error:
            raise OwnSubmissionRefused(str(error)) from None
        if not lock_project(session, project, state.value, step.target.value):
            raise _meanwhile(session, actor, project, action, comment)
        version = _latest(session, project)  # read under the lock: what the step really applies to
        overridden = 0
        if action is Action.WITHDRAW:
            who = opened_by(session, project.id)  # under the row lock: a view at the same moment waits or wins
            if who is not None:
                raise WorkflowError(f"{who} 已打开本次提交，不能撤回；如需修改，请联系审核人退回")
        if action is Action.SUBMIT:
            require_open(session, project, "targets", region or profiles.load(), now)
            errors = _store_findings(session, actor, project, version, profile or profiles.load().rules)
            if errors and not (override_reason and override_reason.strip()):
                raise ErrorsFound(errors)
            overridden = errors
        if step.new_version:
            version = TableVersion(project_id=project.id, number=version.number + 1, content=version.content,
                                   content_hash=version.content_hash, total_wan=version.total_wan,
                                   created_by=actor.user_id)
            session.add(version)
            session.flush()
        project.state = step.target.value
        if action is Action.APPROVE:  # what the public sees changes only here
            project.published_version = version.number
            project.published_name = version.content.get("project_name") or project.name
            project.published_search_text = search_text(version.content)
        session.add(ReviewRecord(version_id=version.id, action=action.value, from_state=state.value,
                                 to_state=step.target.value, user_id=actor.user_id, comment=comment,
                                 override_reason=override_reason if overridden else None))
        session.add(AuditEntry(user_id=actor.user_id, action=f"workflow.{action.value}", object_type="project",
                               object_id=project.id, before={"state": state.value, "version": version.number},
                               after={"state": step.target.value, "version": version.number}, note=comment))
        return TransitionResult(project.code, action.value, state.value, step.target.value, version.number,
                                overridden)


def comment(sessions: sessionmaker[Session], actor: Actor, project_code: str, text: str,
            field: str | None = None, indicator: int | None = None) -> dict[str, object]:
    """A reviewer's comment anchored to a header field or an indicator row of the current version."""
    from jixiao.domain.labels import FIELD_LABELS

    require(actor, Ability.COMMENT)
    if not text.strip():
        raise WorkflowError("审核意见不能为空")
    if field is not None and field not in FIELD_LABELS:
        raise WorkflowError(f"没有字段“{field}”（可用：{'、'.join(sorted(FIELD_LABELS))}）")
    with sessions.begin() as session:
        project = require_visible(session, actor, project_code)
        lock_project(session, project)  # the row first: the state and version recorded are current
        version = _latest(session, project)
        rows = len(version.content.get("indicators", []))
        if indicator is not None and not 0 <= indicator < rows:
            raise WorkflowError(f"第{indicator + 1}条指标不存在（本表共 {rows} 条）")
        anchor = {"field": field} if field else {"indicator": indicator} if indicator is not None else None
        record = ReviewRecord(version_id=version.id, action="comment", from_state=project.state,
                              to_state=project.state, user_id=actor.user_id, comment=text.strip(), anchor=anchor)
        session.add(record)
        session.flush()
        session.add(AuditEntry(user_id=actor.user_id, action="review.comment", object_type="project",
                               object_id=project.id, after={"anchor": anchor, "version": version.number}, note=text))
        return {"id": record.id, "version": version.number, "anchor": anchor, "comment": record.comment}
