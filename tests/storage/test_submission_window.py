"""The submission window (issue 18 item 4) on both databases: after a stage's deadline a first submission is
refused, naming the deadline, unless the finance bureau reopened it for the unit or the project (audited)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action
from jixiao.services.deadlines import set_deadlines
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.services.profiles import ProfileError, load
from jixiao.services.reopenings import ReopenRefused, SubmissionClosed, list_reopenings, reopen
from jixiao.services.submissions import submit_monitoring, submit_self_evaluation
from jixiao.services.workflow import transition
from jixiao.storage.models import AuditEntry
from tests.storage.regions import ACTUALS, BUDGET, PROGRESS

pytestmark = pytest.mark.submission_window
COPY = "50011522T000000157087"  # 免费复印 (2022, unit 145001)
MAIL = "50011522T000000132376"  # another project of the same unit
MONEY = {"adjusted": "15.00", "executed_to_date": "8.75"}
LATE = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
REGION = load("chongqing")


def test_a_late_first_submission_names_the_deadline(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    said = "2022年度绩效目标申报（一上）的提交截止日期为 2021-10-31，已过期"
    with pytest.raises(SubmissionClosed, match=said) as refused:
        transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=LATE)
    assert refused.value.code == "submission_closed" and refused.value.status == 409


def test_the_deadline_is_the_end_of_the_day_in_the_region(sessions: sessionmaker[Session],
                                                          actors: dict[str, Actor]) -> None:
    last_evening = datetime(2021, 10, 31, 15, 59, tzinfo=UTC)  # 23:59 in Chongqing
    transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=last_evening)
    just_after = datetime(2021, 10, 31, 16, 1, tzinfo=UTC)  # 00:01 on 1 November there
    with pytest.raises(SubmissionClosed):
        transition(sessions, actors["unit"], MAIL, Action.SUBMIT, "x", "理由", region=REGION, now=just_after)


def test_a_returned_table_may_be_handed_in_again(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=datetime(2021, 10, 1, tzinfo=UTC))
    transition(sessions, actors["department"], COPY, Action.RETURN, "请补充指标", region=REGION, now=LATE)
    assert transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=LATE).to_state == "submitted"


def test_the_regions_date_moves_the_deadline(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    mid_november = datetime(2021, 11, 15, tzinfo=UTC)
    with pytest.raises(SubmissionClosed):
        transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=mid_november)
    set_deadlines(sessions, actors["finance"], 2022, {"绩效目标申报（一上）": "2021-11-30"}, REGION.calendar)
    with pytest.raises(SubmissionClosed, match="截止日期为 2021-11-30"):
        transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=LATE)
    done = transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=mid_november)
    assert done.to_state == "submitted"


def test_the_finance_bureau_reopens_for_a_unit(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    finance = actors["finance"]
    with pytest.raises(ReopenRefused, match="必须填写理由"):
        reopen(sessions, finance, "targets", 2022, "2026-12-20", "  ", unit_code="145001", region=REGION, now=LATE)
    with pytest.raises(ReopenRefused, match="早于今天"):
        reopen(sessions, finance, "targets", 2022, "2026-11-30", "系统故障", unit_code="145001", region=REGION,
               now=LATE)
    with pytest.raises(PermissionDenied):
        reopen(sessions, actors["unit"], "targets", 2022, "2026-12-20", "自己开", unit_code="145001", region=REGION,
               now=LATE)
    done = reopen(sessions, finance, "targets", 2022, "2026-12-20", "单位系统故障，延期提交", unit_code="145001",
                  region=REGION, now=LATE)
    assert done["unit"] == "145001" and done["until"] == "2026-12-20"
    for code in (COPY, MAIL):  # every project of the unit
        transition(sessions, actors["unit"], code, Action.SUBMIT, override_reason="知悉", region=REGION, now=LATE)
    with sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "deadline.reopen"))
        assert entry is not None and entry.note == "单位系统故障，延期提交" and entry.user_id == finance.user_id
        assert [r["unit"] for r in list_reopenings(session, finance, 2022)] == ["145001"]
        assert list_reopenings(session, actors["unit"], 2022) == []


def test_a_reopening_for_one_project_ends_on_its_date(sessions: sessionmaker[Session],
                                                      actors: dict[str, Actor]) -> None:
    reopen(sessions, actors["finance"], "targets", 2022, date(2026, 12, 3), "补报", project_code=COPY,
           region=REGION, now=LATE)
    with pytest.raises(SubmissionClosed):  # the unit's other project stays closed
        transition(sessions, actors["unit"], MAIL, Action.SUBMIT, override_reason="知悉", region=REGION, now=LATE)
    after = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 4 December in Chongqing
    with pytest.raises(SubmissionClosed, match="重新开放至 2026-12-03，也已过期"):
        transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=after)
    assert transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=REGION, now=LATE).to_state == "submitted"


def _approve(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    early = datetime(2021, 10, 1, tzinfo=UTC)
    for action, who in ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"),
                        (Action.FORWARD, "department"), (Action.APPROVE, "finance")):
        transition(sessions, actors[who], COPY, action, region=REGION, now=early)


def test_self_evaluation_and_monitoring_have_their_windows(sessions: sessionmaker[Session],
                                                           actors: dict[str, Actor]) -> None:
    _approve(sessions, actors)
    unit = actors["unit"]
    with pytest.raises(SubmissionClosed, match="2022年度绩效自评的提交截止日期为 2023-03-31"):
        submit_self_evaluation(sessions, unit, COPY, ACTUALS, BUDGET, profile="chongqing", now=LATE)
    with pytest.raises(SubmissionClosed, match="运行监控"):
        submit_monitoring(sessions, unit, COPY, 7, PROGRESS, MONEY, profile="chongqing", now=LATE)
    submit_self_evaluation(sessions, unit, COPY, ACTUALS, BUDGET, profile="chongqing",
                           now=datetime(2023, 3, 1, tzinfo=UTC))
    reopen(sessions, actors["finance"], "monitoring", 2022, "2026-12-31", "补报监控", project_code=COPY,
           region=REGION, now=LATE)
    submit_monitoring(sessions, unit, COPY, 7, PROGRESS, MONEY, profile="chongqing", now=LATE)


def test_a_region_may_keep_deadlines_as_reminders(sessions: sessionmaker[Session], actors: dict[str, Actor],
                                                  tmp_path: Path) -> None:
    text = (Path(str(resources.files("jixiao.rules.profiles").joinpath("chongqing.toml")))).read_text("utf-8")
    (tmp_path / "open.toml").write_text(text + "\n[workflow]\nsubmission_window = false\n", "utf-8")
    (tmp_path / "bad.toml").write_text(text + "\n[workflow]\nsubmission_window = \"yes\"\n", "utf-8")
    with pytest.raises(ProfileError, match="submission_window 应为 true 或 false"):
        load(str(tmp_path / "bad.toml"))
    region = load(str(tmp_path / "open.toml"))
    assert REGION.submission_window and not region.submission_window
    assert transition(sessions, actors["unit"], COPY, Action.SUBMIT, region=region, now=LATE).to_state == "submitted"
