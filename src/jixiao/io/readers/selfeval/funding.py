"""A funding row's figures placed on the block's columns, when a layout lost the cells' positions.

Flattened and run-together text drops blank cells, so "194.9 194.9 100%" under 年初预算数 全年预算数 全年执行数
分值 执行率 得分 could be any three columns: the placement chosen is the one whose cells fit their columns (a rate
under 执行率, a small number under 分值/得分) and whose arithmetic holds (执行率 = 全年执行数 ÷ 全年预算数,
得分 ≤ 分值, 得分 = 分值 × 执行率).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from jixiao.io.readers import selfeval_vocabulary as words
from jixiao.io.readers.selfeval.cells import Cell
from jixiao.io.readers.selfeval.rows import IMPOSSIBLE
from jixiao.io.readers.selfeval.text import is_percent, number, percent


def figure_like(cell: Cell) -> bool:
    """A cell that can stand in a funding row's figures: a number, a rate or a blank mark."""
    return number(cell.text) is not None or is_percent(cell.text) or cell.key in words.FIGURE_BLANKS


def _funding_fit(kind: str, cell: Cell) -> float:
    if cell.blank or cell.key in words.FIGURE_BLANKS:
        return 0.0
    value = number(cell.text)
    if kind == "reason":
        return IMPOSSIBLE if value is not None or is_percent(cell.text) else 1.0
    if kind == "execution_rate":
        return 3.0 if is_percent(cell.text) else (1.0 if value is not None else IMPOSSIBLE)
    if value is None:
        return IMPOSSIBLE
    if kind in ("execution_weight", "execution_score"):
        return 1.5 if 0 <= value <= 30 else IMPOSSIBLE
    return 2.0


def place_funding(cells: list[Cell], columns: list[str]) -> tuple[float, dict[str, Cell]] | None:
    """The best placement of a funding row's cells on its columns, checked by its arithmetic
    (执行率 = 全年执行数 ÷ 全年预算数, 得分 ≤ 分值, 得分 = 分值 × 执行率): (score, column → cell), or
    ``None`` when the cells cannot be placed."""
    if len(cells) > len(columns):
        return None
    best: tuple[float, dict[str, Cell]] | None = None
    for chosen in combinations(range(len(columns)), len(cells)):
        placed = {columns[col]: cells[index] for index, col in enumerate(chosen)}
        score = sum(_funding_fit(kind, cell) for kind, cell in placed.items())
        if score <= IMPOSSIBLE / 2:
            continue
        score += _arithmetic(placed) - 0.01 * sum(chosen)  # ties: the earlier columns
        if best is None or score > best[0]:
            best = (score, placed)
    return best


def _arithmetic(placed: dict[str, Cell]) -> float:
    def figure(kind: str) -> Decimal | None:
        cell = placed.get(kind)
        if cell is None:
            return None
        return percent(cell.text) if kind == "execution_rate" else number(cell.text)

    bonus = 0.0
    adjusted, spent, rate = figure("adjusted_wan"), figure("spent_wan"), figure("execution_rate")
    if adjusted and spent is not None and rate is not None:
        bonus += 3.0 if abs(spent / adjusted * 100 - rate) <= Decimal("0.6") else -1.0
    weight, score = figure("execution_weight"), figure("execution_score")
    if weight is not None and score is not None:
        bonus += 0.5 if score <= weight else -2.0
        if rate is not None and abs(weight * rate / 100 - score) <= Decimal("0.05"):
            bonus += 3.0
    return bonus
