"""Importing the organisation tree: all rows or none, every bad row named."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.organizations import import_organizations
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
