"""Refusals for writes that lost a race: someone else changed the same project in the same moment.

Every write to a project first takes its row (:func:`jixiao.storage.repository.lock_project`), so
two writers are serialised on both databases; a workflow step also checks that the state it was
planned from still holds. The loser gets :class:`ChangedMeanwhile` (409), never a 500 from a unique
key, and nothing it tried is kept.
"""

from __future__ import annotations

from jixiao.domain.workflow import ACTION_LABELS, STATE_LABELS, Action, State
from jixiao.services.errors import WorkflowRefused


class ChangedMeanwhile(WorkflowRefused):
    """The project was changed by someone else between reading it and writing: nothing was done.
    The message says what it is now; refresh and decide again."""

    code = "changed_meanwhile"
    summary = "该表刚刚已被他人改动，本次操作未执行；请刷新后按现在的状态再操作"


def changed_meanwhile(code: str, state: str, version: int | None, action: Action | None = None,
                      reason: str | None = None) -> ChangedMeanwhile:
    """The refusal for the loser, naming the project's state and version as they are now."""
    now = STATE_LABELS[State(state)] + (f"，第{version}版" if version else "")
    what = f"“{ACTION_LABELS[action]}”" if action is not None else "本次操作"
    why = f"（{reason}）" if reason else ""
    return ChangedMeanwhile(f"项目“{code}”的绩效目标表刚刚已被他人改动，现在是“{now}”：您的{what}未执行{why}；"
                            "请刷新页面，按现在的状态再操作")
