"""The words a target table is recognised by: header labels, indicator column headings, titles.

Every layout and file format reads with the same vocabulary, so a variant spelling learnt once
(项目负责人 for 项目经办人, the 本权重 typo of the 重庆 seed) is understood in text, sheets, Word
and PDF alike. It is data, not code: a region profile adds its words with :meth:`Vocabulary.extend`
and hands the result to the readers (``LabelValueTextReader(vocabulary=…)``); no reader changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from jixiao.domain.labels import HEADER_FIELDS, INDICATOR_FIELDS
from jixiao.domain.text import fold_width

# Header labels (width-folded, without spaces or bracketed notes) → field identifier.
LABELS: Mapping[str, str] = MappingProxyType({
    "单位信息": "unit",
    "预算单位": "unit",
    "单位名称": "unit",
    "预算项目": "project",
    "项目名称": "project",
    "职能职责与活动": "function",
    "主管部门": "department",
    "项目经办人": "contact_person",
    "项目负责人": "contact_person",
    "项目经办人电话": "contact_phone",
    "经办人电话": "contact_phone",
    "联系电话": "contact_phone",
    "项目总额": "total_wan",
    "项目总金额": "total_wan",
    "预算执行率权重": "execution_weight",
    "执行率权重": "execution_weight",
    "财政资金": "fiscal",
    "财政专户管理资金": "special_account",
    "单位资金": "unit_own",
    "社会投入资金": "social",
    "银行贷款": "bank_loan",
    "年度目标": "annual_goal",
    "年度绩效目标": "annual_goal",
})

# Indicator-table headings (width-folded, without spaces or bracketed notes such as (%)) → column.
COLUMNS: Mapping[str, str] = MappingProxyType({
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标名称": "name",
    "指标性质": "operator",
    "指标类型": "operator",
    "历史参考值": "history",
    "历史值": "history",
    "历史标准值": "history",
    "指标值": "target",
    "目标值": "target",
    "本年指标值": "current_target",
    "本年度指标值": "current_target",
    "本年目标值": "current_target",
    "度量单位": "unit_of_measure",
    "计量单位": "unit_of_measure",
    "单位": "unit_of_measure",
    "权重": "weight",
    "分值": "weight",
    "本年权重": "current_weight",
    "本权重": "current_weight",  # typo seen in the 重庆 seed
    "本年度权重": "current_weight",
    "本年分值": "current_weight",
    "指标方向性": "direction",
    "指标方向": "direction",
    "方向": "direction",
})

TITLES: tuple[str, ...] = ("绩效目标表",)  # a title line or cell ends with one of these
HEADER_WORDS: tuple[str, ...] = ("一级指标", "三级指标")  # a text line holding all of them is the indicator header
LEVEL1_NAMES: frozenset[str] = frozenset({"产出指标", "效益指标", "满意度指标", "成本指标"})

_PARENS_RE = re.compile(r"\([^)]*\)")
_CACHE_SIZE = 4096


def normalise(word: str) -> str:
    """The form words are kept in: width-folded, without spaces or bracketed notes ("本权重（%）" → "本权重")."""
    return _PARENS_RE.sub("", fold_width(word)).replace(" ", "")


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """One set of words; compared by identity (look-ups are cached per vocabulary)."""

    labels: Mapping[str, str]
    columns: Mapping[str, str]
    titles: tuple[str, ...] = TITLES
    header_words: tuple[str, ...] = HEADER_WORDS
    level1: frozenset[str] = LEVEL1_NAMES
    _label_cache: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)
    _column_cache: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))

    def __reduce__(self) -> str | tuple[object, ...]:
        """Readers travel to the bounded reading process (io/bounded.py): the built-in words by name."""
        if self is BUILTIN:
            return "BUILTIN"
        return (Vocabulary, (dict(self.labels), dict(self.columns), self.titles, self.header_words, self.level1))

    def label_field(self, label: str) -> str | None:
        """The field a header label names ("项目总额", "项目总额(万元)"; ``label`` already width-folded)."""
        cache = self._label_cache
        if label in cache:
            return cache[label]
        key = label.replace(" ", "")
        found = self.labels.get(key) or self.labels.get(_PARENS_RE.sub("", key))
        if len(cache) < _CACHE_SIZE:  # prose before a colon varies without end: the cache stays bounded
            cache[label] = found
        return found

    def column_field(self, header_cell: str) -> str | None:
        """The column a header cell names ("本权重(%)", "权 重"), or ``None``."""
        cache = self._column_cache
        if header_cell in cache:
            return cache[header_cell]
        found = self.columns.get(normalise(header_cell))
        if len(cache) < _CACHE_SIZE:
            cache[header_cell] = found
        return found

    def is_title(self, text: str) -> bool:
        return text.replace(" ", "").endswith(self.titles)

    def extend(self, *, labels: Mapping[str, str] | None = None, columns: Mapping[str, str] | None = None,
               titles: Iterable[str] = (), level1: Iterable[str] = ()) -> Vocabulary:
        """A new vocabulary with more words (e.g. ``labels={"项目单位": "unit"}``); this one is unchanged.

        Words are normalised like the text they are matched against; a field that the table does not
        have is refused in Chinese (:class:`ValueError`), so a profile's typo is found at once.
        """
        new_labels = dict(self.labels)
        for word, name in (labels or {}).items():
            if name not in HEADER_FIELDS:
                raise ValueError(f"表头词汇“{word}”指向的字段“{name}”不存在（可用：{'、'.join(HEADER_FIELDS)}）")
            new_labels[normalise(word)] = name
        new_columns = dict(self.columns)
        for word, name in (columns or {}).items():
            if name not in INDICATOR_FIELDS:
                raise ValueError(f"指标表列名“{word}”指向的列“{name}”不存在（可用：{'、'.join(INDICATOR_FIELDS)}）")
            new_columns[normalise(word)] = name
        more_titles = tuple(normalise(t) for t in titles if normalise(t) not in self.titles)
        return Vocabulary(new_labels, new_columns, self.titles + more_titles, self.header_words,
                          self.level1 | {normalise(name) for name in level1})


BUILTIN = Vocabulary(LABELS, COLUMNS)
