"""The generated demo region: seeded, three years of the same projects, about 20 departments, and the shares of
inflated and inconsistent self-evaluations it promises, each of which the audit or the analytics can find."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from jixiao import profiles
from jixiao.demo.region import (
    INCONSISTENT_SHARE,
    INFLATED_SHARE,
    REGION_CODE,
    YEARS,
    RegionProject,
    region,
)
from jixiao.domain import Severity
from jixiao.rules.selfeval_audit import audit_self_evaluation

ITEMS = list(region(600, seed=7))


def _key(item: RegionProject) -> tuple[str | None, str, int]:
    return item.table.project_code, format(item.table.total_wan or 0, "f"), len(item.table.indicators)


def test_the_same_seed_gives_the_same_region_and_another_seed_another() -> None:
    assert [_key(i) for i in region(60, seed=7)] == [_key(i) for i in ITEMS[:60]]
    assert [_key(i) for i in region(60, seed=8)] != [_key(i) for i in ITEMS[:60]]


def test_each_project_continues_over_the_three_years_under_its_serial() -> None:
    by_series: dict[int, list[RegionProject]] = {}
    for item in ITEMS:
        by_series.setdefault(item.series, []).append(item)
    assert len(ITEMS) == 600 and len(by_series) == 200
    for items in by_series.values():
        assert [i.year for i in items] == list(YEARS)
        codes = [i.table.project.code for i in items if i.table.project and i.table.project.code]
        assert {c.serial for c in codes} == {codes[0].serial} and [c.year for c in codes] == list(YEARS)
        assert all(c.region == REGION_CODE for c in codes)
        names = [[row.name for row in i.table.indicators] for i in items]
        assert names[0] == names[1] == names[2]  # the same indicators, so their history can be followed
        assert items[1].table.indicators[0].history == (items[0].table.indicators[0].current_target
                                                       or items[0].table.indicators[0].target)
    assert len({i.table.department.code for i in ITEMS if i.table.department}) >= 18


def test_past_years_are_approved_and_self_evaluated_and_the_current_year_is_in_the_workflow() -> None:
    past = [i for i in ITEMS if i.year != YEARS[-1]]
    current = [i for i in ITEMS if i.year == YEARS[-1]]
    assert all(i.state == "approved" and i.score is not None for i in past)
    assert all(i.score is None and i.published is None for i in current)
    assert len(Counter(i.state for i in current)) >= 5
    assert all((i.published is not None) == (i.year == YEARS[-2]) for i in past)


def test_inflated_self_evaluations_score_high_on_little_spent() -> None:
    past = [i for i in ITEMS if i.score is not None]
    inflated = [i for i in past if i.inflated]
    assert abs(len(inflated) / len(past) - INFLATED_SHARE) < 0.05
    for item in inflated:
        assert item.score is not None and item.score.execution.rate is not None
        assert item.score.total >= 90 and item.score.execution.rate < Decimal("0.6")
    low = [i for i in past if not i.inflated and i.score and i.score.execution.rate is not None
           and i.score.execution.rate < Decimal("0.6")]
    assert low == []  # the analytics' 高分低执行 list is exactly the inflated ones with a score of 90 and more


def test_every_inconsistent_published_table_is_caught_by_the_audit() -> None:
    rules = profiles.load().rules
    published = [i for i in ITEMS if i.published is not None]
    inconsistent = [i for i in published if i.inconsistent]
    assert abs(len(inconsistent) / len(published) - INCONSISTENT_SHARE) < 0.06
    for item in inconsistent:
        assert item.published is not None
        findings = audit_self_evaluation(item.published, rules, item.table).findings
        assert any(f.severity in (Severity.WARNING, Severity.ERROR) and f.category.value == "audit"
                   for f in findings), item.table.project_code
