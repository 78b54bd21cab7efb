"""Linking a project across fiscal years, and its indicators (pure: hand-made projects with known answers)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.library.links import Link, ProjectRef, chain, link_projects, match_indicators, serial_key

UNIT, OTHER = 7, 8


def _projects() -> list[ProjectRef]:
    return [
        ProjectRef(1, "50011520T000000157087", 2020, "免费复印", UNIT),
        ProjectRef(2, "50011521T000000157087", 2021, "免费复印服务", UNIT),
        ProjectRef(3, "50011522T000000157087", 2022, "免费复印（一般性）", UNIT),
        # no standard code: linked by unit and a close name
        ProjectRef(4, "CQ-2021-09", 2021, "政务服务中心运行维护", UNIT),
        ProjectRef(5, "CQ-2022-11", 2022, "政务服务中心运行维护经费", UNIT),
        # near misses: the same name in another unit; another name in the same unit
        ProjectRef(6, "CQ-2022-12", 2022, "政务服务中心运行维护", OTHER),
        ProjectRef(9, "CQ-2022-13", 2022, "窗口人员培训", UNIT),
    ]


def test_the_serial_links_years_and_a_close_name_in_the_unit_links_the_rest() -> None:
    links = link_projects(_projects())
    assert links[2] == Link(2, 1, "serial") and links[3] == Link(3, 2, "serial")
    assert links[5].previous == 4 and links[5].by == "name_unit" and links[5].score >= 90
    assert 6 not in links and 9 not in links and 1 not in links and 4 not in links
    assert chain(3, links) == [2, 1]


def test_serial_key_drops_only_the_year() -> None:
    assert serial_key("50011522T000000157087") == serial_key("50011519T000000157087") == "500115T000000157087"
    assert serial_key("CQ-2022-11") is None


def test_a_correction_wins_and_frees_the_computed_predecessor() -> None:
    links = link_projects(_projects(), {5: None, 6: 4})
    assert 5 not in links
    assert links[6] == Link(6, 4, "manual")
    links = link_projects(_projects(), {3: 4})
    assert links[3] == Link(3, 4, "manual") and links[2].previous == 1


def test_a_loop_made_by_corrections_is_cut() -> None:
    links = {1: Link(1, 2, "manual"), 2: Link(2, 1, "manual")}
    assert chain(1, links) == [2]


def test_indicators_match_by_name_key_and_unit_then_by_a_close_name() -> None:
    now = [("纸张使用量", "张"), ("复印差错率", "%"), ("群众满意度", "%"), ("新指标", "个")]
    before = [("服务对象满意度", "%"), ("纸张使用量（张）", "张"), ("复印差错率", "‰"), ("复印机完好率", "%")]
    assert match_indicators(now, before) == {0: 1, 2: 0}  # 群众满意度 is 服务对象满意度; ‰ is not %
    assert match_indicators([("免费复印纸张使用数量", "张")], [("免费复印纸张使用量", "张")]) == {0: 0}


# -- the same links as the straightforward search, which compared every pair of a unit's projects ------------------


def _reference_links(projects: list[ProjectRef], overrides: dict[int, int | None]) -> dict[int, Link]:
    """link_projects as first written: for each project, every earlier project of its unit scored in turn."""
    from itertools import pairwise

    from rapidfuzz import fuzz

    from jixiao.library.names import name_key

    found: dict[int, Link] = {}
    claimed: set[int] = set()
    for project, previous in overrides.items():
        if previous is not None:
            found[project] = Link(project, previous, "manual")
            claimed.add(previous)
    dated = sorted((p for p in projects if p.year is not None), key=lambda p: (p.year or 0, p.code))
    by_serial: dict[str, list[ProjectRef]] = {}
    for item in dated:
        key = serial_key(item.code)
        if key is not None:
            by_serial.setdefault(key, []).append(item)
    for group in by_serial.values():
        for before, after in pairwise(group):
            if after.id in overrides or before.id in claimed or before.year == after.year:
                continue
            found[after.id] = Link(after.id, before.id, "serial")
            claimed.add(before.id)
    keys = {p.id: name_key(p.name) for p in dated}
    by_unit: dict[int, list[ProjectRef]] = {}
    for item in dated:
        if item.unit_id is not None and keys[item.id]:
            by_unit.setdefault(item.unit_id, []).append(item)
    for item in dated:
        if item.id in overrides or item.id in found or not keys[item.id] or item.unit_id is None:
            continue
        best: tuple[int, float, int] | None = None
        for other in by_unit.get(item.unit_id, ()):
            if (other.year or 0) >= (item.year or 0) or other.id in claimed:
                continue
            score = float(fuzz.ratio(keys[item.id], keys[other.id]))
            if score >= 90.0 and (best is None or ((other.year or 0), score) > (best[0], best[1])):
                best = (other.year or 0, score, other.id)
        if best is not None:
            found[item.id] = Link(item.id, best[2], "name_unit", round(best[1], 1))
            claimed.add(best[2])
    return found


_NAMES = ["免费复印", "免费复印服务", "免费复印服务费", "政务服务中心运行维护", "政务服务中心运行维护经费",
          "窗口人员培训", "窗口人员培训费", None, ""]


@st.composite
def _project_sets(draw: st.DrawFn) -> tuple[list[ProjectRef], dict[int, int | None]]:
    count = draw(st.integers(0, 30))
    projects = []
    for index in range(count):
        year = draw(st.one_of(st.none(), st.integers(2018, 2023)))
        serial = draw(st.integers(1, 4))
        code = (f"50011{draw(st.integers(5, 6))}{(year or 2020) % 100:02d}T{serial:012d}" if draw(st.booleans())
                else f"CQ-{index}")
        projects.append(ProjectRef(index + 1, code, year, draw(st.sampled_from(_NAMES)), draw(st.sampled_from(
            [UNIT, OTHER, None]))))
    ids = [p.id for p in projects]
    fixed = draw(st.dictionaries(st.sampled_from(ids), st.one_of(st.none(), st.sampled_from(ids)), max_size=3)) \
        if ids else {}
    return projects, fixed


@settings(max_examples=300, deadline=None)
@given(_project_sets())
def test_the_links_are_those_of_comparing_every_pair(case: tuple[list[ProjectRef], dict[int, int | None]]) -> None:
    projects, fixed = case
    assert link_projects(projects, fixed) == _reference_links(projects, fixed)

