"""Read what units report after the year (自评) and at mid-year (双监控): CSV files and one workbook.

Every reader returns plain row records plus diagnostics; it never raises on bad content
and never guesses. A row with any error is reported and not used. Rows are numbered as a
spreadsheet shows them: the header is row 1 and blank rows count but are skipped.

CSV files are UTF-8 (with or without BOM) or GB18030, comma-separated, with a header row
of the Chinese column names below. The workbook (.xlsx) holds the sheets “实际完成值” and
“预算执行” with the same columns, as written by :mod:`jixiao.io.selfeval_template`.
Matching the rows to target tables is :mod:`jixiao.scoring.matching`.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.text import clean, fold_width, parse_decimal, strip_invisible

PathArg = str | os.PathLike[str]

# -- column names -------------------------------------------------------------------------------
CODE = "项目编码"
NAME = "三级指标"
ACTUAL = "实际完成值"
QUALITATIVE_SCORE = "定性得分"
DEVIATION_REASON = "偏差原因分析及改进措施"
INITIAL = "年初预算数"
ADJUSTED = "全年预算数"
EXECUTED = "全年执行数"
TO_DATE = "累计完成值"
FORECAST = "全年预计完成值"
PROGRESS_REASON = "偏差原因"
LIKELIHOOD = "完成可能性"
EXECUTED_TO_DATE = "累计执行数"

# Read-only helper columns the template writes next to the input columns; readers skip them quietly.
INFO_COLUMNS: tuple[str, ...] = ("项目名称", "一级指标", "二级指标", "指标性质", "指标值", "度量单位", "权重")

ACTUALS_SHEET = "实际完成值"
BUDGET_SHEET = "预算执行"

LIKELIHOODS: tuple[str, ...] = ("确定能", "有可能", "完全不可能")

_OS_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
}
_SCIENTIFIC_RE = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")


# -- records ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ActualRow:
    """One row of 实际完成值: what a unit reports for one indicator after the year."""

    project_code: str
    indicator_name: str
    actual_text: str  # 实际完成值 as written: a number, or a grade for 定性
    qualitative_score: Decimal | None  # 定性得分
    reason: str | None  # 偏差原因分析及改进措施
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One row of 预算执行, in 万元."""

    project_code: str
    initial: Decimal | None  # 年初预算数 (may be blank)
    adjusted: Decimal | None  # 全年预算数
    executed: Decimal | None  # 全年执行数
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """One row of a monitoring (双监控) report: progress of one indicator so far."""

    project_code: str
    indicator_name: str
    to_date_text: str  # 累计完成值
    forecast_text: str  # 全年预计完成值
    reason: str | None  # 偏差原因
    likelihood: str | None  # 完成可能性: one of LIKELIHOODS, or blank
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class MonitorBudgetRow:
    """Budget execution so far (双监控), in 万元."""

    project_code: str
    adjusted: Decimal | None  # 全年预算数
    executed_to_date: Decimal | None  # 累计执行数
    source: str
    row: int


# -- layouts ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Layout:
    title: str  # what the file holds, for messages
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


_ACTUALS = _Layout("实际完成值", (CODE, NAME, ACTUAL, QUALITATIVE_SCORE), (DEVIATION_REASON,))
_BUDGET = _Layout("预算执行", (CODE, INITIAL, ADJUSTED, EXECUTED))
_PROGRESS = _Layout("监控指标完成情况", (CODE, NAME, TO_DATE, FORECAST), (PROGRESS_REASON, LIKELIHOOD))
_MONITOR_BUDGET = _Layout("监控预算执行", (CODE, ADJUSTED, EXECUTED_TO_DATE))

_R = TypeVar("_R")
Cells = Sequence[str | None]  # one spreadsheet row, already turned into text


class _Collector:
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


class _Row:
    """One data row by column name; records errors and whether the row can be used."""

    def __init__(self, out: _Collector, line: int, values: dict[str, str | None]) -> None:
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


def _os_reason(error: OSError) -> str:
    return _OS_REASONS.get(error.errno or 0, f"系统错误 {error.errno}（{error.strerror or error}）")


# -- the shared table walk ----------------------------------------------------------------------
def _cell_text(raw: str | None) -> str | None:
    return None if raw is None else clean(strip_invisible(raw))


def _read_rows(rows: Iterable[tuple[int, Cells]], layout: _Layout, out: _Collector,
               build: Callable[[_Row], _R | None]) -> list[_R]:
    """Find the header, check the columns, then build one record per usable data row."""
    records: list[_R] = []
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
        record = build(_Row(out, number, values))
        if record is not None:
            records.append(record)
    if header is None:
        out.error("empty-file", f"没有内容：第1行应为表头（{'、'.join(layout.columns)}），其后每行一条{layout.title}")
    return records


def _header(cells: list[str | None], number: int, layout: _Layout, out: _Collector) -> dict[str, int] | None:
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
def _actual(row: _Row) -> ActualRow | None:
    code = row.code()
    name = row.required(NAME, "三级指标名称")
    actual = row.required(ACTUAL, "实际完成值（数字，定性指标填完成等级）")
    score = row.number(QUALITATIVE_SCORE, required=False, what="数字（定性指标的得分）")
    if not row.ok or code is None or name is None or actual is None:
        return None
    return ActualRow(code, name, actual, score, row.text(DEVIATION_REASON), row.out.source, row.line)


def _budget(row: _Row) -> BudgetRow | None:
    code = row.code()
    initial = row.number(INITIAL, required=False, what="数字（万元）")
    adjusted = row.number(ADJUSTED, required=True, what="数字（万元，调整后的全年预算数）")
    executed = row.number(EXECUTED, required=True, what="数字（万元）")
    if not row.ok or code is None:
        return None
    return BudgetRow(code, initial, adjusted, executed, row.out.source, row.line)


def _progress(row: _Row) -> ProgressRow | None:
    code = row.code()
    name = row.required(NAME, "三级指标名称")
    to_date = row.required(TO_DATE, "截至监控月的累计完成值")
    forecast = row.required(FORECAST, "全年预计完成值")
    likelihood = row.choice(LIKELIHOOD, LIKELIHOODS)
    if not row.ok or code is None or name is None or to_date is None or forecast is None:
        return None
    return ProgressRow(code, name, to_date, forecast, row.text(PROGRESS_REASON), likelihood,
                       row.out.source, row.line)


def _monitor_budget(row: _Row) -> MonitorBudgetRow | None:
    code = row.code()
    adjusted = row.number(ADJUSTED, required=True, what="数字（万元，调整后的全年预算数）")
    executed = row.number(EXECUTED_TO_DATE, required=True, what="数字（万元，截至监控月的累计执行数）")
    if not row.ok or code is None:
        return None
    return MonitorBudgetRow(code, adjusted, executed, row.out.source, row.line)


# -- CSV ----------------------------------------------------------------------------------------
def _csv_rows(path: PathArg, out: _Collector) -> list[tuple[int, Cells]] | None:
    """Decode (UTF-8, BOM or not, else GB18030) and split a CSV file into numbered records."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        out.error("unreadable-file", f"无法打开文件：{_os_reason(error)}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            out.error("decode-error", f"文件既不是 UTF-8 也不是 GB18030 编码（第{error.start + 1}个字节无法解码），"
                                      "请在 Excel 中另存为“CSV UTF-8”")
            return None
    records: list[tuple[int, Cells]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for record in reader:
            records.append((len(records) + 1, record))
    except csv.Error as error:
        out.error("bad-csv", f"CSV 格式错误（{error}），此行及其后的内容未读入", len(records) + 1)
    return records


def _read_csv(path: PathArg, layout: _Layout, build: Callable[[_Row], _R | None]) -> tuple[list[_R], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    out = _Collector(str(path), diagnostics)
    rows = _csv_rows(path, out)
    if rows is None:
        return [], diagnostics
    return _read_rows(rows, layout, out, build), diagnostics


def read_actuals_csv(path: PathArg) -> tuple[list[ActualRow], list[Diagnostic]]:
    """项目编码,三级指标,实际完成值,定性得分[,偏差原因分析及改进措施]"""
    return _read_csv(path, _ACTUALS, _actual)


def read_budget_csv(path: PathArg) -> tuple[list[BudgetRow], list[Diagnostic]]:
    """项目编码,年初预算数,全年预算数,全年执行数 (万元; 年初预算数 may be blank)."""
    return _read_csv(path, _BUDGET, _budget)


def read_progress_csv(path: PathArg) -> tuple[list[ProgressRow], list[Diagnostic]]:
    """项目编码,三级指标,累计完成值,全年预计完成值[,偏差原因][,完成可能性]"""
    return _read_csv(path, _PROGRESS, _progress)


def read_monitor_budget_csv(path: PathArg) -> tuple[list[MonitorBudgetRow], list[Diagnostic]]:
    """项目编码,全年预算数,累计执行数 (万元)."""
    return _read_csv(path, _MONITOR_BUDGET, _monitor_budget)


# -- xlsx ---------------------------------------------------------------------------------------
def _float_text(value: float) -> str:
    """A float cell as the person typed it: 15 significant digits drop binary artefacts (0.1 + 0.2).

    Beyond 1e15 the digits are not trustworthy, so the exponent form is kept and the cell
    is reported rather than silently rounded (a long project code typed as a number).
    """
    short = format(value, ".15g")
    if "e" in short and abs(value) >= 1e15:
        return short
    try:
        return format(Decimal(short), "f")
    except InvalidOperation:  # nan, inf
        return short


def _xlsx_cell_text(cell: Any) -> str | None:
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        text = str(value) if isinstance(value, int) else _float_text(value)
        number_format = getattr(cell, "number_format", None) or ""
        if "%" in number_format:
            # Excel stores 96% as 0.96; show it as the user saw it, so it is reported, not read as 0.96.
            percent = parse_decimal(text)
            return f"{format((percent * 100).normalize(), 'f')}%" if percent is not None else text
        return text
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, Cells]]:
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        yield number, [_xlsx_cell_text(cell) for cell in cells]


def read_selfeval_workbook(path: PathArg) -> tuple[list[ActualRow], list[BudgetRow], list[Diagnostic]]:
    """Read the sheets “实际完成值” and “预算执行” of a self-evaluation workbook."""
    diagnostics: list[Diagnostic] = []
    name = str(path)
    out = _Collector(name, diagnostics)
    import openpyxl  # imported here: CSV-only callers do not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, EOFError) as error:
        reason = _os_reason(error) if isinstance(error, OSError) else "不是有效的 .xlsx 工作簿"
        out.error("unreadable-file", f"无法打开工作簿：{reason}")
        return [], [], diagnostics
    try:
        actuals = _sheet(book, name, ACTUALS_SHEET, _ACTUALS, _actual, diagnostics)
        budgets = _sheet(book, name, BUDGET_SHEET, _BUDGET, _budget, diagnostics)
    finally:
        book.close()
    return actuals, budgets, diagnostics


def _sheet(book: Any, name: str, sheet_name: str, layout: _Layout, build: Callable[[_Row], _R | None],
           diagnostics: list[Diagnostic]) -> list[_R]:
    if sheet_name not in book.sheetnames:
        present = "、".join(book.sheetnames) or "（无）"
        _Collector(name, diagnostics).error(
            "missing-sheet", f"缺少工作表“{sheet_name}”（现有工作表：{present}）", column=None)
        return []
    sheet = book[sheet_name]
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers store a wrong used range; read every cell
    return _read_rows(_sheet_rows(sheet), layout, _Collector(f"{name} [{sheet_name}]", diagnostics), build)


def read_actuals(path: PathArg) -> tuple[list[ActualRow], list[BudgetRow], list[Diagnostic]]:
    """A workbook (.xlsx, .xlsm) gives actuals and budget rows; a CSV gives actuals only."""
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_selfeval_workbook(path)
    if suffix in (".xls", ".et", ".ods"):
        return [], [], [Diagnostic("unsupported-format", Severity.ERROR,
                                   f"不支持 {suffix} 文件，请另存为 .xlsx 工作簿或 CSV UTF-8", str(path))]
    rows, diagnostics = read_actuals_csv(path)
    return rows, [], diagnostics
