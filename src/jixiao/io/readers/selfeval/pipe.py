"""Self-evaluation tables as pipe text (``| 项目名称 | … |``), as web pages and converters export them.

Rows may be broken over lines and cells given out of order (merged cells); the grammar reads by
content, so only the cell boundaries matter here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.io.readers.base import Line
from jixiao.io.readers.selfeval.reader import SelfEvaluationTextReader

if TYPE_CHECKING:
    from jixiao.io.readers.selfeval.cells import Cell


class PipeSelfEvaluationReader(SelfEvaluationTextReader):
    name = "selfeval-pipe"
    title = "绩效自评表（竖线分隔的表格文本）"

    def layout_confidence(self, lines: list[str]) -> float:
        piped = sum(1 for line in lines if line.count("|") >= 3)
        return 1.0 if piped >= 3 and piped * 4 >= len(lines) else 0.0

    def cells(self, lines: list[Line]) -> list[Cell]:
        from jixiao.io.readers.selfeval.cells import pipe_cells

        return pipe_cells(lines)
