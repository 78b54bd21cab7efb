"""Look-ups in the one self-evaluation vocabulary (:mod:`selfeval_vocabulary`) for cells of rows, and the small
parsers of a cell's text every row-based layout needs.

The row grammar (:mod:`selfeval_grid`: the text form and the office grids) compares a cell with the words
in one matching form (:func:`norm`); the look-ups are cached, as rows repeat the same labels endlessly (a bounded
cache: names and values vary without end). The two small parsers are the block weight in a 一级 cell
("产出指标(50分)") and the operator, number and unit of a one-cell 年度指标值 ("≥720000张").
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from jixiao.domain import parse_operator
from jixiao.domain.selfeval_table import FundingKey
from jixiao.domain.text import fold_width, parse_decimal
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers.selfeval_shared import block_weight, simplified, split_subrow
from jixiao.io.readers.traditional_chars import CHARS as TRADITIONAL_CHARS

_WORD_SPAN = 40  # no word of the form is longer, notes included: a longer cell is a value, never looked up
_PARENS_RE = re.compile(r"[(（][^)）]*[)）]")
_SPACE_RE = re.compile(r"\s+")
_SQUEEZE_RE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年度?")
_SECTIONS = (vocabulary.FUNDING_OPENERS | vocabulary.GOAL_OPENERS | vocabulary.INDICATOR_OPENERS) - (
    vocabulary.LABELS.keys() | vocabulary.GOAL_EXPECTED | vocabulary.GOAL_ACTUAL)
_LEVEL_HEADINGS_RE = re.compile("|".join(word for word, field in vocabulary.INDICATOR_COLUMNS.items()
                                         if field in ("level1", "level2", "name")))
_SIGN_OFF_ALL = [word for word, field in vocabulary.LABELS.items() if field in ("grade", "evaluator", "evaluated_on")]
_SIGN_OFF_RE = re.compile("|".join(word for word in _SIGN_OFF_ALL if not any(other != word and other in word
                                                                             for other in _SIGN_OFF_ALL)))
BLOCK_PREFIXES = tuple(sorted(vocabulary.FUNDING_OPENERS | vocabulary.GOAL_OPENERS | vocabulary.INDICATOR_OPENERS))


def norm(text: str) -> str:
    """Width-folded, no whitespace, no bracketed notes, no trailing colon, in simplified characters: the form
    words are compared in (a traditional-character form — "項目名稱", "年度資金總額" — reads as its simplified
    original in every layout, as :func:`jixiao.io.readers.selfeval.text.key` does for the rough ones)."""
    word = _PARENS_RE.sub("", _SPACE_RE.sub("", fold_width(text))).rstrip(":")
    return simplified(word) if traditional(word) else word


def traditional(text: str) -> bool:
    """Whether ``text`` holds one of the traditional characters of the vocabulary's words (項, 績, 資 …): only
    such a text needs OpenCC to match a word, so a simplified form costs a set test."""
    return not text.isascii() and not TRADITIONAL_CHARS.isdisjoint(text)


def squeeze(text: str) -> str:
    """Drop whitespace a narrow cell put between Chinese characters ("产 出 指 标" → "产出指标")."""
    return _SQUEEZE_RE.sub("", text.strip())


# -- titles and labels ------------------------------------------------------------------------------------------
def is_title(text: str) -> bool:
    """项目支出绩效自评表, 2022年度…绩效自评表, 绩效目标自评表, 项目支出绩效自评评分表 (not a 绩效目标表)."""
    return "表" in text and _is_title(text)


@lru_cache(maxsize=1024)
def _is_title(text: str) -> bool:
    word = norm(text)
    return 4 <= len(word) <= 60 and word.endswith(vocabulary.TITLES)


def is_score_sheet_title(text: str) -> bool:
    return is_title(text) and vocabulary.SCORE_SHEET_TITLE_WORD in norm(text)


def label_field(text: str) -> str | None:
    """The header field a label names (项目名称 → project, 自评等级 → grade …)."""
    return _label_field(text) if len(text) <= _WORD_SPAN else None


@lru_cache(maxsize=8192)
def _label_field(text: str) -> str | None:
    return vocabulary.LABELS.get(norm(text))


def goal_field(text: str) -> str | None:
    """goal_expected or goal_actual for a heading of the annual goal (预期目标, 实际完成情况 …)."""
    return _goal_field(text) if len(text) <= _WORD_SPAN else None


@lru_cache(maxsize=8192)
def _goal_field(text: str) -> str | None:
    word = norm(text)
    if word in vocabulary.GOAL_EXPECTED:
        return "goal_expected"
    return "goal_actual" if word in vocabulary.GOAL_ACTUAL else None


def is_section(text: str) -> bool:
    """A cell that only names a block of the form (a merged cell on the left): no value of its own."""
    return _is_section(text) if len(text) <= _WORD_SPAN else False


@lru_cache(maxsize=8192)
def _is_section(text: str) -> bool:
    return norm(text) in _SECTIONS


def is_goal_opener(text: str) -> bool:
    return norm(text) in vocabulary.GOAL_OPENERS


def is_block_label(text: str) -> bool:
    """A block's name (项目资金（万元）, 年度总体目标, 绩效指标): never a column of the indicator table."""
    return norm(text).startswith(BLOCK_PREFIXES)


def is_funding_block(text: str) -> bool:
    """The funding block's label, also when a merged cell repeats it beside the rows (项目资金（万元）, 资金)."""
    word = norm(text)
    return bool(word) and word.startswith((*vocabulary.FUNDING_OPENERS, vocabulary.FUNDING_BLOCK_PREFIX))


# -- the funding block ------------------------------------------------------------------------------------------
def funding_column(text: str) -> str | None:
    """The FundingRow field a heading names (only the fields the model keeps)."""
    return _funding_column(text) if len(text) <= _WORD_SPAN else None


@lru_cache(maxsize=4096)
def _funding_column(text: str) -> str | None:
    field = vocabulary.FUNDING_COLUMNS.get(norm(text))
    return field if field in vocabulary.FUNDING_FIELDS else None


def funding_row_key(text: str) -> FundingKey | None:
    """The key of a funding row label (其中 dropped): 年度资金总额 → total, 当年财政拨款 → fiscal."""
    return _funding_row_key(text) if len(text) <= _WORD_SPAN else None


@lru_cache(maxsize=8192)
def _funding_row_key(text: str) -> FundingKey | None:
    return vocabulary.FUNDING_ROWS.get(norm(strip_subrow(text)[1]))


@lru_cache(maxsize=8192)
def funding_label(text: str) -> tuple[str, FundingKey | None] | None:
    """(published label without 其中, key) for a funding row label; a 其中 row under any label; ``None`` else."""
    word = squeeze(fold_width(text).strip().rstrip(":：").strip())
    if word.startswith(vocabulary.SUBROW_PREFIX):
        word = (split_subrow(word)[0] or "").strip()
        return (word, vocabulary.FUNDING_ROWS.get(norm(word))) if word else None
    key = vocabulary.FUNDING_ROWS.get(norm(word))
    return (word, key) if key is not None else None


def is_funding_header(cells: list[str]) -> bool:
    return sum(1 for c in cells if c and funding_column(c) in vocabulary.FUNDING_CORE) >= 2


def strip_subrow(cell: str) -> tuple[bool, str]:
    """(whether the cell starts with 其中, the rest without 其中 and its colon): "其中：A4纸张" → (True, "A4纸张")."""
    name, _parent, is_sub = split_subrow(cell)
    return is_sub, (name or "").strip()


def may_be_heading(compact: str) -> tuple[bool, bool]:
    """(may be the funding heading, may be the indicator heading) for a row's text without spaces: a cheap test
    before the cell-by-cell one (every core funding heading says 预算 or 执行; an indicator header names two of
    its level columns)."""
    return ("预算" in compact or "执行" in compact), len(_LEVEL_HEADINGS_RE.findall(compact)) >= 2


def may_be_goal(compact: str) -> bool:
    """Whether a row may hold a heading of the annual goal (each says 目标 or 完成)."""
    return "目标" in compact or "完成" in compact


def may_be_sign_off(compact: str) -> bool:
    """Whether a row may hold a 自评等级, 填报人 or 填报日期 label (the lines under the indicator table)."""
    return _SIGN_OFF_RE.search(compact) is not None


# -- the indicator table ----------------------------------------------------------------------------------------
def indicator_column(text: str) -> str | None:
    """The EvaluatedIndicator field a heading names; ``None`` for a column the model does not keep."""
    return _indicator_column(text) if len(text) <= _WORD_SPAN else None


@lru_cache(maxsize=4096)
def _indicator_column(text: str) -> str | None:
    word = norm(text)
    found = vocabulary.INDICATOR_COLUMNS.get(word)
    if found is None and vocabulary.DEVIATION_WORD in word and any(mark in word for mark in vocabulary.DEVIATION_MARKS):
        return "deviation_reason"
    return found if found in vocabulary.INDICATOR_FIELDS else None


def is_indicator_header(cells: list[str]) -> bool:
    """一级指标 … 三级指标 with a self-evaluation column (实际完成值, 得分, 自评分 …)."""
    fields = [indicator_column(c) for c in cells if c]
    levels = sum(1 for f in fields if f in ("level1", "level2", "name"))
    return levels >= 2 and any(f in vocabulary.SELFEVAL_ONLY for f in fields)


def is_list_header(cells: list[str]) -> bool:
    """A list of results (汇总, 计分说明): a 项目名称 column beside score or funding columns, not a form."""
    words = [norm(c) for c in cells if c]
    if not any(w == "项目" or vocabulary.LABELS.get(w) in ("project", "project_code") for w in words):
        return False
    return sum(1 for w in words if w in vocabulary.LIST_COLUMNS) >= 2


# -- cell values ------------------------------------------------------------------------------------------------
def is_placeholder(text: str) -> bool:
    stripped = text.strip()
    return stripped in vocabulary.PLACEHOLDERS or stripped.startswith(vocabulary.PROMPT_PREFIXES) or (
        bool(stripped) and set(stripped) <= set("—-－–./／…· "))


def split_level1(text: str) -> tuple[str | None, Decimal | None, bool]:
    """(一级指标, block weight, weight unreadable) from "产出指标(50分)", "产 出 指 标 （50分）", "效益指标"."""
    name, weight, unreadable = block_weight(squeeze(text).replace(" ", ""))
    if weight is None and not unreadable:
        return squeeze(text) or None, None, False
    return name or None, weight, unreadable


_LEADING_NUMBER_RE = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)(.*)$", re.DOTALL)


def canonical_operator(text: str | None) -> str | None:
    """The operator's canonical spelling (≥, ＞, =, ＜, ≤, 定性 …) or the text as published."""
    if text is None:
        return None
    stripped = text.strip()
    spelled = vocabulary.OPERATORS.get(stripped)  # ≧, ═, 定性指标 …
    kind = parse_operator(spelled or stripped)
    return str(kind) if kind is not None else spelled or stripped or None


def split_operator(text: str) -> tuple[str | None, str]:
    """A leading comparison ("≥95" → "≥", "95") or 定性："定性：好" → "定性", "好")."""
    stripped = text.strip()
    for symbol in vocabulary.OPERATOR_PREFIXES:
        if stripped.startswith(symbol):
            return canonical_operator(symbol.replace("﹦", "=").replace("＝", "=")), stripped[len(symbol):].strip()
    head, colon, rest = stripped.partition("：")
    if not colon:
        head, colon, rest = stripped.partition(":")
    if colon and head and parse_operator(head) is not None:
        return canonical_operator(head), rest.strip()
    return None, stripped


# trailing comparisons, longest first (及以上 before 以上)
_SUFFIXES: tuple[tuple[str, str], ...] = tuple(sorted(vocabulary.OPERATOR_SUFFIXES.items(),
                                                      key=lambda item: -len(item[0])))


def split_target(text: str, operator: bool = True, unit: bool = True) -> tuple[str | None, str, str | None]:
    """(operator, target, unit) of a 年度指标值 cell as printed, the same in every layout: a leading comparison
    ("≥95", "大于等于95%", "定性：好") or, on a figure, a trailing one ("95%以上", "95%及以上"), when the form
    has no 指标性质 column (``operator``); then the unit after the figure ("720000张"), when it has no 度量单位
    column (``unit``). What is not taken apart stays as printed."""
    found: str | None = None
    rest = text.strip()
    if operator:
        found, rest = split_operator(rest)
        if found is None and any(ch.isdigit() for ch in rest):
            for suffix, symbol in _SUFFIXES:
                if rest.endswith(suffix):
                    found, rest = symbol, rest[: -len(suffix)].strip()
                    break
    measure: str | None = None
    if unit:
        rest, measure = split_unit(rest)
    return found, rest, measure


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
