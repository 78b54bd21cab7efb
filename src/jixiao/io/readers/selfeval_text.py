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
from jixiao.domain.text import fold_width, strip_invisible
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.selfeval_grid import Row, SelfEvalParser
from jixiao.io.readers.selfeval_shared import simplified
from jixiao.io.readers.selfeval_wording import TEXT
from jixiao.io.readers.vocabulary import Vocabulary

_LABEL_SPAN = 24  # a label and its colon sit within the first characters of a line
_STRONG = 3  # this many of the kind's words in the head: sure
_LABEL_LINES = ("项目名称:", "主管部门:", "实施单位:", "项目负责人:", "项目负责人及电话:")  # "标签：值" lines


def line_cells(text: str) -> list[str]:
    """One line as the row of cells it stands for: tab-separated cells, ``|``-separated cells, a ``标签：值`` pair
    (``["项目名称", "X"]``), or the whole line as one cell."""
    text = strip_invisible(text.rstrip("\r\n"))
    if "\t" in text:
        return [cell.strip() for cell in text.split("\t")]
    if text.count("|") >= 2 or text.lstrip().startswith("|"):
        cells = [cell.strip() for cell in text.split("|")]
        return cells[1:] if cells and not cells[0] else cells
    head = fold_width(text[:_LABEL_SPAN])
    colon = head.find(":")
    if colon > 0:
        label = text[:colon].strip()
        if words.label_field(label) or words.goal_field(label) or words.funding_row_key(label) is not None:
            return [label, text[colon + 1:].strip()]
    return [text.strip()]


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
        for result in read_lines(lines, source):
            found = found or _found(result)
            yield result
        if not found:
            yield ReadResult(None, (Diagnostic(
                "no-table", Severity.ERROR,
                "没有找到绩效自评表：应有标题“项目支出绩效自评表”、资金表（年度资金总额……）和绩效指标表（一级指标……得分）",
                source),))


def read_lines(lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
    """The tables in text lines, each through the form's one row grammar: a title starts a table, and so does a
    项目名称 after the indicators of the one before (tables without titles, one after another)."""
    grammar: SelfEvalParser | None = None
    for number, text in lines:
        cells = line_cells(text)
        while cells and not cells[-1]:
            cells.pop()
        if not cells:  # a blank line ends a wrapped value
            if grammar is not None:
                grammar.continuing = None
            continue
        row = Row(cells, cells, [], number, wraps=True)
        row._filled = filled = [(index, cell) for index, cell in enumerate(cells) if cell]
        first = filled[0][1]
        starts = len(filled) <= 2 and "表" in first and words.is_title(first)
        if grammar is not None and (starts or (grammar.values.get("project") and grammar.indicators
                                                and words.label_field(first) == "project")):
            yield from _close(grammar)
            grammar = None
        if grammar is None:
            grammar = SelfEvalParser(source, wrapped=False, wording=TEXT)
        grammar.feed(row)
    if grammar is not None:
        yield from _close(grammar)


def _close(grammar: SelfEvalParser) -> Iterator[ReadResult]:
    result = grammar.build()
    if result.table is not None or result.diagnostics:
        yield result
