"""Indicator rows from a run of cells: where each row starts and which column each cell is.

Published self-evaluation tables lose structure in every export: merged 一级/二级 cells appear once,
blank cells vanish, a row is broken over lines, a sub-row (其中…) has no 分值. So rows are not cut by
position but found by content: within one 二级 block, the cells are split into rows (a name, then
values) and each row's values are placed on the columns in order (a monotone alignment), choosing
the reading whose cells fit their columns best (a number in 分值, an operator in 指标性质, a unit in
度量单位) and whose rows are most complete. Both are small dynamic programmes over a few dozen cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jixiao.io.readers import selfeval_vocabulary as words
from jixiao.io.readers.selfeval.cells import Cell
from jixiao.io.readers.selfeval.text import has_digit, is_percent, number

IMPOSSIBLE = -1000.0
_ROW_COST = 2.0  # each row costs: fewer, fuller rows win over many thin ones
_FILLED_BONUS = {"target": 1.5, "actual": 1.5, "weight": 1.0, "score": 1.0}
_MAX_ROW_CELLS = 24


def is_operator(cell: Cell) -> bool:
    return cell.key in words.OPERATORS or cell.key in words.OCR_KINDS or cell.key in words.QUANTITATIVE_KINDS \
        or _domain_operator(cell.key)


def _domain_operator(text: str) -> bool:
    from jixiao.domain import parse_operator

    return parse_operator(text) is not None


def fit(kind: str, cell: Cell) -> float:
    """How well ``cell`` fits a column of ``kind`` (higher is better; IMPOSSIBLE when it cannot)."""
    if cell.blank:
        return 0.0
    if cell.column is not None:
        return 5.0 if kind == cell.column else IMPOSSIBLE
    text = cell.text
    if kind == "operator":
        return 3.0 if is_operator(cell) else IMPOSSIBLE
    if is_operator(cell):
        return IMPOSSIBLE
    if kind in ("weight", "score"):
        value = number(text)
        return 2.0 if value is not None and 0 <= value <= 100 else IMPOSSIBLE
    if kind == "coefficient":
        return 2.0 if is_percent(text) else IMPOSSIBLE
    if kind == "core":
        return 3.0 if cell.key in ("是", "否") else IMPOSSIBLE
    if kind == "unit_of_measure":
        if has_digit(text) or len(text) > 6:
            return IMPOSSIBLE
        return 2.5 if cell.key in words.UNITS else 0.3
    if kind in ("target", "actual", "adjusted_target"):
        base = 2.0 if has_digit(text) or len(text) <= 12 else 0.5
        return base if kind != "adjusted_target" else base - 1.5
    if kind == "deviation_reason":
        return IMPOSSIBLE if number(text) is not None or is_percent(text) else 0.8
    return 0.0  # a column the table has and the model has not (skip)


def name_fit(cell: Cell) -> float:
    """How likely ``cell`` is an indicator's name (三级指标)."""
    if cell.column is not None:
        return 3.0 if cell.column == "name" else IMPOSSIBLE
    if cell.blank or is_operator(cell) or number(cell.text) is not None or is_percent(cell.text):
        return IMPOSSIBLE
    if cell.text.startswith(("其中", "★", "☆")):
        return 3.0
    if has_digit(cell.text) and len(cell.text) <= 8:
        return -1.0  # "29.5亩" is a value
    if cell.key in words.UNITS:
        return -1.5
    return 2.0 if len(cell.text) > 3 else 0.5


@dataclass(frozen=True, slots=True)
class Row:
    name: Cell
    values: dict[str, Cell]  # column kind → cell
    dropped: tuple[Cell, ...] = ()  # non-blank cells that fit no column


def align(cells: Sequence[Cell], columns: Sequence[str], positional: bool,
          fits: Callable[[str, Cell], float] = fit) -> tuple[float, dict[int, int]]:
    """The best monotone placement of ``cells`` on ``columns``: (score, cell index → column index).

    Every non-blank cell takes a column; a blank takes one in ``positional`` layouts (its place
    counts), else it may be passed over. Columns may stay empty (blank cells that were dropped)."""
    n, k = len(cells), len(columns)
    neg = IMPOSSIBLE * 10
    best = [[neg] * (k + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, bool] | None]] = [[None] * (k + 1) for _ in range(n + 1)]
    for b in range(k + 1):
        best[0][b] = 0.0
    for a in range(1, n + 1):
        cell = cells[a - 1]
        for b in range(k + 1):
            here, how = neg, None
            if b > 0 and best[a][b - 1] > here:  # column b left empty
                here, how = best[a][b - 1], (a, b - 1, False)
            if b > 0:
                score = best[a - 1][b - 1] + fits(columns[b - 1], cell)
                if score > here:
                    here, how = score, (a - 1, b - 1, True)
            if cell.blank and (not positional or b == k) and best[a - 1][b] > here:  # a blank passed over
                here, how = best[a - 1][b], (a - 1, b, False)
            best[a][b], back[a][b] = here, how
    placed: dict[int, int] = {}
    a, b = n, k
    while a > 0 or b > 0:
        step = back[a][b]
        if step is None:
            break
        pa, pb, took = step
        if took:
            placed[a - 1] = b - 1
        a, b = pa, pb
    return best[n][k], placed


def _row_score(cells: Sequence[Cell], columns: Sequence[str], positional: bool) -> tuple[float, dict[int, int]]:
    head = name_fit(cells[0])
    if head <= IMPOSSIBLE:
        return IMPOSSIBLE * 10, {}
    score, placed = align(cells[1:], columns, positional)
    filled = {columns[col] for index, col in placed.items() if not cells[1 + index].blank}
    score += head + sum(bonus for kind, bonus in _FILLED_BONUS.items() if kind in filled) - _ROW_COST
    score += 1.0 if cells[0].brk else 0.0
    score -= 0.5 * sum(1 for cell in cells[1:] if cell.brk)
    return score, placed


def segment(cells: Sequence[Cell], columns: Sequence[str], positional: bool) -> list[Row]:
    """Split one 二级 block's cells into rows: the reading with the best total score."""
    cells = [cell for cell in cells if cell.key not in words.SKIPPED_CELLS]
    while cells and cells[0].blank:
        cells = cells[1:]
    n = len(cells)
    if n == 0:
        return []
    neg = IMPOSSIBLE * 100
    best = [neg] * (n + 1)
    back: list[tuple[int, dict[int, int]] | None] = [None] * (n + 1)
    best[0] = 0.0
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_ROW_CELLS), end):
            if best[start] <= neg:
                continue
            score, placed = _row_score(cells[start:end], columns, positional)
            if best[start] + score > best[end]:
                best[end], back[end] = best[start] + score, (start, placed)
    if back[n] is None:  # nothing reads as rows: every cell alone, so nothing is lost silently
        return [Row(cell, {}) for cell in cells if not cell.blank]
    rows: list[Row] = []
    end = n
    while end > 0:
        step = back[end]
        assert step is not None
        start, placed = step
        part = cells[start:end]
        values = {columns[col]: part[1 + index] for index, col in placed.items() if not part[1 + index].blank}
        rows.append(Row(part[0], values))
        end = start
    rows.reverse()
    return rows
