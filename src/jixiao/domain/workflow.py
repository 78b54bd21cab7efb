"""The review and approval workflow (domain.md §1) as an explicit state machine.

draft → submitted → department review → finance review → approved; any review step can return
the table to draft (a comment is required); the unit may withdraw (撤回) a submission no reviewer has
opened yet (the service checks "opened"); an approved table is adjusted (调整) by starting a
new version in draft, which goes through review again. Illegal moves are refused with a reason.

No one reviews their own work: whoever submitted a version may not take it up, forward, approve or return
it (:data:`REVIEW_ACTIONS`, :class:`OwnSubmission`), whatever their role (an administrator included, and a
user whose role changed since); the same guard (:func:`refuse_own`) serves the self-evaluation's review.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DEPARTMENT_REVIEW = "department_review"
    FINANCE_REVIEW = "finance_review"
    APPROVED = "approved"


class Action(StrEnum):
    SUBMIT = "submit"  # the unit hands the table in
    START_REVIEW = "start_review"  # the department takes it up
    FORWARD = "forward"  # the department passes it to the finance bureau
    APPROVE = "approve"  # the finance bureau approves it with the budget (批复)
    RETURN = "return"  # 退回: back to the unit with comments
    ADJUST = "adjust"  # 调整: change an approved table; a new version starts in draft
    WITHDRAW = "withdraw"  # 撤回: the unit takes back a submission no reviewer has opened (services/opened.py)


class Role(StrEnum):
    UNIT_EDITOR = "unit_editor"
    DEPARTMENT_REVIEWER = "department_reviewer"
    FINANCE_REVIEWER = "finance_reviewer"
    ADMIN = "admin"


STATE_LABELS = {State.DRAFT: "草稿", State.SUBMITTED: "已提交", State.DEPARTMENT_REVIEW: "主管部门审核中",
                State.FINANCE_REVIEW: "财政部门审核中", State.APPROVED: "已批复"}
ROLE_LABELS = {Role.UNIT_EDITOR: "单位填报人", Role.DEPARTMENT_REVIEWER: "主管部门审核人",
               Role.FINANCE_REVIEWER: "财政部门审核人", Role.ADMIN: "系统管理员"}
ACTION_LABELS = {Action.SUBMIT: "提交", Action.START_REVIEW: "开始审核", Action.FORWARD: "报送财政",
                 Action.APPROVE: "批复", Action.RETURN: "退回", Action.ADJUST: "调整", Action.WITHDRAW: "撤回"}


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State
    roles: frozenset[Role]  # who may take it (admins may take any)
    needs_comment: bool = False
    new_version: bool = False


TRANSITIONS: dict[Action, Transition] = {t.action: t for t in (
    Transition(Action.SUBMIT, frozenset({State.DRAFT}), State.SUBMITTED, frozenset({Role.UNIT_EDITOR})),
    Transition(Action.START_REVIEW, frozenset({State.SUBMITTED}), State.DEPARTMENT_REVIEW,
               frozenset({Role.DEPARTMENT_REVIEWER})),
    Transition(Action.FORWARD, frozenset({State.DEPARTMENT_REVIEW}), State.FINANCE_REVIEW,
               frozenset({Role.DEPARTMENT_REVIEWER})),
    Transition(Action.APPROVE, frozenset({State.FINANCE_REVIEW}), State.APPROVED, frozenset({Role.FINANCE_REVIEWER})),
    Transition(Action.RETURN, frozenset({State.SUBMITTED, State.DEPARTMENT_REVIEW, State.FINANCE_REVIEW}),
               State.DRAFT, frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER}), needs_comment=True),
    Transition(Action.ADJUST, frozenset({State.APPROVED}), State.DRAFT, frozenset({Role.UNIT_EDITOR}),
               needs_comment=True, new_version=True),
    Transition(Action.WITHDRAW, frozenset({State.SUBMITTED}), State.DRAFT, frozenset({Role.UNIT_EDITOR})),
)}


REVIEW_ACTIONS = frozenset({Action.START_REVIEW, Action.FORWARD, Action.APPROVE, Action.RETURN})


class WorkflowError(ValueError):
    """A refused move; the message says why, in Chinese."""


class OwnSubmission(WorkflowError):
    """A review step on the reviewer's own submission (审核人不能审核自己提交的内容)."""


def refuse_own(verb: str, what: str, actor_id: int | None, submitted_by: int | None) -> None:
    """Refuse ``verb`` (批复, 退回 …) of ``what`` by the user who submitted it (``None``: nobody known)."""
    if actor_id is not None and actor_id == submitted_by:
        raise OwnSubmission(f"不能{verb}自己提交的{what}：须由另一位审核人{verb}")


def plan(state: State, action: Action, role: Role, comment: str | None = None, *,
         actor_id: int | None = None, submitted_by: int | None = None) -> Transition:
    """The transition ``action`` takes from ``state`` for ``role``, or :class:`WorkflowError`;
    ``submitted_by`` is who submitted the version (a review step of theirs is :class:`OwnSubmission`)."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        allowed = "、".join(STATE_LABELS[s] for s in sorted(transition.sources))
        verb = ACTION_LABELS[action]
        raise WorkflowError(f"“{STATE_LABELS[state]}”状态下不能{verb}（只能在{allowed}时{verb}）")
    if role is not Role.ADMIN and role not in transition.roles:
        raise WorkflowError(f"当前角色不能{ACTION_LABELS[action]}")
    if transition.needs_comment and not (comment and comment.strip()):
        raise WorkflowError(f"{ACTION_LABELS[action]}必须填写意见")
    if action in REVIEW_ACTIONS:
        refuse_own(ACTION_LABELS[action], "绩效目标表", actor_id, submitted_by)
    return transition


def available(state: State, role: Role, actor_id: int | None = None,
              submitted_by: int | None = None) -> list[Action]:
    """Actions ``role`` may take from ``state`` (for buttons and the API); none of the review steps on the
    actor's own submission."""
    own = actor_id is not None and actor_id == submitted_by
    return [t.action for t in TRANSITIONS.values()
            if state in t.sources and (role is Role.ADMIN or role in t.roles)
            and not (own and t.action in REVIEW_ACTIONS)]
