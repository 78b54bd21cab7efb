"""Self-evaluation tables whose cells were flattened into words on one line (a Word table saved as text).

Blank cells are lost in such text; the grammar places the remaining ones by content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.io.readers.base import Line
from jixiao.io.readers.selfeval.reader import SelfEvaluationTextReader

if TYPE_CHECKING:
    from jixiao.io.readers.selfeval.cells import Cell

_MIN_WORDS = 40


class FlatSelfEvaluationReader(SelfEvaluationTextReader):
    name = "selfeval-words"
    title = "绩效自评表（表格压平为一行、单元格以空格分隔）"

    def layout_confidence(self, lines: list[str]) -> float:
        if sum(line.count("|") for line in lines) > len(lines):
            return 0.0
        return 1.0 if any(len(line.split()) >= _MIN_WORDS for line in lines) else 0.0

    def cells(self, lines: list[Line]) -> list[Cell]:
        from jixiao.io.readers.selfeval.cells import word_cells

        return word_cells(lines)
