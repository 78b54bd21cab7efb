"""Rectification (整改) as an explicit state machine: a finding becomes an item a unit must put right.

待整改 → 整改中 (the unit starts) → 待确认 (the unit responds, with evidence) → 已完成 (a reviewer confirms), or
back to 整改中 (a reviewer returns it, with a reason). 逾期 is not a stored state: an item is overdue when its
deadline has passed in the region's time zone and it is not 已完成, so it turns overdue at midnight without a
job writing it, and stops being overdue when confirmed (or when a reviewer moves the deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jixiao.domain.workflow import Role


class RectState(StrEnum):
    PENDING = "pending"  # 待整改
    IN_PROGRESS = "in_progress"  # 整改中
    AWAITING = "awaiting"  # 待确认
    DONE = "done"  # 已完成


class RectAction(StrEnum):
    START = "start"  # the unit begins the work
    RESPOND = "respond"  # the unit says what it changed, with evidence files
    CONFIRM = "confirm"  # a reviewer accepts the response
    RETURN = "return"  # a reviewer sends it back, saying why


class Source(StrEnum):
    """Where the finding came from."""

    REVIEW = "review"  # 智能审核: a rule finding on the current table (code and location)
    AUDIT = "audit"  # 自评审计: a finding of the audit of the published 自评表
    MONITORING = "monitoring"  # 运行监控: a red light
    SCORE = "score"  # 自评: a low score
    RECHECK = "recheck"  # 复核: the finance bureau changed the score
    OTHER = "other"  # written by the reviewer


STATE_LABELS = {RectState.PENDING: "待整改", RectState.IN_PROGRESS: "整改中", RectState.AWAITING: "待确认",
                RectState.DONE: "已完成"}
OVERDUE_LABEL = "逾期"
ACTION_LABELS = {RectAction.START: "开始整改", RectAction.RESPOND: "提交整改情况", RectAction.CONFIRM: "确认完成",
                 RectAction.RETURN: "退回重改"}
SOURCE_LABELS = {Source.REVIEW: "智能审核", Source.AUDIT: "自评审计", Source.MONITORING: "运行监控红灯",
                 Source.SCORE: "自评得分偏低", Source.RECHECK: "财政复核调整", Source.OTHER: "其他"}

UNIT = frozenset({Role.UNIT_EDITOR, Role.ADMIN})
REVIEWERS = frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Move:
    action: RectAction
    sources: frozenset[RectState]
    target: RectState
    roles: frozenset[Role]
    needs_text: bool  # a response (RESPOND) or a reason (RETURN) is required


MOVES: dict[RectAction, Move] = {m.action: m for m in (
    Move(RectAction.START, frozenset({RectState.PENDING}), RectState.IN_PROGRESS, UNIT, False),
    Move(RectAction.RESPOND, frozenset({RectState.PENDING, RectState.IN_PROGRESS}), RectState.AWAITING, UNIT, True),
    Move(RectAction.CONFIRM, frozenset({RectState.AWAITING}), RectState.DONE, REVIEWERS, False),
    Move(RectAction.RETURN, frozenset({RectState.AWAITING}), RectState.IN_PROGRESS, REVIEWERS, True),
)}


class RectificationError(Exception):
    """A move the machine refuses; the message is Chinese and names the state and the role."""


def plan(state: RectState, action: RectAction, role: Role | None, text: str = "") -> RectState:
    """The state ``action`` leads to from ``state`` for ``role``, or :class:`RectificationError` saying why not."""
    move = MOVES[action]
    label = ACTION_LABELS[action]
    if role not in move.roles:
        who = "整改单位" if move.roles is UNIT else "审核人"
        raise RectificationError(f"“{label}”只能由{who}进行")
    if state not in move.sources:
        allowed = "、".join(STATE_LABELS[s] for s in RectState if s in move.sources)
        raise RectificationError(f"整改事项当前为“{STATE_LABELS[state]}”，不能“{label}”（只有{allowed}的事项可以）")
    if move.needs_text and not text.strip():
        what = "整改情况说明" if action is RectAction.RESPOND else "退回理由"
        raise RectificationError(f"“{label}”必须填写{what}")
    return move.target


def available(state: RectState, role: Role | None) -> list[RectAction]:
    """The moves ``role`` may take from ``state`` (the buttons a page shows)."""
    return [m.action for m in MOVES.values() if state in m.sources and role in m.roles]


def is_overdue(state: RectState, deadline: date, today: date) -> bool:
    """Overdue: the deadline (a day in the region's time zone, inclusive) has passed and the item is not done."""
    return state is not RectState.DONE and today > deadline


def status_label(state: RectState, deadline: date, today: date) -> str:
    """What a list shows: the state, or 逾期 for an overdue item (its state is still told on the detail page)."""
    return OVERDUE_LABEL if is_overdue(state, deadline, today) else STATE_LABELS[state]


def days_overdue(state: RectState, deadline: date, today: date) -> int:
    return (today - deadline).days if is_overdue(state, deadline, today) else 0
