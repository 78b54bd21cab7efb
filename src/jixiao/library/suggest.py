"""Which library entries fit what someone is typing: the editor's suggestions, best first."""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz, process

from jixiao.library.names import name_key, plain_name

SUGGEST_CUTOFF = 60.0


def rank(typed: str, spellings: Mapping[str, int], limit: int = 8) -> list[tuple[int, float]]:
    """Entries (by id) for ``typed``, best first: ``spellings`` maps each spelling (alias keys, and alias names
    as :func:`plain_name` folds them) to its entry.

    A spelling equal to what was typed (as a key or as written) scores 100, one that starts with it 95, then
    rapidfuzz's partial ratio (the typed text found inside a longer name: 满意度 in 服务对象满意度)."""
    key, raw = name_key(typed), plain_name(typed)
    if not key:
        return []
    best: dict[int, float] = {}
    for spelling, entry in spellings.items():
        if spelling in (key, raw):
            score = 100.0
        elif spelling.startswith(raw) or spelling.startswith(key):
            score = 95.0
        else:
            continue
        best[entry] = max(best.get(entry, 0.0), score)
    for spelling, score, _ in process.extract(key, list(spellings), scorer=fuzz.partial_ratio,
                                              score_cutoff=SUGGEST_CUTOFF, limit=limit * 4):
        entry = spellings[spelling]
        if len(spelling) >= len(key) or fuzz.ratio(key, spelling) >= SUGGEST_CUTOFF:
            best[entry] = max(best.get(entry, 0.0), float(score) * 0.9)
    return sorted(best.items(), key=lambda item: -item[1])[:limit]
