"""Projects and indicators across years on SQLite and PostgreSQL: links, corrections, histories and flags."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action
from jixiao.services import history_flags, project_history
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.services.workflow import transition
from jixiao.storage.models import AuditEntry, Project, SelfEvaluation, StoredFinding, TableVersion

COPY = "50011522T000000157087"  # 免费复印 2022 (the seed): 纸张使用量 ≥720000, 墨粉消耗量 ≥192, 群众满意度 ≥95


def _add_year(sessions: sessionmaker[Session], code: str, year: int, targets: dict[str, str],
              actuals: dict[str, str], extra: list[dict[str, Any]] | None = None, name: str = "免费复印") -> None:
    """An earlier year of 免费复印: the 2022 table with other targets, and the unit's self-evaluation of it."""
    with sessions.begin() as session:
        seed = session.scalar(select(Project).where(Project.code == COPY))
        assert seed is not None
        content = copy.deepcopy(session.scalar(select(TableVersion.content).where(TableVersion.project_id == seed.id)))
        content["project_code"] = code
        rows = list(content["indicators"]) + list(extra or [])
        for row in rows:
            if row["name"] in targets:
                row["target"] = row["current_target"] = targets[row["name"]]
        content["indicators"] = rows
        project = Project(code=code, name=name, unit_id=seed.unit_id, fiscal_year=year, state="approved")
        session.add(project)
        session.flush()
        version = TableVersion(project_id=project.id, number=1, content=content, content_hash=f"h{code}")
        session.add(version)
        session.flush()
        scored = [{"index": i, "name": row["name"], "actual": actuals.get(row["name"]), "score": None,
                   "weight": row.get("weight")} for i, row in enumerate(rows)]
        session.add(SelfEvaluation(version_id=version.id, reported={}, result={"indicators": scored},
                                   total=Decimal(90), grade="优", profile="chongqing"))


_WHOLE = {"level1": "产出指标", "level2": "质量指标", "name": "复印机完好率", "operator": "≥", "target": "98",
          "current_target": "98", "unit_of_measure": "%", "weight": "5", "current_weight": "5"}


def _years(sessions: sessionmaker[Session]) -> None:
    _add_year(sessions, "50011520T000000157087", 2020, {"墨粉消耗量": "180", "群众满意度": "90"},
              {"纸张使用量": "700000", "墨粉消耗量": "192", "群众满意度": "100"})
    _add_year(sessions, "50011521T000000157087", 2021,
              {"纸张使用量": "750000", "墨粉消耗量": "192", "减少办事成本": "360000"},
              {"纸张使用量": "800000", "墨粉消耗量": "192", "减少办事成本": "350000", "群众满意度": "100",
               "复印机完好率": "95"}, [_WHOLE])


def _codes(found: dict[str, Any]) -> list[tuple[str, str | None]]:
    return sorted((flag["code"], (flag.get("location") or {}).get("indicator_name")) for flag in found["flags"])


def test_the_years_link_by_serial_and_the_flags_have_known_answers(sessions: sessionmaker[Session],
                                                                   actors: dict[str, Actor]) -> None:
    _years(sessions)
    finance = actors["finance"]
    with sessions() as session:
        view = project_history.link_view(session, finance, COPY)
        found = history_flags.flags(sessions, finance, 2022)
    assert view["previous"] == {"code": "50011521T000000157087", "name": "免费复印", "year": 2021}
    assert view["by"] == "serial" and [p["year"] for p in view["line"]] == [2021, 2020]
    paper = next(row for row in view["indicators"] if row["name"] == "纸张使用量")
    assert [(p["year"], p["target"], p["actual"]) for p in paper["years"]] == [
        (2020, "720000", "700000"), (2021, "750000", "800000"), (2022, "720000", None)]
    assert _codes(found) == [("P007", "纸张使用量"), ("P008", "墨粉消耗量"), ("P009", "群众满意度"), ("P010", None)]
    dropped = next(flag for flag in found["flags"] if flag["code"] == "P010")
    assert "复印机完好率" in dropped["message"] and "实际 95" in dropped["message"]
    assert all(flag["project_code"] == COPY for flag in found["flags"])  # 成本 ≥360000 kept, 2021 missed: no flag


def test_a_finance_user_corrects_the_link_with_a_reason_audited(sessions: sessionmaker[Session],
                                                                actors: dict[str, Actor]) -> None:
    _years(sessions)
    finance = actors["finance"]
    with pytest.raises(project_history.LinkRefused, match="“理由”必填"):
        project_history.correct_link(sessions, finance, COPY, None, "  ")
    with pytest.raises(project_history.LinkRefused, match="之前年度的另一个项目"):
        project_history.correct_link(sessions, finance, COPY, COPY, "自身")
    view = project_history.correct_link(sessions, finance, COPY, None, "2022 年为新设项目，与上年无关")
    assert view["previous"] is None and view["indicators"] == []
    with sessions() as session:
        assert history_flags.flags(sessions, finance, 2022)["flags"] == []
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "project.link"))
    assert entry is not None and entry.before == {"previous": "50011521T000000157087", "by": "serial"}
    assert entry.after == {"previous": None, "by": "manual"} and entry.note == "2022 年为新设项目，与上年无关"
    view = project_history.correct_link(sessions, finance, COPY, "50011520T000000157087", "直接承接 2020 年项目")
    assert view["previous"]["year"] == 2020 and view["by"] == "manual"  # the latest correction counts


def test_only_finance_corrects_and_others_see_only_their_projects(sessions: sessionmaker[Session],
                                                                  actors: dict[str, Actor]) -> None:
    _years(sessions)
    for who in ("unit", "department"):
        with pytest.raises(PermissionDenied, match="跨年度项目关联由财政部门审核人更正"):
            project_history.correct_link(sessions, actors[who], COPY, None, "x")
    with sessions() as session:
        assert _codes(history_flags.flags(sessions, actors["unit"], 2022))[0] == ("P007", "纸张使用量")
        assert history_flags.flags(sessions, actors["other_unit"], 2022)["flags"] == []
        with pytest.raises(PermissionDenied):
            project_history.link_view(session, actors["other_unit"], COPY)


def test_a_project_without_a_code_serial_links_by_unit_and_name(sessions: sessionmaker[Session],
                                                                actors: dict[str, Actor]) -> None:
    _add_year(sessions, "CQ-2021-COPY", 2021, {"纸张使用量": "750000"}, {"纸张使用量": "800000"},
              name="免费复印（一般性）")
    with sessions() as session:
        view = project_history.link_view(session, actors["finance"], COPY)
    assert view["previous"]["code"] == "CQ-2021-COPY" and view["by"] == "name_unit"


def test_submitting_the_next_year_stores_the_cross_year_findings(sessions: sessionmaker[Session],
                                                                  actors: dict[str, Actor]) -> None:
    """What is stored at submission is what the project page showed: the review with the past years."""
    _years(sessions)
    transition(sessions, actors["unit"], COPY, Action.SUBMIT, override_reason="测试：跨年度复核")
    with sessions() as session:
        project = session.scalar(select(Project).where(Project.code == COPY))
        assert project is not None
        stored = set(session.scalars(select(StoredFinding.code).join(TableVersion)
                                     .where(TableVersion.project_id == project.id)))
    assert {"P007", "P010"} <= stored


def test_the_api_gives_the_history_and_takes_a_correction_in_the_one_envelope(sessions: sessionmaker[Session],
                                                                              actors: dict[str, Actor]) -> None:
    """The project page's 跨年度 part through the API: what link_view says, typed; a correction needs a reason and a
    finance reviewer; the public is refused (the page shows it no history either)."""
    from fastapi.testclient import TestClient

    from jixiao.domain.workflow import Role
    from jixiao.services.accounts import add_user, issue_token
    from jixiao.services.context import AppContext
    from jixiao.web.app import create_app

    _years(sessions)
    add_user(sessions, "caizheng", "correct-horse-battery", Role.FINANCE_REVIEWER, None, "区财政局")
    add_user(sessions, "danwei", "correct-horse-battery", Role.UNIT_EDITOR, "145001", "单位")
    finance = {"Authorization": f"Bearer {issue_token(sessions, 'caizheng', 'test')}"}
    unit = {"Authorization": f"Bearer {issue_token(sessions, 'danwei', 'test')}"}
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    got = client.get(f"/api/v1/projects/{COPY}/history", headers=unit)
    with sessions() as session:
        expected = project_history.link_view(session, actors["unit"], COPY)
    assert got.status_code == 200 and got.json() == expected
    assert got.json()["previous"]["code"] == "50011521T000000157087" and got.json()["by"] == "serial"
    assert client.get(f"/api/v1/projects/{COPY}/history").status_code == 403  # the public
    refused = client.post(f"/api/v1/projects/{COPY}/history/link", headers=finance,
                          json={"previous": None, "reason": " "})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "project_link_refused"
    denied = client.post(f"/api/v1/projects/{COPY}/history/link", headers=unit, json={"previous": None, "reason": "x"})
    assert denied.status_code == 403
    done = client.post(f"/api/v1/projects/{COPY}/history/link", headers=finance,
                       json={"previous": None, "reason": "2021 年的项目已撤销，本项目为新设"})
    assert done.status_code == 200 and done.json()["previous"] is None and done.json()["line"] == []
    with sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "project.link"))
    assert entry is not None and entry.note == "2021 年的项目已撤销，本项目为新设"
