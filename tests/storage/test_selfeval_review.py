"""Self-evaluations are reviewed by someone else, and an approved one's actuals change only through an audited
correction request decided by a reviewer who did not file it (issue 18 item 4), on both databases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, Role
from jixiao.services.corrections import (
    CorrectionDecided,
    CorrectionRefused,
    decide,
    list_corrections,
    request_correction,
)
from jixiao.services.errors import OwnSubmissionRefused
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.services.selfeval_review import ActualsLocked, SelfEvalReviewRefused, review
from jixiao.services.submissions import SubmissionError, submit_self_evaluation
from jixiao.services.workflow import transition
from jixiao.storage.models import AuditEntry, SelfEvalCorrection, SelfEvaluation, User
from tests.storage.regions import ACTUALS, BUDGET

COPY = "50011522T000000157087"


def _approved(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> int:
    for action, who in ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"),
                        (Action.FORWARD, "department"), (Action.APPROVE, "finance")):
        transition(sessions, actors[who], COPY, action)
    return int(submit_self_evaluation(sessions, actors["unit"], COPY, ACTUALS, BUDGET)["id"])


def _admin(sessions: sessionmaker[Session]) -> Actor:
    with sessions.begin() as session:
        user = User(username="admin", display_name="admin", role=Role.ADMIN.value)
        session.add(user)
        session.flush()
        return Actor(user.id, Role.ADMIN)


def test_the_submitter_may_not_approve_their_own_self_evaluation(sessions: sessionmaker[Session],
                                                                 actors: dict[str, Actor]) -> None:
    _approved(sessions, actors)
    admin = _admin(sessions)  # an administrator may both report and review: not the same submission
    record = int(submit_self_evaluation(sessions, admin, COPY, ACTUALS, BUDGET)["id"])
    with pytest.raises(OwnSubmissionRefused, match="不能审核通过自己提交的自评"):
        review(sessions, admin, COPY, record, "approve")
    with pytest.raises(PermissionDenied):
        review(sessions, actors["unit"], COPY, record, "approve")
    with pytest.raises(SelfEvalReviewRefused, match="必须填写意见"):
        review(sessions, actors["department"], COPY, record, "return")
    assert review(sessions, actors["department"], COPY, record, "approve")["state"] == "approved"
    with pytest.raises(SelfEvalReviewRefused, match="不能再审核"):
        review(sessions, actors["finance"], COPY, record, "return", "再看看")


def test_only_the_latest_is_reviewed_and_a_returned_one_is_reported_again(sessions: sessionmaker[Session],
                                                                           actors: dict[str, Actor]) -> None:
    first = _approved(sessions, actors)
    second = int(submit_self_evaluation(sessions, actors["unit"], COPY, ACTUALS, BUDGET)["id"])
    with pytest.raises(SelfEvalReviewRefused, match="请审核最新的一份"):
        review(sessions, actors["department"], COPY, first, "approve")
    review(sessions, actors["department"], COPY, second, "return", "偏差原因未说明")
    submit_self_evaluation(sessions, actors["unit"], COPY, ACTUALS, BUDGET)  # a returned one is not locked
    with sessions() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("selfeval.%"))).all()
        assert "selfeval.return" in actions


def test_approved_actuals_are_locked_and_corrected_through_a_request(sessions: sessionmaker[Session],
                                                                      actors: dict[str, Actor]) -> None:
    unit, department, finance = actors["unit"], actors["department"], actors["finance"]
    record = _approved(sessions, actors)
    review(sessions, department, COPY, record, "approve")
    with pytest.raises(ActualsLocked, match="实际完成值已锁定") as locked:
        submit_self_evaluation(sessions, unit, COPY, ACTUALS, BUDGET)
    assert locked.value.code == "actuals_locked"
    with pytest.raises(CorrectionRefused, match="必须填写更正理由"):
        request_correction(sessions, unit, COPY, record, "actual", "100", " ", indicator="群众满意度")
    with pytest.raises(CorrectionRefused, match="没有指标"):
        request_correction(sessions, unit, COPY, record, "actual", "100", "录错", indicator="不存在的指标")
    with pytest.raises(CorrectionRefused, match="与原值相同"):
        request_correction(sessions, unit, COPY, record, "actual", "97", "录错", indicator="群众满意度")
    asked = request_correction(sessions, unit, COPY, record, "executed", "15.00", "漏记一笔支付")
    assert (asked["old_value"], asked["new_value"], asked["state"]) == ("14.25", "15.00", "pending")
    with pytest.raises(PermissionDenied):
        decide(sessions, unit, asked["id"], True)
    with sessions() as session:
        before = session.get(SelfEvaluation, record)
        assert before is not None
        old_total = before.total
    done = decide(sessions, finance, asked["id"], True, "核对支付凭证无误")
    assert done["state"] == "approved" and Decimal(done["total"]) > old_total  # re-scored: execution rate 100%
    with pytest.raises(CorrectionDecided):
        decide(sessions, department, asked["id"], False, "重复")
    with sessions() as session:
        rows = session.scalars(select(SelfEvaluation).order_by(SelfEvaluation.id)).all()
        newest = rows[-1]
        assert newest.state == "approved" and newest.reported["budget"]["executed"] == "15.00"
        assert newest.reported["correction"] == asked["id"] and newest.total == Decimal(done["total"])
        assert rows[-2].reported["budget"]["executed"] == "14.25"  # what was approved stays as it was
        entries = {e.action: e for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("selfeval.correction.%")))}
        assert entries["selfeval.correction.request"].note == "漏记一笔支付"
        assert entries["selfeval.correction.approve"].after["old"] == "14.25"
        assert entries["selfeval.correction.approve"].user_id == finance.user_id
    with sessions() as session:
        assert [c["state"] for c in list_corrections(session, unit, COPY)] == ["approved"]


def test_a_correction_is_not_decided_by_its_requester(sessions: sessionmaker[Session],
                                                      actors: dict[str, Actor]) -> None:
    record = _approved(sessions, actors)
    review(sessions, actors["department"], COPY, record, "approve")
    admin = _admin(sessions)
    asked = request_correction(sessions, admin, COPY, record, "actual", "98", "录入错误", indicator="群众满意度")
    with pytest.raises(OwnSubmissionRefused, match="不能批准自己提交的更正申请"):
        decide(sessions, admin, asked["id"], True)
    with pytest.raises(CorrectionRefused, match="必须填写意见"):
        decide(sessions, actors["department"], asked["id"], False)
    refused = decide(sessions, actors["department"], asked["id"], False, "无佐证材料")
    assert refused["state"] == "refused"
    with sessions() as session:
        row = session.get(SelfEvalCorrection, asked["id"])
        assert row is not None and row.applied_id is None and row.decision_comment == "无佐证材料"
        assert len(session.scalars(select(SelfEvaluation)).all()) == 1  # nothing re-scored


def test_a_correction_that_cannot_be_scored_is_not_applied(sessions: sessionmaker[Session],
                                                           actors: dict[str, Actor]) -> None:
    record = _approved(sessions, actors)
    review(sessions, actors["department"], COPY, record, "approve")
    asked = request_correction(sessions, actors["unit"], COPY, record, "executed", "十五万", "写成了大写")
    with pytest.raises(SubmissionError):
        decide(sessions, actors["finance"], asked["id"], True)
    with sessions() as session:
        row = session.get(SelfEvalCorrection, asked["id"])
        assert row is not None and row.state == "pending"
