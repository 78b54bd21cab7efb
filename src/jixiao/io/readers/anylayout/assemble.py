"""Indicator tables from a flat run of cells, by what the cells say: headings, level names, value shapes.

A table starts at a run of column headings (三级指标 · 指标值 · 分值 …, in any regional variant of
:mod:`.words`); the headings say which value columns follow a row's name, in order. The body runs to a
sign-off, a note, a title or the next run of headings. It is cut at its 一级/二级 names (merged cells, printed
once), and each block's cells are split into rows and placed on the columns by the shape of each cell (an
operator, a figure with its unit, a weight) — :func:`jixiao.io.readers.selfeval.rows.segment`, shared with the
self-evaluation layouts. Nothing here depends on where lines break.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from jixiao.io.readers import selfeval_vocabulary as selfeval_words
from jixiao.io.readers import vocabulary as target_words
from jixiao.io.readers.anylayout import words
from jixiao.io.readers.selfeval.cells import Cell, make
from jixiao.io.readers.selfeval.indicators import merge_header
from jixiao.io.readers.selfeval.rows import IMPOSSIBLE, Row, is_operator, name_fit, segment
from jixiao.io.readers.selfeval.text import has_digit

_ENUM_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[、.]|\(\w\))")
_TARGET_KINDS = {"history": "history"}  # the target table's columns the fitting knows by another name
MIN_HEADINGS = 3
_LEVEL1_NAMES = frozenset(stem + ending for stem in words.LEVEL1_STEMS for ending in words.LEVEL_ENDINGS)
_LEVEL2_NAMES = frozenset(stem + ending for stem in words.LEVEL2_STEMS for ending in words.LEVEL_ENDINGS)
REPEATED = 3  # a wording on this many rows is a column's, not a name


@dataclass
class Block:
    level1: Cell | None
    level2: Cell | None
    cells: list[Cell] = field(default_factory=list)
    level1_inferred: bool = False  # not printed: inferred from the 二级 (words.LEVEL1_OF_LEVEL2)


@dataclass
class Section:
    """One indicator table found in the cells: its headings, its rows, and what came before it."""

    header_line: int
    columns: list[str]  # value columns after the name, in order
    kinds: frozenset[str]  # every kind the headings name
    before: list[Cell]  # cells between the previous table and these headings (labels, title)
    rows: list[tuple[Block, Row]]
    dropped: list[Cell]  # cells that could not be read as part of any row
    ended: bool  # an end marker (sign-off, note, next table) closed the body

    @property
    def is_selfeval(self) -> bool:
        return bool(self.kinds & words.SELFEVAL_KINDS)


def column_kind(cell: Cell, in_run: bool) -> str | None:
    """The kind of column a heading cell names (``in_run``: split heading words count too)."""
    key = cell.key
    found = words.COLUMNS.get(key) or selfeval_words.INDICATOR_COLUMNS.get(key)
    if found is None:
        target = target_words.COLUMNS.get(key)
        found = _TARGET_KINDS.get(target, target) if target is not None else None
    if found is None and in_run:
        found = words.HEADING_PARTS.get(key)
    return found


def _is_opener(cell: Cell) -> bool:
    return cell.blank or cell.key.startswith(words.OPENERS) or bool(re.fullmatch(r"\(?\d+(\.\d+)?分\)?", cell.key))


def heading_run(cells: Sequence[Cell], start: int) -> tuple[int, list[str]] | None:
    """(end, kinds) when a run of headings starts at ``start``, else ``None``."""
    if column_kind(cells[start], False) is None:
        return None
    kinds: list[str] = []
    parts: set[str] = set()  # kinds named by the first line of a heading split over two ("年度" / "指标值")
    end = start
    while end < len(cells):
        kind = column_kind(cells[end], False)
        part = column_kind(cells[end], True) if kind is None else None
        if kind is not None and kind in parts:
            parts.discard(kind)  # the second line of a split heading: the column is there already
        elif kind is not None or part is not None:
            kinds.append(kind or part)  # type: ignore[arg-type]
            if part is not None:
                parts.add(part)
        elif not _is_opener(cells[end]):
            break
        end += 1
    kinds = _two_rows(kinds)
    names = set(kinds) & words.LEVEL_KINDS
    values = set(kinds) & words.KEPT_KINDS
    if len(kinds) < MIN_HEADINGS or not (names & {"name", "level2"}) or not values:
        return None
    return end, kinds


def _two_rows(kinds: list[str]) -> list[str]:
    """Headings printed on two rows, the first naming groups (年度指标值 over 指标性质 · 指标值 · 度量单位):
    the second row starts where a level heading follows a value heading; its columns come first."""
    for index in range(1, len(kinds)):
        if kinds[index] in words.LEVEL_KINDS and not any(kind in words.LEVEL_KINDS for kind in kinds[:index]):
            return merge_header(kinds[:index], kinds[index:])
    return kinds


def level_of(cell: Cell) -> str | None:
    """"1", "2", "both" (成本指标, 满意度指标) or ``None``: whether ``cell`` is a 一级/二级 name."""
    bare = _ENUM_RE.sub("", cell.key)
    if bare.endswith(words.LEVEL2_SUFFIXES):
        return "2"
    one, two = bare in _LEVEL1_NAMES, bare in _LEVEL2_NAMES
    return "both" if one and two else "1" if one else "2" if two else None


def is_end(cell: Cell) -> bool:
    key = cell.key
    if key in words.TABLE_END or key.startswith(words.END_PREFIXES):
        return True
    if key in words.PROJECT_LABELS or key in target_words.LABELS:
        return True
    return len(key) <= 60 and key.endswith(words.TITLES)


def _joined_levels(body: Sequence[Cell]) -> list[Cell]:
    """A level name broken over two cells ("项目完成" / "指标") as one cell."""
    out: list[Cell] = []
    for cell in body:
        if out and cell.key in words.LEVEL_TAILS and not out[-1].key.endswith(tuple(words.LEVEL_TAILS)):
            joined = make(out[-1].raw + cell.raw, out[-1].line, out[-1].brk)
            if level_of(joined) is not None:
                out[-1] = joined
                continue
        out.append(cell)
    return out


def _inferred_level1(level2: Cell) -> Cell | None:
    bare = _ENUM_RE.sub("", level2.key)
    for stem, level1 in words.LEVEL1_OF_LEVEL2.items():
        if any(bare == stem + ending for ending in words.LEVEL_ENDINGS):
            return make(level1, level2.line)
    return None


def cut_blocks(body: Sequence[Cell]) -> list[Block]:
    """The body cut at its 一级/二级 names; a 二级 before any 一级 has its 一级 inferred (and marked so)."""
    body = _joined_levels(body)
    blocks: list[Block] = []
    current = Block(None, None)
    levels = [level_of(cell) for cell in body]
    for index, cell in enumerate(body):
        level = levels[index]
        if level == "both":
            after = next((levels[j] for j in range(index + 1, len(body)) if not body[j].blank), None)
            level = "1" if after in ("2", "both") or (current.level1 is None and current.level2 is None) else "2"
        if level is None:
            if not cell.blank and cell.key not in words.NOT_NAMES:
                current.cells.append(cell)
            continue
        if current.cells or current.level2 is not None:
            blocks.append(current)
        if level == "1":
            current = Block(cell, None)
        elif current.level1 is None or current.level1_inferred:
            inferred = _inferred_level1(cell)
            current = Block(inferred, cell, level1_inferred=inferred is not None)
        else:
            current = Block(current.level1, cell)
    if current.cells or current.level2 is not None:
        blocks.append(current)
    return blocks


def _repeated_in_place(body: Sequence[Cell], columns: list[str]) -> list[Cell]:
    """A wording printed on three rows or more ("计划标准", "正向指标") is not a name: names are unique. When the
    headings name one column the model does not keep, such cells are that column's."""
    skipped = [kind for kind in columns if kind not in words.KEPT_KINDS]
    if len(skipped) != 1:
        return list(body)
    counts = Counter(cell.key for cell in body if cell.key and not has_digit(cell.key) and not is_operator(cell))
    return [replace(cell, column=skipped[0]) if counts[cell.key] >= REPEATED and level_of(cell) is None else cell
            for cell in body]


def sections(cells: Sequence[Cell]) -> list[Section]:
    """Every indicator table in ``cells``."""
    found: list[Section] = []
    previous_end = 0
    index = 0
    while index < len(cells):
        run = heading_run(cells, index)
        if run is None:
            index += 1
            continue
        end, kinds = run
        body_end = end
        while body_end < len(cells) and not is_end(cells[body_end]) and heading_run(cells, body_end) is None:
            body_end += 1
        found.append(_section(cells, previous_end, index, end, body_end, kinds))
        previous_end = index = body_end
    return found


def _section(cells: Sequence[Cell], before_start: int, start: int, end: int, body_end: int,
             kinds: list[str]) -> Section:
    columns = [kind for kind in kinds if kind not in words.LEVEL_KINDS]
    rows: list[tuple[Block, Row]] = []
    dropped: list[Cell] = []
    for block in cut_blocks(_repeated_in_place(cells[end:body_end], columns)):
        for row in segment(block.cells, columns, False):
            if name_fit(row.name) <= IMPOSSIBLE:
                dropped.append(row.name)
                continue
            rows.append((block, row))
    return Section(cells[start].line, columns, frozenset(kinds), list(cells[before_start:start]), rows, dropped,
                   body_end < len(cells))
