"""Indicator names as the library compares them, and the grouping of names written differently.

The same indicator is written many ways: 群众满意度, 服务对象满意度, 满意率, "指标1：台网运行率", "修建作业道长度
（公里）". :func:`name_key` folds what never changes the meaning (width, spaces, punctuation, a leading
number, a trailing unit in brackets, the usual words for the people served); :func:`group_names` then puts
keys that are close (rapidfuzz's normalised Indel similarity) into one group and records for every member how
it got there, so a reviewer can see — and the finance bureau correct — each grouping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Final, Literal

import msgspec
from rapidfuzz import fuzz, process

FUZZY_CUTOFF: Final = 85.0  # similarity (0–100) of two keys that are taken for one indicator

_NUMBERING: Final = re.compile(r"^(?:指标\s*\d+|\d+|[一二三四五六七八九十]+)\s*[:：、.．)）]\s*")
_TRAILING_UNIT: Final = re.compile(r"[(（][^()（）]{1,6}[)）]$")
_NOISE: Final = re.compile(r"[\s()（）,，。;；:：、\"'“”‘’《》<>〈〉【】\[\]·•…—\-_/\\|*]+")
# The people served, as units name them in a satisfaction indicator: one key for all of them.
_SERVED: Final = ("人民群众", "受益群众", "受益对象", "受益人群", "受益人员", "受益人", "受益户", "社会公众", "公众",
                  "群众", "服务对象", "")
_SATISFACTION: Final = re.compile(r"^(?:" + "|".join(_SERVED[:-1]) + r")?满意[度率]$")
SERVED_SATISFACTION: Final = "服务对象满意度"
# Qualifiers in front of a name that say nothing of the indicator (项目验收合格率 is 验收合格率).
_QUALIFIERS: Final = ("本项目", "项目", "工程", "本年度", "年度", "全年")

How = Literal["same", "synonym", "fuzzy", "manual"]


@lru_cache(maxsize=65_536)  # the project page keys its unit's project names on every view: the same names
def name_key(name: str | None) -> str:
    """The key a name is compared by: width folded (NFKC), no spaces or punctuation, no leading number,
    trailing bracketed unit or leading qualifier (项目, 工程…), 满意率 as 满意度, and every
    群众/服务对象/受益群众… 满意度 as 服务对象满意度."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    text = _NUMBERING.sub("", text)
    text = _TRAILING_UNIT.sub("", text.strip())
    text = _NOISE.sub("", text)
    stripped = True
    while stripped:
        stripped = False
        for word in _QUALIFIERS:
            if text.startswith(word) and len(text) - len(word) >= 3:
                text, stripped = text[len(word):], True
    if _SATISFACTION.match(text):
        return SERVED_SATISFACTION
    if text.endswith("满意率"):
        text = text[:-1] + "度"
    return text


class Member(msgspec.Struct, frozen=True):
    """One spelling in a group: how often it was seen, and why it is in the group (``score``: similarity)."""

    name: str
    key: str
    count: int
    how: How
    score: float = 100.0


class NameGroup(msgspec.Struct, frozen=True):
    """Names taken for one indicator: the key of its most frequent spelling and every member."""

    key: str
    name: str  # the most frequent spelling: the group's proposed name
    members: tuple[Member, ...]

    @property
    def count(self) -> int:
        return sum(member.count for member in self.members)


def group_names(counts: Mapping[str, int] | Iterable[tuple[str, int]],
                fixed: Mapping[str, str] | None = None, cutoff: float = FUZZY_CUTOFF) -> list[NameGroup]:
    """Group names (with how often each was seen), most frequent first.

    ``fixed`` maps a key to the key of the group it belongs to (what the finance bureau decided: a merge,
    or an entry's own key for names it must keep apart); fixed keys are never matched fuzzily. Otherwise a
    key joins the group of the first (most frequent) key whose similarity reaches ``cutoff``.
    """
    pairs = counts.items() if isinstance(counts, Mapping) else counts
    by_key: dict[str, list[tuple[str, int]]] = {}
    for name, count in pairs:
        key = name_key(name)
        if key:
            by_key.setdefault(key, []).append((name, count))
    fixed = fixed or {}
    totals = sorted(by_key, key=lambda key: (-sum(c for _, c in by_key[key]), key))
    # group keys, in the order groups were opened: the fixed groups first, so a new spelling can join one
    heads: list[str] = sorted({head for key, head in fixed.items() if fixed.get(head, head) == head})
    placed: dict[str, tuple[str, How, float]] = {}  # key → (group key, how, score)
    for key in totals:
        target = fixed.get(key)
        if target is not None and target != key:
            placed[key] = (target, "manual", 100.0)
            if target not in heads:
                heads.append(target)
            continue
        free = [head for head in heads if head not in fixed or fixed[head] == head]
        best = None if target == key else process.extractOne(key, free, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            placed[key] = (key, "same", 100.0)
            if key not in heads:
                heads.append(key)
        else:
            placed[key] = (best[0], "fuzzy", float(best[1]))
    groups: dict[str, list[Member]] = {head: [] for head in heads}
    for key, (head, how, score) in placed.items():
        for name, count in by_key[key]:
            member_how: How = how
            if how == "same" and name_key(name) != plain_name(name):
                member_how = "synonym"
            groups[head].append(Member(name, key, count, member_how, round(score, 1)))
    found = []
    for head, members in groups.items():
        if not members:
            continue
        members.sort(key=lambda member: (-member.count, member.name))
        named = next((member.name for member in members if member.key == head), members[0].name)
        found.append(NameGroup(head, named, tuple(members)))
    found.sort(key=lambda group: (-group.count, group.key))
    return found


def plain_name(name: str) -> str:
    """The name folded only in width, spaces and punctuation, as written otherwise (群众满意度 stays)."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name).strip())
