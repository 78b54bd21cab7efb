"""Bounded answers: however much a file or a submission says is wrong, what is returned and stored is capped.

A 5 MB file of junk gave 74,000 diagnostics (an 11 MB response, stored whole with the import). Now the
first :data:`MAX_DIAGNOSTICS` are kept one by one and the rest become one summary per code, with its count
and the worst severity among them (so nothing serious disappears from view). Decisions (refuse the file,
count its errors) are taken on the full list before it is capped.
"""

from __future__ import annotations

from jixiao.domain import Diagnostic, Severity

MAX_DIAGNOSTICS = 200  # listed one by one per file; the rest are counted by code (a junk file stays small)
_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def capped(diagnostics: list[Diagnostic], limit: int = MAX_DIAGNOSTICS) -> list[Diagnostic]:
    """The first ``limit`` diagnostics, then one summary per code of the rest (its count, its worst severity)."""
    if len(diagnostics) <= limit:
        return list(diagnostics)
    rest = diagnostics[limit:]
    counts: dict[str, int] = {}
    worst: dict[str, Severity] = {}
    for item in rest:
        counts[item.code] = counts.get(item.code, 0) + 1
        if _RANK[item.severity] > _RANK[worst.get(item.code, Severity.INFO)]:
            worst[item.code] = item.severity
    return [*diagnostics[:limit], *(
        Diagnostic("diagnostics-truncated", worst.get(code, Severity.INFO),
                   f"另有 {count} 条“{code}”诊断未逐条列出（每次最多逐条列出 {limit} 条）", rest[0].file)
        for code, count in counts.items())]
