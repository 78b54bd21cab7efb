"""The draw of a 复核 sample: part by risk (weighted by audit findings), the rest at random; seeded.

Pure arithmetic over candidates, so the draw is reproducible: the same seed over the same tables (in any
order they were read) draws the same sample, and each table chosen says why. The risk part is a weighted
draw without replacement (Efraimidis–Spirakis: the largest ``u ** (1 / risk)``), so a table with more and
graver findings is likelier to be chosen but none is certain; tables without findings are left to the random
part, which draws uniformly from everything the risk part did not take.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RISK_POINTS: Mapping[str, int] = {"error": 3, "warning": 1, "info": 0}
SEVERITY_WORDS: Mapping[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
MAX_SIZE = 500
MAX_SEED = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Candidate:
    """A table that may be drawn: its key (the stored self-evaluation's id) and its audit findings."""

    key: int
    findings: tuple[tuple[str, str, str], ...] = ()  # (severity, code, title)

    @property
    def risk(self) -> int:
        return sum(RISK_POINTS.get(severity, 0) for severity, _code, _title in self.findings)


@dataclass(frozen=True, slots=True)
class Chosen:
    key: int
    chosen_by: str  # risk | random
    risk: int
    reasons: tuple[str, ...]


def findings_text(findings: Sequence[tuple[str, str, str]], limit: int = 5) -> str:
    """“错误 2 条、警告 1 条：S101 得分与公式不符；S203 …” (the first few findings named)."""
    counts = [f"{SEVERITY_WORDS[s]} {n} 条" for s in RISK_POINTS
              if (n := sum(1 for severity, _c, _t in findings if severity == s))]
    if not counts:
        return "审核未发现问题"
    named = "；".join(f"{code} {title}" for _s, code, title in findings[:limit])
    more = f" 等 {len(findings)} 条" if len(findings) > limit else ""
    return f"{'、'.join(counts)}：{named}{more}"


def _reasons(candidate: Candidate, chosen_by: str) -> tuple[str, ...]:
    about = findings_text(candidate.findings)
    if chosen_by == "risk":
        return (f"按风险抽取：风险分 {candidate.risk}（错误每条 3 分、警告每条 1 分）", f"审核发现：{about}")
    return ("随机抽取", f"风险分 {candidate.risk}；审核发现：{about}")


def draw(candidates: Sequence[Candidate], size: int, seed: int, risk_share: int) -> list[Chosen]:
    """``size`` tables (all of them when fewer), ``risk_share`` percent of them by risk, in the order drawn."""
    ordered = sorted(candidates, key=lambda c: c.key)
    rng = random.Random(seed)
    wanted = min(max(size, 0), len(ordered))
    by_risk = (wanted * max(0, min(risk_share, 100)) + 50) // 100
    keys = [(rng.random() ** (1 / c.risk) if c.risk > 0 else -1.0, c) for c in ordered]
    risky = sorted((item for item in keys if item[1].risk > 0), key=lambda item: (-item[0], item[1].key))
    first = [c for _key, c in risky[:by_risk]]
    taken = {c.key for c in first}
    rest = [c for c in ordered if c.key not in taken]
    second = rng.sample(rest, wanted - len(first))
    return [*(Chosen(c.key, "risk", c.risk, _reasons(c, "risk")) for c in first),
            *(Chosen(c.key, "random", c.risk, _reasons(c, "random")) for c in second)]
