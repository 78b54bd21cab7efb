"""Batch work on both databases (issue 13, point 11): one action on many tables, each checked as if done
alone — same refusal, same records, its own transaction — with a result per table."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, Role, WorkflowError
from jixiao.services.batch import BatchRefused, batch_actions, batch_transition
from jixiao.services.errors import as_service_error
from jixiao.services.permissions import Actor
from jixiao.services.workflow import transition
from jixiao.storage.models import AuditEntry, Project, ReviewRecord

COPY = "50011522T000000157087"  # 免费复印
NET = "50011522T000000132359"  # 网络通讯
MAIL = "50011522T000000132376"  # 免费邮寄: blank total → two error findings, so a plain submit is refused
NONE = "50011522T000000000000"  # no such project


def _states(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions() as session:
        return dict(session.execute(select(Project.code, Project.state)).all())


def test_some_succeed_some_are_refused_each_with_its_reason(sessions: sessionmaker[Session],
                                                            actors: dict[str, Actor]) -> None:
    unit = actors["unit"]
    with pytest.raises(BatchRefused, match="请先勾选要提交的表"):
        batch_transition(sessions, unit, ["", " "], Action.SUBMIT)
    with pytest.raises(BatchRefused, match="“调整”不能批量进行"):
        batch_transition(sessions, unit, [COPY], Action.ADJUST, "改")
    with pytest.raises(BatchRefused, match="一次最多批量处理 200 张表"):
        batch_transition(sessions, unit, [f"C{n}" for n in range(201)], Action.SUBMIT)
    assert batch_actions(Role.UNIT_EDITOR) == [Action.SUBMIT]
    assert batch_actions(Role.DEPARTMENT_REVIEWER) == [Action.START_REVIEW, Action.FORWARD, Action.RETURN]
    assert batch_actions(Role.FINANCE_REVIEWER) == [Action.RETURN, Action.APPROVE]
    assert batch_actions(None) == []
    assert set(_states(sessions).values()) == {"draft"}  # a batch refused as a whole did nothing
    result = batch_transition(sessions, unit, [COPY, MAIL, NET, NONE, COPY], Action.SUBMIT)
    assert [(i.project, i.ok) for i in result.items] == [(COPY, True), (MAIL, False), (NET, True), (NONE, False)]
    assert (result.done, result.refused) == (2, 2)  # the repeated code is taken once
    copy, mail, _net, none = result.items
    assert copy.message == "已提交：现为“已提交”（第1版）" and copy.to_state == "submitted" and copy.name == "免费复印"
    assert "2 条错误级问题" in mail.message and mail.error_code == "workflow_refused" and mail.name == "免费邮寄"
    assert none.error_code == "forbidden" and none.name is None
    states = _states(sessions)  # the refusals did not undo the others, nor leave anything of their own
    assert (states[COPY], states[NET], states[MAIL]) == ("submitted", "submitted", "draft")
    with sessions() as session:
        audited = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("workflow.%"))).all()
    assert sorted(audited) == ["workflow.submit", "workflow.submit"]  # one entry per table done, as one by one


def test_each_refusal_is_the_one_a_single_step_gives_and_a_return_carries_one_comment(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    department, stranger = actors["department"], actors["other_department"]
    forwarded = batch_transition(sessions, department, [COPY, MAIL], Action.FORWARD).items  # not yet in review
    for code, item in zip((COPY, MAIL), forwarded, strict=True):
        with pytest.raises(WorkflowError) as alone:
            transition(sessions, department, code, Action.FORWARD)
        refused = as_service_error(alone.value)
        assert refused is not None and (item.ok, item.message, item.error_code) == (False, refused.message,
                                                                                   refused.code)
    assert "“已提交”状态下不能报送财政" in forwarded[0].message
    hidden = batch_transition(sessions, stranger, [COPY], Action.START_REVIEW).items[0]  # another department's
    assert not hidden.ok and hidden.name is None and hidden.message == f"没有项目“{COPY}”，或无权查看"
    assert _states(sessions)[COPY] == "submitted"
    transition(sessions, actors["unit"], NET, Action.SUBMIT)  # 退回 of many, with its one comment
    with pytest.raises(BatchRefused, match="批量退回必须填写意见"):
        batch_transition(sessions, department, [COPY, NET], Action.RETURN, "  ")
    assert batch_transition(sessions, department, [COPY, NET], Action.START_REVIEW).done == 2
    result = batch_transition(sessions, department, [COPY, NET, MAIL], Action.RETURN, "测算依据不足，请补充")
    assert [i.ok for i in result.items] == [True, True, False]  # 免费邮寄 is a draft: nothing to return
    with sessions() as session:
        comments = session.scalars(select(ReviewRecord.comment).where(ReviewRecord.action == "return")).all()
    assert comments == ["测算依据不足，请补充"] * 2
    assert _states(sessions)[COPY] == _states(sessions)[NET] == "draft"


def test_the_api_answers_a_result_per_table(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    from fastapi.testclient import TestClient

    from jixiao.services.accounts import issue_token
    from jixiao.services.context import AppContext
    from jixiao.web.app import create_app

    batch_transition(sessions, actors["unit"], [COPY, NET], Action.SUBMIT)
    for action in (Action.START_REVIEW, Action.FORWARD):
        transition(sessions, actors["department"], COPY, action)
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    finance = {"Authorization": f"Bearer {issue_token(sessions, 'finance', '批量')}"}
    answer = client.post("/api/v1/transitions", headers=finance,
                         json={"action": "approve", "codes": [COPY, NET, MAIL]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["action"], body["done"], body["refused"]) == ("approve", 1, 2)
    assert [(r["project"], r["result"]) for r in body["results"]] == [(COPY, "成功"), (NET, "失败"), (MAIL, "失败")]
    assert body["results"][0] | {"name": "免费复印", "to_state": "approved", "version": 1} == body["results"][0]
    assert body["results"][1]["message"] == "“已提交”状态下不能批复（只能在财政部门审核中时批复）"
    assert body["results"][1]["error_code"] == "workflow_refused" and body["results"][1]["to_state"] is None
    refused = client.post("/api/v1/transitions", headers=finance, json={"action": "return", "codes": [NET]})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "batch_refused"
    assert "批量退回必须填写意见" in refused.json()["error"]["message"]
    public = client.post("/api/v1/transitions", json={"action": "submit", "codes": [MAIL]})
    assert public.status_code == 403
    assert _states(sessions)[NET] == "submitted"
