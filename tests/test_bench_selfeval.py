"""The bench's generated self-evaluations are clean: every score is the profile's formula at the row's own 分值,
rounded once (a score sheet's 产出/效益 rows rescale the target's indicators to new weights)."""

from __future__ import annotations

import random
from pathlib import Path

from bench.generate_selfeval import evaluate, make_table

from jixiao import profiles
from jixiao.rules import audit_self_evaluation

ROOT = Path(__file__).resolve().parents[1]


def test_score_sheet_rows_are_scored_at_their_own_weight_to_the_cent(tmp_path: Path) -> None:
    text = (ROOT / "src/jixiao/rules/profiles/chongqing.toml").read_text("utf-8")
    text = text.replace('name = "chongqing"', 'name = "exact"')
    exactly = (("score_tolerance = 0.01", "score_tolerance = 0"), ("accept_rounding = true", "accept_rounding = false"))
    for old, new in exactly:
        assert old in text, old
        text = text.replace(old, new)
    (tmp_path / "exact.toml").write_text(text, "utf-8")
    exact = profiles.load(str(tmp_path / "exact.toml")).rules
    rng = random.Random(7)
    differs = []
    for _ in range(400):
        table = evaluate(make_table(rng), rng, "score_sheet")
        findings = audit_self_evaluation(table, exact).findings
        differs += [f.message for f in findings if f.code in ("A001", "A002", "A003")]
    assert differs == []
