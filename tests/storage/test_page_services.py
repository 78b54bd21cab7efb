"""The services behind the pages, on SQLite and PostgreSQL: editing, list filters, home, imports by units."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, Role, WorkflowError
from jixiao.services import queries
from jixiao.services.accounts import actor_for_session, add_user, login
from jixiao.services.dashboard import home, overview
from jixiao.services.editing import InvalidTable, check_draft, save_draft
from jixiao.services.imports import import_as
from jixiao.services.permissions import PUBLIC, Actor, PermissionDenied
from jixiao.services.workflow import transition
from jixiao.storage.models import LoginSession, Project, now
from tests.storage.test_workflow_service import COPY, MAIL
from tests.test_cli import SEED


def _content(sessions: sessionmaker[Session], actor: Actor, code: str) -> dict[str, object]:
    with sessions() as session:
        return dict(queries.show_project(session, actor, code)["table"])


def test_a_draft_is_saved_as_a_new_version_by_its_unit_only(sessions: sessionmaker[Session],
                                                           actors: dict[str, Actor]) -> None:
    content = _content(sessions, actors["unit"], MAIL)
    assert [f["code"] for f in check_draft(content).findings] == ["C006", "C007"]
    fixed = content | {"total_wan": "40.00", "execution_weight": "10", "funding": {"fiscal": "40.00"}}
    assert check_draft(fixed).findings == [] and check_draft(fixed).grade == "优"
    for who in ("department", "finance", "other_unit"):
        with pytest.raises(PermissionDenied):
            save_draft(sessions, actors[who], MAIL, fixed, 1)
    assert save_draft(sessions, actors["unit"], MAIL, fixed, 1) == {"version": 2, "saved": True}
    assert save_draft(sessions, actors["unit"], MAIL, fixed, 2) == {"version": 2, "saved": False}
    with pytest.raises(WorkflowError, match="更新的版本"):
        save_draft(sessions, actors["unit"], MAIL, fixed | {"annual_goal": "旧页面上的修改"}, 1)
    with pytest.raises(InvalidTable, match="未保存：「项目总额」应为金额"):  # 422, naming the field by its label
        save_draft(sessions, actors["unit"], MAIL, fixed | {"total_wan": "四十"}, 2)
    with sessions() as session:
        versions = queries.list_versions(session, actors["unit"], MAIL)
    assert [v["total_wan"] for v in versions] == [None, "40.00"]


def test_only_drafts_can_be_edited(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    content = _content(sessions, actors["unit"], COPY)
    with pytest.raises(WorkflowError, match="只有草稿可以修改"):
        save_draft(sessions, actors["unit"], COPY, content | {"contact_person": "张三"})


def test_list_filters_by_grade_severity_department_and_indicator(sessions: sessionmaker[Session],
                                                                 actors: dict[str, Actor]) -> None:
    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    transition(sessions, actors["unit"], MAIL, Action.SUBMIT, override_reason="待补充")
    finance = actors["finance"]
    with sessions() as session:
        def codes(**filters: object) -> set[str]:
            return {i["code"] for i in queries.list_projects(session, finance, **filters)["items"]}  # type: ignore[arg-type]

        assert codes(severity="error") == {MAIL}
        # live findings of the current version, submitted or not (issue 13): as each project's page shows them
        pages = {code: check_draft(dict(queries.show_project(session, finance, code)["table"]))
                 for code in codes()}
        worst = {code: "error" if any(f["severity"] == "error" for f in c.findings) else
                 "warning" if any(f["severity"] == "warning" for f in c.findings) else None
                 for code, c in pages.items()}
        assert COPY in codes(severity="warning") == {code for code, w in worst.items() if w == "warning"}
        assert codes(grade="中") == {code for code, c in pages.items() if c.grade == "中"} == {MAIL}
        assert codes(q="邮寄数量") == {MAIL}
        assert codes(q="100%_") == set()  # LIKE wildcards are searched as text
        assert len(codes(department="145")) == 9 and codes(department="999") == set()
        assert codes(unit="145001", state="submitted") == {COPY, MAIL}
        page = queries.list_projects(session, finance, with_units=True, per_page=2)
        assert page["total"] == 9 and page["items"][0]["unit"] == "重庆市长寿区政务服务管理办公室（本级）"
        options = queries.filter_options(session, actors["unit"])
        assert options["years"] == [2022] and options["departments"] == [("145", "重庆市长寿区政务服务管理办公室")]


def test_home_counts_work_and_activity_per_tenant(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    transition(sessions, actors["department"], COPY, Action.START_REVIEW)
    transition(sessions, actors["department"], COPY, Action.RETURN, "金额不符")
    with sessions() as session:
        mine = home(session, actors["unit"], date(2021, 9, 1))
        theirs = home(session, actors["other_unit"], date(2021, 9, 1))
        department = home(session, actors["department"], date(2021, 9, 1))
        region = overview(session, actors["finance"])
    assert mine["counts"]["draft"] == 9 and mine["work"][0]["returned"] == 1
    returned = [i for i in mine["work"][0]["items"] if i["returned"]]
    assert returned[0]["code"] == COPY and returned[0]["return_comment"] == "金额不符"
    assert [a["action"] for a in mine["activity"]][:3] == ["退回", "开始审核", "提交"]
    first = mine["deadlines"][0]
    assert (first["label"], first["date"], first["days"], first["pending"], first["overdue"]) == (
        "2022年度绩效目标申报（一上）", "2021-10-31", 60, 9, False)  # nine drafts still owe their targets
    assert theirs["total"] == 0 and theirs["activity"] == []
    assert department["work"][0]["total"] == 0  # returned: nothing left to review
    assert region["by_department"] == {"重庆市长寿区政务服务管理办公室": {"draft": 9}}
    # the live findings of each current version, as each project page shows them (not the submission's record)
    live: dict[str, int] = {}
    with sessions() as session:
        for item in queries.list_projects(session, actors["finance"], per_page=200)["items"]:
            table = queries.show_project(session, actors["finance"], item["code"])["table"]
            for finding in check_draft(table).findings:
                live[finding["category"]] = live.get(finding["category"], 0) + 1
    assert region["finding_categories"] == live and sum(live.values()) > 1


def test_units_import_only_their_own_tables_and_never_over_a_submitted_one(sessions: sessionmaker[Session],
                                                                            actors: dict[str, Actor]) -> None:
    data = SEED.read_bytes()
    refused = import_as(sessions, actors["other_unit"], data, "seed.txt")
    assert refused.status == "refused" and "本单位（999001）只能导入自己的项目" in refused.diagnostics[-1].message
    with pytest.raises(PermissionDenied):
        import_as(sessions, actors["department"], data, "seed.txt")
    with pytest.raises(PermissionDenied):
        import_as(sessions, PUBLIC, data, "seed.txt")
    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    changed = json.dumps(_content(sessions, actors["unit"], COPY) | {"contact_person": "李四"}, ensure_ascii=False)
    over = import_as(sessions, actors["unit"], changed.encode(), "copy.json")
    assert over.status == "refused" and "当前不是草稿" in over.diagnostics[-1].message
    with sessions() as session:
        assert len(queries.list_versions(session, actors["unit"], COPY)) == 1  # nothing half-written


def test_sessions_time_out_when_idle_and_slide_while_used(sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "clerk", "clerk-password-1", Role.UNIT_EDITOR)
    found = login(sessions, "clerk", "clerk-password-1")
    assert found is not None
    secret = found[0]
    with sessions.begin() as session:
        session.execute(update(LoginSession).values(expires_at=now() + timedelta(minutes=5)))
    assert actor_for_session(sessions, secret) is not None
    with sessions() as session:
        renewed = session.scalar(select(LoginSession.expires_at))
    assert renewed is not None
    assert (renewed.replace(tzinfo=None) - now().replace(tzinfo=None)) > timedelta(minutes=25)  # slid forward
    with sessions.begin() as session:
        session.execute(update(LoginSession).values(expires_at=now() - timedelta(seconds=1)))
    assert actor_for_session(sessions, secret) is None


def test_project_audit_is_for_reviewers_and_units_not_the_public(sessions: sessionmaker[Session],
                                                                 actors: dict[str, Actor]) -> None:
    transition(sessions, actors["unit"], COPY, Action.SUBMIT)
    with sessions() as session:
        trail = queries.project_audit(session, actors["department"], COPY)
        assert [e["action"] for e in trail] == ["workflow.submit", "import"]
        with pytest.raises(PermissionDenied):
            queries.project_audit(session, actors["other_department"], COPY)
        project = session.scalar(select(Project).where(Project.code == COPY))
        assert project is not None and project.review_grade == "优" and project.worst_severity == "warning"


def test_the_approved_version_stays_public_while_an_adjustment_is_reviewed(sessions: sessionmaker[Session],
                                                                          actors: dict[str, Actor]) -> None:
    unit, department, finance = actors["unit"], actors["department"], actors["finance"]

    def approve() -> None:
        transition(sessions, unit, COPY, Action.SUBMIT)
        transition(sessions, department, COPY, Action.START_REVIEW)
        transition(sessions, department, COPY, Action.FORWARD)
        transition(sessions, finance, COPY, Action.APPROVE)

    def public_total() -> object:
        with sessions() as session:
            return queries.show_project(session, PUBLIC, COPY)["table"]["total_wan"]

    with sessions() as session, pytest.raises(PermissionDenied):
        queries.show_project(session, PUBLIC, COPY)
    approve()
    assert public_total() == "15.00"
    transition(sessions, unit, COPY, Action.ADJUST, "追加预算")
    content = _content(sessions, unit, COPY)
    rows = [dict(row) for row in content["indicators"]]  # type: ignore[union-attr]
    rows[0]["name"] = "草稿里的新指标"
    save_draft(sessions, unit, COPY, content | {"total_wan": "18.00", "funding": {"fiscal": "18.00"},
                                                "project_name": "草稿里的新名字", "indicators": rows})
    assert public_total() == "15.00"  # the draft of the adjustment is not public …
    with sessions() as session:  # … nor its name, nor its indicators, nor the fact that it is a draft
        assert [i["name"] for i in queries.list_projects(session, PUBLIC)["items"]] == ["免费复印"]
        assert queries.list_projects(session, PUBLIC, q="草稿里的新指标")["total"] == 0
        assert queries.list_projects(session, PUBLIC, q="纸张使用量")["total"] == 1
        assert queries.list_projects(session, PUBLIC, state="draft")["total"] == 1  # the filter is ignored
        assert queries.show_project(session, PUBLIC, COPY)["name"] == "免费复印"
    with sessions() as session:
        listed = queries.list_projects(session, PUBLIC)["items"]
        assert [(i["code"], i["state"]) for i in listed] == [(COPY, "approved")]
        assert [v["number"] for v in queries.list_versions(session, PUBLIC, COPY)] == [1]
        with pytest.raises(PermissionDenied):
            queries.version_content(session, PUBLIC, COPY, 3)
    approve()
    assert public_total() == "18.00"
    with sessions() as session:
        assert queries.show_project(session, PUBLIC, COPY)["name"] == "草稿里的新名字"
        assert queries.list_projects(session, PUBLIC, q="草稿里的新指标")["total"] == 1


def test_a_unit_cannot_import_over_another_units_project(sessions: sessionmaker[Session],
                                                         actors: dict[str, Actor]) -> None:
    theirs = _content(sessions, actors["unit"], MAIL) | {"unit": {"code": "999001", "name": "另一个单位"},
                                                         "project_name": "被他人覆盖"}
    result = import_as(sessions, actors["other_unit"], json.dumps(theirs, ensure_ascii=False).encode(), "x.json")
    assert result.status == "refused" and "不属于本单位（999001）" in result.diagnostics[-1].message
    with sessions() as session:
        assert len(queries.list_versions(session, actors["unit"], MAIL)) == 1
