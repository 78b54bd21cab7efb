"""A unit's target tables as a Word document (python-docx) in the published layout.

Ready to paste into a 部门预算 document: a title, a ruled header table (label/value pairs, 年度目标
across the width, one paragraph per paragraph of the goal) and the eleven-column indicator table,
one table per page, A4 landscape, 宋体 for Chinese text.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from jixiao.domain import TargetTable
from jixiao.io.office.layout import TITLE, column_labels, goal_pair, header_rows, indicator_cells

FONT = "宋体"


def _fill(cell: _Cell, text: str, bold: bool = False) -> None:
    """One paragraph per line of ``text`` (paragraphs of the 年度目标 stay paragraphs)."""
    lines = text.split("\n") if text else [""]
    cell.text = ""
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(9)


def _document() -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    style = document.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return document


def write_tables_docx(tables: Iterable[TargetTable], target: str | Path | IO[bytes]) -> int:
    document = _document()
    count = 0
    for table in tables:
        if count:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(TITLE)
        run.bold, run.font.size = True, Pt(16)
        rows = header_rows(table)
        header = document.add_table(rows=len(rows) + 1, cols=4)
        header.style = "Table Grid"
        header.alignment = WD_TABLE_ALIGNMENT.CENTER
        for index, (left, right) in enumerate(rows):
            cells = header.rows[index].cells
            _fill(cells[0], left[0], bold=True)
            _fill(cells[1], left[1])
            if right is not None:
                _fill(cells[2], right[0], bold=True)
                _fill(cells[3], right[1])
        goal_label, goal = goal_pair(table)
        last = header.rows[len(rows)].cells
        _fill(last[0], goal_label, bold=True)
        merged = last[1].merge(last[3])
        _fill(merged, goal)
        document.add_paragraph()
        indicators = document.add_table(rows=1 + len(table.indicators), cols=11)
        indicators.style = "Table Grid"
        for cell, label in zip(indicators.rows[0].cells, column_labels(), strict=True):
            _fill(cell, label, bold=True)
        for row, item in zip(indicators.rows[1:], table.indicators, strict=True):
            for cell, text in zip(row.cells, indicator_cells(item), strict=True):
                _fill(cell, text)
        count += 1
    document.save(str(target) if isinstance(target, Path) else target)
    return count
