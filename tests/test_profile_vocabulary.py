"""A region profile's ``[vocabulary]`` reaches every reader: text and office layouts use the region's words."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao import profiles
from jixiao.cli.main import app
from jixiao.domain import TargetTable
from jixiao.io.office.xlsx_writer import write_tables_xlsx
from jixiao.io.reading import read_bytes, read_path
from jixiao.rules.profile import ProfileError
from jixiao.services.tables import vocabulary_for
from tests.test_cli import SEED

SHIPPED = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "rules" / "profiles" / "chongqing.toml"
WORDS = '''
[vocabulary]
titles = ["项目绩效目标申报表"]
level1 = ["成本效益指标"]
[vocabulary.labels]
"项目单位" = "unit"
"项目资金总额" = "total_wan"
[vocabulary.columns]
"绩效指标值" = "target"
'''


def _profile(tmp_path: Path, extra: str = WORDS) -> profiles.RegionProfile:
    path = tmp_path / "region.toml"
    path.write_text(SHIPPED.read_text("utf-8") + extra, "utf-8")
    return profiles.load(str(path))


def _regional_text() -> str:
    """The seed as a region that says 项目单位, 项目资金总额, 绩效指标值 and …申报表 would publish it."""
    text = SEED.read_text("utf-8")
    return (text.replace("单位信息：", "项目单位：").replace("项目总额：", "项目资金总额：")
            .replace("\t指标值\t", "\t绩效指标值\t").replace("绩效目标表\n", "项目绩效目标申报表\n"))


def _tables(results: object) -> list[TargetTable]:
    return [r.table for r in results if r.table is not None]  # type: ignore[attr-defined]


def test_the_profile_words_are_loaded_and_checked(tmp_path: Path) -> None:
    region = _profile(tmp_path)
    assert ("项目单位", "unit") in region.vocabulary.labels
    assert region.vocabulary.titles == ("项目绩效目标申报表",)
    assert not profiles.load("chongqing").vocabulary  # the shipped profiles add no words
    assert vocabulary_for(profiles.load("chongqing")) is None  # (so the fast path stays)
    assert vocabulary_for(region) is vocabulary_for(_profile(tmp_path))  # one vocabulary per set of words


@pytest.mark.parametrize(("extra", "expected"), [
    ('\n[vocabulary.labels]\n"项目单位" = "unit_name"\n', "“项目单位”指向的表头字段“unit_name”不存在"),
    ('\n[vocabulary.columns]\n"绩效指标值" = "goal"\n', "“绩效指标值”指向的指标列“goal”不存在"),
    ('\n[vocabulary]\nlabel = {}\n', "含未知的项：label"),
    ('\n[vocabulary]\ntitles = "申报表"\n', "titles 应为非空文字的列表"),
])
def test_a_wrong_word_in_a_profile_is_refused_in_chinese(tmp_path: Path, extra: str, expected: str) -> None:
    with pytest.raises(ProfileError) as raised:
        _profile(tmp_path, extra)
    assert expected in str(raised.value) and "[vocabulary]" in str(raised.value)


def test_text_in_the_regions_words_reads_with_its_profile(tmp_path: Path) -> None:
    path = tmp_path / "regional.txt"
    path.write_text(_regional_text(), "utf-8")
    expected = _tables(read_path(SEED))
    plain = list(read_path(path))  # the built-in words do not know 项目单位 or 绩效指标值
    assert any(t.unit is None for t in _tables(plain))
    assert {d.code for r in plain for d in r.diagnostics} & {"missing-field", "unknown-column"}
    worded = list(read_path(path, vocabulary=vocabulary_for(_profile(tmp_path))))
    assert [d.render() for r in worded for d in r.diagnostics] == []
    tables = _tables(worded)
    assert [(t.unit, t.total_wan, [i.target for i in t.indicators]) for t in tables] == [
        (t.unit, t.total_wan, [i.target for i in t.indicators]) for t in expected]


def test_a_workbook_in_the_regions_words_reads_with_its_profile(tmp_path: Path) -> None:
    expected = _tables(read_path(SEED))
    buffer = io.BytesIO()
    write_tables_xlsx(expected, buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    renamed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("单位信息"):
                    cell.value, renamed = cell.value.replace("单位信息", "项目单位"), renamed + 1
    assert renamed == len(expected)
    out = io.BytesIO()
    book.save(out)
    plain = _tables(read_bytes(out.getvalue(), "regional.xlsx"))
    assert all(t.unit is None for t in plain)
    worded = _tables(read_bytes(out.getvalue(), "regional.xlsx", vocabulary=vocabulary_for(_profile(tmp_path))))
    assert [t.unit for t in worded] == [t.unit for t in expected]


def test_check_reads_with_the_words_of_its_profile(tmp_path: Path) -> None:
    path = tmp_path / "regional.txt"
    path.write_text(_regional_text(), "utf-8")
    region = tmp_path / "region.toml"
    region.write_text(SHIPPED.read_text("utf-8") + WORDS, "utf-8")
    runner = CliRunner()
    plain = runner.invoke(app, ["check", str(path), "--format", "json"])
    worded = runner.invoke(app, ["check", str(path), "--format", "json", "--profile", str(region)])
    assert "unknown-column" in plain.output + (plain.stderr if plain.stderr_bytes else "")
    assert "unknown-column" not in worded.output and "missing-field" not in worded.output
