"""The system of record on both databases: migrations, exact money, transactional idempotent imports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services import imports
from jixiao.services.imports import import_bytes, import_files
from jixiao.storage.migrate import downgrade, upgrade
from jixiao.storage.models import AuditEntry, ImportBatch, Organization, Project, TableVersion
from tests.test_cli import SEED


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_migrations_create_every_table_and_go_down_and_up_again(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"organizations", "users", "projects", "table_versions", "import_batches", "audit_log"} <= tables
    downgrade(engine, "base")
    assert "projects" not in set(inspect(engine).get_table_names())
    upgrade(engine)
    assert "projects" in set(inspect(engine).get_table_names())


def test_money_is_exact(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        project = Project(code="P1", name="测试")
        session.add(project)
        session.flush()
        session.add(TableVersion(project_id=project.id, number=1, content={}, content_hash="x",
                                 total_wan=Decimal("12345678901234.5678")))
    with sessions() as session:
        stored = session.scalar(select(TableVersion.total_wan))
    assert stored == Decimal("12345678901234.5678")


def test_import_the_seed(sessions: sessionmaker[Session]) -> None:
    (result,) = import_files(sessions, [SEED])
    assert (result.status, result.tables, result.new_versions) == ("imported", 9, 9)
    assert count(sessions, Project) == 9 and count(sessions, TableVersion) == 9
    with sessions() as session:
        unit = session.scalar(select(Organization).where(Organization.code == "145001"))
        assert unit is not None and unit.parent is not None and unit.parent.code == "145"
        first = session.scalar(select(TableVersion).join(Project).where(Project.code == "50011522T000000157087"))
        assert first is not None and first.total_wan == Decimal("15.00")
        assert first.content["indicators"][0]["target"] == "720000"
        assert session.scalar(select(Project.fiscal_year).limit(1)) == 2022
    assert count(sessions, AuditEntry) == 10  # one per version and one for the batch


def test_the_same_file_twice_changes_nothing(sessions: sessionmaker[Session]) -> None:
    import_files(sessions, [SEED])
    (again,) = import_files(sessions, [SEED])
    assert again.status == "unchanged"
    assert count(sessions, TableVersion) == 9 and count(sessions, ImportBatch) == 1


def test_a_changed_table_gets_a_new_version_and_the_old_one_is_kept(sessions: sessionmaker[Session]) -> None:
    import_files(sessions, [SEED])
    changed = SEED.read_text("utf-8").replace("项目总额： 15.00 万元", "项目总额： 16.00 万元")
    result = import_bytes(sessions, changed.encode("utf-8"), "调整后.txt")
    assert (result.status, result.new_versions) == ("imported", 1)
    with sessions() as session:
        versions = session.scalars(select(TableVersion).join(Project)
                                   .where(Project.code == "50011522T000000157087")
                                   .order_by(TableVersion.number)).all()
    assert [(v.number, v.total_wan) for v in versions] == [(1, Decimal("15.00")), (2, Decimal("16.00"))]


def test_a_file_with_read_errors_is_refused_whole(sessions: sessionmaker[Session]) -> None:
    broken = SEED.read_text("utf-8").replace("项目总额：62.68 万元", "项目总额：约62万元")
    result = import_bytes(sessions, broken.encode("utf-8"), "有错误.txt")
    assert result.status == "refused" and any(d.code == "bad-number" for d in result.diagnostics)
    assert count(sessions, Project) == 0 and count(sessions, ImportBatch) == 0


def test_a_crash_in_the_middle_of_an_import_leaves_no_partial_data(
        sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    real = imports._store_table
    calls = {"n": 0}

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("磁盘已满（模拟）")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "_store_table", failing)
    with pytest.raises(RuntimeError):
        import_files(sessions, [SEED])
    for model in (Project, TableVersion, ImportBatch, Organization, AuditEntry):
        assert count(sessions, model) == 0, model.__name__


def test_one_bad_file_does_not_stop_the_others(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    missing = tmp_path / "没有这个文件.txt"
    results = import_files(sessions, [missing, SEED])
    assert [r.status for r in results] == ["refused", "imported"]
    assert "文件不存在" in results[0].diagnostics[0].message


def test_a_file_with_a_target_table_and_its_self_evaluation_imports_both_or_neither(
        sessions: sessionmaker[Session]) -> None:
    from jixiao.io.json_any import dumps_any
    from jixiao.io.reading import read_path
    from jixiao.storage.models import PublishedSelfEvaluation
    from tests.test_selfeval_json import sample

    seed = [r.table for r in read_path(SEED) if r.table is not None]
    lost = msgspec.structs.replace(sample(), project=msgspec.structs.replace(sample().project, code=None,
                                                                           name="没有的项目"))
    refused = import_bytes(sessions, dumps_any([seed[0], lost]).encode("utf-8"), "混合.json")
    assert (refused.status, refused.new_versions) == ("refused", 0)
    (problem,) = [d for d in refused.diagnostics if d.code == "selfeval-no-match"]
    assert problem.severity.value == "error" and "没有的项目" in problem.message
    assert count(sessions, Project) == 0 and count(sessions, TableVersion) == 0  # no partial write
    # the self-evaluation of the project the same file creates: both are stored
    done = import_bytes(sessions, dumps_any([seed[0], sample()]).encode("utf-8"), "混合.json")
    assert (done.status, done.new_versions, done.self_evaluations, done.new_self_evaluations) == ("imported", 1, 1, 1)
    assert count(sessions, PublishedSelfEvaluation) == 1
