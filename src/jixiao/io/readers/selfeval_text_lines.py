"""The lines of a self-evaluation table published as text, through the form's one row grammar.

Each line becomes a row of cells (tab- or ``|``-separated, or a ``标签：值`` pair) and goes through
:mod:`selfeval_grid`, which the office grids feed too. :class:`~jixiao.io.readers.selfeval_text.SelfEvalTextReader`
imports this when it reads, so that sniffing a file costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jixiao.domain.text import fold_width, strip_invisible
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.selfeval_grid import Row, SelfEvalParser
from jixiao.io.readers.selfeval_wording import TEXT

_LABEL_SPAN = 24  # a label and its colon sit within the first characters of a line


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
