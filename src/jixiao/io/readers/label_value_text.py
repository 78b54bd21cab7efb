"""Reader for text in ``标签：值`` lines with a tab-separated indicator table (the published 重庆 layout).

One file holds many tables. Each starts with a title (绩效目标表), then ``标签：值``
header lines (values may wrap onto following lines), then a tab- or space-separated
indicator table under a header row (一级指标 二级指标 三级指标 …). Which words are labels,
titles and headings is the reader's :class:`~jixiao.io.readers.vocabulary.Vocabulary`.

The loop below runs once per line of files with 100,000s of tables, so each line is
classified with cheap substring tests on its first characters; width folding is
applied to short prefixes only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from jixiao.domain import Diagnostic, Severity, parse_direction, parse_operator
from jixiao.domain.text import fold_width, strip_invisible
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.table_builder import TableBuilder
from jixiao.io.readers.vocabulary import BUILTIN, Vocabulary

_LABEL_SPAN = 28  # a label and its colon sit within the first characters of a line
_SPACE_SPLIT_RE = re.compile(r"[ \u3000]{2,}")
_ANY_SPACE_RE = re.compile(r"[ \u3000]+")


def _match_label(text: str, vocabulary: Vocabulary) -> tuple[str, int] | None:
    """(field, offset of the value) when ``text`` is a ``标签：值`` line, else ``None``."""
    colon = text.find("：", 0, _LABEL_SPAN)
    if colon > 0:
        label = text[:colon]
        labels = vocabulary.labels
        field = labels.get(label)  # the common case: a plain label, full-width colon
        if field is not None:
            return field, colon + 1
        if label == "其中":  # 其中：财政资金：15.00 万元
            second = text.find("：", colon + 1, _LABEL_SPAN)
            field = labels.get(text[colon + 1:second]) if second > 0 else None
            if field is not None:
                return field, second + 1
    elif ":" not in text[:_LABEL_SPAN]:
        return None  # no colon at all: prose, a row or a wrapped value
    head = fold_width(text[:_LABEL_SPAN])
    colon = head.find(":")
    if colon <= 0:
        return None
    label, offset = head[:colon], colon + 1
    if label.strip() == "其中":  # 其中：财政资金：15.00 万元
        second = head.find(":", offset)
        if second < 0:
            return None
        label, offset = head[offset:second], second + 1
    field = vocabulary.label_field(label)
    return (field, offset) if field else None


def _is_title(text: str, titles: tuple[str, ...]) -> bool:
    return (len(text) <= 40 and text.endswith(titles)
            and ":" not in text and "：" not in text)


def split_cells(text: str) -> list[str]:
    """Split a row on tabs (blank cells kept), or on runs of spaces when the export used spaces."""
    if "\t" in text:
        cells = text.split("\t")
        if " " in text or "\u3000" in text or "\xa0" in text:
            cells = [cell.strip() for cell in cells]
        return cells
    text = text.strip()
    cells = _SPACE_SPLIT_RE.split(text)
    return cells if len(cells) > 1 else _ANY_SPACE_RE.split(text)


def _looks_like_row(text: str) -> bool:
    """An indicator row outside an indicator table (before its header, or with none)."""
    if text.count("\t") >= 4:
        return True
    cells = _SPACE_SPLIT_RE.split(text)
    return len(cells) >= 5 and any(
        parse_direction(cell) is not None or parse_operator(cell) is not None for cell in cells)


class LabelValueTextReader:
    """Text of ``标签：值`` header lines and a tab- or space-separated indicator table."""

    name = "label-text"
    title = "标签文本版式（重庆长寿区公开样式：标签：值 + 制表符指标表）"
    kind: Literal["text"] = "text"
    magic: tuple[bytes, ...] = ()
    SIGNATURE = ("单位信息", "预算项目", "项目总额", "年度目标")  # the labels its files start with

    def __init__(self, vocabulary: Vocabulary = BUILTIN) -> None:
        self.vocabulary = vocabulary

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        if head is None:
            return 0.0
        folded = fold_width(head)
        hits = sum(label + ":" in folded for label in self.SIGNATURE)
        header = 1 if ("一级指标" in folded and "指标方向性" in folded) else 0
        return min(1.0, (hits + header) / 4)

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        vocabulary = self.vocabulary
        titles = vocabulary.titles
        first_word, *other_words = vocabulary.header_words
        builder: TableBuilder | None = None
        in_indicators = False
        last_field: str | None = None
        stray: list[Line] = []
        stray_notes: list[Diagnostic] = []
        tables_seen = 0

        for number, raw in lines:
            text = raw.strip()
            if not text:
                continue
            if "\ufffd" in text or "\ufeff" in text or "\u200b" in text:
                text = strip_invisible(text).strip()
                if "\ufffd" in text:
                    note = _undecodable(source, number)
                    (builder.diagnostics.append(note) if builder else stray_notes.append(note))
            if len(text) <= 40 and text.endswith(titles) and _is_title(text, titles):
                if builder is not None:
                    tables_seen += builder.counts_as_table()
                    yield builder.finish()
                builder, in_indicators, last_field = TableBuilder(source, number, vocabulary), False, None
                continue
            label = _match_label(text, vocabulary) if (in_indicators is False or "\t" not in text) else None
            if label is not None:
                field, offset = label
                if builder is None or builder.has(field):
                    if builder is not None:
                        tables_seen += builder.counts_as_table()
                        yield builder.finish()
                    builder = TableBuilder(source, number, vocabulary)
                builder.set(field, text[offset:], number)
                in_indicators, last_field = False, field
                continue
            if first_word in text and all(word in text for word in other_words):
                if builder is None:
                    builder = TableBuilder(source, number, vocabulary)
                builder.set_columns(split_cells(text), number)
                in_indicators, last_field = True, None
                continue
            if builder is None:
                stray.append((number, text))
            elif in_indicators or _looks_like_row(text):
                # Tab rows are split before stripping, so a blank first or last cell survives.
                row = raw.rstrip("\r\n") if "\t" in raw else text
                if row is not text and ("\ufeff" in row or "\u200b" in row):
                    row = strip_invisible(row)
                builder.add_row(split_cells(row), number, text)  # reports a row before the header
                last_field = None
            elif last_field is not None:
                builder.extend(last_field, text)
            else:
                builder.note_stray(number, text)
        if builder is not None:
            tables_seen += builder.counts_as_table()
            yield builder.finish()
        if stray or stray_notes or tables_seen == 0:
            notes = (*stray_notes, *_outside_diagnostics(source, stray, tables_seen))
            yield ReadResult(None, notes)


def _undecodable(source: str, number: int) -> Diagnostic:
    return Diagnostic("decode-error", Severity.ERROR,
                      "该行含有无法识别的字节（文件编码可能损坏或混用），已用“\ufffd”代替",
                      source, number)


def _outside_diagnostics(source: str, stray: list[Line], tables_seen: int) -> Iterator[Diagnostic]:
    for number, text in stray:
        shown = text if len(text) <= 60 else text[:59] + "…"
        yield Diagnostic("stray-line", Severity.INFO,
                         f"不属于任何绩效目标表的文字，未读入：“{shown}”", source, number)
    if tables_seen == 0:
        yield Diagnostic("no-table", Severity.ERROR,
                         "没有找到绩效目标表：应有“单位信息：”“预算项目：”等表头行和“一级指标…”指标表",
                         source)
