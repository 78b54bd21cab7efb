"""Text into cells, several ways: the reader tries each and keeps the reading that recovers the most rows.

Real text comes with cell boundaries of every sort — pipes, one cell per line (often ending " |", a bare "|"
line between rows), a row per line with cells separated by spaces, one cell per paragraph. Rather than guess
the layout from a few lines, every way of cutting that the text allows is tried (each is a linear pass), and
the assembler judges them by what they yield. ``brk`` marks a row start where the layout shows one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from jixiao.io.readers.selfeval.cells import Cell, Line, make, pipe_cells, word_cells

_BARE_PIPES_RE = re.compile(r"^[\s|]*$")
Tokeniser = Callable[[list[Line]], list[Cell]]


def cell_lines(lines: list[Line]) -> list[Cell]:
    """One cell per non-blank line (trailing pipes dropped); a line of bare pipes starts a row."""
    cells: list[Cell] = []
    brk = True
    for number, text in lines:
        if _BARE_PIPES_RE.match(text):
            brk = brk or "|" in text
            continue
        stripped = text.strip().rstrip("|").strip()
        if stripped:
            cells.append(make(stripped, number, brk))
            brk = False
    return cells


def word_rows(lines: list[Line]) -> list[Cell]:
    """Cells separated by spaces, one row per line (the first word of a line starts a row); a bracket opened in
    a word closes in the same cell ("开发数量( ≥**个 )" is one cell)."""
    out: list[Cell] = []
    previous = -1
    for cell in word_cells(lines):
        if out and out[-1].line == cell.line and _unclosed(out[-1].raw):
            out[-1] = make(f"{out[-1].raw} {cell.raw}", cell.line, out[-1].brk)
            continue
        out.append(make(cell.raw, cell.line, cell.line != previous) if cell.line != previous else cell)
        previous = cell.line
    return out


def _unclosed(text: str) -> bool:
    return text.count("(") + text.count("（") > text.count(")") + text.count("）")


def wide_rows(lines: list[Line]) -> list[Cell]:
    """Cells separated by a tab or two spaces or more, one row per line (names with single spaces kept whole)."""
    cells: list[Cell] = []
    for number, text in lines:
        first = True
        for part in re.split(r"\t|\s{2,}|\u3000", text.strip()):
            if part.strip():
                cells.append(make(part.strip(), number, first))
                first = False
    return cells


def tokenisations(lines: list[Line]) -> Iterator[tuple[str, list[Cell]]]:
    """(name, cells) for each way of cutting ``lines`` that their text allows."""
    piped = sum(1 for _number, text in lines if "|" in text)
    if piped >= 3:
        yield "pipes", pipe_cells(lines)
    yield "cell per line", cell_lines(lines)
    if any(" " in text.strip() for _number, text in lines):
        yield "words", word_rows(lines)
        yield "wide", wide_rows(lines)
