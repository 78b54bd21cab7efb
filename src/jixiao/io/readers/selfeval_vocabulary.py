"""The words a self-evaluation table (项目支出绩效自评表) is recognised by: labels, column headings, row labels, titles.

Data, like :mod:`jixiao.io.readers.vocabulary` for the target table: every layout that reads the self-evaluation
kind (text now; sheets, Word and PDF through the same row grammar, :mod:`jixiao.io.readers.selfeval_rows`)
looks words up here, normalised the same way (width-folded, without spaces or bracketed notes), so a spelling
learnt once (当年财政拨款 for 本年财政拨款, 全年实际值 for 实际完成值) is understood everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from jixiao.domain.selfeval_table import FundingKey
from jixiao.io.readers import selfeval_shared as shared
from jixiao.io.readers.vocabulary import normalise

# Header labels (a 标签：值 line, or a label cell followed by its value cell) → field.
LABELS: Final[Mapping[str, str]] = MappingProxyType({
    "项目名称": "project",
    "预算项目": "project",
    "专项资金名称": "project",
    "项目编码": "project_code",
    "主管部门": "department",
    "县级主管部门": "department",
    "实施单位": "implementing_unit",
    "项目单位": "implementing_unit",
    "项目负责人": "contact_person",
    "负责人": "contact_person",
    "联系电话": "contact_phone",
    "负责人电话": "contact_phone",
    "项目负责人及电话": "contact",
    "负责人及电话": "contact",
    "年度": "year",
    "预期目标": "goal_expected",
    "年初设定目标": "goal_expected",
    "项目年度目标": "goal_expected",
    "实际完成情况": "goal_actual",
    "全年实际完成情况": "goal_actual",
    "年度目标完成情况": "goal_actual",
    "年度总体目标完成情况综述": "goal_actual",
    "总分": "total",
    "自评总分": "total",
    "自评等级": "grade",
    "评价等级": "grade",
    "等级": "grade",
    "填报人": "evaluator",
    "评价人": "evaluator",
    "自评人": "evaluator",
    "填报日期": "evaluated_on",
    "自评日期": "evaluated_on",
    "日期": "evaluated_on",
})

# Cells that only name a section of the form (a merged cell on the left): no value of their own.
SECTION_WORDS: Final[frozenset[str]] = frozenset({"年度总体目标", "绩效指标", "项目资金", "资金情况", "年度资金"})

# Headings of the funding block's columns → FundingRow field (shared by every self-evaluation reader).
FUNDING_COLUMNS: Final[Mapping[str, str]] = shared.FUNDING_COLUMNS

# Labels of the funding block's rows → key (the published wording is kept as the row's label).
FUNDING_ROW_KEYS: Final[Mapping[str, FundingKey | None]] = shared.FUNDING_ROWS

# Headings of the indicator table's columns → EvaluatedIndicator field.
INDICATOR_COLUMNS: Final[Mapping[str, str]] = MappingProxyType({
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标名称": "name",
    "指标性质": "operator",
    "年度指标值": "target",
    "指标值": "target",
    "目标值": "target",
    "度量单位": "unit_of_measure",
    "计量单位": "unit_of_measure",
    "实际完成值": "actual",
    "全年实际值": "actual",
    "全年完成值": "actual",
    "实际值": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "自评分": "score",
    "自评得分": "score",
    "偏差原因分析及改进措施": "deviation_reason",
    "未完成原因分析及改进措施": "deviation_reason",
    "未完成原因及拟采取的改进措施": "deviation_reason",
    "未完成原因和改进措施": "deviation_reason",
    "偏差原因": "deviation_reason",
    "评价标准": "criteria",
    "评分标准": "criteria",
    "复核分": "recheck_score",
    "复核得分": "recheck_score",
})

# A title line or cell ends with one of these (after a year or a department, "2022年度项目支出绩效自评表").
TITLES: Final[tuple[str, ...]] = ("绩效自评表", "绩效目标自评表", "绩效自评评分表", "自评评分表")
SCORE_SHEET_TITLES: Final[tuple[str, ...]] = ("评分表",)
# Columns only the score sheet has, and its first-level names (决策/过程/产出/效益).
SCORE_SHEET_COLUMNS: Final[frozenset[str]] = frozenset({"criteria", "recheck_score"})
SCORE_SHEET_LEVEL1: Final[frozenset[str]] = frozenset({"决策", "过程", "产出", "效益", "项目决策", "项目管理",
                                                       "项目过程", "项目产出", "项目效益", "项目绩效"})
# Words only a self-evaluation table has (never a target table): the sniffing looks for them.
SIGNATURE: Final[tuple[str, ...]] = ("全年执行数", "实际完成值", "年初预算数", "全年预算数", "偏差原因", "自评等级",
                                     "自评表", "自评分", "复核分", "全年实际值", "实际完成情况")
SUBROW_PREFIX: Final[str] = shared.SUBROW_PREFIX
# 自评等级 words a 总分 row may carry after its figures ("总分 | 100 | 96 | 优").
GRADES: Final[frozenset[str]] = shared.GRADES


# The look-ups below run for the first cells of every row: cached, as rows repeat the same labels endlessly
# (a bounded cache: names and values vary without end).
@lru_cache(maxsize=8192)
def label_field(cell: str) -> str | None:
    return LABELS.get(normalise(cell))


@lru_cache(maxsize=8192)
def is_section(cell: str) -> bool:
    return normalise(cell) in SECTION_WORDS


@lru_cache(maxsize=4096)
def funding_column(cell: str) -> str | None:
    return FUNDING_COLUMNS.get(normalise(cell))


@lru_cache(maxsize=8192)
def funding_row_key(cell: str) -> FundingKey | None:
    return FUNDING_ROW_KEYS.get(normalise(strip_subrow(cell)[1]))


@lru_cache(maxsize=4096)
def indicator_column(cell: str) -> str | None:
    return INDICATOR_COLUMNS.get(normalise(cell))


@lru_cache(maxsize=8192)
def is_title(cell: str) -> bool:
    text = normalise(cell)
    return len(text) <= 60 and text.endswith(TITLES)


def may_be_heading(row: list[str]) -> tuple[bool, bool]:
    """(may be the funding heading, may be the indicator heading): a cheap test before the cell-by-cell one."""
    joined = "".join(row)  # the words are Chinese: no width folding needed to find them
    return (("预算" in joined or "执行" in joined), ("一级" in joined and "指标" in joined))


def strip_subrow(cell: str) -> tuple[bool, str]:
    """(whether the cell starts with 其中, the rest without 其中 and its colon): "其中：A4纸张" → (True, "A4纸张")."""
    name, _parent, is_sub = shared.split_subrow(cell)
    return is_sub, (name or "").strip()
