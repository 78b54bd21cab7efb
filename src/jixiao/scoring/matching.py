"""Match what a unit reports (rows read by the io layer) to the indicators of its target tables.

Pure: the rows are the records of :mod:`jixiao.domain.reported`, so scoring never imports io. Rows
are keyed by project code and by indicator name within the project; the results are keyed
by project code and indicator position, ready for :func:`jixiao.scoring.score_project`.

Nothing is guessed: a row that cannot be placed, or whose content does not fit its
indicator, is reported and not used; an indicator that no row reaches is reported too.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from jixiao.domain import Diagnostic, Indicator, Operator, Severity, TargetTable, Value
from jixiao.domain.reported import (
    ACTUAL,
    CODE,
    FORECAST,
    NAME,
    QUALITATIVE_SCORE,
    TO_DATE,
    ActualRow,
    BudgetRow,
    MonitorBudgetRow,
    ProgressRow,
    ReportedRow,
)
from jixiao.domain.text import fold_width
from jixiao.scoring.model import Actual, Budget
from jixiao.scoring.policy import QualitativeGrade, parse_grade

_GRADES = "、".join(f"“{grade.value}”" for grade in QualitativeGrade)
_NUMERIC = (Operator.GE, Operator.GT, Operator.EQ, Operator.LT, Operator.LE)


B = TypeVar("B", BudgetRow, MonitorBudgetRow)
IndicatorRow = ActualRow | ProgressRow


# -- helpers ------------------------------------------------------------------------------------
def _key(text: str | None) -> str:
    """Codes and names match regardless of width and spaces (“纸张 使用量”, full-width digits)."""
    return fold_width(text or "").replace(" ", "").strip()


def _note(out: list[Diagnostic], code: str, severity: Severity, message: str, file: str | None,
          line: int | None, column: str | None = None) -> None:
    out.append(Diagnostic(code, severity, message, file, line, column))


def _row_error(out: list[Diagnostic], code: str, row: ReportedRow, column: str, message: str,
               severity: Severity = Severity.ERROR) -> None:
    _note(out, code, severity, message, row.source, row.row, column)


def _show(value: str | None) -> str:
    return f"“{value}”" if value else "（空）"


@dataclass(slots=True)
class _Project:
    table: TargetTable
    names: dict[str, list[int]] = field(default_factory=dict)  # name key -> indicator positions

    @property
    def label(self) -> str:
        return self.table.label()


class _Index:
    """The tables by project code, and which indicator each accepted row took."""

    def __init__(self, tables: Iterable[TargetTable], out: list[Diagnostic]) -> None:
        self.out = out
        self.projects: dict[str, _Project] = {}
        self.taken: dict[tuple[str, int], IndicatorRow] = {}
        self.warned_names: set[tuple[str, str]] = set()
        for table in tables:
            self._add(table)

    def _add(self, table: TargetTable) -> None:
        file = table.source.file if table.source else None
        line = table.source.line if table.source else None
        code = _key(table.project_code)
        if not code:
            _note(self.out, "table-without-code", Severity.ERROR,
                  f"目标表“{table.label()}”没有项目编码，无法与实际完成值、预算执行数据匹配", file, line)
            return
        first = self.projects.get(code)
        if first is not None:
            same = [i.name for i in first.table.indicators] == [i.name for i in table.indicators]
            where = str(first.table.source) if first.table.source else "前一张表"
            detail = ("两张表的三级指标相同" if same
                      else "两张表的三级指标不同，按编码匹配的数据只对第一张表有效，请核对")
            _note(self.out, "duplicate-project-code", Severity.WARNING if same else Severity.ERROR,
                  f"项目编码 {code} 也出现在 {where} 的目标表中；数据按项目编码匹配到第一张表，{detail}",
                  file, line)
            return
        project = _Project(table)
        for position, indicator in enumerate(table.indicators):
            if indicator.name:
                project.names.setdefault(_key(indicator.name), []).append(position)
        self.projects[code] = project

    def project(self, row: ReportedRow, what: str) -> tuple[str, _Project] | None:
        code = _key(row.project_code)
        project = self.projects.get(code)
        if project is not None:
            return code, project
        close = difflib.get_close_matches(code, list(self.projects), n=3, cutoff=0.9)
        hint = f"；是否为 {'、'.join(close)}？" if close else "；请核对编码（应与目标表中的项目编码一致）"
        _row_error(self.out, "unknown-project", row, CODE,
                   f"项目编码“{row.project_code}”不在目标表中，该行{what}未使用{hint}")
        return None

    def indicator(self, row: IndicatorRow, what: str, duplicate_code: str) -> tuple[str, int] | None:
        """The position of the indicator the row names, or ``None`` (reported)."""
        found = self.project(row, what)
        if found is None:
            return None
        code, project = found
        key = _key(row.indicator_name)
        positions = project.names.get(key)
        if not positions:
            names = [name for name in (i.name for i in project.table.indicators) if name]
            close = difflib.get_close_matches(row.indicator_name, names, n=3, cutoff=0.5)
            hint = (f"是否为：{'、'.join(close)}？" if close
                    else f"该项目的三级指标有：{'、'.join(names) or '（无）'}")
            _row_error(self.out, "unknown-indicator", row, NAME,
                       f"项目 {project.label} 中没有三级指标“{row.indicator_name}”，该行{what}未使用；{hint}")
            return None
        free = [position for position in positions if (code, position) not in self.taken]
        if not free:
            earlier = "、".join(f"第{self.taken[(code, p)].row}行" for p in positions)
            _row_error(self.out, duplicate_code, row, NAME,
                       f"项目 {project.label} 的三级指标“{row.indicator_name}”已在{earlier}填写，"
                       f"本行重复，未使用")
            return None
        if len(positions) > 1 and (code, key) not in self.warned_names:
            self.warned_names.add((code, key))
            _row_error(self.out, "repeated-indicator-name", row, NAME,
                       f"项目 {project.label} 有 {len(positions)} 个名为“{row.indicator_name}”的三级指标，"
                       f"各行按出现顺序依次对应这些指标，请核对", Severity.WARNING)
        self.taken[(code, free[0])] = row
        return code, free[0]

    def budgets(self, rows: Iterable[B], what: str) -> dict[str, B]:
        accepted: dict[str, B] = {}
        for row in rows:
            found = self.project(row, what)
            if found is None:
                continue
            code, project = found
            earlier = accepted.get(code)
            if earlier is not None:
                _row_error(self.out, "duplicate-budget", row, CODE,
                           f"项目 {project.label} 的{what}已在第{earlier.row}行填写，本行重复，未使用")
                continue
            accepted[code] = row
        return accepted

    def missing(self, code: str, what: str, error_code: str) -> None:
        project = self.projects[code]
        seen = set(self.covered(code))
        file = project.table.source.file if project.table.source else None
        for position, indicator in enumerate(project.table.indicators):
            if position not in seen:
                name = f"三级指标“{indicator.name}”" if indicator.name else f"第{position + 1}个三级指标（无名称）"
                _note(self.out, error_code, Severity.ERROR,
                      f"缺少{what}：项目 {project.label} 的{name}没有对应的{what}行", file, indicator.line)

    def missing_budget(self, budgets: Iterable[str], what: str, consequence: str) -> None:
        present = set(budgets)
        for code, project in self.projects.items():
            if code not in present:
                file = project.table.source.file if project.table.source else None
                line = project.table.source.line if project.table.source else None
                _note(self.out, "missing-budget", Severity.ERROR,
                      f"缺少{what}：项目 {project.label} 没有对应的{what}行，{consequence}", file, line)

    def covered(self, code: str) -> list[int]:
        return [position for (key, position) in self.taken if key == code]


# -- self-evaluation (自评) ---------------------------------------------------------------------
def _actual(row: ActualRow, indicator: Indicator, out: list[Diagnostic]) -> Actual | None:
    """The Actual for a placed row, or ``None`` when its content does not fit the indicator (reported)."""
    kind = indicator.operator_kind
    text, points = row.actual_text, row.qualitative_score
    name = f"三级指标“{indicator.name}”"
    if kind is Operator.QUALITATIVE:
        grade = parse_grade(text)
        if grade is None:
            _row_error(out, "bad-grade", row, ACTUAL,
                       f"{name}是定性指标，实际完成值应为 {_GRADES} 之一（可简写为“达成”“部分达成”“未达成”），"
                       f"实际为{_show(text)}；该行未使用")
        if points is None:
            _row_error(out, "missing-qualitative-score", row, QUALITATIVE_SCORE,
                       f"{name}是定性指标，须填写定性得分（按完成等级在权重的相应档内打分）；该行未使用")
        if grade is None or points is None:
            return None
        return Actual(Value.of(text), grade, points, row.reason, row.row)
    if kind is Operator.OTHER_QUANTITATIVE:
        if points is None:
            _row_error(out, "missing-qualitative-score", row, QUALITATIVE_SCORE,
                       f"{name}为“定量（其他）”，须由评价人在定性得分列填写 0 至权重之间的得分；该行未使用")
            return None
        return Actual(Value.of(text), None, points, row.reason, row.row)
    if kind is None:  # the operator is unreadable: scoring says so; keep what was written
        return Actual(Value.of(text), parse_grade(text), points, row.reason, row.row)
    if points is not None:
        _row_error(out, "score-ignored", row, QUALITATIVE_SCORE,
                   f"{name}是定量指标（{indicator.operator}），按公式计分，填写的定性得分 {points} 不使用",
                   Severity.WARNING)
    value = Value.of(text)
    if value is None or value.number is None:
        unit = f"（度量单位为“{indicator.unit_of_measure}”，不要写单位）" if indicator.unit_of_measure else ""
        _row_error(out, "actual-not-number", row, ACTUAL,
                   f"{name}是定量指标，实际完成值应为数字{unit}，实际为{_show(text)}；该行未使用")
        return None
    return Actual(value, reason=row.reason, row=row.row)


def match_actuals(tables: Iterable[TargetTable], actual_rows: Iterable[ActualRow],
                  budget_rows: Iterable[BudgetRow]
                  ) -> tuple[dict[str, dict[int, Actual]], dict[str, Budget], list[Diagnostic]]:
    """Actuals by project code and indicator position, budgets by project code, and what was wrong.

    Every table with a project code has an entry in the first mapping (possibly empty).
    """
    out: list[Diagnostic] = []
    index = _Index(tables, out)
    budget_by_code = index.budgets(budget_rows, "预算执行数据")
    budgets = {code: Budget(row.initial, row.adjusted, row.executed, row=row.row)
               for code, row in budget_by_code.items()}
    actuals: dict[str, dict[int, Actual]] = {code: {} for code in index.projects}
    for row in actual_rows:
        placed = index.indicator(row, ACTUAL, "duplicate-actual")
        if placed is None:
            continue
        code, position = placed
        actual = _actual(row, index.projects[code].table.indicators[position], out)
        if actual is not None:
            actuals[code][position] = actual
    for code in index.projects:
        index.missing(code, ACTUAL, "missing-actual")
    index.missing_budget(budgets, "预算执行数据", "无法计算预算执行率")
    return actuals, budgets, out


# -- monitoring (双监控) ------------------------------------------------------------------------
def _progress_fits(row: ProgressRow, indicator: Indicator, out: list[Diagnostic]) -> bool:
    """Numeric indicators need numeric progress; 定性 and 定量（其他） progress is free text."""
    if indicator.operator_kind not in _NUMERIC:
        return True
    fits = True
    for column, text in ((TO_DATE, row.to_date_text), (FORECAST, row.forecast_text)):
        value = Value.of(text)
        if value is None or value.number is None:
            fits = False
            unit = f"（度量单位为“{indicator.unit_of_measure}”，不要写单位）" if indicator.unit_of_measure else ""
            _row_error(out, "progress-not-number", row, column,
                       f"三级指标“{indicator.name}”是定量指标，{column}应为数字{unit}，实际为{_show(text)}；"
                       "该行未使用")
    return fits


def match_progress(tables: Iterable[TargetTable], progress_rows: Iterable[ProgressRow],
                   budget_rows: Iterable[MonitorBudgetRow]
                   ) -> tuple[dict[str, dict[int, ProgressRow]], dict[str, MonitorBudgetRow], list[Diagnostic]]:
    """Progress rows by project code and indicator position, budget rows by project code, diagnostics."""
    out: list[Diagnostic] = []
    index = _Index(tables, out)
    budgets = index.budgets(budget_rows, "监控预算执行数据")
    progress: dict[str, dict[int, ProgressRow]] = {code: {} for code in index.projects}
    for row in progress_rows:
        placed = index.indicator(row, "监控完成情况", "duplicate-progress")
        if placed is None:
            continue
        code, position = placed
        if _progress_fits(row, index.projects[code].table.indicators[position], out):
            progress[code][position] = row
    for code in index.projects:
        index.missing(code, "监控完成情况", "missing-progress")
    index.missing_budget(budgets, "监控预算执行数据", "无法计算预算执行进度")
    return progress, budgets, out
