"""Reader of the self-evaluation table (项目支出绩效自评表) published as text: the official form, and the score sheet.

The text is the form's grid written out: ``标签：值`` lines for the header fields (项目名称, 主管部门, 实施单位,
预期目标, 总分, 自评等级…; a value may wrap onto the following lines), and tab-separated rows for the funding block and
the indicator table under their heading rows; rows copied out of a web page with ``|`` between cells are read too.
Each line becomes a row of cells and goes through the form's one row grammar (:mod:`selfeval_grid`, which the
office grids feed too), whose words are the kind's one vocabulary (:mod:`selfeval_vocabulary`).
:mod:`jixiao.io.writers.selfeval_text` writes what this reads back equal.

It claims a file only by the words of a self-evaluation (年初预算数, 全年执行数, 实际完成值, 得分, 偏差原因…), which
a target table never prints, so a target table still goes to its own reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.text import fold_width
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.selfeval_shared import simplified
from jixiao.io.readers.vocabulary import Vocabulary

_STRONG = 3  # this many of the kind's words in the head: sure
_LABEL_LINES = ("项目名称:", "主管部门:", "实施单位:", "项目负责人:", "项目负责人及电话:")  # "标签：值" lines


def _found(result: ReadResult) -> bool:
    return result.table is not None or any(d.code == "empty-table" for d in result.diagnostics)


class SelfEvalTextReader:
    """Text of the self-evaluation form: ``标签：值`` lines and tab- (or ``|``-) separated rows."""

    name = "selfeval-text"
    title = "绩效自评表文本版式（财预〔2020〕10号附件）"
    kind: Literal["text"] = "text"
    magic: tuple[bytes, ...] = ()

    def with_vocabulary(self, vocabulary: Vocabulary) -> SelfEvalTextReader:
        """A region's target-table words do not apply to this form: the same reader."""
        return self

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        if head is None:
            return 0.0
        folded = fold_width(head).replace(" ", "")
        if words.traditional(folded):  # a form in traditional characters: its words compared in simplified
            folded, head = simplified(folded), simplified(head)
        hits = sum(word in folded for word in vocabulary.SIGNATURE)
        # Sure of tab-separated text (the form as jixiao writes it); for other layouts a reader of that
        # layout (io/readers/selfeval: pipes, a cell per line, words, run-together text) is surer.
        labelled = any(fold_width(line.lstrip("| ")).startswith(_LABEL_LINES) for line in head.splitlines())
        layout = 1.0 if "\t" in head or labelled else 0.8
        return min(1.0, hits / _STRONG) * layout if hits >= 2 else 0.0

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        found = False  # a table (or a title said to be empty), not only notes: never read in silence
        from jixiao.io.readers.selfeval_text_lines import read_lines

        for result in read_lines(lines, source):
            found = found or _found(result)
            yield result
        if not found:
            yield ReadResult(None, (Diagnostic(
                "no-table", Severity.ERROR,
                "没有找到绩效自评表：应有标题“项目支出绩效自评表”、资金表（年度资金总额……）和绩效指标表（一级指标……得分）",
                source),))
