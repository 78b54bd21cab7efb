"""Returns, withdrawals, row comments, audit sentences and deadlines (issue 13 §8), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, State, WorkflowError
from jixiao.profiles import DEFAULT_CALENDAR
from jixiao.services import queries
from jixiao.services.dashboard import work_count
from jixiao.services.deadlines import DeadlineRefused, calendar_for, reminders, set_deadlines
from jixiao.services.opened import note_view
from jixiao.services.permissions import Actor, PermissionDenied, ProjectNotFound
from jixiao.services.submissions import submit_monitoring, submit_self_evaluation
from jixiao.services.workflow import comment, transition
from jixiao.storage.models import AuditEntry, DeadlineOverride, Project, SubmissionView
from tests.storage.regions import build
from tests.storage.test_workflow_service import COPY, MAIL


def _state(sessions: sessionmaker[Session], code: str) -> str:
    with sessions() as session:
        return str(session.scalar(select(Project.state).where(Project.code == code)))


def test_a_unit_withdraws_only_what_no_reviewer_has_opened(sessions: sessionmaker[Session],
                                                          actors: dict[str, Actor]) -> None:
    unit, department, finance = actors["unit"], actors["department"], actors["finance"]
    transition(sessions, unit, COPY, Action.SUBMIT)
    note_view(sessions, unit, COPY)  # the unit looking at its own submission opens nothing
    with pytest.raises(ProjectNotFound):
        transition(sessions, actors["other_unit"], COPY, Action.WITHDRAW)
    with sessions() as session:
        assert "withdraw" in queries.show_project(session, unit, COPY)["actions"]
    assert transition(sessions, unit, COPY, Action.WITHDRAW).to_state == "draft"
    transition(sessions, unit, COPY, Action.SUBMIT)
    note_view(sessions, department, COPY)  # the department opened the page
    with pytest.raises(WorkflowError, match="主管部门审核人 department 已打开本次提交，不能撤回"):
        transition(sessions, unit, COPY, Action.WITHDRAW)
    assert _state(sessions, COPY) == "submitted"
    with sessions() as session:
        shown = queries.show_project(session, unit, COPY)
    assert shown["actions"] == [] and shown["opened_by"] == "主管部门审核人 department"
    # returned and handed in again: that earlier view was of another submission
    transition(sessions, department, COPY, Action.RETURN, "请补充")
    transition(sessions, unit, COPY, Action.SUBMIT)
    comment(sessions, finance, COPY, "看过了", indicator=0)  # acted on (a comment) is opened too
    with pytest.raises(WorkflowError, match="财政部门审核人 finance 已打开本次提交"):
        transition(sessions, unit, COPY, Action.WITHDRAW)
    transition(sessions, unit, MAIL, Action.SUBMIT, override_reason="待补充")
    transition(sessions, department, MAIL, Action.START_REVIEW)  # taken up: the state machine refuses
    with pytest.raises(WorkflowError, match="“主管部门审核中”状态下不能撤回（只能在已提交时撤回）"):
        transition(sessions, unit, MAIL, Action.WITHDRAW)


def test_a_returned_table_says_by_whom_and_why_until_it_is_handed_in_again(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    unit, department = actors["unit"], actors["department"]
    transition(sessions, unit, COPY, Action.SUBMIT)
    transition(sessions, department, COPY, Action.START_REVIEW)
    transition(sessions, department, COPY, Action.RETURN, "年度目标与总额不符")
    with sessions() as session:
        back = queries.show_project(session, unit, COPY)["last_return"]
        listed = {i["code"]: i["returned"] for i in queries.list_projects(session, unit, with_units=True)["items"]}
        assert work_count(session, unit) == 9 and work_count(session, department) == 0
    assert (back["by"], back["comment"], back["version"], back["from_state"]) == (
        "主管部门审核人 department", "年度目标与总额不符", 1, "department_review")
    assert listed[COPY] is True and listed[MAIL] is False
    transition(sessions, unit, COPY, Action.SUBMIT)
    with sessions() as session:
        assert queries.show_project(session, unit, COPY)["last_return"] is None
        assert work_count(session, department) == 1


def test_row_comments_and_the_audit_trail_read_as_sentences(sessions: sessionmaker[Session],
                                                           actors: dict[str, Actor]) -> None:
    unit, department = actors["unit"], actors["department"]
    transition(sessions, unit, COPY, Action.SUBMIT)
    transition(sessions, department, COPY, Action.START_REVIEW)
    comment(sessions, department, COPY, "墨粉用量偏高", indicator=1)
    comment(sessions, department, COPY, "请写明测算依据", field="total_wan")
    transition(sessions, department, COPY, Action.RETURN, "请修改后再报")
    with sessions() as session:
        reviews = queries.show_project(session, unit, COPY)["reviews"]
        trail = [e["text"] for e in queries.project_audit(session, unit, COPY)]
    labels = [r["anchor_label"] for r in reviews if r["action"] == "comment"]
    assert labels == ["第2行 · 产出指标/数量指标/墨粉消耗量", "项目总额"]
    assert trail[:4] == [
        "主管部门审核人 department 退回 第1版（主管部门审核中 → 草稿）：请修改后再报",
        "主管部门审核人 department 对第1版 项目总额 提出审核意见：请写明测算依据",
        "主管部门审核人 department 对第1版 第2行 · 产出指标/数量指标/墨粉消耗量 提出审核意见：墨粉用量偏高",
        "主管部门审核人 department 开始审核 第1版（已提交 → 主管部门审核中）"]
    assert trail[4] == "单位填报人 unit 提交 第1版（草稿 → 已提交）"
    assert not any("{" in text for text in trail)


def test_the_project_trail_names_its_self_evaluation_and_monitoring(sessions: sessionmaker[Session],
                                                                   actors: dict[str, Actor]) -> None:
    from tests.storage.regions import ACTUALS, BUDGET, PROGRESS
    from tests.storage.test_integrity import approve

    unit = actors["unit"]
    approve(sessions, actors, COPY)
    total = submit_self_evaluation(sessions, unit, COPY, ACTUALS, BUDGET)["total"]
    submit_monitoring(sessions, unit, COPY, 6, PROGRESS, {"adjusted": "15.00", "executed_to_date": "8.75"})
    with sessions() as session:
        trail = [e["text"] for e in queries.project_audit(session, actors["department"], COPY)]
        elsewhere = [e["text"] for e in queries.project_audit(session, unit, MAIL)]
    assert trail[:3] == ["单位填报人 unit 提交 运行监控（截至6月）",
                         f"单位填报人 unit 提交 绩效自评：{total} 分（优）",
                         "财政部门审核人 finance 批复 第1版（财政部门审核中 → 已批复）"]
    assert not any("自评" in text or "监控" in text for text in elsewhere)  # another project's trail


def test_deadlines_are_set_per_region_and_year_audited_and_overdue_ones_stay(
        sessions: sessionmaker[Session]) -> None:
    world = build(sessions, passwords=False)
    actor = world.actors
    fin16, unit16, unit15 = (actor[world.regions[r].users[k]] for r, k in
                             (("500116", "finance"), ("500116", "unit"), ("500115", "unit")))
    with pytest.raises(PermissionDenied):
        set_deadlines(sessions, unit16, 2022, {"绩效自评": "2023-04-15"}, DEFAULT_CALENDAR)
    with pytest.raises(DeadlineRefused, match="“运行监控（1–7月）”的截止日期应为日期"):  # all or nothing
        set_deadlines(sessions, fin16, 2022, {"绩效自评": "2023-04-15", "运行监控（1–7月）": "八月"},
                      DEFAULT_CALENDAR)
    with pytest.raises(DeadlineRefused, match="离2022年度太远"):
        set_deadlines(sessions, fin16, 2022, {"绩效自评": "2031-04-15"}, DEFAULT_CALENDAR)
    assert set_deadlines(sessions, fin16, 2022, {"绩效自评": "2023-04-15"}, DEFAULT_CALENDAR) == ["绩效自评"]
    assert set_deadlines(sessions, fin16, 2022, {"绩效自评": "2023-04-15"}, DEFAULT_CALENDAR) == []
    set_deadlines(sessions, actor["admin"], 2022, {"运行监控（1–7月）": "2022-08-31"}, DEFAULT_CALENDAR)
    with sessions() as session:
        mine = {d.label: d.due for d in calendar_for(session, "500116", 2022, DEFAULT_CALENDAR)}
        theirs = {d.label: d.due for d in calendar_for(session, "500115", 2022, DEFAULT_CALENDAR)}
        today = date(2023, 4, 1)
        shown16 = {d["label"]: d for d in reminders(session, unit16, today, DEFAULT_CALENDAR)}
        shown15 = {d["label"]: d for d in reminders(session, unit15, today, DEFAULT_CALENDAR)}
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "deadline.set")).all()
    assert mine["绩效自评"] == date(2023, 4, 15) and theirs["绩效自评"] == date(2023, 3, 31)
    assert mine["运行监控（1–7月）"] == theirs["运行监控（1–7月）"] == date(2022, 8, 31)  # the deployment's date
    # 500116's unit: self-evaluation due 04-15 (its approved table has one: done); 500115's was due 03-31
    assert shown16["2022年度绩效自评"]["days"] == 14 and shown16["2022年度绩效自评"]["changed"]
    assert "2022年度绩效自评" not in shown15  # past, and its one approved table has been evaluated
    overdue = shown15["2022年度绩效目标申报（一上）"]  # the returned draft never went in: overdue, not dropped
    assert overdue["overdue"] and overdue["pending"] == 1 and overdue["days"] < 0
    assert next(iter(shown15)) == "2022年度绩效目标申报（一上）"  # overdue first
    assert [(a.before, a.after["due"], a.after["region"]) for a in audit] == [
        ({"due": None}, "2023-04-15", "500116"), ({"due": None}, "2022-08-31", "")]
    fin15 = actor[world.regions["500115"].users["finance"]]
    with sessions() as session:  # a region's changes are in its own finance bureau's audit log only
        seen16 = [e["after"]["region"] for e in queries.list_audit(session, fin16)["items"]
                  if e["action"] == "deadline.set"]
        seen15 = [e for e in queries.list_audit(session, fin15)["items"] if e["action"] == "deadline.set"]
    assert seen16 == ["500116"] and seen15 == []
    assert set_deadlines(sessions, fin16, 2022, {"绩效自评": ""}, DEFAULT_CALENDAR) == ["绩效自评"]  # default again
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(DeadlineOverride)) == 1


def test_a_view_and_a_withdrawal_at_once_are_ordered(sessions: sessionmaker[Session],
                                                    actors: dict[str, Actor]) -> None:
    """Either the view comes first (the withdrawal is refused) or the withdrawal does (nothing recorded)."""
    from concurrent.futures import ThreadPoolExecutor

    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    with ThreadPoolExecutor(2) as pool:
        view = pool.submit(note_view, sessions, actors["department"], COPY)
        withdraw = pool.submit(transition, sessions, actors["unit"], COPY, Action.WITHDRAW)
        view.result()
        try:
            withdrawn = withdraw.result().to_state == State.DRAFT.value
        except WorkflowError:
            withdrawn = False
    with sessions() as session:
        views = session.scalar(select(func.count()).select_from(SubmissionView))
    assert (withdrawn, views) in ((True, 0), (False, 1))
    assert _state(sessions, COPY) == ("draft" if withdrawn else "submitted")


def test_only_a_viewer_whose_turn_it_is_closes_the_withdrawal(sessions: sessionmaker[Session],
                                                              actors: dict[str, Actor]) -> None:
    """Review defect 9: a finance reviewer viewing a table still at the department stage blocked the unit's
    撤回, while an administrator viewing it (who may 开始审核) did not."""
    from jixiao.domain.workflow import Role
    from jixiao.storage.models import User

    unit, finance = actors["unit"], actors["finance"]
    with sessions.begin() as session:
        admin_user = User(username="admin", display_name="管理员甲", role=Role.ADMIN.value)
        session.add(admin_user)
        session.flush()
        admin = Actor(admin_user.id, Role.ADMIN, None)
    transition(sessions, unit, COPY, Action.SUBMIT)
    note_view(sessions, finance, COPY)  # not the finance bureau's turn yet: opens nothing
    with sessions() as session:
        assert queries.show_project(session, unit, COPY)["opened_by"] is None
    assert transition(sessions, unit, COPY, Action.WITHDRAW).to_state == "draft"
    transition(sessions, unit, COPY, Action.SUBMIT)
    note_view(sessions, admin, COPY)  # an administrator may take it up: that is opening it
    with pytest.raises(WorkflowError, match="系统管理员 管理员甲 已打开本次提交，不能撤回"):
        transition(sessions, unit, COPY, Action.WITHDRAW)
