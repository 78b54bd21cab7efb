"""Batch work (批量处理): one workflow step on many tables, each taken exactly as if done one by one.

A reviewer with forty tables to forward, or a unit with a dozen to submit, ticks them in the list
and acts once. Each table goes through :func:`jixiao.services.workflow.transition` on its own — the
same permission check, state machine, automatic review on submit and audit entry, in its own
transaction — so one refusal (wrong state, not visible, errors found on submit, changed meanwhile)
stops that table only, and the caller gets a result per table: 成功 with the new state, or 失败 with
the Chinese reason the single step would have given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import ACTION_LABELS, STATE_LABELS, TRANSITIONS, Action, Role, State, WorkflowError
from jixiao.profiles import RegionProfile
from jixiao.rules.profile import Profile
from jixiao.services.errors import InvalidInput, ServiceError, as_service_error
from jixiao.services.permissions import Actor, PermissionDenied, visible_projects
from jixiao.services.workflow import ErrorsFound, transition
from jixiao.storage.models import Project

# 调整 is left out: it opens a new version per table, each with its own reason.
BATCH_ACTIONS: tuple[Action, ...] = (Action.SUBMIT, Action.START_REVIEW, Action.FORWARD, Action.RETURN,
                                     Action.APPROVE)
MAX_BATCH = 200  # four list pages; each table is its own transaction


class BatchRefused(InvalidInput):
    """The batch as a whole cannot be run (no table chosen, too many, an action not offered in batches,
    退回 without its comment); nothing was done to any table."""

    code = "batch_refused"
    summary = "批量操作无法执行（未选择表、数量超限、该操作不能批量进行或缺少退回意见），未处理任何表"


@dataclass(frozen=True, slots=True)
class BatchItem:
    project: str
    ok: bool
    message: str  # Chinese: what happened, or why not
    name: str | None = None  # the project's name, when the caller may see it
    to_state: str | None = None
    version: int | None = None
    error_code: str | None = None  # the single step's error code when refused
    status: int = 200  # the single step's HTTP status (its refusal's when refused)


@dataclass(frozen=True, slots=True)
class BatchResult:
    action: str
    items: tuple[BatchItem, ...]

    @property
    def done(self) -> int:
        return sum(item.ok for item in self.items)

    @property
    def refused(self) -> int:
        return len(self.items) - self.done

    @property
    def status(self) -> int:
        """200 when any table was done; when none was, the refusals' status if they share one (a batch of one
        answers as the single step would), else 409."""
        if self.done or not self.items:
            return 200
        statuses = {item.status for item in self.items}
        return statuses.pop() if len(statuses) == 1 else 409

    def to_dict(self) -> dict[str, Any]:
        """The result as the API answers it and the list page shows it: a line per table."""
        return {"action": self.action, "done": self.done, "refused": self.refused,
                "results": [{"project": item.project, "name": item.name, "ok": item.ok,
                             "result": "成功" if item.ok else "失败", "message": item.message,
                             "to_state": item.to_state, "version": item.version, "error_code": item.error_code}
                            for item in self.items]}


def batch_actions(role: Role | None) -> list[Action]:
    """The batch actions ``role`` may take at all (the list offers only these)."""
    if role is None:
        return []
    return [a for a in BATCH_ACTIONS if role is Role.ADMIN or role in TRANSITIONS[a].roles]


def _codes(codes: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for code in codes:
        if code.strip():
            seen.setdefault(code.strip())
    return list(seen)


def batch_transition(sessions: sessionmaker[Session], actor: Actor, codes: list[str], action: Action,
                     comment: str | None = None, profile: Profile | None = None,
                     region: RegionProfile | None = None, now: datetime | None = None) -> BatchResult:
    """Take ``action`` on each of ``codes`` (in the order given, each once), one transaction per table."""
    if actor.role is None:
        raise PermissionDenied("公众只能查看已批复的绩效目标，不能操作")
    chosen = _codes(codes)
    verb = ACTION_LABELS[action]
    if action not in BATCH_ACTIONS:
        offered = "、".join(ACTION_LABELS[a] for a in BATCH_ACTIONS)
        raise BatchRefused(f"“{verb}”不能批量进行（可批量：{offered}），请在各表页面逐张操作")
    if not chosen:
        raise BatchRefused(f"请先勾选要{verb}的表")
    if len(chosen) > MAX_BATCH:
        raise BatchRefused(f"一次最多批量处理 {MAX_BATCH} 张表，本次选择了 {len(chosen)} 张")
    comment = (comment or "").strip() or None
    if TRANSITIONS[action].needs_comment and comment is None:
        raise BatchRefused(f"批量{verb}必须填写意见（同一意见记入每张表）")
    with sessions() as session:  # names for the results, of the tables the caller may see only
        found = session.scalars(visible_projects(session, actor).where(Project.code.in_(chosen)))
        names = {project.code: project.name for project in found}
    items = []
    for code in chosen:
        try:
            done = transition(sessions, actor, code, action, comment, profile=profile, region=region, now=now)
        except (WorkflowError, ServiceError) as error:
            refused = as_service_error(error)
            assert refused is not None
            message = refused.message
            if isinstance(error, ErrorsFound):  # the batch form has no reason field: say where to give one
                message = (f"自动审核发现 {error.errors} 条错误级问题：请修改后再提交；"
                           "确需带着问题提交的，请打开该表，填写理由后强制提交")
            items.append(BatchItem(code, False, message, names.get(code), error_code=refused.code,
                                   status=refused.status))
            continue
        state_label = STATE_LABELS[State(done.to_state)]
        items.append(BatchItem(code, True, f"已{verb}：现为“{state_label}”（第{done.version}版）", names.get(code),
                               done.to_state, done.version))
    return BatchResult(action.value, tuple(items))
