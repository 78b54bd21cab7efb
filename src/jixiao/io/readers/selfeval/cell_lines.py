"""Self-evaluation tables exported one cell per line, each line ending in " |" (blank cells kept)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.io.readers.base import Line
from jixiao.io.readers.selfeval.reader import SelfEvaluationTextReader

if TYPE_CHECKING:
    from jixiao.io.readers.selfeval.cells import Cell


class CellLinesSelfEvaluationReader(SelfEvaluationTextReader):
    name = "selfeval-cell-lines"
    title = "绩效自评表（每行一个单元格，以“|”结尾）"
    positional = True

    def layout_confidence(self, lines: list[str]) -> float:
        ending = sum(1 for line in lines if line.rstrip().endswith("|") and line.count("|") == 1)
        wide = sum(1 for line in lines if line.count("|") >= 3)
        return 1.0 if ending * 10 >= len(lines) * 7 and wide * 10 <= len(lines) else 0.0

    def cells(self, lines: list[Line]) -> list[Cell]:
        from jixiao.io.readers.selfeval.cells import line_cells

        return line_cells(lines)
