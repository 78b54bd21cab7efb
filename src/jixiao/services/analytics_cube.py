"""The analytics rows summed into cells, once per generation: every view and filter is then a sum over a few thousand
cells in memory, not a grouped scan of every project (a province holds hundreds of thousands).

A cell is the projects that share a year, a unit (and its department), a category, a review grade, a
self-evaluation grade, a band of 自评 score, a band of execution rate and whether a published 自评表 was audited;
it holds their count and the sums of every figure the views show. One grouped query makes them all after the
rows change (``analytics_facts.generation``); a process keeps them until the generation moves on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Final, TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jixiao.services.analytics_facts import generation
from jixiao.services.queries import CountCache
from jixiao.storage.models import ProjectFacts

SCORE_BANDS: Final = ((Decimal(90), "90–100"), (Decimal(80), "80–90"), (Decimal(70), "70–80"),
                      (Decimal(60), "60–70"), (Decimal(0), "60 以下"))
RATE_BANDS: Final = ((Decimal(100), "100% 及以上"), (Decimal(90), "90–100%"), (Decimal(80), "80–90%"),
                     (Decimal(60), "60–80%"), (Decimal(40), "40–60%"), (Decimal(0), "40% 以下"))
CACHE_SECONDS: Final = 120.0  # what the stamp can miss: two writers committing out of the order of their ids
_CELLS = CountCache(seconds=CACHE_SECONDS, size=8)
_LOADING = threading.Lock()
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Cell:
    year: int | None
    department_id: int | None
    unit_id: int | None
    category: str | None
    review_grade: str | None
    selfeval_grade: str | None
    score_band: str | None  # None: no 自评 score
    rate_band: str | None  # None: no execution rate
    audited: bool
    projects: int
    yuan: int  # 项目总额 in 元
    scored: int  # projects with a 自评 score …
    score_sum: int  # … and their scores in hundredths
    rated: int  # projects with an execution rate …
    rate_sum: int  # … and their rates in ten-thousandths
    signaled: int  # audited 自评表 with a warning or an error
    signals: int  # the warnings and errors
    ranged: int  # indicators with a comparable range
    below: int  # … outside it on the easy side


@dataclass(slots=True)
class Totals:
    """The sums of cells (the measures of :class:`Cell`)."""

    projects: int = 0
    yuan: int = 0
    scored: int = 0
    score_sum: int = 0
    rated: int = 0
    rate_sum: int = 0
    signaled: int = 0
    signals: int = 0
    ranged: int = 0
    below: int = 0

    def add(self, cell: Cell) -> None:  # written out: a view adds thousands of cells
        self.projects += cell.projects
        self.yuan += cell.yuan
        self.scored += cell.scored
        self.score_sum += cell.score_sum
        self.rated += cell.rated
        self.rate_sum += cell.rate_sum
        self.signaled += cell.signaled
        self.signals += cell.signals
        self.ranged += cell.ranged
        self.below += cell.below


MEASURES: Final = tuple(f.name for f in fields(Totals))
assert tuple(f.name for f in fields(Cell))[-len(MEASURES):] == MEASURES  # add() names every measure of a cell


def _band(column: Any, bands: tuple[tuple[Decimal, str], ...], scale: int) -> Any:
    """The band of a figure kept in ``scale`` (a score in hundredths, a rate in ten-thousandths of 1: 1 % = 100)."""
    whens: list[tuple[Any, Any]] = [(column.is_(None), None)]
    whens += [(column >= int(low * scale), label) for low, label in bands[:-1]]
    return case(*whens, else_=bands[-1][1])


def _load(session: Session) -> tuple[Cell, ...]:
    facts = ProjectFacts
    score_band = _band(facts.score_x100, SCORE_BANDS, 100)
    rate_band = _band(facts.rate_x10000, RATE_BANDS, 100)
    keys = (facts.fiscal_year, facts.department_id, facts.unit_id, facts.category, facts.review_grade,
            facts.selfeval_grade, score_band, rate_band, facts.audited)
    rows = session.execute(select(
        *keys, func.count(), func.coalesce(func.sum(facts.total_yuan), 0), func.count(facts.score_x100),
        func.coalesce(func.sum(facts.score_x100), 0), func.count(facts.rate_x10000),
        func.coalesce(func.sum(facts.rate_x10000), 0),
        func.sum(case((facts.audit_signals > 0, 1), else_=0)), func.coalesce(func.sum(facts.audit_signals), 0),
        func.coalesce(func.sum(facts.ranged), 0), func.coalesce(func.sum(facts.below_range), 0))
        .group_by(*keys))
    return tuple(Cell(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], bool(row[8]),
                      *(int(value or 0) for value in row[9:])) for row in rows)


def cells(session: Session) -> tuple[Cell, ...]:
    """Every cell of the analytics rows as they are now (kept per process while their generation is the same).

    One thread of a process loads them while the others wait for its result: fifty charts opened at once after a
    change make one grouped query, not fifty."""
    stamp = generation(session)
    found: tuple[Cell, ...] | None = _CELLS.get(("cells",), stamp) if stamp is not None else None
    if found is not None:
        return found
    with _LOADING:
        found = _CELLS.get(("cells",), stamp) if stamp is not None else None
        if found is None:
            found = _load(session)
            if stamp is not None:
                _CELLS.put(("cells",), found, stamp)
    return found


def grouped(chosen: Iterable[Cell], key: Callable[[Cell], K]) -> dict[K, Totals]:
    """The totals of ``chosen`` cells by ``key``, in the order each key first appears."""
    found: dict[K, Totals] = {}
    for cell in chosen:
        totals = found.get(key(cell))
        if totals is None:
            totals = found[key(cell)] = Totals()
        totals.add(cell)
    return found
