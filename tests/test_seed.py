"""The seed (nine real tables of a 重庆 district office) parses exactly as checked by hand."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

from jixiao.domain import Direction, Operator, TargetTable
from jixiao.io.json_format import table_to_dict
from jixiao.io.reading import read_path, read_text
from jixiao.io.writers.published_text import write_tables

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
GOLDEN = ROOT / "tests" / "data" / "seed_golden.json"


def _tables() -> list[TargetTable]:
    results = list(read_path(SEED))
    assert [d for r in results for d in r.diagnostics] == []
    return [r.table for r in results if r.table is not None]


def test_seed_has_nine_tables_and_36_indicators() -> None:
    tables = _tables()
    assert len(tables) == 9
    assert sum(len(t.indicators) for t in tables) == 36


def test_seed_equals_hand_checked_golden_json() -> None:
    golden = json.loads(GOLDEN.read_text("utf-8"))
    assert [table_to_dict(t, with_source=False) for t in _tables()] == golden


def test_seed_details_that_matter() -> None:
    first, second, *_, fifth = _tables()[:5]
    assert first.project is not None and first.project.code is not None
    assert first.project.code.region == "500115"
    assert first.project.code.year == 2022
    assert first.project.code.category == "T"
    assert first.project.code.category_name == "特定目标类"
    assert first.project.code.serial == "000000157087"
    assert (first.project.name, first.project.suffix) == ("免费复印", "（一般性）")
    assert first.total_wan == Decimal("15.00") and str(first.total_wan) == "15.00"
    assert first.funding.fiscal == Decimal("15.00")
    assert first.funding.special_account is None  # blank is missing, never 0
    assert first.contact_person is None and first.contact_phone is None
    assert first.indicators[0].operator_kind is Operator.GE
    assert first.indicators[0].direction_kind is Direction.POSITIVE
    assert first.indicators[0].history is None
    assert first.indicators[0].target is not None
    assert first.indicators[0].target.number == Decimal("720000")
    # 单位信息 wrapped onto the next line in the source is joined without a gap
    assert second.unit is not None and second.unit.name == "重庆市长寿区政务服务管理办公室（本级）"
    # 本权重(%) (a typo in the source header) is still read as 本年权重
    assert [i.current_weight for i in second.indicators] == [Decimal(w) for w in ["25", "25", "20", "20"]]
    # 免费邮寄 publishes no amount at all
    assert fifth.total_wan is None and fifth.execution_weight is None
    assert fifth.funding.total() is None


def test_seed_source_lines_point_at_the_title_and_rows() -> None:
    lines = SEED.read_text("utf-8").splitlines()
    for table in _tables():
        assert table.source is not None and table.source.line is not None
        assert lines[table.source.line - 1].strip() == "绩效目标表"
        for item in table.indicators:
            assert item.line is not None
            assert item.name is not None and item.name in lines[item.line - 1]


def test_annual_goal_paragraphs_are_verbatim_lines_of_the_source() -> None:
    lines = set(SEED.read_text("utf-8").splitlines())
    for table in _tables():
        assert table.annual_goal is not None
        first, *rest = table.annual_goal.split("\n")
        assert f"年度目标：{first}" in lines
        assert all(paragraph in lines for paragraph in rest)


def test_seed_round_trips_through_the_writer() -> None:
    tables = _tables()
    out = io.StringIO()
    assert write_tables(tables, out) == 9
    again = read_text(out.getvalue(), "written.txt")
    assert [d for r in again for d in r.diagnostics] == []
    assert [r.table for r in again] == tables
