"""The 整改 state machine (domain/rectification.py): moves per role, required texts, 逾期 derived from the date."""

from __future__ import annotations

from datetime import date

import pytest

from jixiao.domain.rectification import (
    RectAction,
    RectificationError,
    RectState,
    available,
    days_overdue,
    is_overdue,
    plan,
    status_label,
)
from jixiao.domain.workflow import Role

DUE = date(2026, 12, 31)


def test_the_lifecycle_and_who_may_take_each_step() -> None:
    state = plan(RectState.PENDING, RectAction.START, Role.UNIT_EDITOR)
    assert state is RectState.IN_PROGRESS
    state = plan(state, RectAction.RESPOND, Role.UNIT_EDITOR, "已整改")
    assert state is RectState.AWAITING
    assert plan(state, RectAction.RETURN, Role.DEPARTMENT_REVIEWER, "佐证不足") is RectState.IN_PROGRESS
    assert plan(state, RectAction.CONFIRM, Role.FINANCE_REVIEWER) is RectState.DONE
    assert plan(RectState.PENDING, RectAction.RESPOND, Role.UNIT_EDITOR, "直接提交") is RectState.AWAITING
    assert available(RectState.AWAITING, Role.UNIT_EDITOR) == []
    assert available(RectState.AWAITING, Role.DEPARTMENT_REVIEWER) == [RectAction.CONFIRM, RectAction.RETURN]
    assert available(RectState.DONE, Role.ADMIN) == []


@pytest.mark.parametrize(("state", "action", "role", "text", "words"), [
    (RectState.AWAITING, RectAction.CONFIRM, Role.UNIT_EDITOR, "", "只能由审核人"),
    (RectState.PENDING, RectAction.START, Role.DEPARTMENT_REVIEWER, "", "只能由整改单位"),
    (RectState.PENDING, RectAction.CONFIRM, Role.FINANCE_REVIEWER, "", "当前为“待整改”，不能“确认完成”"),
    (RectState.DONE, RectAction.RESPOND, Role.UNIT_EDITOR, "再改", "当前为“已完成”"),
    (RectState.IN_PROGRESS, RectAction.RESPOND, Role.UNIT_EDITOR, "  ", "必须填写整改情况说明"),
    (RectState.AWAITING, RectAction.RETURN, Role.DEPARTMENT_REVIEWER, "", "必须填写退回理由"),
    (RectState.PENDING, RectAction.START, None, "", "只能由整改单位"),
])
def test_refused_moves_say_why(state: RectState, action: RectAction, role: Role | None, text: str, words: str) -> None:
    with pytest.raises(RectificationError, match=words):
        plan(state, action, role, text)


def test_overdue_is_derived_from_the_deadline_day() -> None:
    assert not is_overdue(RectState.PENDING, DUE, DUE)  # the deadline day itself counts
    assert is_overdue(RectState.AWAITING, DUE, date(2027, 1, 1))
    assert not is_overdue(RectState.DONE, DUE, date(2027, 3, 1))
    assert status_label(RectState.IN_PROGRESS, DUE, date(2027, 1, 3)) == "逾期"
    assert status_label(RectState.IN_PROGRESS, DUE, DUE) == "整改中"
    assert days_overdue(RectState.PENDING, DUE, date(2027, 1, 3)) == 3
    assert days_overdue(RectState.DONE, DUE, date(2027, 1, 3)) == 0


def test_an_evidence_file_keeps_its_own_name_only() -> None:
    from jixiao.services.rectification_files import EvidenceRefused, checked_files

    kept = checked_files([("C:\\材料\\整改\x00说明.txt", "说明".encode("gb18030")), ("../../批复.pdf", b"%PDF-1.7\n")])
    assert [file.name for file in kept] == ["整改说明.txt", "批复.pdf"]
    with pytest.raises(EvidenceRefused, match="不是 UTF-8 或 GB18030 编码的文本"):
        checked_files([("乱码.txt", b"\x00\x01\xff")])
