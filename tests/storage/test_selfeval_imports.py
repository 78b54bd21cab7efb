"""Published self-evaluation tables through the import, on SQLite and PostgreSQL (issue 14 §5).

Each table is matched to its project by code, else by name and 实施单位 (or 主管部门); several candidates
are reported with all of them and no match is reported, both refusing the whole file; what is stored reads
back equal to what was read, as immutable versions; importing the same content again adds nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import CodedName, Severity
from jixiao.io.reading import read_bytes
from jixiao.services.imports import import_as, import_bytes
from jixiao.services.permissions import Actor
from jixiao.services.published_selfeval import latest_published, stored_table
from jixiao.storage.models import AuditEntry, ImportBatch, Project, PublishedSelfEvaluation
from tests.selfeval_docs import as_bytes, document, filled, seed_tables, unnamed

COPY = "50011522T000000157087"  # 免费复印
TECH = "50011522T000000132369"  # 技术服务
UNIT = CodedName("145001", "重庆市长寿区政务服务管理办公室（本级）")


def _stored(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(PublishedSelfEvaluation)) or 0


def _project(sessions: sessionmaker[Session], code: str) -> Project:
    with sessions() as session:
        found = session.scalar(select(Project).where(Project.code == code))
        assert found is not None
        return found


def test_a_table_matched_by_code_is_stored_as_read_and_versions_like_target_tables(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    data = as_bytes(document(filled(COPY)))
    read = next(r.table for r in read_bytes(data, "自评.json") if r.table is not None)
    done = import_bytes(sessions, data, "自评.json")
    assert (done.status, done.tables, done.self_evaluations, done.new_self_evaluations, done.new_versions) == \
        ("imported", 1, 1, 1, 0)
    with sessions() as session:
        stored = latest_published(session, _project(sessions, COPY).id)
        assert stored is not None and (stored.number, stored.matched_by, stored.year) == (1, "code", 2022)
        assert stored_table(stored) == read == filled(COPY)  # what was imported, field for field
        assert (stored.total_score, stored.grade) == (Decimal("99.80"), "优")  # NUMERIC(18, 4) on PostgreSQL
        entry = session.scalar(select(AuditEntry).where(AuditEntry.object_type == "published_self_evaluation"))
        assert entry is not None and entry.after == {"project": COPY, "number": 1, "batch": done.batch_id,
                                                     "matched_by": "code"}
    again = import_bytes(sessions, data, "自评.json")
    assert (again.status, again.new_self_evaluations) == ("unchanged", 0)
    respaced = json.dumps(document(filled(COPY)), ensure_ascii=False).encode()  # other bytes, the same table
    assert (import_bytes(sessions, respaced, "再次.json").status, _stored(sessions)) == ("imported", 1)
    changed = document(filled(COPY), published_total_score="95.00", published_grade="优")
    later = import_bytes(sessions, as_bytes(changed), "更正.json")
    assert (later.status, later.new_self_evaluations, _stored(sessions)) == ("imported", 1, 2)
    with sessions() as session:
        newest = latest_published(session, _project(sessions, COPY).id)
        assert newest is not None and newest.number == 2 and newest.total_score == Decimal("95.00")


def test_without_a_code_the_name_and_unit_decide_and_say_so(sessions: sessionmaker[Session],
                                                            actors: dict[str, Actor]) -> None:
    by_unit = import_bytes(sessions, as_bytes(unnamed(TECH)), "无编码.json")
    assert by_unit.status == "imported" and by_unit.new_self_evaluations == 1
    note = next(d for d in by_unit.diagnostics if d.code == "selfeval-matched-by-name")
    assert note.severity is Severity.INFO and f"对应到项目“{TECH}-技术服务”" in note.message
    assert "没有项目编码，已按项目名称和实施单位“145001-重庆市长寿区政务服务管理办公室（本级）”" in note.message
    # a code the system does not know, beside a name and unit that point at a project with another code: refused,
    # the candidate named (never attached by guess); the unit named as published (no （本级）)
    wrong = unnamed(COPY, unit=CodedName(None, "重庆市长寿区政务服务管理办公室"), project_code="50011599T000000000001")
    done = import_bytes(sessions, as_bytes(wrong), "错编码.json")
    refusal = next(d for d in done.diagnostics if d.code == "selfeval-code-unknown")
    assert done.status == "refused" and refusal.severity is Severity.ERROR
    assert "的项目编码“50011599T000000000001”在系统中没有" in refusal.message
    assert f"找到的是项目“{COPY}-免费复印”" in refusal.message and f"改为“{COPY}”" in refusal.message
    assert _stored(sessions) == 1  # nothing of the refused file was written
    righted = unnamed(COPY, unit=CodedName(None, "重庆市长寿区政务服务管理办公室"), project_code=None)
    assert import_bytes(sessions, as_bytes(righted), "无编码2.json").status == "imported"
    # only the department printed
    only_department = unnamed("50011522T000000132340", project_code=None)
    only_department["implementing_unit"] = None
    third = import_bytes(sessions, as_bytes(only_department), "主管部门.json")
    assert third.status == "imported" and "按项目名称和主管部门“145-" in third.diagnostics[-1].message
    with sessions() as session:
        kinds = dict(session.execute(select(Project.code, PublishedSelfEvaluation.matched_by).join(
            PublishedSelfEvaluation, PublishedSelfEvaluation.project_id == Project.id)).all())
    assert kinds == {TECH: "name_unit", COPY: "name_unit", "50011522T000000132340": "name_unit"}


def test_a_code_match_whose_printed_name_or_unit_differs_is_said(sessions: sessionmaker[Session],
                                                                 actors: dict[str, Actor]) -> None:
    renamed = document(filled(COPY), project_name="免费复印服务")
    done = import_bytes(sessions, as_bytes(renamed), "改名.json")
    warned = next(d for d in done.diagnostics if d.code == "selfeval-code-name-mismatch")
    assert done.status == "imported" and warned.severity is Severity.WARNING
    assert f"按项目编码“{COPY}”对应到项目“{COPY}-免费复印”" in warned.message
    assert "项目名称“免费复印服务”（系统中为“免费复印”）" in warned.message
    same = document(filled(TECH))
    assert not [d for d in import_bytes(sessions, as_bytes(same), "同名.json").diagnostics
                if d.code == "selfeval-code-name-mismatch"]


def _twin(sessions: sessionmaker[Session], code: str, unit: str = "145001", department: str = "145") -> None:
    """A second project with the name of 免费复印 (another code), for ambiguity."""
    from jixiao.io.json_format import table_to_dict

    twin = table_to_dict(seed_tables()[COPY], with_source=False) | {
        "project_code": code, "unit": {"code": unit, "name": "单位"},
        "department": {"code": department, "name": "部门"}}
    assert import_bytes(sessions, json.dumps(twin, ensure_ascii=False).encode(), f"{code}.json").status == "imported"


def test_two_candidates_are_both_named_and_nothing_is_written(sessions: sessionmaker[Session],
                                                              actors: dict[str, Actor]) -> None:
    _twin(sessions, "50011522T000000157999")
    batches = _batches(sessions)
    good, unclear = document(filled(TECH)), unnamed(COPY)
    done = import_bytes(sessions, as_bytes(good, unclear), "两张.json")
    assert done.status == "refused" and done.new_self_evaluations == 0
    problem = next(d for d in done.diagnostics if d.code == "selfeval-ambiguous")
    assert problem.severity is Severity.ERROR and "对应 2 个项目" in problem.message
    assert f"{COPY}-免费复印（重庆市长寿区政务服务管理办公室（本级），2022年度）" in problem.message
    assert "50011522T000000157999-免费复印" in problem.message and "请在表中填写项目编码后重新导入" in problem.message
    assert (_stored(sessions), _batches(sessions)) == (0, batches)  # not even the table that matched
    # its code settles it
    assert import_bytes(sessions, as_bytes(good, document(filled(COPY))), "两张.json").new_self_evaluations == 2


def _batches(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ImportBatch)) or 0


def test_a_table_without_a_project_is_refused_with_the_reason(sessions: sessionmaker[Session],
                                                             actors: dict[str, Actor]) -> None:
    nowhere = unnamed(COPY, project_name="不存在的项目")
    done = import_bytes(sessions, as_bytes(nowhere), "无此项目.json")
    problem = next(d for d in done.diagnostics if d.code == "selfeval-no-match")
    assert done.status == "refused" and problem.file == "无此项目.json"
    assert ("表中没有项目编码，按项目名称“不存在的项目”和实施单位“145001-重庆市长寿区政务服务管理办公室（本级）”"
            "也找不到项目") in problem.message
    no_unit = unnamed(COPY)
    no_unit["implementing_unit"] = no_unit["department"] = None
    refused = import_bytes(sessions, as_bytes(no_unit), "无单位.json")
    assert refused.status == "refused" and "不能只凭项目名称对应" in refused.diagnostics[-1].message
    assert _stored(sessions) == 0


def test_a_unit_matches_only_its_own_projects(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    mine = import_as(sessions, actors["unit"], as_bytes(document(filled(COPY))), "本单位.json")
    assert mine.status == "imported" and mine.new_self_evaluations == 1
    theirs = import_as(sessions, actors["other_unit"], as_bytes(document(filled(TECH))), "他单位.json")
    assert theirs.status == "refused" and theirs.diagnostics[-1].code == "selfeval-no-match"
    assert f"项目编码“{TECH}”在系统中没有" in theirs.diagnostics[-1].message  # never says whose it is
    assert _stored(sessions) == 1


def test_a_same_named_project_of_another_year_is_told_apart_by_the_table_year(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    _twin(sessions, "50011523T000000157087")  # the same project set up again in 2023
    done = import_bytes(sessions, as_bytes(unnamed(COPY, year=2023)), "2023.json")
    assert done.status == "imported", done.diagnostics
    with sessions() as session:
        stored = session.scalar(select(Project.code).join(PublishedSelfEvaluation,
                                                          PublishedSelfEvaluation.project_id == Project.id))
    assert stored == "50011523T000000157087"


def test_matching_by_name_looks_up_the_name_key_index_and_loads_only_same_named_projects(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """Name and unit matching is an indexed query on projects.name_key, not a scan of every project."""
    from sqlalchemy import event, text

    from jixiao.services.selfeval_imports import match_project, scope
    from jixiao.storage.search import name_key

    _twin(sessions, "50011522T000000157999")  # a second 免费复印: still reported as ambiguous, never guessed
    with sessions() as session:
        keys = dict(session.execute(select(Project.code, Project.name_key)).all())
        assert keys[COPY] == "免费复印" and len(keys) == 10
        loaded: list[str] = []

        def note(target: Project, _context: object) -> None:
            loaded.append(target.code)

        event.listen(Project, "load", note)
        try:
            table = next(r.table for r in read_bytes(as_bytes(unnamed(TECH)), "t.json") if r.table is not None)
            found = match_project(session, table, scope(session, None))  # type: ignore[arg-type]
            assert found.project is not None and found.project.code == TECH and loaded == [TECH]
            loaded.clear()
            twice = next(r.table for r in read_bytes(as_bytes(unnamed(COPY)), "c.json") if r.table is not None)
            ambiguous = match_project(session, twice, scope(session, None))  # type: ignore[arg-type]
            assert ambiguous.project is None and ambiguous.diagnostic is not None
            assert ambiguous.diagnostic.code == "selfeval-ambiguous" and sorted(loaded) == sorted(
                [COPY, "50011522T000000157999"])
        finally:
            event.remove(Project, "load", note)
        if session.bind is not None and session.bind.dialect.name == "sqlite":
            plan = " ".join(str(row) for row in session.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM projects WHERE name_key = :key"), {"key": name_key("免费复印")}))
            assert "ix_projects_name_key" in plan


def test_the_migration_fills_the_name_key_of_existing_projects(engine: Engine) -> None:
    from sqlalchemy import text

    from jixiao.storage.migrate import downgrade, upgrade

    downgrade(engine, "0012")  # a database from before the column …
    with engine.begin() as connection:  # … holding projects
        rows = [{"code": COPY, "name": "免 费　复印（本级）"}, {"code": TECH, "name": "技术服务"},
                {"code": "x", "name": None}]
        connection.execute(text("INSERT INTO projects (code, name, state, created_at) VALUES (:code, :name, 'draft', "
                                "CURRENT_TIMESTAMP)"), rows)
    upgrade(engine)
    with engine.connect() as connection:
        keys = dict(connection.execute(text("SELECT code, name_key FROM projects")).all())
    assert keys == {COPY: "免费复印", TECH: "技术服务", "x": None}
