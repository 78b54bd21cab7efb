"""The cells of a self-evaluation table in a grid, as the grid grammar (:mod:`selfeval_grid`) reads them.

A :class:`Row` holds one grid row's texts by grid column (merged continuations blank), its raw texts (PDF line
breaks kept) and cell names; :class:`GridState` is what the grammar has read of one table so far, with the
reading of a cell's text and number every block shares, and the one way a diagnostic names its cell
(``Sheet1!F12``). The label look-up and the grade word are here because the header and the 总分 row both need them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from jixiao.domain import Diagnostic
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow
from jixiao.domain.text import fold_width, parse_decimal
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.selfeval_wording import GRID, Said, Wording, diagnostic

PARAGRAPH_MARK = "\u3000\u3000"  # as grid.PARAGRAPH_MARK: a wrapped PDF cell's new paragraph
_WIDE_SPACE_RE = re.compile(r"\s*\u3000+\s*|\s{2,}")
_SPACED_LABEL_RE = re.compile(r"\s*(\S+)\s+(\S.*)", re.DOTALL)
_MAY_HOLD_LABEL_RE = re.compile(r"[:：\s(（]")  # a long cell is a label only with a colon, a space or a note
_GRADE_CUT_RE = re.compile(r"[\s(（,，;；]")


class Row:
    """One grid row as the parser needs it: texts by grid column (merged continuations blank), raw texts
    (PDF line breaks kept), the cell names and the row number the user sees."""

    __slots__ = ("_filled", "number", "raw", "refs", "texts", "wraps")

    def __init__(self, texts: list[str], raw: list[str], refs: list[str], number: int, wraps: bool = False) -> None:
        self.texts, self.raw, self.refs, self.number = texts, raw, refs, number
        self.wraps = wraps  # a line of text: a value may wrap onto the next line (no cell holds it whole)
        self._filled: list[tuple[int, str]] | None = None

    def ref(self, index: int) -> str | None:
        if 0 <= index < len(self.refs):
            return self.refs[index]
        return self.refs[-1] if self.refs else None

    def filled(self) -> list[tuple[int, str]]:
        if self._filled is None:
            self._filled = [(index, text) for index, text in enumerate(self.texts) if text]
        return self._filled


def _unwrap(text: str, paragraphs: bool) -> str:
    """A PDF cell's visual lines joined; with ``paragraphs``, an indented line starts a new paragraph."""
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


_NO_LABEL: tuple[str | None, str | None] = (None, None)


def label_of(cell: str) -> tuple[str | None, str | None]:
    """(field, value in the same cell) of a label cell: "项目名称", "填报人：王芳", "自评等级 优"."""
    if not cell or cell[0].isdigit() or (len(cell) > 12 and not _MAY_HOLD_LABEL_RE.search(cell)):
        return _NO_LABEL  # a value (a figure, a name): no look-up, so the cache keeps the labels
    return _label_of(cell)


@lru_cache(maxsize=4096)
def _label_of(cell: str) -> tuple[str | None, str | None]:
    field = words.label_field(cell) or words.goal_field(cell)
    if field is not None:
        return field, None
    folded = fold_width(cell)
    head, colon, _rest = folded.partition(":")
    if colon:
        field = words.label_field(head) or words.goal_field(head)
        if field is not None:
            return field, cell[len(head) + 1:].strip()
    spaced = _SPACED_LABEL_RE.match(folded)  # "自评等级 优": a label and its value in one cell
    if spaced is not None and (field := words.label_field(spaced.group(1))) in ("grade", "evaluator",
                                                                                 "evaluated_on"):
        return field, cell[spaced.start(2):].strip()
    return None, None

# A space before what looks like a label and its colon ("李老师 填报日期：…", as a PDF prints a Word line whose
# wide space became one); taken as a label only if the vocabulary knows it (else the space stays in the value).
_LABEL_AFTER_SPACE_RE = re.compile(r"\s+(?=[^\s:：]{2,8}[:：])")


def segments(field: str, value: str) -> list[tuple[str, str]]:
    """A label's value, and the labels and values that follow it in the same cell after a wide space, or
    after a plain space when a known label and its colon follow."""
    parts = [part for wide in _WIDE_SPACE_RE.split(value.strip()) for part in _LABEL_AFTER_SPACE_RE.split(wide)]
    found = [(field, parts[0])]
    for part in parts[1:]:
        more, inline = label_of(part)
        if more is None or inline is None:
            found[-1] = (found[-1][0], f"{found[-1][1]} {part}")
        else:
            found.append((more, inline))
    return found


def first_number(raw: str) -> str:
    stripped = raw.strip()
    return stripped.split("\n")[0].strip() if "\n" in stripped else stripped


def grade_word(text: str) -> str | None:
    """The grade word of "优", "自评等级：良（未完成计分）", "优 未完成计分"."""
    stripped = text.strip().lstrip(":：").strip()
    head = _GRADE_CUT_RE.split(stripped, maxsplit=1)[0].strip()
    return head or None




class GridState:
    """What the grammar has read of one table; ``wrapped``: PDF cells (a line break is where text wrapped)."""

    def __init__(self, source: str, wrapped: bool, wording: Wording = GRID) -> None:
        self.source = source
        self.wrapped = wrapped
        self.wording = wording
        self.continuing: str | None = None  # the field a wrapped line goes on (text lines)
        self.column_offset = 0  # the indicator header's first column (a row may leave the cells before it out)
        self.diagnostics: list[Diagnostic] = []
        self.values: dict[str, str] = {}
        self.field_lines: dict[str, int] = {}
        self.first_line: int | None = None
        self.title: str | None = None
        self.score_sheet = False
        self.year: int | None = None
        self.budget: FundingRow | None = None
        self.funding_rows: list[FundingRow] = []
        self.fund_cols: dict[int, str] | None = None
        self.yuan = False
        self.goal_cols: dict[int, str] | None = None
        self.goal: dict[str, str] = {}
        self.ind_cols: dict[int, str] | None = None
        self.header_row: int | None = None  # the number of the last indicator header row
        self.indicators: list[EvaluatedIndicator] = []
        self.level1: tuple[str | None, Decimal | None] = (None, None)
        self.level2: str | None = None
        self.parent: str | None = None
        self.total: Decimal | None = None
        self.grade: str | None = None
        self.after_total = False

    def _paragraphs(self, row: Row, index: int) -> str:
        raw = row.raw[index]
        if self.wrapped:
            return _unwrap(raw, paragraphs=True)
        return "\n".join(line.strip() for line in raw.strip().split("\n"))

    def _cell_text(self, row: Row, index: int) -> str | None:
        text = self._joined(row, index)
        return None if self._blank_text(text) else text

    def _blank_text(self, text: str) -> bool:
        """A text cell with nothing in it: a sheet's placeholders (—, 待填) are blanks; the text form keeps every
        mark it wrote (its blank cells are empty)."""
        return not text.strip() or (not self.wording.text and words.is_placeholder(text))

    def _blank_figure(self, text: str) -> bool:
        """A number's cell with nothing in it: empty, a dash or slash, 无 (and, in a sheet, any placeholder)."""
        stripped = text.strip()
        if not stripped or stripped in vocabulary.BLANK_MARKS or stripped in vocabulary.BLANK_WORDS:
            return True
        return not self.wording.text and words.is_placeholder(stripped)

    def _joined(self, row: Row, index: int) -> str:
        raw = row.raw[index] if index < len(row.raw) else ""
        if "\n" not in raw:
            return raw.strip()
        if self.wrapped:
            return _unwrap(raw, paragraphs=False)
        return "".join(part.strip() for part in raw.split("\n")).strip()

    # -- numbers --------------------------------------------------------------------------------------------
    def _raw(self, row: Row, index: int) -> str:
        return row.raw[index] if index < len(row.raw) else ""

    def _number(self, raw: str, label: str | Callable[[], tuple[str, str]], row: Row, index: int, expected: str,
                original: str | None = None, place: str = "") -> Decimal | None:
        """A number as printed; in a PDF, a score cell may print its working under it (the first line counts)."""
        if "\n" not in raw and (number := parse_decimal(raw.strip())) is not None:
            return number  # the common case: a plain number
        joined = _unwrap(raw, False) if self.wrapped else "".join(raw.split("\n")).strip()
        if self._blank_figure(joined):
            return None
        number = parse_decimal(fold_width(joined).replace(" ", "")) if joined else None
        if number is None and "\n" in raw:
            first = raw.split("\n")[0]
            if words.is_placeholder(first):
                return None  # "未计分" with the reason printed under it
            number = parse_decimal(fold_width(first).strip())
        if number is not None or not joined:
            return number
        shown = (original or raw).strip().replace("\n", "")
        if callable(label):  # the field's name, only when it is said (an indicator's: "三级指标“X”的分值")
            label, place = label()
        self.tell(self.wording.bad_number(label, expected, shown, place), row, index, place + label)
        return None

    def tell(self, said: Said | None, row: Row, index: int | None, label: str | None = None) -> None:
        """A diagnostic of the grammar, located by the cell's name (a grid) or by the field's label (a text line)."""
        if said is None:
            return
        cell = row.ref(index) if index is not None and row.refs else None
        self.diagnostics.append(diagnostic(said, self.source, row.number, None if cell else label, cell))
