"""Which reader a unit's actuals file needs: the workbook gives actuals and budget, a CSV actuals only."""

from __future__ import annotations

from pathlib import Path

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.reported import ActualRow, BudgetRow
from jixiao.io.inputs.csv_reader import read_actuals_csv
from jixiao.io.inputs.rows import PathArg
from jixiao.io.inputs.xlsx_reader import read_selfeval_workbook


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
