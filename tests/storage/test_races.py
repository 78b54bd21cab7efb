"""Writes made at the same moment, on SQLite and PostgreSQL: exactly one wins, the other is refused (409).

Each race runs two real threads, each with its own session and connection from the engine's pool,
lined up on a barrier so that both read before either writes (as two people clicking at once do).
Nothing sleeps: whichever order the databases serialise them in, the outcome asserted is the same —
one success, one typed refusal (never a 500 from a unique key or a lost update), and the rows left
behind (state, review records, audit entries, versions, import batches) counted exactly.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, Role, State
from jixiao.services.concurrency import ChangedMeanwhile
from jixiao.services.editing import save_draft
from jixiao.services.errors import ServiceError, as_service_error
from jixiao.services.imports import ImportResult, import_bytes
from jixiao.services.permissions import Actor
from jixiao.services.workflow import TransitionResult, transition
from jixiao.storage.models import AuditEntry, ImportBatch, Project, ReviewRecord, TableVersion, User

TRIALS = 10
COPY = "50011522T000000157087"  # 免费复印: warnings only, so it can be submitted without an override


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in parallel threads released together; each gives its result or the exception it raised."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait(timeout=30)
        try:
            return call()
        except Exception as error:  # the outcome is asserted by the caller, whatever it is
            return error

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def refusal(outcome: Any) -> ServiceError:
    """The outcome as a 409 refusal; anything else (a unique-key error, a lost update's success) fails the test."""
    error = as_service_error(outcome) if isinstance(outcome, Exception) else None
    assert error is not None and error.status == 409, f"expected a 409 refusal, got {outcome!r}"
    return error


def one_wins(outcomes: list[Any], kind: type) -> tuple[Any, ServiceError]:
    """Exactly one outcome is a success of ``kind``, the other a 409 refusal."""
    won = [o for o in outcomes if isinstance(o, kind)]
    assert len(won) == 1, f"expected exactly one success, got {outcomes!r}"
    (lost,) = [o for o in outcomes if o is not won[0]]
    return won[0], refusal(lost)


def put(sessions: sessionmaker[Session], code: str, state: State) -> None:
    with sessions.begin() as session:
        session.execute(update(Project).where(Project.code == code).values(state=state.value))


def snapshot(sessions: sessionmaker[Session], code: str) -> tuple[str, int, int, int]:
    """(state, review records, workflow audit entries, versions) of the project."""
    with sessions() as session:
        project = session.scalar(select(Project).where(Project.code == code))
        assert project is not None
        versions = select(TableVersion.id).where(TableVersion.project_id == project.id)
        records = session.scalar(select(func.count()).select_from(ReviewRecord)
                                 .where(ReviewRecord.version_id.in_(versions))) or 0
        audits = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "project", AuditEntry.object_id == project.id,
            AuditEntry.action.like("workflow.%"))) or 0
        number = session.scalar(select(func.count()).select_from(versions.subquery())) or 0
        return project.state, records, audits, number


def second(sessions: sessionmaker[Session], like: Actor, username: str) -> Actor:
    """Another user with the same role and organisation (a colleague at another desk)."""
    with sessions.begin() as session:
        user = User(username=username, display_name=username, role=like.role.value if like.role else "",
                    organization_id=like.organization_id)
        session.add(user)
        session.flush()
        return Actor(user.id, like.role, like.organization_id)


@pytest.mark.parametrize(("start", "action", "who", "comment", "end"), [
    (State.DEPARTMENT_REVIEW, Action.FORWARD, "department", None, State.FINANCE_REVIEW),
    (State.FINANCE_REVIEW, Action.APPROVE, "finance", None, State.APPROVED),
    (State.SUBMITTED, Action.RETURN, "department", "金额与总额不符", State.DRAFT),
    (State.DRAFT, Action.SUBMIT, "unit", None, State.SUBMITTED),
])
def test_the_same_step_twice_at_once_happens_once(sessions: sessionmaker[Session], actors: dict[str, Actor],
                                                  start: State, action: Action, who: str, comment: str | None,
                                                  end: State) -> None:
    """Two people of the same desk (two finance users approving, a double click) take one step: one record."""
    colleague = second(sessions, actors[who], f"{who}-2")
    for trial in range(TRIALS):
        put(sessions, COPY, start)
        _state, records, audits, versions = snapshot(sessions, COPY)
        outcomes = race(lambda: transition(sessions, actors[who], COPY, action, comment),
                        lambda: transition(sessions, colleague, COPY, action, comment))
        won, lost = one_wins(outcomes, TransitionResult)
        assert (won.from_state, won.to_state) == (start.value, end.value), trial
        assert "草稿" in lost.message or "状态" in lost.message or "改动" in lost.message
        assert snapshot(sessions, COPY) == (end.value, records + 1, audits + 1, versions), trial


def test_forward_and_return_at_once_one_wins_and_the_state_matches_the_record(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """The probe's case: a department sends the project ``forward`` and ``return`` at once, both planned from
    主管部门审核中. Exactly one is applied; the other is told the table changed meanwhile and what it is now."""
    department = actors["department"]
    for trial in range(TRIALS):
        put(sessions, COPY, State.DEPARTMENT_REVIEW)
        _state, records, audits, versions = snapshot(sessions, COPY)
        outcomes = race(lambda: transition(sessions, department, COPY, Action.FORWARD,
                                           expected_state=State.DEPARTMENT_REVIEW),
                        lambda: transition(sessions, department, COPY, Action.RETURN, "请补充佐证材料",
                                           expected_state=State.DEPARTMENT_REVIEW))
        won, lost = one_wins(outcomes, TransitionResult)
        assert isinstance(lost, ChangedMeanwhile) and lost.code == "changed_meanwhile"
        now = {"finance_review": "财政部门审核中", "draft": "草稿"}[won.to_state]
        assert f"现在是“{now}" in lost.message and "已被他人改动" in lost.message, lost.message
        assert snapshot(sessions, COPY) == (won.to_state, records + 1, audits + 1, versions), trial


def test_steps_at_once_without_an_expected_state_are_serialised(sessions: sessionmaker[Session],
                                                                actors: dict[str, Actor]) -> None:
    """Without the state the caller saw, forward then return is a legal sequence; what must never happen is a
    lost update: the records must chain (each step starts where the last ended) and end in the project's state."""
    department = actors["department"]
    for trial in range(TRIALS):
        put(sessions, COPY, State.DEPARTMENT_REVIEW)
        with sessions() as session:
            before = session.scalar(select(func.max(ReviewRecord.id))) or 0
        outcomes = race(lambda: transition(sessions, department, COPY, Action.FORWARD),
                        lambda: transition(sessions, department, COPY, Action.RETURN, "请补充佐证材料"))
        for outcome in outcomes:
            if not isinstance(outcome, TransitionResult):
                refusal(outcome)
        with sessions() as session:
            steps = [(r.from_state, r.to_state) for r in session.scalars(
                select(ReviewRecord).where(ReviewRecord.id > before).order_by(ReviewRecord.id))]
            state = session.scalar(select(Project.state).where(Project.code == COPY))
        assert len(steps) == sum(isinstance(o, TransitionResult) for o in outcomes) >= 1, trial
        chain = [State.DEPARTMENT_REVIEW.value] + [to for _from, to in steps]
        assert [f for f, _to in steps] == chain[:-1] and chain[-1] == state, (trial, steps, state)


def test_two_adjustments_at_once_make_one_new_version(sessions: sessionmaker[Session],
                                                      actors: dict[str, Actor]) -> None:
    colleague = second(sessions, actors["unit"], "unit-2")
    for trial in range(TRIALS):
        put(sessions, COPY, State.APPROVED)
        _state, records, audits, versions = snapshot(sessions, COPY)
        outcomes = race(lambda: transition(sessions, actors["unit"], COPY, Action.ADJUST, "年中调整预算"),
                        lambda: transition(sessions, colleague, COPY, Action.ADJUST, "年中调整预算"))
        won, _lost = one_wins(outcomes, TransitionResult)
        assert won.version == versions + 1, trial
        assert snapshot(sessions, COPY) == ("draft", records + 1, audits + 1, versions + 1), trial


def _edited(sessions: sessionmaker[Session], name: str) -> dict[str, Any]:
    with sessions() as session:
        content = session.scalars(select(TableVersion.content).join(Project).where(Project.code == COPY)
                                  .order_by(TableVersion.number.desc())).first()
    assert content is not None
    return dict(content) | {"project_name": name}


def test_two_editors_saving_from_the_same_version(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """Both started from version n: one saves n+1, the other gets the refusal a later save would get."""
    colleague = second(sessions, actors["unit"], "unit-2")
    for trial in range(TRIALS):
        *_, versions = snapshot(sessions, COPY)
        mine, theirs = _edited(sessions, f"免费复印（甲{trial}）"), _edited(sessions, f"免费复印（乙{trial}）")
        outcomes = race(partial(save_draft, sessions, actors["unit"], COPY, mine, versions),
                        partial(save_draft, sessions, colleague, COPY, theirs, versions))
        won, lost = one_wins(outcomes, dict)
        assert won == {"version": versions + 1, "saved": True}, trial
        assert lost.code == "workflow_refused"
        assert lost.message == (f"本表已有更新的版本（第{versions + 1}版），您是在第{versions}版上修改的；"
                                "请复制您的修改后刷新页面再保存")
        assert snapshot(sessions, COPY)[3] == versions + 1, trial


def test_a_save_and_a_submission_at_once_never_submit_an_unreviewed_version(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """Either the save comes first (and the submission reviews the saved version) or the submission does
    (and the save is refused because the table is no longer a draft)."""
    for trial in range(TRIALS):
        put(sessions, COPY, State.DRAFT)
        *_, versions = snapshot(sessions, COPY)
        edited = _edited(sessions, f"免费复印（{trial}）")
        outcomes = race(partial(save_draft, sessions, actors["unit"], COPY, edited, versions),
                        partial(transition, sessions, actors["unit"], COPY, Action.SUBMIT))
        saved, submitted = outcomes
        assert isinstance(submitted, TransitionResult), submitted
        if isinstance(saved, dict):
            assert submitted.version == versions + 1, trial  # the submission reviewed what was saved
        else:
            assert "只有草稿可以修改" in refusal(saved).message
            assert submitted.version == versions
        assert snapshot(sessions, COPY)[0] == "submitted"


def _file(code: str, name: str) -> bytes:
    from jixiao.io.json_format import table_to_dict
    from jixiao.io.reading import read_bytes
    from tests.test_cli import SEED

    table = next(r.table for r in read_bytes(SEED.read_bytes(), "seed.txt") if r.table is not None)
    return json.dumps(table_to_dict(table, with_source=False) | {"project_code": code, "project_name": name},
                      ensure_ascii=False).encode("utf-8")


def _counts(sessions: sessionmaker[Session], code: str, digest_of: bytes) -> tuple[int, int, int]:
    from jixiao.storage.repository import content_hash

    with sessions() as session:
        batches = session.scalar(select(func.count()).select_from(ImportBatch)
                                 .where(ImportBatch.content_hash == content_hash(digest_of))) or 0
        projects = session.scalar(select(func.count()).select_from(Project).where(Project.code == code)) or 0
        versions = session.scalar(select(func.count()).select_from(TableVersion).join(Project)
                                  .where(Project.code == code)) or 0
    return batches, projects, versions


def test_the_same_file_imported_twice_at_once(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """As one after the other: one import, one "unchanged" — never a 500 from the unique file hash."""
    for trial in range(TRIALS):
        code = f"50011522T0000009990{trial:02d}"
        data = _file(code, f"并发导入{trial}")
        once = partial(import_bytes, sessions, data, "同一个文件.json", actors["unit"].user_id, "145001")
        outcomes = race(once, once)
        assert all(isinstance(o, ImportResult) for o in outcomes), outcomes
        assert sorted(o.status for o in outcomes) == ["imported", "unchanged"], (trial, outcomes)
        assert _counts(sessions, code, data) == (1, 1, 1), trial


def test_two_files_creating_the_same_project_at_once(sessions: sessionmaker[Session],
                                                     actors: dict[str, Actor]) -> None:
    """Two different files for one new project: as in turn, both are imported, as versions 1 and 2."""
    for trial in range(TRIALS):
        code = f"50011522T0000009991{trial:02d}"
        first, later = _file(code, f"甲{trial}"), _file(code, f"乙{trial}")
        outcomes = race(partial(import_bytes, sessions, first, "甲.json", None, "145001"),
                        partial(import_bytes, sessions, later, "乙.json", None, "145001"))
        assert [(o.status, o.new_versions) for o in outcomes] == [("imported", 1), ("imported", 1)], outcomes
        with sessions() as session:
            numbers = sorted(session.scalars(select(TableVersion.number).join(Project).where(Project.code == code)))
        assert numbers == [1, 2], trial


def test_a_stale_page_is_refused_with_the_state_now(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """The page said 主管部门审核中; meanwhile it was forwarded: the return clicked on it is not applied."""
    put(sessions, COPY, State.FINANCE_REVIEW)
    with pytest.raises(ChangedMeanwhile, match="现在是“财政部门审核中，第1版”") as refused:
        transition(sessions, actors["department"], COPY, Action.RETURN, "请补充",
                   expected_state=State.DEPARTMENT_REVIEW)
    assert refused.value.status == 409
    assert snapshot(sessions, COPY)[:2] == ("finance_review", 0)


def test_two_finance_users_approving_at_once_through_the_api(sessions: sessionmaker[Session]) -> None:
    """Over HTTP: one 200, one 409 in the error envelope with a Chinese reason; one approval recorded."""
    from fastapi.testclient import TestClient

    from jixiao.domain.workflow import Role
    from jixiao.services.accounts import add_user, issue_token
    from jixiao.services.context import AppContext
    from jixiao.services.demo import load_demo
    from jixiao.web.app import create_app

    tokens = {user: token for user, _role, _password, token in load_demo(sessions).accounts}
    add_user(sessions, "finance2", "另一位财政审核人-123", Role.FINANCE_REVIEWER, None, "财政局第二审核人")
    tokens["finance2"] = issue_token(sessions, "finance2", "测试")
    app = create_app(AppContext(sessions))
    clients = [TestClient(app, raise_server_exceptions=False) for _ in range(2)]
    code = "50011522T000000132158"  # in finance review in the demo
    for trial in range(TRIALS):
        put(sessions, code, State.FINANCE_REVIEW)
        _state, records, audits, versions = snapshot(sessions, code)
        responses = race(*(lambda c=client, who=who: c.post(
            f"/api/v1/projects/{code}/transitions", json={"action": "approve"},
            headers={"Authorization": f"Bearer {tokens[who]}"}) for client, who in zip(clients, ("finance", "finance2"),
                                                                                          strict=True)))
        assert sorted(r.status_code for r in responses) == [200, 409], (trial, [r.text for r in responses])
        error = next(r for r in responses if r.status_code == 409).json()["error"]
        assert error["code"] in {"changed_meanwhile", "workflow_refused"} and "已批复" in error["message"], error
        assert snapshot(sessions, code) == ("approved", records + 1, audits + 1, versions), trial


def test_a_stale_page_through_the_api_and_the_project_page(sessions: sessionmaker[Session],
                                                           actors: dict[str, Actor]) -> None:
    """``expected_state`` on the API and the project page's form: the same 409, with the state now."""
    from fastapi.testclient import TestClient

    from jixiao.services.accounts import add_user, issue_token, login
    from jixiao.services.context import AppContext
    from jixiao.web.app import create_app
    from jixiao.web.deps import csrf_for
    from jixiao.web.settings import SESSION_COOKIE

    add_user(sessions, "reviewer", "审核人的密码-2022", Role.DEPARTMENT_REVIEWER, "145")
    token = issue_token(sessions, "reviewer", "测试")
    signed = login(sessions, "reviewer", "审核人的密码-2022")
    assert signed is not None
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    put(sessions, COPY, State.FINANCE_REVIEW)
    api = client.post(f"/api/v1/projects/{COPY}/transitions", headers={"Authorization": f"Bearer {token}"},
                      json={"action": "return", "comment": "请补充", "expected_state": "department_review"})
    assert api.status_code == 409 and api.json()["error"]["code"] == "changed_meanwhile"
    assert "现在是“财政部门审核中" in api.json()["error"]["message"]
    page = client.post(f"/projects/{COPY}/transition", headers={"Cookie": f"{SESSION_COOKIE}={signed[0]}"},
                       data={"action": "return", "comment": "请补充", "expected_state": "department_review",
                             "csrf_token": csrf_for(signed[0])})
    assert page.status_code == 409 and "已被他人改动" in page.text and "请补充" in page.text  # the comment is kept
    assert snapshot(sessions, COPY)[:2] == ("finance_review", 0)


def test_two_files_touching_the_same_projects_in_opposite_orders(sessions: sessionmaker[Session],
                                                                 actors: dict[str, Actor]) -> None:
    """File A holds projects 1 and 2, file B holds 2 and 1: imported at once, neither deadlocks — both are
    imported, as one after the other (four new versions)."""
    other = "50011522T000000132376"

    def both(first: str, then: str, name: str) -> bytes:
        tables = [json.loads(_file(code, f"{name}{code[-4:]}")) for code in (first, then)]
        return json.dumps(tables, ensure_ascii=False).encode("utf-8")

    for trial in range(TRIALS):
        before = snapshot(sessions, COPY)[3] + snapshot(sessions, other)[3]
        outcomes = race(partial(import_bytes, sessions, both(COPY, other, f"甲{trial}"), "甲.json", None, "145001"),
                        partial(import_bytes, sessions, both(other, COPY, f"乙{trial}"), "乙.json", None, "145001"))
        assert [(o.status, o.new_versions) for o in outcomes] == [("imported", 2), ("imported", 2)], outcomes
        assert snapshot(sessions, COPY)[3] + snapshot(sessions, other)[3] == before + 4, trial


def test_the_same_organisation_file_imported_twice_at_once(sessions: sessionmaker[Session],
                                                           tmp_path: Path) -> None:
    """As in turn: one creates the three organisations, the other updates them (never a unique-key error)."""
    from jixiao.services.organizations import OrgImport, import_organizations
    from jixiao.storage.models import Organization

    for trial in range(TRIALS):
        path = tmp_path / f"orgs{trial}.csv"
        path.write_text(f"编码,名称,类型,上级编码\n9{trial}0000,财政局{trial},财政,\n9{trial}1,部门{trial},主管部门,9{trial}0000\n"
                        f"9{trial}1001,单位{trial},单位,9{trial}1\n", "utf-8")
        outcomes = race(partial(import_organizations, sessions, path), partial(import_organizations, sessions, path))
        assert all(isinstance(o, OrgImport) and not o.diagnostics for o in outcomes), outcomes
        assert sorted((o.created, o.updated) for o in outcomes) == [(0, 3), (3, 0)], (trial, outcomes)
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(Organization)
                                  .where(Organization.code.like(f"9{trial}%"))) == 3


def test_an_import_that_loses_every_time_is_refused_not_a_500(sessions: sessionmaker[Session],
                                                              actors: dict[str, Actor],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import IntegrityError

    from jixiao.services import imports

    tries = []

    def always_lost(*_args: object) -> ImportResult:
        tries.append(1)
        raise IntegrityError("INSERT …", {}, Exception("duplicate key"))

    monkeypatch.setattr(imports, "_import_once", always_lost)
    result = import_bytes(sessions, _file("50011522T000000999777", "总是冲突"), "冲突.json", None, "145001")
    assert (result.status, len(tries)) == ("refused", imports.ATTEMPTS)
    assert result.diagnostics[-1].message.startswith("文件中的项目正被同时导入或修改，本文件未导入")
