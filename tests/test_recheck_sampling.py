"""The 复核 draw: reproducible from its seed, part by risk (audit findings), the rest at random, each with why."""

from __future__ import annotations

from collections import Counter

from jixiao.services.recheck_sampling import Candidate, draw, findings_text

ERROR, WARNING = ("error", "S101", "得分与公式不符"), ("warning", "S201", "实际完成值照抄目标值")


def _pool() -> list[Candidate]:
    return [Candidate(1, (ERROR, ERROR, ERROR)), Candidate(2, (WARNING,)), Candidate(3), Candidate(4),
            Candidate(5, (ERROR, WARNING)), Candidate(6), Candidate(7), Candidate(8, (WARNING, WARNING))]


def test_the_same_seed_draws_the_same_sample_in_any_input_order() -> None:
    first = draw(_pool(), 4, seed=20230331, risk_share=50)
    assert draw(list(reversed(_pool())), 4, seed=20230331, risk_share=50) == first
    assert [c.chosen_by for c in first] == ["risk", "risk", "random", "random"]
    assert len({c.key for c in first}) == 4
    assert all(c.risk > 0 for c in first if c.chosen_by == "risk")
    seeds = {tuple(c.key for c in draw(_pool(), 4, seed, 50)) for seed in range(40)}
    assert len(seeds) > 5  # the seed matters


def test_each_table_says_why_it_was_chosen() -> None:
    chosen = draw(_pool(), 8, seed=1, risk_share=25)
    by_key = {c.key: c for c in chosen}
    assert sorted(by_key) == list(range(1, 9))  # all of them when the size covers the pool
    risky = [c for c in chosen if c.chosen_by == "risk"]
    assert len(risky) == 2 and all(c.reasons[0].startswith("按风险抽取：风险分 ") for c in risky)
    assert by_key[1].risk == 9 and "错误 3 条：S101 得分与公式不符" in " ".join(by_key[1].reasons)
    assert by_key[3].reasons == ("随机抽取", "风险分 0；审核发现：审核未发现问题")


def test_risk_weighs_the_draw_without_making_it_certain() -> None:
    counts: Counter[int] = Counter()
    for seed in range(300):
        counts.update(c.key for c in draw(_pool(), 1, seed, 100))
    assert set(counts) <= {1, 2, 5, 8}  # only tables with findings in the risk part
    assert counts[1] > counts[5] > counts[2]  # risk 9 > 4 > 1
    assert counts[2] > 0  # a low risk is still drawn sometimes


def test_no_risk_share_or_no_findings_is_a_plain_random_draw() -> None:
    assert {c.chosen_by for c in draw(_pool(), 5, 3, 0)} == {"random"}
    clean = [Candidate(n) for n in range(10)]
    assert {c.chosen_by for c in draw(clean, 5, 3, 100)} == {"random"}  # nothing risky: all drawn at random
    assert draw([], 5, 3, 50) == []


def test_findings_text_names_the_first_few() -> None:
    many = tuple(("warning", f"S2{n:02d}", "问题") for n in range(7))
    assert findings_text(many) == "警告 7 条：S200 问题；S201 问题；S202 问题；S203 问题；S204 问题 等 7 条"
