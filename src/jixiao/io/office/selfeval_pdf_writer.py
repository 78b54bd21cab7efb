"""Self-evaluation tables as PDF (WeasyPrint, Chinese fonts from Debian's fonts-noto-cjk): ruled tables.

The grid is :func:`jixiao.io.office.selfeval_layout.layout`'s, as HTML cells with ``rowspan``/``colspan``; the
indicator table is a table of its own whose header repeats on every page (a cell merged down from the header,
绩效指标, goes on under it as a merged cell of the body). Its 一级 and 二级 cells are printed one per row, each
with its text, as target tables print them: merged, a block running over a page break would lose its name.
The title and the year line are text above. Reuses the target-table PDF writer's renderer
(:mod:`jixiao.io.office.pdf_writer`); the PDF reader reads it back through the same grid as the other formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from markupsafe import Markup, escape

from jixiao.domain.selfeval_table import SelfEvaluationTable
from jixiao.io.office.pdf_writer import _environment, html_to_pdf
from jixiao.io.office.selfeval_layout import Cell, Layout, layout, save
from jixiao.io.readers.grid import PARAGRAPH_MARK

TEMPLATE = "selfeval_print.html.j2"
# Spaces are printed unbreakable: a line broken at a space loses it (a PDF has no trailing space), and the
# reader could not tell "× 100%" from "×100%"; Chinese text breaks between any two characters anyway.
NO_BREAK = "\u00a0"


def _cell(cell: Cell, rows: int | None = None, text: str | None = None) -> Markup:
    rows = cell.rows if rows is None else rows
    tag = "th" if cell.style == "label" else "td"
    spans = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cell.cols}"' if cell.cols > 1 else "")
    css = f' class="{cell.style}"' if tag == "td" and cell.style != "value" else ""
    content = (cell.text if text is None else text).replace(" ", NO_BREAK)  # lines break between characters only
    if cell.style == "goal" and content:
        inner = Markup("").join(Markup("<p>{}{}</p>").format(PARAGRAPH_MARK, part)
                                for part in content.split("\n") if part)
    else:
        inner = escape(content)
    return Markup(f"<{tag}{spans}{css}>") + inner + Markup(f"</{tag}>")


def _rows(cells: Sequence[Cell], first: int, last: int) -> list[list[Markup]]:
    """Rows ``first`` … ``last - 1`` as HTML cells; a cell merged down past ``last`` is cut there."""
    rows: list[list[Markup]] = [[] for _ in range(first, last)]
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        if first <= cell.row < last:
            rows[cell.row - first].append(_cell(cell, min(cell.rows, last - cell.row)))
    return rows


def _unmerged_levels(grid: Layout, cells: list[Cell]) -> list[Cell]:
    """The 一级 and 二级 cells one per row, each with its text (as target tables print them): a cell merged down
    over a page break has no bottom rule on its first page, and a PDF reader cannot find it there."""
    first, out = grid.header_row + grid.header_rows, []
    for cell in cells:
        if cell.col in (1, 2) and first <= cell.row < grid.total_row and cell.rows > 1:
            out += [Cell(row, cell.col, cell.text, 1, cell.cols, cell.style) for row in range(cell.row,
                                                                                              cell.row + cell.rows)]
        else:
            out.append(cell)
    return out


def _parts(grid: Layout) -> list[dict[str, Any]]:
    """Three tables: the head of the form, the indicators (their header repeated on every page), 总分 and the
    sign-off."""
    head_end = grid.header_row + grid.header_rows
    cells = _unmerged_levels(grid, list(grid.cells))
    # a cell merged down out of the header (绩效指标) goes on as a merged cell of the body
    carried = [Cell(head_end, c.col, "", c.row + c.rows - head_end, c.cols, c.style) for c in cells
               if c.row < head_end <= c.row + c.rows - 1 and c.row >= grid.header_row]
    return [
        {"head": [], "bodies": [_rows(cells, 0, grid.header_row)], "css": ""},
        {"head": _rows(cells, grid.header_row, head_end), "bodies": [_rows(cells + carried, head_end, grid.total_row)],
         "css": "indicators"},
        {"head": [], "bodies": [_rows(cells, grid.total_row, grid.rows)], "css": "closing"},  # 总分 and the sign-off
    ]


def selfeval_html(tables: Sequence[SelfEvaluationTable]) -> str:
    prepared = []
    for table in tables:
        grid = layout(table)
        prepared.append({"title": grid.title, "year_line": grid.year_line, "widths": grid.widths,
                         "parts": _parts(grid)})
    return _environment().get_template(TEMPLATE).render(tables=prepared)


def write_selfeval_pdf(tables: Sequence[SelfEvaluationTable]) -> bytes:
    """The PDF's bytes: each table from a new page."""
    return html_to_pdf(selfeval_html(tables))


def save_selfeval_pdf(tables: Sequence[SelfEvaluationTable], target: str | Path | IO[bytes]) -> None:
    """:func:`write_selfeval_pdf` to a path or a binary stream (``services.tables.SELFEVAL_WRITERS``)."""
    save(write_selfeval_pdf(tables), target)
