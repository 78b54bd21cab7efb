"""What an import may not do (both databases): create organisations unless an administrator imports, use
another region's project codes, or answer with unbounded diagnostics; and what the public may not sort by."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services import queries
from jixiao.services.context import AppContext
from jixiao.services.demo import load_demo
from jixiao.services.errors import InvalidInput
from jixiao.services.imports import import_as, import_bytes
from jixiao.services.permissions import PUBLIC, Actor
from jixiao.storage.models import ImportBatch, Organization, Project
from jixiao.web.app import create_app
from tests.storage.test_workflow_service import COPY
from tests.test_cli import SEED

HOSTILE = "<script>alert(1)</script>恶意部门"


def _table(sessions: sessionmaker[Session], actor: Actor, **change: object) -> dict[str, object]:
    with sessions() as session:
        return dict(queries.show_project(session, actor, COPY)["table"]) | change


def _count(sessions: sessionmaker[Session], model: type, *where: object) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _under_region(sessions: sessionmaker[Session], region: str = "500115") -> None:
    with sessions.begin() as session:
        finance = Organization(code=region, name="重庆市长寿区财政局", kind="finance")
        session.add(finance)
        session.flush()
        session.execute(update(Organization).where(Organization.code == "145").values(parent_id=finance.id))


def test_a_unit_cannot_create_organisations_by_importing(sessions: sessionmaker[Session],
                                                         actors: dict[str, Actor]) -> None:
    tables = [_table(sessions, actors["unit"], department={"code": "998", "name": HOSTILE},
                     project_code="50011522T000000999001"),
              _table(sessions, actors["unit"], department={"code": "997", "name": HOSTILE},
                     project_code="50011522T000000999002")]
    result = import_as(sessions, actors["unit"], json.dumps(tables, ensure_ascii=False).encode(), "两张表.json")
    assert result.status == "refused"
    unknown = [d for d in result.diagnostics if d.code == "import-unknown-organization"]
    assert len(unknown) == 2  # one per table, each naming its code
    assert "998" in unknown[0].message and "997" in unknown[1].message and "管理员" in unknown[0].message
    assert _count(sessions, Organization, Organization.code.in_(["998", "997"])) == 0
    assert _count(sessions, Project, Project.code.like("50011522T000000999%")) == 0  # nothing written
    with sessions() as session:
        assert all(o["code"] not in ("998", "997") for o in queries.list_organizations(session))


def test_an_administrator_import_still_creates_organisations(sessions: sessionmaker[Session],
                                                             actors: dict[str, Actor]) -> None:
    with sessions.begin() as session:
        from jixiao.storage.models import User

        admin = User(username="admin", display_name="管理员", role=Role.ADMIN.value)
        session.add(admin)
        session.flush()
        actor = Actor(admin.id, Role.ADMIN)
    table = _table(sessions, actors["unit"], department={"code": "998", "name": "新的主管部门"},
                   unit={"code": "998001", "name": "新的单位"}, project_code="50011522T000000999003")
    result = import_as(sessions, actor, json.dumps(table, ensure_ascii=False).encode(), "新单位.json")
    assert result.status == "imported", result.diagnostics
    assert _count(sessions, Organization, Organization.code.in_(["998", "998001"])) == 2


def test_project_codes_must_carry_the_units_region(sessions: sessionmaker[Session],
                                                   actors: dict[str, Actor]) -> None:
    _under_region(sessions)
    elsewhere = _table(sessions, actors["unit"], project_code="50011622T000000999004")
    result = import_as(sessions, actors["unit"], json.dumps(elsewhere, ensure_ascii=False).encode(), "别处.json")
    assert result.status == "refused"
    mismatch = [d for d in result.diagnostics if d.code == "import-region-mismatch"]
    assert len(mismatch) == 1 and "500116" in mismatch[0].message and "500115" in mismatch[0].message
    assert _count(sessions, Project, Project.code == "50011622T000000999004") == 0
    here = _table(sessions, actors["unit"], project_code="50011522T000000999005")
    assert import_as(sessions, actors["unit"], json.dumps(here, ensure_ascii=False).encode(),
                     "本地.json").status == "imported"


def _junk(lines: int) -> str:
    return "".join(f"无法识别的第{n}行：{'噪' * 30}\n" for n in range(lines))


def test_import_diagnostics_are_capped_and_summarised(sessions: sessionmaker[Session]) -> None:
    refused = import_bytes(sessions, _junk(5000).encode(), "junk.txt")
    assert refused.status == "refused"
    assert len(refused.diagnostics) <= 205
    summary = [d for d in refused.diagnostics if d.code == "diagnostics-truncated"]
    assert summary and "另有" in summary[0].message and "stray-line" in summary[0].message
    assert len(json.dumps(refused.to_dict(), ensure_ascii=False)) < 100_000
    imported = import_bytes(sessions, (_junk(3000) + SEED.read_text(encoding="utf-8")).encode(), "seed+junk.txt")
    assert imported.status == "imported" and len(imported.diagnostics) <= 205
    with sessions() as session:
        stored = session.scalar(select(ImportBatch.diagnostics).where(ImportBatch.id == imported.batch_id))
    assert stored is not None and len(stored) <= 205
    assert any(d["code"] == "diagnostics-truncated" and "2800" in d["message"] for d in stored)


def test_the_public_cannot_sort_by_internal_state(sessions: sessionmaker[Session]) -> None:
    load_demo(sessions)
    with sessions() as session:
        with pytest.raises(InvalidInput, match="公众只能按"):
            queries.list_projects(session, PUBLIC, sort="-state")
        assert queries.list_projects(session, PUBLIC, sort="-year")["total"] == 2
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    refused = client.get("/api/v1/projects?sort=-state")
    assert refused.status_code == 422 and "公众只能按" in refused.json()["error"]["message"]
    assert client.get("/api/v1/projects?sort=-name").status_code == 200


def test_the_editor_cannot_move_a_table_to_another_organisation(sessions: sessionmaker[Session],
                                                                actors: dict[str, Actor]) -> None:
    """The sibling in the editor: a unit's saved draft must keep the unit and department the project belongs to."""
    from jixiao.services.editing import OwnerFixed, save_draft

    moved = _table(sessions, actors["unit"], unit={"code": "999001", "name": "另一个单位"})
    with pytest.raises(OwnerFixed, match="「单位编码」由账号所属单位确定，不能修改（应为 145001"):
        save_draft(sessions, actors["unit"], COPY, moved, 1)
    hostile = _table(sessions, actors["unit"], department={"code": "998", "name": HOSTILE})
    with pytest.raises(OwnerFixed, match="「主管部门编码」由账号所属单位确定，不能修改（应为 145"):
        save_draft(sessions, actors["unit"], COPY, hostile, 1)
    renamed = _table(sessions, actors["unit"], contact_person="张三")
    assert save_draft(sessions, actors["unit"], COPY, renamed, 1)["saved"] is True


def test_submission_diagnostics_are_capped_too(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    from jixiao.services.submissions import SubmissionError, submit_self_evaluation
    from tests.storage.test_integrity import approve

    approve(sessions, actors, COPY)  # self-evaluations are of approved tables only
    rows = [{"indicator": f"没有这个指标{n}", "actual": "1"} for n in range(400)]
    with pytest.raises(SubmissionError) as refused:
        submit_self_evaluation(sessions, actors["unit"], COPY, rows, None)
    assert "有 405 处错误" in refused.value.message  # the count is of them all (400 rows, 5 indicators missing)
    assert 200 < len(refused.value.details) <= 205
    assert any(d["code"] == "diagnostics-truncated" for d in refused.value.details)
