"""The workflow state machine: every legal move, and illegal ones refused with a reason."""

from __future__ import annotations

import pytest

from jixiao.domain.workflow import TRANSITIONS, Action, Role, State, WorkflowError, available, plan


def test_the_happy_path() -> None:
    state = State.DRAFT
    for action, role in ((Action.SUBMIT, Role.UNIT_EDITOR), (Action.START_REVIEW, Role.DEPARTMENT_REVIEWER),
                         (Action.FORWARD, Role.DEPARTMENT_REVIEWER), (Action.APPROVE, Role.FINANCE_REVIEWER)):
        state = plan(state, action, role).target
    assert state is State.APPROVED


@pytest.mark.parametrize("state", [State.SUBMITTED, State.DEPARTMENT_REVIEW, State.FINANCE_REVIEW])
def test_return_from_any_review_step_needs_a_comment(state: State) -> None:
    reviewer = Role.FINANCE_REVIEWER if state is State.FINANCE_REVIEW else Role.DEPARTMENT_REVIEWER
    with pytest.raises(WorkflowError, match="必须填写意见"):
        plan(state, Action.RETURN, reviewer, "  ")
    assert plan(state, Action.RETURN, reviewer, "指标未量化").target is State.DRAFT


def test_adjusting_an_approved_table_starts_a_new_version() -> None:
    transition = plan(State.APPROVED, Action.ADJUST, Role.UNIT_EDITOR, "年中追加预算")
    assert transition.target is State.DRAFT and transition.new_version


@pytest.mark.parametrize(
    ("state", "action", "role", "reason"),
    [(State.DRAFT, Action.APPROVE, Role.FINANCE_REVIEWER, "“草稿”状态下不能批复"),
     (State.APPROVED, Action.SUBMIT, Role.UNIT_EDITOR, "不能提交"),
     (State.SUBMITTED, Action.START_REVIEW, Role.UNIT_EDITOR, "当前角色不能开始审核"),
     (State.FINANCE_REVIEW, Action.APPROVE, Role.DEPARTMENT_REVIEWER, "当前角色不能批复"),
     (State.APPROVED, Action.RETURN, Role.FINANCE_REVIEWER, "不能退回")],
)
def test_illegal_moves_are_refused_with_a_reason(state: State, action: Action, role: Role, reason: str) -> None:
    with pytest.raises(WorkflowError, match=reason):
        plan(state, action, role, "意见")


def test_every_state_is_reachable_and_every_action_is_offered_somewhere() -> None:
    targets = {t.target for t in TRANSITIONS.values()} | {State.DRAFT}
    assert targets == set(State)
    offered = {a for s in State for r in Role for a in available(s, r)}
    assert offered == set(Action)
    assert available(State.DRAFT, Role.UNIT_EDITOR) == [Action.SUBMIT]
    assert available(State.DRAFT, Role.FINANCE_REVIEWER) == []


@pytest.mark.parametrize("action", [Action.START_REVIEW, Action.FORWARD, Action.APPROVE, Action.RETURN])
def test_no_one_reviews_their_own_submission(action: Action) -> None:
    from jixiao.domain.workflow import TRANSITIONS as ALL
    from jixiao.domain.workflow import OwnSubmission

    state = sorted(ALL[action].sources)[0]
    with pytest.raises(OwnSubmission, match=r"不能.*自己提交的绩效目标表"):
        plan(state, action, Role.ADMIN, "意见", actor_id=7, submitted_by=7)
    assert plan(state, action, Role.ADMIN, "意见", actor_id=8, submitted_by=7).action is action  # someone else may
    assert action not in available(state, Role.ADMIN, 7, 7)
    assert action in available(state, Role.ADMIN, 8, 7)


def test_the_submitter_may_still_withdraw_and_adjust() -> None:
    assert plan(State.SUBMITTED, Action.WITHDRAW, Role.UNIT_EDITOR, actor_id=7, submitted_by=7).target is State.DRAFT
    assert Action.WITHDRAW in available(State.SUBMITTED, Role.ADMIN, 7, 7)
