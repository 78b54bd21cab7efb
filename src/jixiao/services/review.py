"""Review use case: read files, review every target table and audit every self-evaluation, keep what the
reader said.

The CLI and (later) the web call this, so both review the same way. It also hands the shells what they
need to show a review (the report type, the rule-code check, the findings in order and the grade's
explanation), so they never import the rule engine.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.domain import AnyTable, Diagnostic, SelfEvaluationTable, Severity, TargetTable
from jixiao.rules import Profile, review_any
from jixiao.rules.engine import ReviewReport as ReviewReport
from jixiao.rules.engine import unknown_codes as unknown_codes
from jixiao.rules.registry import fmt as fmt
from jixiao.rules.report import grade_explanation as grade_explanation
from jixiao.rules.report import recompute_explanation as recompute_explanation
from jixiao.rules.report import sorted_findings as sorted_findings
from jixiao.rules.selfeval_audit import Comparables
from jixiao.services.tables import read_any_tables

if TYPE_CHECKING:
    from jixiao.io.readers.vocabulary import Vocabulary


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


def approved_among(tables: Sequence[AnyTable]) -> Callable[[SelfEvaluationTable], TargetTable | None]:
    """A self-evaluation's approved target table among ``tables``: the one target table of its project code
    (checked together, as ``jixiao check 目标表.txt 自评表.txt`` does); none when no code, none or several
    different ones (never guessed)."""
    by_code: dict[str, TargetTable | None] = {}
    for table in tables:
        if isinstance(table, TargetTable) and (code := table.project_code):
            seen = by_code.get(code)
            by_code[code] = table if code not in by_code or seen == table else None

    def approved(table: SelfEvaluationTable) -> TargetTable | None:
        code = table.project_code
        return by_code.get(code) if code else None

    return approved


def review_tables(tables: Sequence[AnyTable], profile: Profile, select: Sequence[str] | None = None,
                  ignore: Sequence[str] = (), comparables: Comparables | None = None) -> ReviewReport:
    """Review target tables and audit self-evaluations (自评审计), each with its kind's rules, in order; a
    self-evaluation is compared with the target table of its project among ``tables`` (A020–A022), a target
    table with what ``comparables`` gives for it (P006: :func:`jixiao.services.library_query.comparables_lookup`)."""
    with long_lived_objects():
        return review_any(tables, profile, select, ignore, approved_among(tables), comparables)


def review_files(paths: Iterable[str | Path], profile: Profile, select: Sequence[str] | None = None,
                 ignore: Sequence[str] = (),
                 on_diagnostic: Callable[[Diagnostic], None] | None = None,
                 vocabulary: Vocabulary | None = None, comparables: Comparables | None = None) -> ReviewRun:
    """Read every file (with a region's ``vocabulary``, see ``tables.vocabulary_for``), then review all
    tables of both kinds with ``profile`` (the rule set chosen by each table's kind)."""
    diagnostics: list[Diagnostic] = []
    tables = read_any_tables(paths, on_diagnostic, diagnostics, vocabulary=vocabulary)
    report = review_tables(tables, profile, select, ignore, comparables)
    report.reading = [d for d in diagnostics if d.severity is not Severity.INFO]  # part of the report, every format
    return ReviewRun(report, diagnostics)
