"""What units report after the year (自评) and at mid-year (双监控): row records and their vocabulary.

Defined once here because both sides need them: the readers in :mod:`jixiao.io.inputs` produce these
records, and :mod:`jixiao.scoring.matching` places them on the indicators of the target tables. The
column names are the Chinese headings of the input files and of the fill-in workbook; diagnostics
name the column with them. Amounts are in 万元, exactly as written (``Decimal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

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

# 完成可能性 of a monitoring row: the three answers the form allows.
LIKELIHOODS: tuple[str, ...] = ("确定能", "有可能", "完全不可能")


class QualitativeGrade(StrEnum):
    """The 实际完成值 of a 定性 indicator: one of the three grades of 财预〔2020〕10号."""

    ACHIEVED = "达成年度指标"
    PARTLY = "部分达成年度指标并具有一定效果"
    NOT_ACHIEVED = "未达成年度指标且效果较差"


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


ReportedRow = ActualRow | BudgetRow | ProgressRow | MonitorBudgetRow
