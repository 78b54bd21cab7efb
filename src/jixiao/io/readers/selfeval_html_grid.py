"""Reading self-evaluation tables published as an HTML page — first of all jixiao's own 自评表 page
(``jixiao score -f html``), told by its markup (``<meta name="generator" content="jixiao">`` and the form's
title), and any page whose ruled tables hold a 自评表.

The page is parsed with the standard library's :class:`html.parser.HTMLParser`, fed line by line, so memory
stays flat; each table row becomes a :class:`~jixiao.io.readers.grid.GridRow` by grid column (``rowspan`` and
``colspan`` leave blanks where a merged cell goes on), and headings and paragraphs outside tables become text
rows; :func:`~jixiao.io.readers.grid.read_rows` then reads them like the rows of a spreadsheet. On jixiao's page
only the forms are read (not the summary, the legend or the notes), and a score's working printed under it
(``<span class="how">``) is left out. Sizes are bounded by :mod:`jixiao.io.limits` (characters, rows, columns).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

from jixiao.io.limits import Deadline, Limits, TooBig, refuse
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.grid import GridRow, read_rows
from jixiao.io.readers.vocabulary import Vocabulary

_SKIPPED_CLASSES = frozenset({"how", "legend", "warnings", "config", "sign"})  # jixiao's notes around a form
_SKIPPED_TAGS = frozenset({"style", "script", "title", "head", "footer", "template"})
_TEXT_TAGS = frozenset({"h1", "h2", "h3", "h4", "p", "caption"})
_SPACE_RE = re.compile(r"[ \t\r\n\f\v]+")
_BREAK = "\x00"  # a <br> inside a cell, told from the source's own line breaks
MAX_SPAN = 1000  # rowspan / colspan beyond this are taken as this


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_SPAN, int(value or "1")))
    except ValueError:
        return 1


class _GridParser(HTMLParser):
    """Tables to grid rows (by column, merged continuations blank); headings and paragraphs to text rows."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.rows: list[GridRow] = []
        self.jixiao = False
        self.forms = 0  # depth inside jixiao's <article class="form-page">
        self.skip = 0  # depth inside skipped elements
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, form article)
        self.tables = 0
        self.table_depth = 0
        self.row_number = 0
        self.carry: dict[int, int] = {}  # column -> rows (this one on) still covered by a cell merged down
        self.next_carry: dict[int, int] = {}  # the same for cells that start in this row
        self.cells: list[str] | None = None
        self.cell: list[str] | None = None
        self.cell_goal = False
        self.cell_span = 1
        self.cell_rows = 1
        self.text: list[str] | None = None
        self.characters = 0
        self.count = 0
        self.grid_cells = 0  # cells of every row, blanks of merged cells included
        self.deadline = Deadline(limits)

    # -- structure ---------------------------------------------------------------------------------
    def _reading(self) -> bool:
        return self.skip == 0 and (not self.jixiao or self.forms > 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        if tag == "meta" and values.get("name") == "generator" and values.get("content") == "jixiao":
            self.jixiao = True
        if tag in ("br", "meta", "link", "img", "hr", "input", "col"):  # void elements: never closed
            if tag == "br":
                self._add(_BREAK)
            return
        skipped = tag in _SKIPPED_TAGS or bool(classes & _SKIPPED_CLASSES)
        form = tag == "article" and "form-page" in classes
        self.stack.append((tag, skipped, form))
        self.skip += skipped
        self.forms += form
        if not self._reading():
            return
        if tag == "table":
            self.table_depth += 1
            if self.table_depth == 1:
                self.tables += 1
                self.row_number = 0
                self.carry, self.next_carry = {}, {}
        elif tag == "tr" and self.table_depth == 1:
            self._end_row()
            self.cells = []
            self.row_number += 1
        elif tag in ("td", "th") and self.cells is not None and self.table_depth == 1:
            self._end_cell()
            self.cell = []
            self.cell_goal = "goal" in classes
            self.cell_span, self.cell_rows = _span(values.get("colspan")), _span(values.get("rowspan"))
        elif tag in _TEXT_TAGS and self.table_depth == 0 and self.text is None:
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "meta", "link", "img", "hr", "input", "col"):
            return
        while self.stack:
            opened, skipped, form = self.stack.pop()
            reading = self._reading()
            self.skip -= skipped
            self.forms -= form
            if reading:
                self._close(opened)
            if opened == tag:
                break

    def _close(self, tag: str) -> None:
        if tag in ("td", "th") and self.table_depth == 1:
            self._end_cell()
        elif tag == "tr" and self.table_depth == 1:
            self._end_row()
        elif tag == "table" and self.table_depth:
            if self.table_depth == 1:
                self._end_row()
            self.table_depth -= 1
        elif tag in _TEXT_TAGS and self.text is not None and self.table_depth == 0:
            text = _SPACE_RE.sub(" ", "".join(self.text)).strip()
            self.text = None
            if text:
                self._emit(GridRow((text,), (f"第{self.getpos()[0]}行“{text[:10]}”",), self.getpos()[0], text=True))

    def handle_data(self, data: str) -> None:
        if self._reading():
            self._add(data.replace(_BREAK, ""))

    def _add(self, data: str) -> None:
        self.characters += len(data)
        if self.characters > self.limits.max_characters:
            raise TooBig(f"网页的文字超过上限 {self.limits.max_characters:,} 个字符，已停止读取")
        if self.cell is not None:
            self.cell.append(data)
        elif self.text is not None:
            self.text.append(data)

    # -- cells and rows -------------------------------------------------------------------------------
    def _end_cell(self) -> None:
        if self.cell is None or self.cells is None:
            return
        raw = "".join(self.cell)
        if self.cell_goal:  # paragraphs kept (the page shows them with white-space: pre-line)
            raw = raw.replace(_BREAK, "\n")
            text = "\n".join(_SPACE_RE.sub(" ", line).strip() for line in raw.strip().split("\n"))
        else:  # the source's line breaks are layout; a <br> is a line of its own
            text = "\n".join(_SPACE_RE.sub(" ", part).strip() for part in raw.split(_BREAK)).strip()
        self.cell = None
        column = self._free(len(self.cells))
        while len(self.cells) < column:
            self.cells.append("")
        self.cells.append(text)
        self.cells.extend([""] * (self.cell_span - 1))
        if len(self.cells) > self.limits.max_columns:
            raise TooBig(f"网页表格一行有 {len(self.cells):,} 列以上，超过上限 {self.limits.max_columns:,} 列，"
                         "已停止读取")
        if self.cell_rows > 1:
            for offset in range(self.cell_span):
                self.next_carry[column + offset] = self.cell_rows - 1

    def _free(self, column: int) -> int:
        """The first column from ``column`` on that no cell merged down from above still covers."""
        while self.carry.get(column, 0) > 0:
            column += 1
        return column

    def _end_row(self) -> None:
        self._end_cell()
        if self.cells is None:
            return
        cells = self.cells
        self.cells = None
        width = max([len(cells), *(c + 1 for c in self.carry)])  # covered columns stay blank, as in a sheet
        cells.extend([""] * (width - len(cells)))
        carry = {c: left - 1 for c, left in self.carry.items() if left > 1}
        carry.update(self.next_carry)
        if len(carry) > self.limits.max_columns:
            raise TooBig(f"网页表格的合并单元格超过上限 {self.limits.max_columns:,} 列，已停止读取")
        self.carry, self.next_carry = carry, {}
        line = self.getpos()[0]
        refs = tuple(f"表{self.tables} 第{self.row_number}行第{column}列" for column in range(1, len(cells) + 1))
        self._emit(GridRow(tuple(cells), refs, line))

    def _emit(self, row: GridRow) -> None:
        self.count += 1
        self.grid_cells += len(row.cells)
        if self.count % 1000 == 0:
            self.deadline.check()
        if self.grid_cells > self.limits.max_cells:
            raise TooBig(f"网页表格共有 {self.grid_cells:,} 个以上单元格（含合并单元格），超过上限 "
                         f"{self.limits.max_cells:,} 个，已停止读取")
        if self.count > self.limits.max_rows:
            raise TooBig(f"网页有 {self.count:,} 行以上表格内容，超过上限 {self.limits.max_rows:,} 行，已停止读取")
        self.rows.append(row)


def read_html(lines: Iterable[Line], source: str, limits: Limits, vocabulary: Vocabulary) -> Iterator[ReadResult]:
    """What :class:`~jixiao.io.readers.selfeval_html.SelfEvalHtmlReader` reads."""
    parser = _GridParser(limits)
    refused: list[str] = []

    def rows() -> Iterator[GridRow]:
        try:
            for _number, line in lines:
                parser.feed(line)
                if parser.rows:
                    yield from parser.rows
                    parser.rows.clear()
            parser.close()
            yield from parser.rows
        except TooBig as error:
            refused.append(str(error))

    found = False
    for result in read_rows(rows(), source, vocabulary=vocabulary):
        found = found or result.table is not None
        yield result
    if refused:
        yield ReadResult(None, (refuse(source, refused[0]),))
    elif not found:
        yield ReadResult(None, (refuse(source, "网页中没有找到绩效自评表（应有“项目支出绩效自评表”标题或"
                                               "“年度资金总额”“实际完成值”“得分”等内容）", "no-table"),))
