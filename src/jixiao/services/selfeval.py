"""Self-evaluation and monitoring use cases: read targets and the unit's figures, match, score."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from jixiao.domain import Diagnostic, Severity, TargetTable, Value
from jixiao.io.selfeval_inputs import (
    MonitorBudgetRow,
    read_actuals,
    read_budget_csv,
    read_monitor_budget_csv,
    read_progress_csv,
)
from jixiao.scoring import ProjectScore, ScoringPolicy, score_project
from jixiao.scoring.matching import match_actuals, match_progress
from jixiao.scoring.monitoring import Progress, ProjectMonitor, SpendingToDate, monitor_project
from jixiao.services.review import read_tables

T = TypeVar("T")


@dataclass(slots=True)
class Run(Generic[T]):
    """Results per project, and everything the readers and the matching said."""

    projects: list[T] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


SelfEvalRun = Run[ProjectScore]
MonitorRun = Run[ProjectMonitor]


def score_files(targets: Iterable[str | Path], actuals: str | Path, budget: str | Path | None,
                policy: ScoringPolicy) -> SelfEvalRun:
    """Score every table in ``targets`` with the actuals (CSV or the xlsx workbook) and budget."""
    run = SelfEvalRun()
    tables = read_tables(targets, diagnostics=run.diagnostics)
    actual_rows, budget_rows, found = read_actuals(actuals)
    run.diagnostics += found
    if budget is not None:
        more, found = read_budget_csv(budget)
        budget_rows = [*budget_rows, *more]
        run.diagnostics += found
    by_project, budgets, found = match_actuals(tables, actual_rows, budget_rows)
    run.diagnostics += found
    for table in tables:
        code = table.project_code or ""
        run.projects.append(score_project(table, by_project.get(code, {}), budgets.get(code), policy))
    return run


def monitor_files(targets: Iterable[str | Path], progress: str | Path, budget: str | Path | None, month: int,
                  policy: ScoringPolicy) -> MonitorRun:
    run = MonitorRun()
    tables: list[TargetTable] = read_tables(targets, diagnostics=run.diagnostics)
    progress_rows, found = read_progress_csv(progress)
    run.diagnostics += found
    budget_rows: list[MonitorBudgetRow] = []
    if budget is not None:
        budget_rows, found = read_monitor_budget_csv(budget)
        run.diagnostics += found
    by_project, budgets, found = match_progress(tables, progress_rows, budget_rows)
    run.diagnostics += found
    for table in tables:
        code = table.project_code or ""
        rows = {index: Progress(Value.of(row.to_date_text), Value.of(row.forecast_text), row.reason,
                                row.likelihood, row.row)
                for index, row in by_project.get(code, {}).items()}
        money = budgets.get(code)
        spending = SpendingToDate(money.adjusted, money.executed_to_date) if money is not None else None
        run.projects.append(monitor_project(table, rows, spending, month, policy))
    return run
