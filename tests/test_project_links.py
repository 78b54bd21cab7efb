"""Linking a project across fiscal years, and its indicators (pure: hand-made projects with known answers)."""

from __future__ import annotations

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
