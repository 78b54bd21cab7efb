"""Indicator-table columns: naming header cells and fitting short rows to columns.

Every layout names the same indicator columns in slightly different words (and
with typos such as 本权重(%)). ``match_column`` maps a header cell to an identifier
from the glossary by the :mod:`~jixiao.io.readers.vocabulary`. ``fit_cells`` places
the cells of a row that lost its blank cells (space-separated exports) onto the
columns by what each cell looks like.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.domain import parse_direction, parse_operator
from jixiao.domain.labels import COLUMN_LABELS, INDICATOR_FIELDS
from jixiao.domain.text import fold_width, parse_decimal
from jixiao.io.readers.vocabulary import BUILTIN, LEVEL1_NAMES, Vocabulary


def match_column(header_cell: str, vocabulary: Vocabulary = BUILTIN) -> str | None:
    """Map a header cell ("本权重(%)", "权 重") to a field identifier, or ``None``."""
    return vocabulary.column_field(header_cell)


_SKIP_COST: dict[str, float] = {"history": 0.0, "unit_of_measure": 0.2}
_IMPOSSIBLE = -100.0


def _cell_score(field: str, cell: str, level1: frozenset[str]) -> float:
    """How well a cell's content fits a column (higher is better)."""
    if field == "operator":
        return 3.0 if parse_operator(cell) is not None else _IMPOSSIBLE
    if field == "direction":
        return 3.0 if parse_direction(cell) is not None else _IMPOSSIBLE
    if parse_operator(cell) is not None or parse_direction(cell) is not None:
        return _IMPOSSIBLE
    is_number = parse_decimal(cell) is not None
    if field in ("weight", "current_weight"):
        return 2.0 if is_number else _IMPOSSIBLE
    if field == "unit_of_measure":
        return 2.0 if not is_number and len(cell) <= 8 else _IMPOSSIBLE
    if field == "level1":
        return 3.0 if fold_width(cell) in level1 else 0.5
    if field == "level2":
        return 1.5 if cell.endswith("指标") else 0.5
    if field in ("history", "target", "current_target"):
        return 2.0 if is_number else 1.0
    return 1.0  # name


def fit_cells(cells: Sequence[str], columns: Sequence[str],
              level1: frozenset[str] = LEVEL1_NAMES) -> dict[str, str] | None:
    """Place ``cells`` (fewer than ``columns``) onto columns, keeping their order.

    A dynamic programme over (cell, column) picks the order-preserving assignment
    with the best fit; skipped columns stay blank. Returns ``None`` when no
    assignment is plausible. ``level1``: the 一级指标 names, which tell that column apart.
    """
    n, m = len(cells), len(columns)
    if n > m:
        return None
    # best[i][j]: best score placing cells[i:] onto columns[j:]
    best = [[_IMPOSSIBLE * 10] * (m + 1) for _ in range(n + 1)]
    choice = [[False] * (m + 1) for _ in range(n + 1)]
    best[n][m] = 0.0
    for j in range(m - 1, -1, -1):
        best[n][j] = best[n][j + 1] - _SKIP_COST.get(columns[j], 1.0)
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            skip = best[i][j + 1] - _SKIP_COST.get(columns[j], 1.0)
            take = best[i + 1][j + 1] + _cell_score(columns[j], cells[i], level1)
            if take >= skip:
                best[i][j], choice[i][j] = take, True
            else:
                best[i][j] = skip
    if best[0][0] <= _IMPOSSIBLE / 2:
        return None
    placed: dict[str, str] = {}
    i = j = 0
    while i < n and j < m:
        if choice[i][j]:
            placed[columns[j]] = cells[i]
            i += 1
        j += 1
    return placed if i == n else None


__all__ = ["COLUMN_LABELS", "INDICATOR_FIELDS", "fit_cells", "match_column"]
