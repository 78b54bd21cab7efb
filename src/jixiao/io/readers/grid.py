"""Tables laid out in cells — Excel sheets, Word tables, ruled PDF tables — read into the model.

Each office reader turns its file into :class:`GridRow`s (the texts of one row's cells and the name
of each cell, such as ``Sheet1!F12``); this module finds the tables in that stream by the same
:mod:`~jixiao.io.readers.vocabulary` as the text layout: a title cell ending in 绩效目标表, label cells (单位信息,
项目总额 …) with their value in the next cell, and an indicator header row (一级指标 二级指标 …)
followed by indicator rows. A table may continue over several grids (a PDF page break, a second
Word table). Values go through :class:`TableBuilder`, so money, weights and rows are read and
reported exactly as in every other layout; each diagnostic then names its cell.

A self-evaluation table (项目支出绩效自评表) is told by its own words — a title ending in 自评表, a
年度资金总额 row, an indicator header with 实际完成值 or 得分 — and its rows go to
:mod:`~jixiao.io.readers.selfeval_grid` instead (a target table begun just before, without an indicator
header, was its head and is handed over). A list of self-evaluation results (a 项目名称 column beside
执行率, 总分 …) is no table and is skipped with one note.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import msgspec

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.text import fold_width
from jixiao.io.readers import selfeval_words
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.selfeval_grid import Row, SelfEvalParser
from jixiao.io.readers.table_builder import TableBuilder
from jixiao.io.readers.vocabulary import BUILTIN, Vocabulary

PARAGRAPH_MARK = "\u3000\u3000"  # a Chinese paragraph indent: where a wrapped cell starts a new paragraph
_PENDING_ROWS = 200  # a table's head is a few rows: more is not handed over
_COLUMN_BY_NOTE = {"权重": "weight", "本年权重": "current_weight", "指标性质": "operator", "指标方向性": "direction"}


@dataclass(frozen=True, slots=True)
class GridRow:
    cells: tuple[str, ...]
    refs: tuple[str, ...]  # one name per cell, e.g. "Sheet1!A12"
    row: int  # the row number the user sees (sheet row, table row)
    text: bool = False  # a paragraph or line of text, not a row of a table
    columns: tuple[int, ...] = ()  # the grid column of each cell when merged cells were counted once (Word)
    covered: tuple[int, ...] = ()  # cells that continue a merge from the row above (their text is the one above)


def unwrap(text: str, paragraphs: bool = False) -> str:
    """Join a cell's visual lines. With ``paragraphs``, a line that starts with the two-space indent
    begins a new paragraph (kept as a newline) and the indent is dropped; other breaks are wraps."""
    lines = [line.strip("\r") for line in text.split("\n")]
    if not paragraphs:
        return "".join(line.strip() for line in lines).strip()
    out: list[str] = []
    for line in lines:
        if line.startswith(PARAGRAPH_MARK) or not out:
            out.append(line.removeprefix(PARAGRAPH_MARK).strip())
        else:
            out[-1] += line.strip()
    return "\n".join(part for part in out if part)


def _label(cell: str, vocabulary: Vocabulary) -> tuple[str | None, str | None]:
    """(field, value in the same cell) for a label cell such as "项目总额" or "项目总额：15.00万元"."""
    original = cell.strip()
    folded = fold_width(original)  # folding keeps lengths: offsets carry over to the original
    if folded.startswith("其中:"):  # "其中：财政资金：15.00 万元"
        original, folded = original[3:], folded[3:]
    head, colon, _rest = folded.partition(":")
    field = vocabulary.label_field(head.strip().removeprefix("其中"))
    if field is None:
        return None, None
    return field, (original[len(head) + 1:].strip() if colon else None)


def _is_title(cells: list[str], vocabulary: Vocabulary) -> bool:
    filled = [c for c in cells if c]
    return len(filled) == 1 and vocabulary.is_title(filled[0])


def is_header(cells: list[str], vocabulary: Vocabulary = BUILTIN) -> bool:
    """Whether a row of cells is an indicator header (five cells or more name columns)."""
    return sum(1 for c in cells if c and vocabulary.column_field(c)) >= 5


class _Reading:
    """One pass over the rows; each value gets its own line number so a diagnostic finds its cell."""

    def __init__(self, source: str, wrapped: bool, vocabulary: Vocabulary) -> None:
        self.source = source
        self.vocabulary = vocabulary
        self.wrapped = wrapped  # cells hold visual line wraps (PDF), not paragraph breaks (Excel, Word)
        self.builder: TableBuilder | None = None
        self.places: dict[int, tuple[GridRow, int | None]] = {}  # line -> (row, index of the value cell)
        self.text_field: str | None = None  # the field of the last 标签：值 paragraph, which may go on
        self.outside: list[GridRow] = []  # rows that belong to no table (reported, in one note)
        self.counter = 0
        self.pending: list[GridRow] = []  # the rows of a table begun without its indicator header yet

    def line(self, row: GridRow, index: int | None) -> int:
        self.counter += 1
        self.places[self.counter] = (row, index)
        return self.counter

    def start(self, row: GridRow) -> Iterator[ReadResult]:
        yield from self.finish()
        self.builder = TableBuilder(self.source, self.line(row, 0), self.vocabulary)
        self.pending = [row]

    def hand_over(self) -> list[GridRow] | None:
        """The rows of the table being read when it has no indicator header yet: they were the head of a
        self-evaluation table (its 项目名称, 主管部门 …), which takes them; ``None`` when there is none."""
        if self.builder is None or self.builder.columns is not None:
            return None
        rows, self.builder, self.pending = self.pending, None, []
        return rows

    def finish(self) -> Iterator[ReadResult]:
        if self.builder is not None and not self.builder.is_empty():
            yield self._located(self.builder, self.builder.finish())
        self.builder = None

    def _located(self, builder: TableBuilder, result: ReadResult) -> ReadResult:
        """Diagnostics name the sheet and cell; the table's source line is the row the user sees."""
        moved = tuple(self._cell(builder, d) for d in result.diagnostics)
        table = result.table
        if table is not None and table.source is not None and table.source.line in self.places:
            rows = {field: self.places[line][0].row for field, line in table.field_lines.items()
                    if line in self.places}
            table = msgspec.structs.replace(table, source=msgspec.structs.replace(
                table.source, line=self.places[table.source.line][0].row), field_lines=rows)
        return ReadResult(table, moved)

    def _cell(self, builder: TableBuilder, diagnostic: Diagnostic) -> Diagnostic:
        if diagnostic.line not in self.places:
            return diagnostic
        row, index = self.places[diagnostic.line]
        field = _COLUMN_BY_NOTE.get(diagnostic.column or "")
        if field and builder.columns and field in builder.columns:
            index = builder.columns.index(field)
        ref = row.refs[index] if index is not None and index < len(row.refs) else row.refs[0] if row.refs else None
        return msgspec.structs.replace(diagnostic, line=row.row, cell=ref)

    def feed(self, row: GridRow) -> Iterator[ReadResult]:
        before = self.builder
        yield from self._feed(row)
        if self.builder is not None and self.builder is before and self.builder.columns is None \
                and len(self.pending) < _PENDING_ROWS:
            self.pending.append(row)

    def _feed(self, row: GridRow) -> Iterator[ReadResult]:
        raw = row.cells
        cells = [unwrap(c) if self.wrapped else c.strip() for c in raw]  # what labels and headers are told by
        if not any(cells):
            return
        if _is_title(cells, self.vocabulary):
            yield from self.start(row)
            return
        if is_header(cells, self.vocabulary):
            if self.builder is None or (self.builder.columns is not None and self.builder.indicators
                                        and not self._repeats_header(cells)):
                yield from self.start(row)
            if self.builder is not None and self.builder.columns is None:
                self.builder.set_columns(cells, self.line(row, 0))
            return  # a header repeated at the top of a continued page is skipped
        pairs = self._pairs(cells)
        filled = [c for c in cells if c]
        if not pairs and len(filled) == 1 and self.text_field and self.builder is not None \
                and self.builder.columns is None:
            self._continue(filled[0])  # a 标签：值 paragraph that wrapped onto the next line
            return
        self.text_field = pairs[-1][0] if pairs and len(filled) == 1 else None
        if pairs:
            for field, value, index in pairs:
                if self.builder is None or self.builder.columns is not None or self.builder.has(field):
                    yield from self.start(row)
                assert self.builder is not None
                if field == "annual_goal" and value and index < len(raw) and cells[index] == value:
                    value = self._text(raw[index], paragraphs=True)  # keep the goal's paragraphs
                else:
                    value = self._text(value)
                self.builder.set(field, value, self.line(row, index))
            return
        if self.builder is not None and self.builder.columns is not None and row.text:
            yield from self.finish()  # prose after the indicator table ends the table
        if self.builder is None:  # outside any table: a document's prose, a note, a page heading
            self.outside.append(row)
            return
        if self.builder.columns is None:
            self.builder.note_stray(self.line(row, 0), "｜".join(c for c in cells if c))
            return
        self.builder.add_row(cells if self.wrapped else [self._text(c) for c in raw], self.line(row, 0),
                             "｜".join(cells))

    def _continue(self, text: str) -> None:
        assert self.builder is not None and self.text_field is not None
        if self.wrapped:  # a visual wrap: the line goes on
            field = self.text_field
            self.builder.values[field] = self.builder.values.get(field, "") + text
        else:  # a further paragraph (Word)
            self.builder.extend(self.text_field, text)

    def _text(self, value: str, paragraphs: bool = False) -> str:
        if self.wrapped:
            return unwrap(value, paragraphs)
        return value.strip() if paragraphs else "".join(part.strip() for part in value.split("\n"))


    def _repeats_header(self, cells: list[str]) -> bool:
        assert self.builder is not None
        named = [self.vocabulary.column_field(c) for c in cells if c]
        return named == [c for c in self.builder.columns or [] if c[0] != "?"]

    def _pairs(self, cells: list[str]) -> list[tuple[str, str, int]]:
        """(field, value, index of the value cell) for each label in the row."""
        found = []
        index = 0
        while index < len(cells):
            field, inline = _label(cells[index], self.vocabulary) if cells[index] else (None, None)
            if field is None:
                index += 1
                continue
            if inline is not None:
                found.append((field, inline, index))
                index += 1
                continue
            value_at = index + 1
            while value_at < len(cells) and not cells[value_at] and value_at < index + 6:
                value_at += 1  # a merged value cell reads as blanks after its first
            if value_at < len(cells) and cells[value_at] and _label(cells[value_at], self.vocabulary)[0] is None:
                found.append((field, cells[value_at], value_at))
                index = value_at + 1
            else:
                found.append((field, "", index))
                index += 1
        return found


def read_rows(rows: Iterable[GridRow], source: str, wrapped: bool = False,
              vocabulary: Vocabulary = BUILTIN) -> Iterator[ReadResult]:
    """The tables in ``rows``; ``wrapped``: line breaks in cells are where text wrapped (PDF)."""
    reading = _Reading(source, wrapped, vocabulary)
    selfeval: SelfEvalParser | None = None
    listed: list[GridRow] = []  # rows of a list of results (skipped, in one note)
    listing = False
    for row in rows:
        cells = [unwrap(c) if wrapped else c.strip() for c in row.cells] if _may_be_selfeval(row) else None
        if cells is not None and selfeval_words.is_list_header(cells):
            if selfeval is not None:
                yield selfeval.build()
                selfeval = None
            yield from reading.finish()
            listing = True
        if listing:
            ended = (cells is not None and starts_selfeval(cells, vocabulary, title_only=True) is not None) \
                or _is_title([c.strip() for c in row.cells], vocabulary)  # the next table's title ends the list
            if not ended:
                listed.append(row)
                continue
            listing = False
        if selfeval is not None:
            if _continues(selfeval, row, cells, vocabulary):
                selfeval.feed(selfeval_row(row, wrapped))
                continue
            yield selfeval.build()
            selfeval = None
        start = starts_selfeval(cells, vocabulary) if cells is not None else None
        if start is not None:
            head = reading.hand_over() if start == "body" else None
            if head is None:
                yield from reading.finish()
                head = []
            selfeval = SelfEvalParser(source, wrapped)
            for earlier in (*head, row):
                selfeval.feed(selfeval_row(earlier, wrapped))
            continue
        yield from reading.feed(row)
    if selfeval is not None:
        yield selfeval.build()
    yield from reading.finish()
    if listed:
        first = listed[0]
        where = first.refs[0] if first.refs else None
        yield ReadResult(None, (Diagnostic(
            "selfeval-list-skipped", Severity.INFO,
            f"有 {len(listed)} 行是自评结果的汇总或计分说明（不是自评表），未读入（第一行：{where or first.row}）",
            source, first.row, cell=where),))
    if reading.outside:
        first = reading.outside[0]
        sample = "｜".join(c for c in first.cells if c)[:30]
        where = first.refs[0] if first.refs else None
        yield ReadResult(None, (Diagnostic(
            "outside-tables", Severity.INFO,
            f"有 {len(reading.outside)} 行内容不属于任何绩效目标表或绩效自评表，未读入"
            f"（第一处：{where or ''}“{sample}”）",
            source, first.row, cell=where),))


# Words one of which every row that starts or belongs to a self-evaluation table's structure holds: a cheap
# test before the vocabulary's, so a target table's rows cost a few substring searches more.
_QUICK_WORDS = ("自评", "资金总额", "实际", "得分", "自评分", "复核", "完成值", "年初预算", "全年预算", "全年执行",
                "执行率", "总分", "合计", "项目名称", "项目编码", "评价标准", "评分")


def _may_be_selfeval(row: GridRow) -> bool:
    joined = "|".join(row.cells)
    return any(word in joined for word in _QUICK_WORDS)


def starts_selfeval(cells: list[str], vocabulary: Vocabulary, title_only: bool = False) -> str | None:
    """``title`` (a 自评表 title), ``body`` (a 年度资金总额 row, a self-evaluation indicator or funding header)."""
    filled = [c for c in cells if c]
    if not filled:
        return None
    if len(filled) <= 3 and selfeval_words.is_title(filled[0]) and not vocabulary.is_title(filled[0]):
        return "title"
    if title_only:
        return None
    if selfeval_words.is_list_header(cells):
        return None
    if selfeval_words.is_indicator_header(cells) or selfeval_words.is_funding_header(cells):
        return "body"
    if any(selfeval_words.funding_label(c) is not None and selfeval_words.funding_label(c)[1] == "total"  # type: ignore[index]
           for c in filled[:3]):
        return "body"
    return None


def _continues(parser: SelfEvalParser, row: GridRow, cells: list[str] | None, vocabulary: Vocabulary) -> bool:
    """Whether ``row`` still belongs to the self-evaluation table being read (not another table's start)."""
    plain = [c.strip() for c in row.cells] if cells is None else cells
    if _is_title(plain, vocabulary):
        return False
    if cells is None:
        return True
    started = parser.ind_cols is not None or parser.budget is not None or bool(parser.funding_rows)
    if starts_selfeval(cells, vocabulary) == "title" and (started or parser.values):
        return False
    first = next((c for c in cells if c), "")
    return not (parser.ind_cols is not None and selfeval_words.label_field(first) in ("project", "project_code")
                and parser.indicators)


def selfeval_row(row: GridRow, wrapped: bool) -> Row:
    """``row`` as the self-evaluation parser takes it: texts by grid column, merged continuations blank."""
    raw = list(row.cells)
    refs = list(row.refs)
    if row.covered:
        for index in row.covered:
            if index < len(raw):
                raw[index] = ""
    if row.columns:
        width = max(row.columns) + 1
        placed, placed_refs = [""] * width, [""] * width
        for text, column, ref in zip(raw, row.columns, refs, strict=False):
            placed[column], placed_refs[column] = text, ref
        last = refs[0] if refs else ""
        for index, ref in enumerate(placed_refs):
            last = placed_refs[index] = ref or last
        raw, refs = placed, placed_refs
    texts = [unwrap(c) if wrapped else c.strip() for c in raw]
    return Row(texts, raw, refs, row.row)
