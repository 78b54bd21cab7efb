"""Input tables as CSV files: UTF-8 (with or without BOM) or GB18030, comma-separated, a header row.

The header holds the Chinese column names of :mod:`jixiao.domain.reported`; the columns are checked
and every row is built by :mod:`jixiao.io.inputs.rows`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from jixiao.domain import Diagnostic
from jixiao.domain.reported import ActualRow, BudgetRow, MonitorBudgetRow, ProgressRow
from jixiao.io.inputs.rows import (
    ACTUALS,
    BUDGET,
    MONITOR_BUDGET,
    PROGRESS,
    Cells,
    Collector,
    Layout,
    PathArg,
    R,
    Row,
    build_actual,
    build_budget,
    build_monitor_budget,
    build_progress,
    os_reason,
    read_rows,
)


def _csv_rows(path: PathArg, out: Collector) -> list[tuple[int, Cells]] | None:
    """Decode (UTF-8, BOM or not, else GB18030) and split a CSV file into numbered records."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        out.error("unreadable-file", f"无法打开文件：{os_reason(error)}")
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


def _read_csv(path: PathArg, layout: Layout, build: Callable[[Row], R | None]) -> tuple[list[R], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    out = Collector(str(path), diagnostics)
    rows = _csv_rows(path, out)
    if rows is None:
        return [], diagnostics
    return read_rows(rows, layout, out, build), diagnostics


def read_actuals_csv(path: PathArg) -> tuple[list[ActualRow], list[Diagnostic]]:
    """项目编码,三级指标,实际完成值,定性得分[,偏差原因分析及改进措施]"""
    return _read_csv(path, ACTUALS, build_actual)


def read_budget_csv(path: PathArg) -> tuple[list[BudgetRow], list[Diagnostic]]:
    """项目编码,年初预算数,全年预算数,全年执行数 (万元; 年初预算数 may be blank)."""
    return _read_csv(path, BUDGET, build_budget)


def read_progress_csv(path: PathArg) -> tuple[list[ProgressRow], list[Diagnostic]]:
    """项目编码,三级指标,累计完成值,全年预计完成值[,偏差原因][,完成可能性]"""
    return _read_csv(path, PROGRESS, build_progress)


def read_monitor_budget_csv(path: PathArg) -> tuple[list[MonitorBudgetRow], list[Diagnostic]]:
    """项目编码,全年预算数,累计执行数 (万元)."""
    return _read_csv(path, MONITOR_BUDGET, build_monitor_budget)
