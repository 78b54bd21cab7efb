"""A generated multi-year region for the demo (示例数据): about 20 departments, three fiscal years, 2,000 projects.

Every figure is made up, and everything that shows it says so (the region is 示例区, its finance bureau
“示例区财政局（示例数据）”, and the pages carry a 示例数据 banner while it is loaded). The region is built so the
pages have something to show: projects continue from year to year under the same serial (targets mostly kept,
some raised, some lowered), the two past years are approved and self-evaluated, the current year is spread over
the workflow's states, and a realistic share of the self-evaluations is inflated (full marks on indicators with
little of the budget spent) or inconsistent (a published total or grade that its own rows do not give).

Pure: domain objects only, drawn from a seeded ``random.Random`` (the same seed gives the same region).
``services.demo_region`` stores them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from jixiao.demo.catalogue import COMMON_PROJECTS, DEPARTMENTS, STAFF_KINDS, Department
from jixiao.demo.selfevals import evaluate, system_selfeval
from jixiao.demo.targets import build_table, goal_for
from jixiao.domain import CodedName, Funding, ProjectCode, SelfEvaluationTable, TargetTable, Value
from jixiao.scoring.model import Actual, ProjectScore

REGION_CODE = "500199"  # not a real district's code: 500199 is unassigned
REGION_NAME = "示例区"
FINANCE_NAME = "示例区财政局（示例数据）"
YEARS = (2024, 2025, 2026)  # two years self-evaluated, the current one in the workflow
DEFAULT_PROJECTS = 2_000
INFLATED_SHARE = 0.12  # self-evaluations with full marks on indicators and little of the budget spent
STRUGGLING_SHARE = 0.12  # projects that went badly: indicators missed, part of the budget left unspent
INCONSISTENT_SHARE = 0.15  # published 自评表 whose total or grade its own rows do not give
CURRENT_STATES = (("approved", 55), ("finance_review", 12), ("department_review", 12), ("submitted", 10),
                  ("draft", 8), ("returned", 3))  # (state, weight) of the current year's tables
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class RegionProject:
    """One project-year of the region, and what happened to it."""

    series: int  # the same project across years (the serial of its code)
    year: int
    table: TargetTable
    state: str  # where the table is in the workflow
    score: ProjectScore | None = None  # the unit's 自评 in jixiao (past years)
    actuals: dict[int, Actual] | None = None
    published: SelfEvaluationTable | None = None  # the published 自评表 (the last past year)
    inflated: bool = False
    inconsistent: bool = False


def _unit(dept: Department, index: int) -> CodedName:
    if index < 2:
        return CodedName(f"{dept.code}001", f"{REGION_NAME}{dept.name}（本级）")
    return CodedName(f"{dept.code}{index:03d}", f"{REGION_NAME}{dept.subunits[index - 2]}")


def _first_year(rng: random.Random, series: int, year: int) -> tuple[TargetTable, str]:
    dept = rng.choice(DEPARTMENTS)
    unit = _unit(dept, rng.randrange(len(dept.subunits) + 2))
    name, kind = rng.choice(dept.projects if rng.random() < 0.7 else COMMON_PROJECTS)
    function_index = rng.randrange(len(dept.functions))
    function = CodedName(f"{function_index + 1:02d}", dept.functions[function_index])
    category = "R" if kind in STAFF_KINDS else "T"
    code = ProjectCode(f"{REGION_CODE}{year % 100:02d}{category}{100000 + series:012d}")
    department = CodedName(dept.code, f"{REGION_NAME}{dept.name}")
    return build_table(rng, unit, department, function, code, name, kind, REGION_NAME), kind


def _moved(value: Value | None, factor: Decimal) -> Value | None:
    if value is None or value.number is None or value.number == 0:
        return value
    number = value.number * factor
    whole = value.number == value.number.to_integral_value()
    number = number.quantize(Decimal(1) if whole else _CENT, rounding=ROUND_HALF_UP)
    return Value(format(number, "f"))


def _next_year(rng: random.Random, table: TargetTable, kind: str, year: int) -> TargetTable:
    """The same project a year on: the same indicators, targets mostly kept (some raised, a few lowered)."""
    rows = []
    for item in table.indicators:
        roll = rng.random()
        factor = Decimal(1) if roll < 0.7 or item.unit_of_measure == "%" else \
            Decimal(rng.choice(("1.05", "1.1", "1.15"))) if roll < 0.9 else Decimal(rng.choice(("0.85", "0.9")))
        target = _moved(item.target, factor)
        current = _moved(item.current_target, factor)
        rows.append(msgspec.structs.replace(item, history=item.current_target or item.target, target=target,
                                            current_target=current))
    total = table.total_wan
    if total is not None:
        total = (total * Decimal(rng.choice(("0.9", "1", "1", "1.05", "1.1")))).quantize(_CENT)
    assert table.project is not None and table.project.code is not None
    old = table.project.code.raw
    code = ProjectCode(f"{old[:6]}{year % 100:02d}{old[8:]}")
    project = msgspec.structs.replace(table.project, code=code)
    goal = goal_for(rng, project.name or "", kind, total, rows[0], REGION_NAME)  # its money is this year's
    return msgspec.structs.replace(table, project=project, total_wan=total,
                                   funding=Funding(fiscal=total) if total is not None else Funding(),
                                   annual_goal=goal, indicators=tuple(rows))


def _tampered(table: SelfEvaluationTable, rng: random.Random) -> SelfEvaluationTable:
    """An inconsistent published table: a total a few points off what its rows give (up, unless that passes 100),
    or a grade a band off its total (up, unless it is 优 already)."""
    total = table.published_total_score
    if total is None or rng.random() < 0.5:
        bands = ("优", "良", "中", "差")
        place = bands.index(table.published_grade) if table.published_grade in bands else 0
        return msgspec.structs.replace(table, published_grade=bands[place - 1] if place else bands[1])
    step = Decimal(rng.choice((3, 5, 8)))
    return msgspec.structs.replace(table, published_total_score=total + step if total + step <= 100 else total - step)


def _series(rng: random.Random, series: int) -> Iterator[RegionProject]:
    table, kind = _first_year(rng, series, YEARS[0])
    for place, year in enumerate(YEARS):
        if place:
            table = _next_year(rng, table, kind, year)
        if year == YEARS[-1]:
            states, weights = zip(*CURRENT_STATES, strict=True)
            yield RegionProject(series, year, table, rng.choices(states, weights)[0])
            continue
        roll = rng.random()
        inflated, struggling = roll < INFLATED_SHARE, INFLATED_SHARE <= roll < INFLATED_SHARE + STRUGGLING_SHARE
        rate = Decimal(rng.choice(("0.32", "0.41", "0.47", "0.55"))) if inflated else \
            Decimal(rng.choice(("0.62", "0.66", "0.74", "0.81"))) if struggling else None
        misses = 0.6 if struggling else 0.0
        score, actuals = system_selfeval(table, rng, rate=rate, all_met=inflated, misses=misses)
        published = inconsistent = None
        if year == YEARS[-2]:
            published = evaluate(table, rng, rate=rate, all_met=inflated, misses=misses)
            inconsistent = rng.random() < INCONSISTENT_SHARE
            if inconsistent:
                published = _tampered(published, rng)
        yield RegionProject(series, year, table, "approved", score, actuals, published, inflated, bool(inconsistent))


def region(projects: int = DEFAULT_PROJECTS, seed: int = 2026) -> Iterator[RegionProject]:
    """About ``projects`` project-years (a multiple of the three years), year by year within each series."""
    rng = random.Random(seed)
    for series in range(max(1, projects // len(YEARS))):
        yield from _series(rng, series)
