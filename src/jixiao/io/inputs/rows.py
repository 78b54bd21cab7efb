"""The shared walk of every input table (CSV file or workbook sheet): header, columns, one record a row.

Every reader returns plain row records (:mod:`jixiao.domain.reported`) plus diagnostics; it never
raises on bad content and never guesses. A row with any error is reported and not used. Rows are
numbered as a spreadsheet shows them: the header is row 1 and blank rows count but are skipped.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.reported import (
    ACTUAL,
    ADJUSTED,
    CODE,
    DEVIATION_REASON,
    EXECUTED,
    EXECUTED_TO_DATE,
    FORECAST,
    INITIAL,
    LIKELIHOOD,
    LIKELIHOODS,
    NAME,
    PROGRESS_REASON,
    QUALITATIVE_SCORE,
    TO_DATE,
    ActualRow,
    BudgetRow,
    MonitorBudgetRow,
    ProgressRow,
)
from jixiao.domain.text import clean, fold_width, parse_decimal, strip_invisible

PathArg = str | os.PathLike[str]

# Read-only helper columns the template writes next to the input columns; readers skip them quietly.
INFO_COLUMNS: tuple[str, ...] = ("项目名称", "一级指标", "二级指标", "指标性质", "指标值", "度量单位", "权重")

ACTUALS_SHEET = "实际完成值"
BUDGET_SHEET = "预算执行"

_OS_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
}
_SCIENTIFIC_RE = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")


# -- layouts ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Layout:
    title: str  # what the file holds, for messages
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


ACTUALS = Layout("实际完成值", (CODE, NAME, ACTUAL, QUALITATIVE_SCORE), (DEVIATION_REASON,))
BUDGET = Layout("预算执行", (CODE, INITIAL, ADJUSTED, EXECUTED))
PROGRESS = Layout("监控指标完成情况", (CODE, NAME, TO_DATE, FORECAST), (PROGRESS_REASON, LIKELIHOOD))
MONITOR_BUDGET = Layout("监控预算执行", (CODE, ADJUSTED, EXECUTED_TO_DATE))

R = TypeVar("R")
Cells = Sequence[str | None]  # one spreadsheet row, already turned into text


class Collector:
    """Diagnostics of one file (or sheet): ``file``, ``line`` and ``column`` say where, the message what."""

    def __init__(self, source: str, diagnostics: list[Diagnostic]) -> None:
        self.source = source
        self.diagnostics = diagnostics

    def add(self, code: str, severity: Severity, message: str, row: int | None = None,
            column: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, severity, message, self.source, row, column))

    def error(self, code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.add(code, Severity.ERROR, message, row, column)

    def warning(self, code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.add(code, Severity.WARNING, message, row, column)


class Row:
    """One data row by column name; records errors and whether the row can be used."""

    def __init__(self, out: Collector, line: int, values: dict[str, str | None]) -> None:
        self.out = out
        self.line = line
        self.values = values
        self.ok = True

    def _fail(self, code: str, message: str, column: str) -> None:
        self.ok = False
        self.out.error(code, f"{message}；该行未读入", self.line, column)

    def text(self, column: str) -> str | None:
        return self.values.get(column)

    def required(self, column: str, expected: str) -> str | None:
        value = self.values.get(column)
        if value is None:
            self._fail("blank-cell", f"“{column}”不能为空，应填写{expected}", column)
        return value

    def code(self) -> str | None:
        value = self.required(CODE, "项目编码（如 50011522T000000157087）")
        if value is None:
            return None
        folded = fold_width(value).replace(" ", "")
        if _SCIENTIFIC_RE.fullmatch(folded):
            self._fail("code-as-number", f"项目编码“{value}”被存成了科学计数法数字，末尾数字可能已丢失；"
                                         "请把该列设为“文本”格式后重新填写完整编码", CODE)
            return None
        return folded

    def number(self, column: str, *, required: bool, what: str) -> Decimal | None:
        value = self.values.get(column)
        if value is None:
            if required:
                self._fail("blank-cell", f"“{column}”不能为空，应填写{what}", column)
            return None
        number = parse_decimal(value)
        if number is None:
            self._fail("not-a-number", f"“{column}”应为{what}，实际为“{value}”"
                                       "（只填数字，不带单位、百分号或文字）", column)
        return number

    def choice(self, column: str, allowed: tuple[str, ...]) -> str | None:
        value = self.values.get(column)
        if value is None:
            return None
        folded = fold_width(value).replace(" ", "")
        if folded in allowed:
            return folded
        self._fail("bad-choice", f"“{column}”应为 {'、'.join(allowed)} 之一或留空，实际为“{value}”", column)
        return None


def os_reason(error: OSError) -> str:
    return _OS_REASONS.get(error.errno or 0, f"系统错误 {error.errno}（{error.strerror or error}）")


# -- the shared table walk ----------------------------------------------------------------------
def _cell_text(raw: str | None) -> str | None:
    return None if raw is None else clean(strip_invisible(raw))


def read_rows(rows: Iterable[tuple[int, Cells]], layout: Layout, out: Collector,
              build: Callable[[Row], R | None]) -> list[R]:
    """Find the header, check the columns, then build one record per usable data row."""
    records: list[R] = []
    header: dict[str, int] | None = None
    named: set[int] = set()  # columns with a heading
    warned: set[int] = set()  # columns without a heading already reported
    for number, raw_cells in rows:
        cells = [_cell_text(cell) for cell in raw_cells]
        if all(cell is None for cell in cells):
            continue
        if header is None:
            header = _header(cells, number, layout, out)
            if header is None:
                return records
            named = {index for index, cell in enumerate(cells) if cell is not None}
            continue
        for index, cell in enumerate(cells):
            if cell is not None and index not in named and index not in warned:
                warned.add(index)
                label = f"第{index + 1}列"
                out.warning("unnamed-column", f"{label}没有表头，该列内容（如“{cell}”）不会读入", number, label)
        values = {name: cells[index] if index < len(cells) else None for name, index in header.items()}
        record = build(Row(out, number, values))
        if record is not None:
            records.append(record)
    if header is None:
        out.error("empty-file", f"没有内容：第1行应为表头（{'、'.join(layout.columns)}），其后每行一条{layout.title}")
    return records


def _header(cells: list[str | None], number: int, layout: Layout, out: Collector) -> dict[str, int] | None:
    """Column positions of the readable columns, or ``None`` when a required one is missing."""
    header: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if cell is None:
            continue
        if cell in header:
            out.error("duplicate-column", f"表头中“{cell}”出现了两次（第{header[cell] + 1}列和第{index + 1}列），"
                                          f"只读第{header[cell] + 1}列", number, cell)
            continue
        header[cell] = index
    missing = [name for name in layout.required if name not in header]
    if missing:
        out.error("missing-columns", f"缺少列：{'、'.join(missing)}；表头应为：{'、'.join(layout.columns)}"
                                     f"（第{number}行被当作表头），本文件未读入", number, missing[0])
        return None
    for name in header:
        if name not in layout.columns and name not in INFO_COLUMNS:
            out.warning("extra-column", f"多余的列“{name}”不会读入；可读的列为：{'、'.join(layout.columns)}",
                        number, name)
    return {name: index for name, index in header.items() if name in layout.columns}


# -- record builders ----------------------------------------------------------------------------
def build_actual(row: Row) -> ActualRow | None:
    code = row.code()
    name = row.required(NAME, "三级指标名称")
    actual = row.required(ACTUAL, "实际完成值（数字，定性指标填完成等级）")
    score = row.number(QUALITATIVE_SCORE, required=False, what="数字（定性指标的得分）")
    if not row.ok or code is None or name is None or actual is None:
        return None
    return ActualRow(code, name, actual, score, row.text(DEVIATION_REASON), row.out.source, row.line)


def build_budget(row: Row) -> BudgetRow | None:
    code = row.code()
    initial = row.number(INITIAL, required=False, what="数字（万元）")
    adjusted = row.number(ADJUSTED, required=True, what="数字（万元，调整后的全年预算数）")
    executed = row.number(EXECUTED, required=True, what="数字（万元）")
    if not row.ok or code is None:
        return None
    return BudgetRow(code, initial, adjusted, executed, row.out.source, row.line)


def build_progress(row: Row) -> ProgressRow | None:
    code = row.code()
    name = row.required(NAME, "三级指标名称")
    to_date = row.required(TO_DATE, "截至监控月的累计完成值")
    forecast = row.required(FORECAST, "全年预计完成值")
    likelihood = row.choice(LIKELIHOOD, LIKELIHOODS)
    if not row.ok or code is None or name is None or to_date is None or forecast is None:
        return None
    return ProgressRow(code, name, to_date, forecast, row.text(PROGRESS_REASON), likelihood,
                       row.out.source, row.line)


def build_monitor_budget(row: Row) -> MonitorBudgetRow | None:
    code = row.code()
    adjusted = row.number(ADJUSTED, required=True, what="数字（万元，调整后的全年预算数）")
    executed = row.number(EXECUTED_TO_DATE, required=True, what="数字（万元，截至监控月的累计执行数）")
    if not row.ok or code is None:
        return None
    return MonitorBudgetRow(code, adjusted, executed, row.out.source, row.line)
