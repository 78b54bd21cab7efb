"""Self-evaluation and monitoring use cases: read targets and the unit's figures, match, score."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from jixiao.domain import Diagnostic, Severity, TargetTable, Value
from jixiao.io.inputs import (
    MonitorBudgetRow,
    read_actuals,
    read_budget_csv,
    read_monitor_budget_csv,
    read_progress_csv,
)
from jixiao.scoring import ProjectScore, score_project
from jixiao.scoring import ScoringPolicy as ScoringPolicy
from jixiao.scoring.matching import match_actuals, match_progress
from jixiao.scoring.monitoring import Progress, ProjectMonitor, SpendingToDate, monitor_project
from jixiao.services.tables import read_tables

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


def _only(tables: list[TargetTable], project: str | None) -> list[TargetTable]:
    return tables if project is None else [t for t in tables if t.project_code == project]


def score_files(targets: Iterable[str | Path], actuals: str | Path, budget: str | Path | None,
                policy: ScoringPolicy, project: str | None = None) -> SelfEvalRun:
    """Score every table in ``targets`` (or only ``project``) with the actuals (CSV or the xlsx
    workbook) and budget."""
    run = SelfEvalRun()
    all_tables = read_tables(targets, diagnostics=run.diagnostics)
    tables = _only(all_tables, project)
    actual_rows, budget_rows, found = read_actuals(actuals)
    run.diagnostics += found
    if budget is not None:
        more, found = read_budget_csv(budget)
        budget_rows = [*budget_rows, *more]
        run.diagnostics += found
    if project is not None:  # rows of the other projects are not this run's business
        actual_rows = [row for row in actual_rows if row.project_code == project]
        budget_rows = [row for row in budget_rows if row.project_code == project]
    by_project, budgets, found = match_actuals(tables, actual_rows, budget_rows)
    run.diagnostics += found
    for table in tables:
        code = table.project_code or ""
        run.projects.append(score_project(table, by_project.get(code, {}), budgets.get(code), policy))
    return run


def monitor_files(targets: Iterable[str | Path], progress: str | Path, budget: str | Path | None, month: int,
                  policy: ScoringPolicy, project: str | None = None) -> MonitorRun:
    run = MonitorRun()
    all_tables: list[TargetTable] = read_tables(targets, diagnostics=run.diagnostics)
    tables = _only(all_tables, project)
    progress_rows, found = read_progress_csv(progress)
    run.diagnostics += found
    budget_rows: list[MonitorBudgetRow] = []
    if budget is not None:
        budget_rows, found = read_monitor_budget_csv(budget)
        run.diagnostics += found
    if project is not None:
        progress_rows = [row for row in progress_rows if row.project_code == project]
        budget_rows = [row for row in budget_rows if row.project_code == project]
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
