"""Review use case: read files, review every table, keep what the reader said.

The CLI and (later) the web call this, so both review the same way.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.domain import Diagnostic, TargetTable
from jixiao.io.reading import read_path
from jixiao.rules import Profile, ReviewReport, review


@contextmanager
def long_lived_objects() -> Iterator[None]:
    """Tell the garbage collector that what exists now will live on (``gc.freeze``).

    A review allocates many short-lived objects while every table read so far stays alive;
    without this each full collection walks all those tables again, so reviewing slows
    down as the number of tables grows. Frozen objects are unfrozen afterwards.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass(slots=True)
class ReviewRun:
    report: ReviewReport
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_tables(paths: Iterable[str | Path], on_diagnostic: Callable[[Diagnostic], None] | None = None,
                diagnostics: list[Diagnostic] | None = None) -> list[TargetTable]:
    tables: list[TargetTable] = []
    for path in paths:
        for result in read_path(path):
            for item in result.diagnostics:
                if diagnostics is not None:
                    diagnostics.append(item)
                if on_diagnostic is not None:
                    on_diagnostic(item)
            if result.table is not None:
                tables.append(result.table)
    return tables


def review_tables(tables: Sequence[TargetTable], profile: Profile, select: Sequence[str] | None = None,
                  ignore: Sequence[str] = ()) -> ReviewReport:
    with long_lived_objects():
        return review(tables, profile, select, ignore)


def review_files(paths: Iterable[str | Path], profile: Profile, select: Sequence[str] | None = None,
                 ignore: Sequence[str] = (),
                 on_diagnostic: Callable[[Diagnostic], None] | None = None) -> ReviewRun:
    """Read every file, then review all tables with ``profile``."""
    diagnostics: list[Diagnostic] = []
    tables = read_tables(paths, on_diagnostic, diagnostics)
    return ReviewRun(review_tables(tables, profile, select, ignore), diagnostics)
