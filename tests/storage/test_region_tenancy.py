"""Tenancy across three regions, read by read.

The audit log is read region by region (issue 12, defect 5): a finance bureau sees only entries
about its own region's projects — workflow steps with their comments, saves, imports,
self-evaluations; the lists every caller gets are its region's projects (the public: approved ones).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import State
from jixiao.services.context import AppContext
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.storage.models import AuditEntry, MonitoringReport, Project, SelfEvaluation, TableVersion
from jixiao.web.app import create_app
from tests.storage.conftest import _postgres_engine
from tests.storage.regions import World, build


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def region_db(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sessionmaker[Session], World]]:
    """The three regions, built once per database for this module (its tests only read)."""
    if request.param == "sqlite":
        engines: Iterator[Engine] = iter([make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'audit.sqlite3'}")])
    else:
        engines = _postgres_engine()
    for engine in engines:
        upgrade(engine)
        sessions = session_factory(engine)
        yield sessions, build(sessions, passwords=False)
        engine.dispose()


@pytest.fixture
def sessions(region_db: tuple[sessionmaker[Session], World]) -> sessionmaker[Session]:
    return region_db[0]


@pytest.fixture
def world(region_db: tuple[sessionmaker[Session], World]) -> World:
    return region_db[1]


def _region_of(session: Session, object_type: str, object_id: int | None) -> str | None:
    """The region an entry is about, from its object's project code (they start with the region's code)."""
    versions = select(TableVersion.project_id)
    if object_type == "project":
        projects = select(Project.code).where(Project.id == object_id)
    elif object_type == "table_version":
        projects = select(Project.code).where(Project.id.in_(versions.where(TableVersion.id == object_id)))
    elif object_type == "import_batch":
        projects = select(Project.code).where(Project.id.in_(versions.where(TableVersion.import_batch_id == object_id)))
    elif object_type in ("self_evaluation", "monitoring_report"):
        model = SelfEvaluation if object_type == "self_evaluation" else MonitoringReport
        version = select(model.version_id).where(model.id == object_id).scalar_subquery()
        projects = select(Project.code).where(Project.id.in_(versions.where(TableVersion.id == version)))
    else:
        return None
    regions = {code[:6] for code in session.scalars(projects)}
    return regions.pop() if len(regions) == 1 else None


def _read_all(client: TestClient, token: str) -> dict[str, Any]:
    response = client.get("/api/v1/audit?per_page=200", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["total"] == len(body["items"]) < 200
    return body


def test_regional_finance_reads_only_its_own_regions_audit_log(sessions: sessionmaker[Session],
                                                               world: World) -> None:
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    with sessions() as session:
        everything = [(e.object_type, e.object_id, _region_of(session, e.object_type, e.object_id))
                      for e in session.scalars(select(AuditEntry).where(AuditEntry.object_type != "user"))]
        # accounts added and tokens issued: administration, read by administrators only (and the whole-system bureau)
        administration = len(session.scalars(select(AuditEntry).where(AuditEntry.object_type == "user")).all())
    assert administration > 0
    assert {region for *_, region in everything} == set(world.regions)  # every other entry is about one region
    for code, region in world.regions.items():
        items = _read_all(client, world.tokens[region.users["finance"]])["items"]
        with sessions() as session:
            about = {_region_of(session, i["object_type"], i["object_id"]) for i in items}
        assert about == {code}, (code, about)
        assert len(items) == sum(r == code for *_, r in everything)  # all of its own, none of the others'
        kinds = {i["object_type"] for i in items}
        assert kinds == {"project", "table_version", "import_batch", "self_evaluation", "monitoring_report"}
        notes = {i["note"] for i in items}
        assert region.return_comment() in notes  # its review comments …
        assert not [o for o in world.regions.values() if o is not region and o.return_comment() in notes]  # … only
    assert _read_all(client, world.tokens["admin"])["total"] == len(everything) + administration


def test_only_finance_and_administrators_read_the_audit_log(sessions: sessionmaker[Session], world: World) -> None:
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    region = world.regions["500116"]
    for who in (region.users["unit"], region.users["department"]):
        refused = client.get("/api/v1/audit", headers={"Authorization": f"Bearer {world.tokens[who]}"})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/audit").status_code == 403


def test_the_other_audit_readers_stay_in_the_region(sessions: sessionmaker[Session], world: World) -> None:
    """The home page's recent activity and a project's audit trail list only what the reader may see."""
    from jixiao.services.dashboard import recent_activity
    from jixiao.services.permissions import ProjectNotFound
    from jixiao.services.queries import project_audit

    with sessions() as session:
        for code, region in world.regions.items():
            for who in region.users.values():
                activity = recent_activity(session, world.actors[who], limit=100)
                assert activity and {a["code"][:6] for a in activity} == {code}, who
            mine = region.projects[State.DRAFT]
            notes = {e["note"] for e in project_audit(session, world.actors[region.users["finance"]], mine)}
            assert region.return_comment() in notes
            for other in world.regions.values():
                if other is not region:
                    with pytest.raises(ProjectNotFound):
                        project_audit(session, world.actors[other.users["finance"]], mine)


def test_every_caller_lists_exactly_the_projects_of_its_region(sessions: sessionmaker[Session], world: World) -> None:
    """The lists behind the matrix's 200s: the public sees every region's approved tables, a region's unit,
    department and finance bureau its own five projects, the administrator all fifteen."""
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)

    def listed(token: str | None) -> set[str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = client.get("/api/v1/projects?per_page=200", headers=headers).json()
        assert body["total"] == len(body["items"])
        return {item["code"] for item in body["items"]}

    every = {code for region in world.regions.values() for code in region.projects.values()}
    assert listed(None) == {region.projects[State.APPROVED] for region in world.regions.values()}
    assert listed(world.tokens["admin"]) == every and len(every) == 15
    for region in world.regions.values():
        for who in region.users.values():
            assert listed(world.tokens[who]) == set(region.projects.values()), who
