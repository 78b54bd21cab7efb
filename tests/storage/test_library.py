"""The indicator library on SQLite and PostgreSQL: building from approved tables (known answers), grouping,
statistics, curation with versions and audit, permissions, the xlsx round trip and a refused import."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.library import entry_stats
from jixiao.services import library_build, library_curate, library_query, library_xlsx
from jixiao.services.editing import check_draft
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.storage.models import AuditEntry, LibraryEntry, LibraryEntryVersion, LibraryObservation, LibraryStats
from tests.rule_cases import clean_table
from tests.storage.library_data import EXPECTED, SATISFACTION, add_approved

MET = {"50011522T000000200001": True, "50011522T000000200002": False, "50011522T000000200003": True}


def _satisfaction(session: Session, actor: Actor) -> library_query.EntryDetail:
    _, rows = library_query.entries(session, actor, "服务对象满意度")
    (entry,) = [row for row in rows if row.name == "服务对象满意度"]
    return library_query.detail(session, actor, entry.id)


def test_building_groups_the_spellings_and_counts_known_figures(sessions: sessionmaker[Session],
                                                                 actors: dict[str, Actor]) -> None:
    add_approved(sessions, met=MET)
    done = library_build.build(sessions)
    assert done.tables >= len(SATISFACTION) and done.starter_added > 30
    with sessions() as session:
        found = _satisfaction(session, actors["department"])
        spellings = {alias.name: alias for alias in found.aliases}
        assert {"群众满意度", "服务对象满意度", "满意率", "受益群众满意度"} <= set(spellings)
        assert spellings["群众满意度"].seen == 4 and spellings["满意率"].seen == 2
        stats = found.stats
        assert stats.targets is not None and (stats.targets.q1, stats.targets.median, stats.targets.q3) == EXPECTED
        assert stats.targets.low == 85 and stats.targets.high == 100 and stats.compared == len(SATISFACTION)
        assert set(stats.by_year) == {2024, 2025} and stats.by_year[2024].median == 92
        assert stats.by_category["208"].count == len(SATISFACTION) and "社会保障" in stats.by_function
        assert stats.weights is not None and stats.weights.median == 10
        assert (stats.evaluated, stats.met) == (3, 2) and stats.met_share == Decimal("0.667")
        assert stats.units == {"%": len(SATISFACTION)} and stats.operators == {"≥": len(SATISFACTION)}
        assert found.comparable is not None
        assert found.comparable.sentence() == "可比项目设定 92–98%（中位数 95%，9 个项目）"
        # the other rows of the tables became proposed entries for the bureau to curate
        _, proposed = library_query.entries(session, actors["finance"], status="proposed")
        assert {"纸张使用量", "群众办事时间节约"} <= {row.name for row in proposed}
    assert library_build.build(sessions).new_entries == 0  # a second build proposes nothing new


def test_suggestions_and_comparables_for_the_review(sessions: sessionmaker[Session],
                                                     actors: dict[str, Actor]) -> None:
    add_approved(sessions)
    library_build.build(sessions)
    with sessions() as session:
        found = library_query.suggest(session, actors["unit"], "群众满意")
        assert found[0].entry.name == "服务对象满意度" and found[0].entry.level2 == "服务对象满意度指标"
        assert found[0].comparable is not None and found[0].comparable.projects == len(SATISFACTION)
        assert library_query.suggest(session, actors["department"], "群众满意") == found  # the kept answer
    # a curation is a new entry version: the answer kept for the same text is not served after it
    library_curate.change(sessions, actors["finance"], found[0].entry.id, "uncore" if found[0].entry.core else "core")
    with sessions() as session:
        again = library_query.suggest(session, actors["unit"], "群众满意")
        assert again[0].entry.id == found[0].entry.id and again[0].entry.core is not found[0].entry.core
        assert again[0].entry.version == found[0].entry.version + 1
    with sessions() as session:
        table = clean_table()  # 群众满意度 ≥ 95: inside 92–98
        ranges = library_query.comparables_for(session, table)
        assert ranges[3].q1 == EXPECTED[0]
    low = _content(clean_table(), "90")
    checked = library_query.check_with_library(sessions, low)
    (message,) = [f["message"] for f in checked.findings if f["code"] == "P006"]
    assert "目标 90% 低于可比项目的下四分位数 92%" in message and "（中位数 95%，9 个项目）" in message
    assert not [f for f in library_query.check_with_library(sessions, _content(clean_table(), "95")).findings
                if f["code"] == "P006"]
    assert not [f for f in check_draft(low).findings if f["code"] == "P006"]  # no library, no finding


def _content(table: object, target: str) -> dict[str, object]:
    from msgspec.structs import replace

    from jixiao.domain import Value
    from jixiao.io.json_format import table_to_dict

    items = list(table.indicators)  # type: ignore[attr-defined]
    items[3] = replace(items[3], target=Value.of(target), current_target=Value.of(target))
    return table_to_dict(replace(table, indicators=tuple(items)), with_source=False)  # type: ignore[type-var]


def test_curation_is_versioned_and_audited(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    finance, department = actors["finance"], actors["department"]
    library_build.build(sessions)
    proposed = library_curate.propose(sessions, department, {"name": "游客满意度", "level1": "满意度指标",
                                                             "level2": "服务对象满意度指标", "unit": "%",
                                                             "direction": "正向指标"})
    other = library_curate.propose(sessions, department, {"name": "景区游客满意度", "unit": "%"})
    with sessions() as session:
        assert library_query.entry(session, proposed).status == "proposed"
    library_curate.change(sessions, finance, proposed, "approve")
    renamed = library_curate.change(sessions, finance, proposed, "rename", {"name": "旅游者满意度"})
    assert renamed.name == "旅游者满意度" and renamed.version == 3
    library_curate.change(sessions, finance, proposed, "core", note="全区统一使用")
    merged = library_curate.change(sessions, finance, other, "merge", into=proposed)
    assert merged.status == "merged" and merged.merged_into_id == proposed
    library_curate.change(sessions, finance, proposed, "retire")
    with sessions() as session:
        item = session.get(LibraryEntry, proposed)
        assert item is not None and item.core and item.status == "retired" and item.version == 6
        versions = session.scalars(select(LibraryEntryVersion.action).where(LibraryEntryVersion.entry_id == proposed)
                                   .order_by(LibraryEntryVersion.number)).all()
        assert versions == ["propose", "approve", "rename", "core", "merge", "retire"]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "library_entry",
                                                          AuditEntry.object_id == proposed)
                                .order_by(AuditEntry.id)).all()
        assert [a.action for a in audit] == ["library_propose", "library_approve", "library_rename", "library_core",
                                             "library_merge", "library_retire"]
        assert audit[-1].action == "library_retire" and audit[-1].user_id == finance.user_id
        assert audit[2].before is not None and audit[2].before["name"] == "游客满意度"
        assert audit[2].after is not None and audit[2].after["name"] == "旅游者满意度"
        assert any(a.note == "全区统一使用" for a in audit)
        detail = library_query.detail(session, finance, proposed)
        assert {"游客满意度", "旅游者满意度", "景区游客满意度"} <= {a.name for a in detail.aliases}
    with pytest.raises(library_curate.LibraryConflict, match="已合并"):
        library_curate.change(sessions, finance, other, "approve")
    with pytest.raises(library_curate.LibraryConflict, match="不能把指标合并到它自己"):
        library_curate.change(sessions, finance, proposed, "merge", into=proposed)


def test_departments_propose_and_only_the_finance_bureau_curates(sessions: sessionmaker[Session],
                                                                  actors: dict[str, Actor]) -> None:
    entry = library_curate.propose(sessions, actors["department"], {"name": "河道保洁长度", "unit": "公里"})
    with pytest.raises(PermissionDenied, match="指标库由财政部门审核人维护"):
        library_curate.change(sessions, actors["department"], entry, "approve")
    with pytest.raises(PermissionDenied, match="只有主管部门和财政部门可以向指标库提出新指标"):
        library_curate.propose(sessions, actors["unit"], {"name": "保洁面积"})
    with pytest.raises(PermissionDenied):
        library_xlsx.import_file(sessions, actors["department"], b"")
    with pytest.raises(library_curate.LibraryInvalid, match="「指标方向」应为 正向指标 或 反向指标，实际为“上升”"):
        library_curate.propose(sessions, actors["finance"], {"name": "绿化面积", "direction": "上升"})
    with pytest.raises(library_curate.LibraryConflict, match="已有同名指标"):
        library_curate.propose(sessions, actors["finance"], {"name": "河道 保洁长度"})
    assert library_curate.propose(sessions, actors["finance"], {"name": "绿化面积"})  # approved at once
    with sessions() as session, pytest.raises(PermissionDenied, match="仅供登录用户"):
        library_query.entries(session, Actor(None, None))


def _workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "本区指标库"
    sheet.append(["指标名称", "一级指标", "二级指标", "计量单位", "指标方向", "指标性质", "核心指标", "其他写法"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_xlsx_export_imports_back_and_a_bad_cell_refuses_the_file(sessions: sessionmaker[Session],
                                                                       actors: dict[str, Actor]) -> None:
    finance = actors["finance"]
    add_approved(sessions)
    library_build.build(sessions)
    with sessions() as session:
        exported = library_xlsx.export_file(session, finance)
        count = library_query.entries(session, finance)[0]
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:8] == ["指标名称", "一级指标", "二级指标", "计量单位", "指标方向", "指标性质", "核心指标",
                          "其他写法"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert rows["服务对象满意度"][6] == "是" and "群众满意度" in rows["服务对象满意度"][7]
    assert rows["服务对象满意度"][10:14] == (9, 92, 95, 98)
    again = library_xlsx.import_file(sessions, finance, exported.content, "指标库.xlsx")
    assert (again.added, again.updated, again.unchanged) == (0, 0, count)  # the round trip changes nothing
    done = library_xlsx.import_file(sessions, finance, _workbook([
        ["河道保洁长度", "产出指标", "数量指标", "公里", "正向指标", "≥", "否", "河道保洁里程；河道清理长度"],
        ["服务对象满意度", "满意度指标", "服务对象满意度指标", "%", "正向指标", "≥", "是", "居民满意度"],
    ]), "本区.xlsx")
    assert (done.added, done.updated) == (1, 0)
    with sessions() as session:
        found = library_query.suggest(session, finance, "河道清理")
        assert found and found[0].entry.name == "河道保洁长度" and found[0].entry.origin == "import"
    bad = _workbook([["绿化面积", "产出指标", "数量指标", "平方米", "正向指标", "≥", "否", ""],
                     ["道路保洁", "产出指标", "数量指标", "平方米", "越多越好", "≥", "否", ""],
                     ["", "产出指标", "", "", "", "", "否", "x"]])
    with pytest.raises(library_xlsx.LibraryImportRefused) as refused:
        library_xlsx.import_file(sessions, finance, bad, "坏.xlsx")
    cells = {p["cell"]: p for p in refused.value.details}
    assert "本区指标库!E3" in cells and cells["本区指标库!E3"]["field"] == "指标方向"
    assert "本区指标库!E3「指标方向」应为 正向指标 或 反向指标，或留空，实际为“越多越好”" in refused.value.message
    assert "本区指标库!A4" in cells and "「指标名称」不能为空" in cells["本区指标库!A4"]["message"]
    with sessions() as session:  # nothing half-imported: the good first row is not there either
        assert not [row for row in library_query.entries(session, finance, "绿化面积")[1] if row.name == "绿化面积"]
    with pytest.raises(library_xlsx.LibraryImportRefused, match=r"假\.xlsx：文件已损坏"):
        library_xlsx.import_file(sessions, finance, b"PK\x03\x04 not really", "假.xlsx")


def _live(session: Session, item: LibraryEntry) -> object:
    keys = library_query._keys_of(session, item.id)
    return entry_stats(library_query.observations(session, keys), item.unit if item.unit else None)


def test_the_stored_statistics_are_what_the_observations_give_and_a_curation_is_computed_live(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    add_approved(sessions)
    library_build.build(sessions)
    with sessions() as session:
        live = list(session.scalars(select(LibraryEntry).where(LibraryEntry.status != "merged")))
        stored = {row.entry_id for row in session.scalars(select(LibraryStats))}
        assert stored == {item.id for item in live}
        for item in live:
            assert library_query.stats_of(session, item) == _live(session, item), item.name
        busy = max(live, key=lambda item: len(library_query.stats_of(session, item).projects))
        other = next(item for item in live if item.id != busy.id)
        assert library_query.stats_of(session, busy).projects  # an entry with figures
    with sessions.begin() as session:  # the stored row is what is read while the keys are the same …
        row = session.get(LibraryStats, busy.id)
        assert row is not None
        row.stats = {**row.stats, "evaluated": 12345}
    with sessions() as session:
        item = session.get(LibraryEntry, busy.id)
        assert item is not None and library_query.stats_of(session, item).evaluated == 12345
    library_curate.change(sessions, actors["finance"], other.id, "merge", into=busy.id)  # … and not once they change
    with sessions() as session:
        item = session.get(LibraryEntry, busy.id)
        assert item is not None
        after = library_query.stats_of(session, item)
        assert after == _live(session, item) and after.evaluated != 12345


def test_the_build_reads_self_evaluations_in_chunks_of_versions(sessions: sessionmaker[Session],
                                                                 actors: dict[str, Actor],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL binds at most 65,535 parameters: a province's approved versions are asked for in chunks (found
    by ``bench.analytics`` at 100,000 projects). Chunks of two give the same observations as one list."""
    add_approved(sessions, met=MET)
    library_build.build(sessions)
    with sessions() as session:
        whole = sorted((o.project_code, o.name, o.met) for o in session.scalars(select(LibraryObservation)))
    monkeypatch.setattr(library_build, "ID_CHUNK", 2)
    library_build.build(sessions)
    with sessions() as session:
        chunked = sorted((o.project_code, o.name, o.met) for o in session.scalars(select(LibraryObservation)))
    assert chunked == whole and any(met is not None for _, _, met in whole)
