"""Importing the organisation tree: all rows or none, every bad row named."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.organizations import import_organizations
from jixiao.services.permissions import Actor
from jixiao.storage.models import Organization


def test_tree_import_and_update(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    good = tmp_path / "orgs.csv"
    good.write_text("编码,名称,类型,上级编码\n500115,长寿区财政局,财政,\n145,政务服务管理办公室,主管部门,500115\n"
                    "145001,政务服务管理办公室（本级）,单位,145\n", "utf-8-sig")
    result = import_organizations(sessions, good)
    assert (result.created, result.updated, result.diagnostics) == (3, 0, [])
    again = import_organizations(sessions, good)
    assert (again.created, again.updated) == (0, 3)
    with sessions() as session:
        unit = session.scalar(select(Organization).where(Organization.code == "145001"))
        assert unit is not None and unit.parent is not None and unit.parent.code == "145"


def test_bad_rows_are_named_and_nothing_is_written(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("编码,名称,类型,上级编码\n145,部门,主管部门,\n145001,,单位,145\n146001,单位,学校,145\n"
                   "147001,单位,单位,147\n", "utf-8")
    result = import_organizations(sessions, bad)
    assert [(d.line, d.column) for d in result.diagnostics] == [(3, "名称"), (4, "类型"), (5, "上级编码")]
    with sessions() as session:
        assert session.scalars(select(Organization)).all() == []


def test_a_code_twice_a_cycle_and_excels_gbk_csv(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    """A code given twice was merged silently (the second name won); a cycle was written; GBK was refused."""
    looped = tmp_path / "looped.csv"
    looped.write_bytes("编码,名称,类型,上级编码\n145,部门,主管部门,\n145,同一个编码,主管部门,\n147,甲,主管部门,148\n"
                       "148,乙,主管部门,147\n".encode("gb18030"))
    result = import_organizations(sessions, looped)
    assert [(d.line, d.column) for d in result.diagnostics] == [(3, "编码"), (4, "上级编码"), (5, "上级编码")]
    assert "与第2行重复" in result.diagnostics[0].message
    with sessions() as session:
        assert session.scalars(select(Organization)).all() == []


def _names_kinds(sessions: sessionmaker[Session]) -> dict[str, tuple[str, str, str | None]]:
    with sessions() as session:
        return {o.code: (o.name, o.kind, o.parent.code if o.parent else None)
                for o in session.scalars(select(Organization))}


def test_the_type_or_parent_of_an_organisation_in_use_stays(sessions: sessionmaker[Session],
                                                            actors: dict[str, Actor], tmp_path: Path) -> None:
    """Review defect 1: ``145001,政务办本级改名,主管部门,500115`` turned a 预算单位 with 9 projects and its
    单位填报人 into a 主管部门 under the finance bureau ("更新 1 个组织"); the department then saw 0 projects."""
    before = _names_kinds(sessions)
    moved = tmp_path / "moved.csv"
    moved.write_text("编码,名称,类型,上级编码\n500115,长寿区财政局,财政部门,\n145001,政务办本级改名,主管部门,500115\n"
                     "999001,另一个单位,预算单位,145\n145,政务办,预算单位,999\n", "utf-8")
    result = import_organizations(sessions, moved)
    assert [(d.line, d.column, d.message) for d in result.diagnostics] == [
        (3, "类型", "组织 145001 已有 9 个项目、1 个账号，不能由预算单位改为主管部门（单位填报人须属于预算单位），"
                    "也不能把上级由 145 改为 500115；如确需调整，请先把账号改到其他组织，或用新的编码导入调整后的组织"
                    "（已有项目留在原组织）"),
        (4, "上级编码", "组织 999001 已有 1 个账号，不能把上级由 999 改为 145；如确需调整，请先把账号改到其他组织，"
                        "或用新的编码导入调整后的组织"),
        (5, "类型", "组织 145 已有 9 个项目、2 个账号（含下级组织），不能由主管部门改为预算单位（主管部门审核人须属于"
                    "主管部门），也不能把上级由（无）改为 999；如确需调整，请先把账号改到其他组织，或用新的编码导入"
                    "调整后的组织（已有项目留在原组织）")]
    assert (result.created, result.updated) == (0, 0) and _names_kinds(sessions) == before  # nothing written
    renamed = tmp_path / "renamed.csv"  # renaming alone stays allowed, the type left blank (kept as it is)
    renamed.write_text("编码,名称,类型,上级编码\n145,政务办改名,,\n145001,政务办本级改名,,145\n", "utf-8")
    assert import_organizations(sessions, renamed).diagnostics == []
    names_only = tmp_path / "names.csv"  # … and without a 上级 column the parents are kept
    names_only.write_text("单位编码,单位名称\n145001,本级再改名\n", "utf-8")
    assert import_organizations(sessions, names_only).diagnostics == []
    after = _names_kinds(sessions)
    assert after["145"] == ("政务办改名", "department", None)
    assert after["145001"] == ("本级再改名", "unit", "145")
    free = tmp_path / "free.csv"  # an organisation with neither accounts nor projects may move and change
    free.write_text("编码,名称,类型,上级编码\n146,新部门,主管部门,\n146001,新单位,预算单位,146\n", "utf-8")
    assert import_organizations(sessions, free).diagnostics == []
    free.write_text("编码,名称,类型,上级编码\n146001,新单位,主管部门,\n", "utf-8")
    assert import_organizations(sessions, free).diagnostics == []
    assert _names_kinds(sessions)["146001"] == ("新单位", "department", None)
