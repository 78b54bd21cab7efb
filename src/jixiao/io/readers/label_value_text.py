"""Reader for text in ``标签：值`` lines with a tab-separated indicator table (the published 重庆 layout).

One file holds many tables. Each starts with a title (绩效目标表), then ``标签：值``
header lines (values may wrap onto following lines), then a tab- or space-separated
indicator table under a header row (一级指标 二级指标 三级指标 …). Which words are labels,
titles and headings is the reader's :class:`~jixiao.io.readers.vocabulary.Vocabulary`.

The loop below runs once per line of files with 100,000s of tables, so each line is
classified with cheap substring tests on its first characters; width folding is
applied to short prefixes only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import accumulate, count, islice, pairwise, repeat
from operator import add, itemgetter
from typing import Literal

from jixiao.domain import Diagnostic, Severity, parse_direction, parse_operator
from jixiao.domain.labels import COLUMN_LABELS, INDICATOR_FIELDS
from jixiao.domain.text import fold_width, strip_invisible
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.standard_table import build_standard
from jixiao.io.readers.table_builder import TableBuilder
from jixiao.io.readers.vocabulary import BUILTIN, Vocabulary

_LABEL_SPAN = 28  # a label and its colon sit within the first characters of a line
_SPACE_SPLIT_RE = re.compile(r"[ \u3000]{2,}")
_ANY_SPACE_RE = re.compile(r"[ \u3000]+")


def _match_label(text: str, vocabulary: Vocabulary) -> tuple[str, int] | None:
    """(field, offset of the value) when ``text`` is a ``标签：值`` line, else ``None``."""
    colon = text.find("：", 0, _LABEL_SPAN)
    if colon > 0:
        label = text[:colon]
        labels = vocabulary.labels
        field = labels.get(label)  # the common case: a plain label, full-width colon
        if field is not None:
            return field, colon + 1
        if label == "其中":  # 其中：财政资金：15.00 万元
            second = text.find("：", colon + 1, _LABEL_SPAN)
            field = labels.get(text[colon + 1:second]) if second > 0 else None
            if field is not None:
                return field, second + 1
    elif ":" not in text[:_LABEL_SPAN]:
        return None  # no colon at all: prose, a row or a wrapped value
    head = fold_width(text[:_LABEL_SPAN])
    colon = head.find(":")
    if colon <= 0:
        return None
    label, offset = head[:colon], colon + 1
    if label.strip() == "其中":  # 其中：财政资金：15.00 万元
        second = head.find(":", offset)
        if second < 0:
            return None
        label, offset = head[offset:second], second + 1
    field = vocabulary.label_field(label)
    return (field, offset) if field else None


def _is_title(text: str, titles: tuple[str, ...]) -> bool:
    return (len(text) <= 40 and text.endswith(titles)
            and ":" not in text and "：" not in text)


def split_cells(text: str) -> list[str]:
    """Split a row on tabs (blank cells kept), or on runs of spaces when the export used spaces."""
    if "\t" in text:
        cells = text.split("\t")
        if " " in text or "\u3000" in text or "\xa0" in text:
            cells = [cell.strip() for cell in cells]
        return cells
    text = text.strip()
    cells = _SPACE_SPLIT_RE.split(text)
    return cells if len(cells) > 1 else _ANY_SPACE_RE.split(text)


def _looks_like_row(text: str) -> bool:
    """An indicator row outside an indicator table (before its header, or with none)."""
    if text.count("\t") >= 4:
        return True
    cells = _SPACE_SPLIT_RE.split(text)
    return len(cells) >= 5 and any(
        parse_direction(cell) is not None or parse_operator(cell) is not None for cell in cells)


class LabelValueTextReader:
    """Text of ``标签：值`` header lines and a tab- or space-separated indicator table."""

    name = "label-text"
    title = "标签文本版式（重庆长寿区公开样式：标签：值 + 制表符指标表）"
    kind: Literal["text"] = "text"
    magic: tuple[bytes, ...] = ()
    SIGNATURE = ("单位信息", "预算项目", "项目总额", "年度目标")  # the labels its files start with

    def __init__(self, vocabulary: Vocabulary = BUILTIN) -> None:
        self.vocabulary = vocabulary

    def with_vocabulary(self, vocabulary: Vocabulary) -> LabelValueTextReader:
        """This reader reading with ``vocabulary`` (a region's words; see :mod:`~jixiao.io.readers.vocabulary`)."""
        return self if vocabulary is self.vocabulary else LabelValueTextReader(vocabulary)

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        if head is None:
            return 0.0
        folded = fold_width(head)
        hits = sum(label + ":" in folded for label in self.SIGNATURE)
        header = 1 if ("一级指标" in folded and "指标方向性" in folded) else 0
        return min(1.0, (hits + header) / 4)

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        # The lines are taken many at a time and joined (no Python code runs per line). The text is cut
        # at the titles; a table in the published shape is read at once (_standard_table); anything
        # else goes line by line through _Walk, which holds the whole grammar. Both give the same
        # tables and diagnostics, so the fast way is only a shortcut.
        walk = _Walk(source, self.vocabulary)
        if self.vocabulary is not BUILTIN:  # the shortcut knows the built-in words only
            yield from _walk_lines(lines, walk)
            yield from walk.end()
            return
        items = iter(lines)
        cutter = _Cutter(walk)
        while chunk := list(islice(items, _CHUNK_LINES)):
            text = "".join(map(_RAW, chunk))
            first = chunk[0][0]
            # Numbered one after another, one "\n" ending each line: as read_stream gives them.
            if (chunk[-1][0] - first == len(chunk) - 1 and text.count("\n") == len(chunk) and text.endswith("\n")
                    and (not cutter.pending or first == cutter.next_line) and _plain(text)):
                yield from cutter.feed(text, first)
            else:  # numbered oddly, a line without its end, odd characters: line by line
                yield from cutter.flush()
                yield from _walk_lines(chunk, walk)
        yield from cutter.end()

    def read_text_blocks(self, blocks: Iterable[str], source: str) -> Iterator[ReadResult]:
        """:meth:`read` of the text cut anywhere into ``blocks`` (lines numbered from 1; no tuple per line)."""
        walk = _Walk(source, self.vocabulary)
        if self.vocabulary is not BUILTIN:
            yield from _walk_lines(enumerate(_split_lines(blocks), start=1), walk)
            yield from walk.end()
            return
        cutter = _Cutter(walk)
        yield from _cut_blocks(blocks, 1, cutter)
        yield from cutter.end()


class TextPiece:
    """One piece of a text cut at a title line, read on its own (a large file read on several cores).

    Reading the pieces one after another gives the tables and diagnostics of reading the whole text,
    except for the file-level news the whole text ends with (text outside every table, no table at all):
    a piece keeps it (``stray``, ``stray_notes``, ``tables_seen``) and :func:`outside_result` gives it
    once, for all the pieces, after the last. Only the built-in words (the reader's fast path).
    """

    def __init__(self, source: str) -> None:
        self.walk = _Walk(source)

    def read(self, text: str, first: int, block: int = 1 << 18) -> Iterator[ReadResult]:
        """The tables of ``text`` (whole lines, the first numbered ``first``), in blocks as a file is read."""
        cutter = _Cutter(self.walk)
        yield from _cut_blocks((text[at:at + block] for at in range(0, len(text), block)), first, cutter)
        if cutter.pending:
            pending, cutter.pending = cutter.pending, ""
            yield from _read_table(pending, cutter.pending_at, self.walk)
        done = self.walk.finish()
        if done is not None:
            yield done

    def state(self) -> tuple[list[Line], list[Diagnostic], int]:
        """What :func:`outside_result` needs of this piece (plain data: it crosses processes)."""
        walk = self.walk
        return walk.stray, walk.stray_notes, walk.tables_seen


def outside_result(source: str, states: Iterable[tuple[list[Line], list[Diagnostic], int]]) -> ReadResult | None:
    """The file-level news of a text read in pieces (:class:`TextPiece`), as ``_Walk.end`` gives it whole."""
    stray: list[Line] = []
    notes: list[Diagnostic] = []
    tables_seen = 0
    for piece_stray, piece_notes, piece_tables in states:
        stray += piece_stray
        notes += piece_notes
        tables_seen += piece_tables
    if stray or notes or tables_seen == 0:
        return ReadResult(None, (*notes, *_outside_diagnostics(source, stray, tables_seen)))
    return None


def first_title(text: str) -> int | None:
    """The offset of the first title line in ``text`` (whole lines), where a file may be cut in pieces."""
    starts = _title_starts(text)
    return starts[0] if starts else None


def _cut_blocks(blocks: Iterable[str], number: int, cutter: _Cutter) -> Iterator[ReadResult]:
    """Feed text cut anywhere into ``blocks`` (its first line numbered ``number``) to ``cutter``."""
    walk, rest = cutter.walk, ""
    for block in blocks:
        if rest:
            block = rest + block
        cut = block.rfind("\n") + 1
        text, rest = block[:cut], block[cut:]
        if not text:
            continue
        if _plain(text):
            yield from cutter.feed(text, number)
            if cutter.pending:  # the text ends with the pending table: no need to count all its lines
                number = cutter.next_line
                continue
        else:
            yield from cutter.flush()
            yield from _walk_text(text, number, walk)
        number += text.count("\n")
    if rest:  # the last line has no end
        yield from cutter.flush()
        yield from _walk_lines(((number, rest),), walk)


def _plain(text: str) -> bool:
    """No character that _Walk treats specially (undecodable, BOM, zero-width, carriage return)."""
    return "\ufffd" not in text and "\ufeff" not in text and "\u200b" not in text and "\r" not in text


def _split_lines(blocks: Iterable[str]) -> Iterator[str]:
    """The lines of text cut anywhere into blocks, each with its "\\n" (the last may lack it)."""
    rest = ""
    for block in blocks:
        lines = (rest + block).split("\n")
        rest = lines.pop()
        for line in lines:
            yield line + "\n"
    if rest:
        yield rest


def _walk_lines(lines: Iterable[Line], walk: _Walk) -> Iterator[ReadResult]:
    for number, raw in lines:
        done = walk.line(number, raw)
        if done is not None:
            yield done


class _Cutter:
    """Cuts plain text (whole lines) at the titles and reads each title's lines as one block.

    ``pending`` is the text from the last title on: its table may go on in the next text.
    """

    def __init__(self, walk: _Walk) -> None:
        self.walk = walk
        self.pending, self.pending_at = "", 0

    @property
    def next_line(self) -> int:
        return self.pending_at + self.pending.count("\n")

    def feed(self, text: str, first: int) -> Iterator[ReadResult]:
        """Take ``text`` (whole lines, the first numbered ``first``, following the pending text)."""
        walk = self.walk
        if self.pending:
            text, first = self.pending + text, self.pending_at
            self.pending = ""
        starts = _title_starts(text)
        if not starts:
            yield from _walk_text(text, first, walk)
            return
        if starts[0] > 0:
            yield from _walk_text(text[: starts[0]], first, walk)
        line = first + text.count("\n", 0, starts[0])
        for begin, stop in pairwise(starts):  # (_read_table, without a generator per table)
            block = text[begin:stop]
            done = _standard_table(block, line, walk)
            if done is None:
                yield from _walk_text(block, line, walk)
            else:
                yield from done
            line += block.count("\n")
        pending = text[starts[-1]:]
        if pending.count("\n") > _CHUNK_LINES:  # no table is this long: tables without titles follow
            yield from _walk_text(pending, line, walk)  # (memory stays flat)
        else:
            self.pending, self.pending_at = pending, line

    def flush(self) -> Iterator[ReadResult]:
        """Walk the pending text line by line (what follows is not plain)."""
        if self.pending:
            pending, self.pending = self.pending, ""
            yield from _walk_text(pending, self.pending_at, self.walk)

    def end(self) -> Iterator[ReadResult]:
        if self.pending:
            pending, self.pending = self.pending, ""
            yield from _read_table(pending, self.pending_at, self.walk)
        yield from self.walk.end()


_CHUNK_LINES = 4096
_RAW = itemgetter(1)
_TITLE_END_RE = re.compile(r"绩效目标表[^\S\n]*\n")  # where a title line may end; _is_title decides


def _title_starts(text: str) -> list[int]:
    """Offsets of the title lines in ``text`` (whole lines)."""
    starts = []
    for match in _TITLE_END_RE.finditer(text):
        begin = text.rfind("\n", 0, match.start()) + 1
        if _is_title(text[begin:match.end()].strip(), BUILTIN.titles):
            starts.append(begin)
    return starts


def _walk_text(text: str, first: int, walk: _Walk) -> Iterator[ReadResult]:
    """Feed whole lines of ``text`` (each ending in "\\n", the first numbered ``first``) to ``walk``."""
    for number, raw in enumerate(text.split("\n")[:-1], start=first):
        done = walk.line(number, raw + "\n")
        if done is not None:
            yield done


class _Walk:
    """The reader's state between lines: the table being built and what lies outside tables."""

    def __init__(self, source: str, vocabulary: Vocabulary = BUILTIN) -> None:
        self.source = source
        self.vocabulary = vocabulary
        self.titles = vocabulary.titles
        self.first_word, *self.other_words = vocabulary.header_words
        self.builder: TableBuilder | None = None
        self.in_indicators = False
        self.last_field: str | None = None
        self.stray: list[Line] = []
        self.stray_notes: list[Diagnostic] = []
        self.tables_seen = 0

    def finish(self) -> ReadResult | None:
        """Close the table being built (a title or the end of the file follows)."""
        builder, self.builder = self.builder, None
        if builder is None:
            return None
        self.tables_seen += builder.counts_as_table()
        return builder.finish()

    def line(self, number: int, raw: str) -> ReadResult | None:
        """Take one line; return the table it completes, if any."""
        text = raw.strip()
        if not text:
            return None
        source, builder = self.source, self.builder
        if "\ufffd" in text or "\ufeff" in text or "\u200b" in text:
            text = strip_invisible(text).strip()
            if "\ufffd" in text:
                note = _undecodable(source, number)
                (builder.diagnostics.append(note) if builder else self.stray_notes.append(note))
        if len(text) <= 40 and text.endswith(self.titles) and _is_title(text, self.titles):
            done = self.finish()
            self.builder = TableBuilder(source, number, self.vocabulary)
            self.in_indicators, self.last_field = False, None
            return done
        if self.in_indicators is False or "\t" not in text:
            label = _match_label(text, self.vocabulary)
            if label is not None:
                field, offset = label
                done = None
                if builder is None or builder.has(field):
                    done = self.finish()
                    builder = self.builder = TableBuilder(source, number, self.vocabulary)
                builder.set(field, text[offset:], number)
                self.in_indicators, self.last_field = False, field
                return done
        if self.first_word in text and all(word in text for word in self.other_words):
            if builder is None:
                builder = self.builder = TableBuilder(source, number, self.vocabulary)
            builder.set_columns(split_cells(text), number)
            self.in_indicators, self.last_field = True, None
            return None
        if builder is None:
            self.stray.append((number, text))
        elif self.in_indicators or _looks_like_row(text):
            # Tab rows are split before stripping, so a blank first or last cell survives.
            row = raw.rstrip("\r\n") if "\t" in raw else text
            if row is not text and ("\ufeff" in row or "\u200b" in row):
                row = strip_invisible(row)
            builder.add_row(split_cells(row), number, text)  # reports a row before the header
            self.last_field = None
        elif self.last_field is not None:
            builder.extend(self.last_field, text)
        else:
            builder.note_stray(number, text)
        return None

    def end(self) -> Iterator[ReadResult]:
        done = self.finish()
        if done is not None:
            yield done
        if self.stray or self.stray_notes or self.tables_seen == 0:
            notes = (*self.stray_notes, *_outside_diagnostics(self.source, self.stray, self.tables_seen,
                                                                  self.vocabulary))
            yield ReadResult(None, notes)


# The published shape (writers/published_text.format_table): the title, the header fields in this
# order each on a "标签：值" line (a value may wrap onto more lines), then the indicator header row.
_BLOCK_FIELDS: tuple[tuple[str, str], ...] = (
    ("单位信息", "unit"), ("预算项目", "project"), ("职能职责与活动", "function"), ("主管部门", "department"),
    ("项目经办人", "contact_person"), ("项目总额", "total_wan"), ("预算执行率权重", "execution_weight"),
    ("项目经办人电话", "contact_phone"), ("其中：财政资金", "fiscal"), ("年度目标", "annual_goal"),
    ("财政专户管理资金", "special_account"), ("单位资金", "unit_own"), ("社会投入资金", "social"),
    ("银行贷款", "bank_loan"),
)
_STANDARD_HEADER = "\t".join(COLUMN_LABELS[field] for field in INDICATOR_FIELDS)
_BLOCK_RE = re.compile(
    "[^\n]*+\n(\\s*+)"  # the title, blank lines (possessive: nothing to give back, so nothing to try)
    + "".join(f"{re.escape(label)}：([^\n]*+)\n((?:[^\n]*+\n)*?)" for label, _ in _BLOCK_FIELDS)
    + "(" + re.escape(_STANDARD_HEADER) + "|" + re.escape(_STANDARD_HEADER.replace("本年权重", "本权重")) + ")\n"
)


def _read_table(block: str, first: int, walk: _Walk) -> Iterator[ReadResult]:
    """Read the lines of one title (``block``, whole lines, the title numbered ``first``)."""
    done = _standard_table(block, first, walk)
    if done is None:
        yield from _walk_text(block, first, walk)
    else:
        yield from done


def _standard_table(block: str, first: int, walk: _Walk) -> tuple[ReadResult, ...] | None:
    """Read a title's lines as _Walk would, or do nothing and return ``None`` if not in the published shape.

    Returns the tables the title's lines complete: the previous one (which the title closes), if any,
    and this one when it is built at once (:func:`build_standard`, the usual case). The work per table
    is done by C code where it can be (one regex, slices, maps): this runs 100,000s of times.
    """
    match = _BLOCK_RE.match(block)
    if match is None:
        return None
    table = build_standard(match, block, first, walk.source, _wrapped_ok, _odd_row)
    if table is not None:  # closed at once: what follows a title's lines is the next title
        done = None if walk.builder is None else walk.finish()
        walk.tables_seen += 1
        walk.in_indicators, walk.last_field = True, None
        return (table,) if done is None else (done, table)
    built = _builder_table(match, block, first, walk)
    return None if built is None else () if built is True else (built,)


def _wrapped_ok(line: str) -> bool:
    """A wrapped line of a header value (stripped) that _Walk takes as such, not as a label or a row."""
    return not ((("：" in line or ":" in line) and _match_label(line, BUILTIN) is not None)
                or ("一级指标" in line and "三级指标" in line)
                or (("\t" in line or "  " in line or "\u3000" in line) and _looks_like_row(line)))


def _odd_row(raw: str) -> list[str] | None:
    """The cells _Walk reads from a line of an indicator table that is not plain (as _builder_table's loop)."""
    line = raw.strip()
    if not line:
        return []
    if "\t" in line:  # split before stripping: "\t\t…正向指标" keeps its blank cells
        return split_cells(raw)
    if _match_label(line, BUILTIN) is not None:
        return None
    return split_cells(raw if "\t" in raw else line)


def _builder_table(match: re.Match[str], block: str, first: int, walk: _Walk) -> ReadResult | Literal[True] | None:
    """:func:`_standard_table` through a TableBuilder, for a table with notes or odd rows (``None``: line by line).

    The table is left in the walk's builder (the next title closes it); returns the previous table,
    or ``True`` when there was none.
    """
    groups = match.groups()
    wraps = groups[2:29:2]
    joined = "".join(wraps)
    wrapped_fields = [] if not joined or joined.isspace() else [
        position for position, wrapped in enumerate(wraps) if wrapped and not wrapped.isspace()]
    # Wrapped values and rows must be what _Walk would take them for, or the block goes line by line.
    for position in wrapped_fields:  # blank lines between fields are the usual case
        for line in wraps[position].split("\n")[:-1]:
            line = line.strip()
            if line and (_match_label(line, BUILTIN) is not None or ("一级指标" in line and "三级指标" in line)
                         or (("\t" in line or "  " in line or "\u3000" in line) and _looks_like_row(line))):
                return None  # (a row needs a tab or a run of two spaces)
    # Where each field's line is: the one after the previous field's, plus its wrapped lines.
    base = first + 1 + groups[0].count("\n")
    field_lines = list(map(add, range(base, base + 15), accumulate(map(str.count, wraps, _NEWLINES), initial=0)))
    number = field_lines.pop()  # the indicator header's
    builder = TableBuilder(walk.source, first)
    builder.set_standard_columns()  # (both spellings _BLOCK_RE takes are the standard columns)
    tail = block[match.end():]
    add_row, indicators, standard_row = builder.add_row, builder.indicators, builder.standard_row
    plain_rows = standard_row is not None and " " not in tail and "\u3000" not in tail and "\xa0" not in tail
    check_header = "三级指标" in tail
    body = tail.rstrip("\n")
    rows: list[str] = []
    if (plain_rows and not check_header and body and "" not in (lines := body.split("\n"))
            and not any(map(str.isspace, map(_FIRST, lines))) and not any(map(str.isspace, map(_LAST, lines)))):
        # Rows one after another (blank lines after them only), none starting or ending with white space (so
        # its stripped text keeps its tabs), no white space but tabs: _Walk reads each row of eleven cells as a
        # standard row, so they go straight to the builder, without a Python loop here.
        notes = len(builder.diagnostics)
        try:
            indicators.extend(map(standard_row, map(str.split, lines, _TABS), count(number + 1)))  # type: ignore[arg-type]
        except ValueError:  # a row of other than eleven cells (it cannot be unpacked): row by row after all
            del indicators[:], builder.diagnostics[notes:]
            rows = tail.split("\n")[:-1]
    else:
        rows = tail.split("\n")[:-1]  # the block ends with "\n"
    # The builder is this block's alone and the walk is untouched until the end: giving up is always possible.
    for raw in rows:
        number += 1
        line = raw.strip()
        if not line:
            continue
        if check_header and "一级指标" in line and "三级指标" in line:
            return None
        if "\t" in line:
            if plain_rows and len(cells := raw.split("\t")) == 11:  # what split_cells does to such a row
                indicators.append(standard_row(cells, number))  # type: ignore[misc]
            else:
                add_row(split_cells(raw), number, line)
        elif _match_label(line, BUILTIN) is not None:
            return None
        else:  # as _Walk: a row with tabs is split before stripping ("\t\t…正向指标" keeps its blank cells)
            add_row(split_cells(raw if "\t" in raw else line), number, line)
    builder.values = dict(zip(_FIELD_NAMES, map(str.strip, groups[1:29:2]), strict=True))
    builder.value_lines = dict(zip(_FIELD_NAMES, field_lines, strict=True))
    for position in wrapped_fields:
        field = _FIELD_NAMES[position]
        for line in wraps[position].split("\n")[:-1]:
            line = line.strip()
            if line:
                builder.extend(field, line)
    done = walk.finish()
    walk.builder, walk.in_indicators, walk.last_field = builder, True, None
    return True if done is None else done


_FIELD_NAMES = tuple(field for _, field in _BLOCK_FIELDS)
_FIRST, _LAST = itemgetter(0), itemgetter(-1)
_TABS = repeat("\t")
_NEWLINES = repeat("\n")  # (an endless argument for map)


def _undecodable(source: str, number: int) -> Diagnostic:
    return Diagnostic("decode-error", Severity.ERROR,
                      "该行含有无法识别的字节（文件编码可能损坏或混用），已用“\ufffd”代替",
                      source, number)


def _outside_diagnostics(source: str, stray: list[Line], tables_seen: int,
                         vocabulary: Vocabulary = BUILTIN) -> Iterator[Diagnostic]:
    """Text outside every table: a note for prose (a page heading, a signature); a warning for what
    looks like part of a table (an indicator row, a ``标签：值`` line), which was likely meant to be read."""
    for number, text in stray:
        shown = text if len(text) <= 60 else text[:59] + "…"
        if _looks_like_row(text) or _match_label(text, vocabulary) is not None:
            yield Diagnostic("stray-line", Severity.WARNING,
                             f"这一行像是绩效目标表的内容，但不在任何表内（应在标题“……绩效目标表”之后），"
                             f"未读入：“{shown}”", source, number)
        else:
            yield Diagnostic("stray-line", Severity.INFO,
                             f"不属于任何绩效目标表的文字，未读入：“{shown}”", source, number)
    if tables_seen == 0:
        yield Diagnostic("no-table", Severity.ERROR,
                         "没有找到绩效目标表：应有“单位信息：”“预算项目：”等表头行和“一级指标…”指标表"
                         "（绩效自评表应有“年初预算数”“实际完成值”“得分”等内容）",
                         source)
