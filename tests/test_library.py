"""The indicator library's pure computation: names as real tables write them, grouped; statistics; suggestions;
the starter library shipped with jixiao."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao import profiles
from jixiao.domain import Direction
from jixiao.domain.comparable import ComparableRange, unit_key
from jixiao.library import Observation, entry_stats, group_names, name_key, quartiles
from jixiao.library.stats import comparable
from jixiao.library.suggest import rank
from jixiao.services.library_store import starter_entries

D = Decimal


@pytest.mark.parametrize(("written", "key"), [
    ("群众满意度", "服务对象满意度"), ("服务对象满意度", "服务对象满意度"), ("满意率", "服务对象满意度"),
    ("受益群众满意度", "服务对象满意度"), ("人民群众满意度", "服务对象满意度"), ("社会公众满意率", "服务对象满意度"),
    ("学生满意度", "学生满意度"), ("学生家长满意率", "学生家长满意度"),  # named people stay apart
    ("指标1:台站正常运行", "台站正常运行"), ("指标2：台网运行率", "台网运行率"),  # published numbering
    ("修建作业道长度(公里)", "修建作业道长度"), ("实施营造林总面积（亩）", "实施营造林总面积"),  # a unit in brackets
    ("项目(工程)验收合格率", "验收合格率"), ("项目验收合格率", "验收合格率"),  # qualifiers
    ("ＧＤＰ 增长率", "GDP增长率"), ("  培训人次 ", "培训人次"),  # width and spaces
])
def test_names_are_normalised_as_real_tables_write_them(written: str, key: str) -> None:
    assert name_key(written) == key


def test_real_spellings_are_grouped_and_each_grouping_says_why() -> None:
    seen = {"群众满意度": 6, "服务对象满意度": 4, "满意率": 2, "受益群众满意度": 1, "学生满意度": 3,
            "验收合格率": 3, "项目(工程)验收合格率": 2, "资金支付及时率": 3, "资金拨付及时率": 1,
            "苗木成活率": 2, "树木成活率": 1, "农产品例行监测合格率": 1, "农产品监督抽样合格率": 1}
    groups = {group.name: group for group in group_names(seen)}
    satisfaction = groups["群众满意度"]
    assert satisfaction.key == "服务对象满意度" and satisfaction.count == 13
    assert {m.name: m.how for m in satisfaction.members} == {
        "群众满意度": "synonym", "服务对象满意度": "same", "满意率": "synonym", "受益群众满意度": "synonym"}
    assert {m.name for m in groups["验收合格率"].members} == {"验收合格率", "项目(工程)验收合格率"}
    (fuzzy,) = [m for m in groups["资金支付及时率"].members if m.how == "fuzzy"]
    assert fuzzy.name == "资金拨付及时率" and 85 <= fuzzy.score < 100
    # near but different indicators stay apart (similarity below the cut-off)
    assert "学生满意度" in groups and "树木成活率" in groups and "农产品监督抽样合格率" in groups


def test_fixed_groups_hold_and_new_spellings_can_join_them() -> None:
    fixed = {"资金支付及时率": "资金支付及时率", "河道清理长度": "河道保洁长度", "河道保洁长度": "河道保洁长度"}
    groups = {g.key: g for g in group_names({"资金拨付及时率": 5, "河道清理长度": 2, "河道保洁长度": 1}, fixed=fixed)}
    assert {m.name: m.how for m in groups["资金支付及时率"].members} == {"资金拨付及时率": "fuzzy"}
    assert {m.name: m.how for m in groups["河道保洁长度"].members} == {"河道清理长度": "manual", "河道保洁长度": "same"}


def test_quartiles_interpolate_in_decimal() -> None:
    found = quartiles([D(85), D(90), D(92), D(95), D(95), D(96), D(98), D(98), D(100)])
    assert found is not None and (found.low, found.q1, found.median, found.q3, found.high) == (85, 92, 95, 98, 100)
    two = quartiles([D("90"), D("95")])
    assert two is not None and (two.q1, two.median, two.q3) == (D("91.25"), D("92.5"), D("93.75"))
    assert quartiles([]) is None


def _seen(project: str, target: str | None, unit: str = "%", year: int = 2025, met: bool | None = None,
          weight: str = "10") -> Observation:
    return Observation("群众满意度", project, unit, "≥", Direction.POSITIVE, None if target is None else D(target),
                       D(weight), year, "208", "社会保障", met)


def test_statistics_keep_to_the_entry_unit_and_count_what_was_met() -> None:
    rows = [_seen("A", "90", met=True), _seen("B", "95", year=2024, met=False), _seen("C", "98", met=True),
            _seen("D", "4.5", unit="分"), _seen("E", None), _seen("F", "96", weight="20")]
    stats = entry_stats(rows, "%")
    assert stats.units == {"%": 5, "分": 1} and stats.operators == {"≥": 6}
    assert stats.targets is not None and stats.targets.count == 4 and stats.targets.median == D("95.5")
    assert stats.compared == 4 and stats.projects == ("A", "B", "C", "D", "E", "F")
    assert stats.by_year[2024].count == 1 and stats.by_year[2025].count == 3
    assert stats.weights is not None and stats.weights.median == 10
    assert (stats.evaluated, stats.met, stats.met_share) == (3, 2, D("0.667"))
    ranged = comparable(stats, "服务对象满意度", direction=Direction.POSITIVE)
    assert ranged is not None and ranged.sentence() == "可比项目设定 93.75–96.5%（中位数 95.5%，4 个项目）"


def test_the_sentence_reads_as_the_issue_asks() -> None:
    ranged = ComparableRange("服务对象满意度", "%", D(90), D(95), D(98), 41)
    assert ranged.sentence() == "可比项目设定 90–98%（中位数 95%，41 个项目）"
    people = ComparableRange("培训人次", "人次", D(100), D(200), D("350.50"), 7)
    assert people.sentence() == "可比项目设定 100–350.5 人次（中位数 200 人次，7 个项目）"
    assert unit_key("百分比") == unit_key("％") == "%" and unit_key(None) == ""


def test_suggestions_rank_what_is_being_typed() -> None:
    spellings = {"服务对象满意度": 1, "群众满意度": 1, "学生满意度": 2, "验收合格率": 3, "资金支付及时率": 4}
    assert rank("群众满", spellings)[0][0] == 1
    assert rank("满意度", spellings)[0] == (1, 100.0)  # 满意度 alone is the served people's satisfaction
    assert [entry for entry, _ in rank("学生", spellings)][:1] == [2]
    assert rank("验收", spellings)[0][0] == 3
    assert rank("，，", spellings) == []


@pytest.mark.parametrize("profile", ["national", "chongqing", "central-2021"])
def test_the_starter_library_fits_each_shipped_framework(profile: str) -> None:
    catalogue = profiles.load(profile).rules.catalogue
    entries = starter_entries(profile)
    assert len(entries) >= 30
    keys = [name_key(item.name) for item in entries]
    assert len(keys) == len(set(keys))  # one entry per indicator
    aliases = [name_key(alias) for item in entries for alias in item.aliases if name_key(alias) != name_key(item.name)]
    assert len(aliases) == len(set(aliases)) and not set(aliases) & set(keys)  # a spelling names one entry
    for item in entries:
        assert item.level1 in catalogue, (item.name, item.level1)
        assert item.level2 in catalogue[item.level1], (item.name, item.level2)
        assert item.direction in (None, "正向指标", "反向指标") and item.operator in ("≥", "≤", "=", "定性")
    assert any(item.core for item in entries)
