"""The words a self-evaluation table (项目支出绩效自评表) is recognised by, in cells of any office format.

Data, like :mod:`~jixiao.io.readers.vocabulary` for the target table: titles, header labels, the funding
block's rows and columns, the indicator table's columns, the placeholders a printed form leaves in empty
cells, and the two small parsers every layout needs — the block weight in a 一级 cell ("产出指标(50分)")
and the operator, number and unit of a one-cell 年度指标值 ("≥720000张").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from jixiao.domain import parse_operator
from jixiao.domain.selfeval_table import FundingKey
from jixiao.domain.text import fold_width, parse_decimal
from jixiao.io.readers import selfeval_shared as shared

_PARENS_RE = re.compile(r"[(（][^)）]*[)）]")
_SPACE_RE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Width-folded, no whitespace, no bracketed notes, no trailing colon: the form words are compared in."""
    return _PARENS_RE.sub("", _SPACE_RE.sub("", fold_width(text))).rstrip(":")


def squeeze(text: str) -> str:
    """Drop whitespace a narrow cell put between Chinese characters ("产 出 指 标" → "产出指标")."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text.strip())


# -- titles and header labels ---------------------------------------------------------------------------
def is_title(text: str) -> bool:
    """项目支出绩效自评表, 2022年度…绩效自评表, 绩效目标自评表, 项目支出绩效自评评分表 (not a 绩效目标表)."""
    word = norm(text)
    return 4 <= len(word) <= 60 and "自评" in word and word.endswith("表")


def is_score_sheet_title(text: str) -> bool:
    return is_title(text) and "评分" in norm(text)


YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年度?")

LABELS: Mapping[str, str] = MappingProxyType({
    "项目名称": "project", "专项资金名称": "project", "资金名称": "project", "预算项目": "project",
    "项目编码": "project_code", "项目代码": "project_code",
    "主管部门": "department", "县级主管部门": "department", "主管单位": "department",
    "实施单位": "implementing_unit", "项目实施单位": "implementing_unit", "预算单位": "implementing_unit",
    "项目负责人": "contact_person", "负责人": "contact_person", "项目联系人": "contact_person",
    "项目负责人及电话": "person_phone", "负责人及电话": "person_phone", "项目负责人及联系电话": "person_phone",
    "联系电话": "contact_phone", "负责人电话": "contact_phone", "项目负责人电话": "contact_phone",
    "填报人": "evaluator", "评价人": "evaluator", "自评人": "evaluator",
    "填报日期": "evaluated_on", "评价日期": "evaluated_on", "自评日期": "evaluated_on",
    "自评等级": "grade", "评价等级": "grade", "自评结果等级": "grade",
    "总分": "total", "自评总分": "total", "合计": "total", "总计": "total", "综合得分": "total",
})
IGNORED_LABELS = frozenset({"填报单位", "填报单位盖章", "单位盖章", "其他需要说明事项", "说明", "备注"})


def label_field(text: str) -> str | None:
    return LABELS.get(norm(text))


# -- the funding block ------------------------------------------------------------------------------
FUNDING_COLUMNS: Mapping[str, str] = shared.FUNDING_COLUMNS
FUNDING_LABELS: Mapping[str, FundingKey | None] = shared.FUNDING_ROWS
FUNDING_BLOCK_WORDS = ("项目资金", "资金情况", "资金")


def funding_label(text: str) -> tuple[str, FundingKey | None] | None:
    """(published label without 其中, key) for a funding row label, ``None`` for other text."""
    word = fold_width(text).strip().rstrip(":：").strip()
    word = squeeze(word)
    if word.startswith(shared.SUBROW_PREFIX):
        word = (shared.split_subrow(word)[0] or "").strip()
        key = FUNDING_LABELS.get(norm(word))
        return (word, key) if word else None
    key = FUNDING_LABELS.get(norm(word))
    return (word, key) if key is not None else None


def is_funding_header(cells: list[str]) -> bool:
    return sum(1 for c in cells if c and FUNDING_COLUMNS.get(norm(c)) in
               ("initial_wan", "adjusted_wan", "spent_wan", "execution_rate")) >= 2


# -- the annual goal ----------------------------------------------------------------------------------
GOAL_BLOCK = ("年度总体目标", "总体目标", "年度目标", "绩效目标")
GOAL_COLUMNS: Mapping[str, str] = MappingProxyType({
    "预期目标": "goal_expected", "年初设定目标": "goal_expected", "年度目标": "goal_expected",
    "实际完成情况": "goal_actual", "全年实际完成情况": "goal_actual", "年度总体目标完成情况综述": "goal_actual",
    "目标完成情况": "goal_actual", "实际完成": "goal_actual",
})


# -- the indicator table ------------------------------------------------------------------------------
INDICATOR_COLUMNS: Mapping[str, str] = MappingProxyType({
    "一级指标": "level1", "二级指标": "level2", "三级指标": "name", "指标名称": "name", "指标内容": "name",
    "指标性质": "operator", "指标类型": "operator",
    "年度指标值": "target", "指标值": "target", "年度目标值": "target", "目标值": "target", "预期值": "target",
    "度量单位": "unit_of_measure", "计量单位": "unit_of_measure", "单位": "unit_of_measure",
    "实际完成值": "actual", "全年实际值": "actual", "全年完成值": "actual", "实际值": "actual", "完成值": "actual",
    "实际完成情况": "actual", "全年实际完成值": "actual",
    "分值": "weight", "权重": "weight", "指标分值": "weight",
    "得分": "score", "自评分": "score", "自评得分": "score", "自评分值": "score",
    "复核分": "recheck_score", "复核得分": "recheck_score", "复核评分": "recheck_score",
    "评价标准": "criteria", "评分标准": "criteria", "评分细则": "criteria", "评分规则": "criteria",
})
SCORE_SHEET_COLUMNS = frozenset({"评价标准", "评分标准", "评分细则", "评分规则", "自评分", "复核分", "复核得分"})
SELFEVAL_ONLY = frozenset({"actual", "score", "recheck_score", "criteria", "deviation_reason"})
SCORE_SHEET_LEVEL1 = frozenset({"决策", "过程", "产出", "效益", "项目决策", "项目管理", "项目绩效", "项目产出",
                                "项目效益"})


def indicator_column(text: str) -> str | None:
    word = norm(text)
    found = INDICATOR_COLUMNS.get(word)
    if found is None and "原因" in word and ("偏差" in word or "未完成" in word or "改进" in word):
        return "deviation_reason"
    return found


def is_indicator_header(cells: list[str]) -> bool:
    """一级指标 … 三级指标 with a self-evaluation column (实际完成值, 得分, 自评分 …)."""
    fields = [indicator_column(c) for c in cells if c]
    levels = sum(1 for f in fields if f in ("level1", "level2", "name"))
    return levels >= 2 and any(f in SELFEVAL_ONLY for f in fields)


def is_list_header(cells: list[str]) -> bool:
    """A list of results (汇总, 计分说明): a 项目名称 column beside score or funding columns, not a form."""
    words = [norm(c) for c in cells if c]
    if not any(w == "项目" or LABELS.get(w) in ("project", "project_code") for w in words):
        return False
    scored = {"全年预算数", "全年执行数", "执行率", "执行率得分", "总分", "自评等级", "得分", "分值", "自评分",
              "复核分"}
    return sum(1 for w in words if w in scored) >= 2


# -- cell values --------------------------------------------------------------------------------------
PLACEHOLDERS = shared.BLANK_MARKS | frozenset({"……", "…", "待填", "待填写", "须填写", "（未填写）",
                          "(未填写)", "未填写", "未计分", "无数据", "（未命名指标）"})
PROMPT_PREFIXES = ("须填写：", "须填写:")  # jixiao's own prompts to the unit, not a published text


def is_placeholder(text: str) -> bool:
    stripped = text.strip()
    return stripped in PLACEHOLDERS or stripped.startswith(PROMPT_PREFIXES) or (
        bool(stripped) and set(stripped) <= set("—-－–./／…· "))


def split_level1(text: str) -> tuple[str | None, Decimal | None, bool]:
    """(一级指标, block weight, weight unreadable) from "产出指标(50分)", "产 出 指 标 （50分）", "效益指标"."""
    name, weight, unreadable = shared.block_weight(squeeze(text).replace(" ", ""))
    if weight is None and not unreadable:
        return squeeze(text) or None, None, False
    return name or None, weight, unreadable


_SYMBOLS = ("大于等于", "小于等于", "大于", "小于", "等于", ">=", "<=", "≥", "≤", "≧", "≦", "⩾", "⩽", "＞", "＜", ">",
            "<", "═", "﹦", "=", "＝")
_LEADING_NUMBER_RE = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)(.*)$", re.DOTALL)


def canonical_operator(text: str | None) -> str | None:
    """The operator's canonical spelling (≥, ＞, =, ＜, ≤, 定性 …) or the text as published."""
    if text is None:
        return None
    kind = parse_operator(text.strip())
    return str(kind) if kind is not None else text.strip() or None


def split_operator(text: str) -> tuple[str | None, str]:
    """A leading comparison ("≥95" → "≥", "95") or 定性："定性：好" → "定性", "好")."""
    stripped = text.strip()
    for symbol in _SYMBOLS:
        if stripped.startswith(symbol):
            return canonical_operator(symbol.replace("﹦", "=").replace("＝", "=")), stripped[len(symbol):].strip()
    head, colon, rest = stripped.partition("：")
    if not colon:
        head, colon, rest = stripped.partition(":")
    if colon and head and parse_operator(head) is not None:
        return canonical_operator(head), rest.strip()
    return None, stripped


def split_unit(text: str) -> tuple[str, str | None]:
    """A number and its unit ("720000张" → "720000", "张"; "95%" → "95", "%"); other text is left whole."""
    match = _LEADING_NUMBER_RE.match(text.strip())
    if match is None or parse_decimal(match.group(1)) is None:
        return text.strip(), None
    unit = match.group(2).strip()
    if not unit:
        return match.group(1), None
    if len(unit) <= 6 and not any(ch.isdigit() for ch in unit):
        return match.group(1), unit
    return text.strip(), None
