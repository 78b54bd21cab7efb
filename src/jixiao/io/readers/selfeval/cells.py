"""Cells: what every layout hands the grammar, and the layouts that have cell boundaries.

A layout turns text into a flat list of :class:`Cell`. ``brk`` says a physical row began before the
cell (pipe tables); layouts without rows leave it False. ``positional`` layouts keep blank cells in
place (one cell per line), so a blank there is a column; elsewhere blanks may have been dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from jixiao.io.readers.selfeval.text import display, key, printed

Line = tuple[int, str]


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # without layout debris, brackets and colons half-width ("" for a blank cell): for structure
    key: str  # matching form (simplified, no spaces or notes)
    line: int
    brk: bool = False
    raw: str = ""  # the cell as captured (bracketed notes such as "(元)" kept)
    column: str | None = None  # the column a layout already knows the cell is in (run-together rows)
    printed: str = ""  # the text as printed (brackets, widths and spaces kept): what is stored

    @property
    def blank(self) -> bool:
        return not self.text


def make(raw: str, line: int, brk: bool = False, column: str | None = None) -> Cell:
    text = display(raw)
    return Cell(text, key(text) if text else "", line, brk, raw, column, printed(raw) if text else "")


def capture_lines(lines: Iterable[Line]) -> list[Line]:
    """The lines without the capture's SOURCE:/KIND: preamble."""
    out: list[Line] = []
    for number, text in lines:
        stripped = text.rstrip("\r\n")
        if number <= 2 and stripped.startswith(("SOURCE:", "KIND:")):
            continue
        out.append((number, stripped))
    return out


def pipe_cells(lines: list[Line]) -> list[Cell]:
    """A pipe table: cells between ``|``. A cell may wrap onto the next lines; a line end between two
    pipes is a row break; empty cells (the padding ``||||``) are dropped, since merged cells make
    their positions meaningless."""
    cells: list[Cell] = []
    brk = True
    current: list[str] = []
    first_line = lines[0][0] if lines else 1
    for number, text in lines:
        parts = text.split("|")
        for index, part in enumerate(parts):
            if index > 0:  # a pipe closed the cell being gathered
                brk = _close(cells, current, first_line, brk)
                current = []
            if not current:
                first_line = number
            if part.strip() or current:
                current.append(part)
        if current:
            current.append("\n")  # the cell goes on onto the next line
        else:
            brk = True
    _close(cells, current, first_line, brk)
    return cells


def _close(cells: list[Cell], parts: list[str], line: int, brk: bool) -> bool:
    """Add the gathered cell, if it has text; the row-break flag that holds for the next cell."""
    text = "".join(parts).strip()
    if not text:
        return brk
    cells.append(make(text, line, brk))
    return False


def line_cells(lines: list[Line]) -> list[Cell]:
    """One cell per line, each ending in " |"; a line of just "|" is a blank cell (kept in place)."""
    cells: list[Cell] = []
    for number, text in lines:
        stripped = text.strip()
        if stripped.endswith("|"):
            stripped = stripped[:-1]
        cells.append(make(stripped, number))
    return cells


_NOTE_RE = re.compile(r"^[(（][^()（）]{0,12}[)）]")


def word_cells(lines: list[Line]) -> list[Cell]:
    """A table flattened to words: cells separated by spaces (blank cells are lost). A bracketed note
    ("(万元)", "(50分)") belongs to the word before it."""
    cells: list[Cell] = []
    for number, text in lines:
        for word in text.split():
            if cells and _NOTE_RE.match(word) and cells[-1].line == number:
                prev = cells.pop()
                cells.append(make(prev.raw + word, number, prev.brk))
                continue
            cells.append(make(word, number))
    return cells
