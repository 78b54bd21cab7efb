"""Read what units report after the year (自评) and at mid-year (双监控), and write the fill-in workbook.

CSV files (UTF-8 with or without BOM, or GB18030; a header row of the Chinese column names) and the
self-evaluation workbook (.xlsx, sheets “实际完成值” and “预算执行”, as :func:`write_selfeval_template`
writes it). Every reader returns the row records of :mod:`jixiao.domain.reported` plus diagnostics;
matching the rows to target tables is :mod:`jixiao.scoring.matching`.
"""

from jixiao.domain.reported import ActualRow, BudgetRow, MonitorBudgetRow, ProgressRow
from jixiao.io.inputs.csv_reader import read_actuals_csv, read_budget_csv, read_monitor_budget_csv, read_progress_csv
from jixiao.io.inputs.reading import read_actuals
from jixiao.io.inputs.rows import ACTUALS_SHEET, BUDGET_SHEET, INFO_COLUMNS
from jixiao.io.inputs.template import ACTUALS_HEADERS, BUDGET_HEADERS, GUIDE_SHEET, write_selfeval_template
from jixiao.io.inputs.xlsx_reader import read_selfeval_workbook

__all__ = [
    "ACTUALS_HEADERS",
    "ACTUALS_SHEET",
    "BUDGET_HEADERS",
    "BUDGET_SHEET",
    "GUIDE_SHEET",
    "INFO_COLUMNS",
    "ActualRow",
    "BudgetRow",
    "MonitorBudgetRow",
    "ProgressRow",
    "read_actuals",
    "read_actuals_csv",
    "read_budget_csv",
    "read_monitor_budget_csv",
    "read_progress_csv",
    "read_selfeval_workbook",
    "write_selfeval_template",
]
