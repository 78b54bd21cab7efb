"""Self-evaluation tables whose cells run together: OCR text and document-sharing sites' extracts.

Told by a long line with few spaces; the cells are found by what they say (:mod:`.runon`, imported when a
file is read, so that sniffing costs nothing at start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.io.readers.base import Line
from jixiao.io.readers.selfeval.reader import SelfEvaluationTextReader

if TYPE_CHECKING:
    from jixiao.io.readers.selfeval.cells import Cell


class RunOnSelfEvaluationReader(SelfEvaluationTextReader):
    name = "selfeval-runon"
    title = "绩效自评表（单元格连在一起的文字：扫描识别、文档网站摘录）"

    def layout_confidence(self, lines: list[str]) -> float:
        text = "".join(lines)
        if text.count("|") * 50 > len(text) or len(text) < 200:
            return 0.0
        longest = max(lines, key=len)
        spaces = longest.count(" ") + longest.count("\u3000")
        return 1.0 if len(longest) >= 200 and spaces * 15 < len(longest) else 0.0

    def cells(self, lines: list[Line]) -> list[Cell]:
        from jixiao.io.readers.selfeval.runon import runon_cells

        return list(runon_cells(lines))
