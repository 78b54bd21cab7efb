"""Self-evaluation tables as a Word document (python-docx): one ruled table per table, merged as printed.

The title and year line are paragraphs above the table; the grid is
:func:`jixiao.io.office.selfeval_layout.layout`'s, its merged cells merged in Word (so a reader sees one
cell, and the rows below a vertically merged cell continue it). A4 landscape, 宋体, one table per page, the
indicator header repeated on each page.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import IO

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from jixiao.domain.selfeval_table import SelfEvaluationTable
from jixiao.io.office.docx_writer import _document, _fill
from jixiao.io.office.selfeval_layout import Layout, layout, save

TABLE_WIDTH_CM = 26.0  # A4 landscape less the margins


def _repeat_header(table: object, rows: range) -> None:
    for index in rows:
        properties = table.rows[index]._tr.get_or_add_trPr()  # type: ignore[attr-defined]
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        properties.append(header)


def _table(document: object, grid: Layout) -> None:
    table = document.add_table(rows=grid.rows, cols=grid.width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    # Each row's cells, taken once before any merge: python-docx's ``table.cell(r, c)`` walks every cell of the
    # table on each call (a form of 40 rows took two seconds); a merge keeps the elements of the other cells.
    cells = [[_Cell(tc, table) for tc in row._tr.tc_lst] for row in table.rows]
    for row in cells:
        for found, width in zip(row, grid.widths, strict=True):
            found.width = Cm(TABLE_WIDTH_CM * width / 100)
    for cell in grid.cells:
        target = cells[cell.row][cell.col]
        if cell.rows > 1 or cell.cols > 1:
            target = target.merge(cells[cell.row + cell.rows - 1][cell.col + cell.cols - 1])
        _fill(target, cell.text, bold=cell.style == "label")
        if cell.style in ("label", "number"):
            for paragraph in target.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _repeat_header(table, range(grid.header_row, grid.header_row + grid.header_rows))


def write_selfeval_docx(tables: Sequence[SelfEvaluationTable]) -> bytes:
    """The document's bytes: each table on its own page."""
    document = _document()
    for index, table in enumerate(tables):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        grid = layout(table)
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(grid.title)
        run.bold, run.font.size = True, Pt(16)
        year = document.add_paragraph()
        year.alignment = WD_ALIGN_PARAGRAPH.CENTER
        year.add_run(grid.year_line)
        _table(document, grid)
    stream = BytesIO()
    document.save(stream)
    return stream.getvalue()


def save_selfeval_docx(tables: Sequence[SelfEvaluationTable], target: str | Path | IO[bytes]) -> None:
    """:func:`write_selfeval_docx` to a path or a binary stream (``services.tables.SELFEVAL_WRITERS``)."""
    save(write_selfeval_docx(tables), target)
