"""Cutting self-evaluation text whose cells run together into cells: OCR text and document-sharing sites' extracts.

Nothing separates the cells ("年度资金总额194.9194.9100%其中:…", "库存数量真实率100%100%"), so cells are
found by what they say. Before the indicator table the text is cut at the vocabulary's words (labels,
funding headings and rows, goal headings); the figures of a funding row are split where the row's
arithmetic holds (执行率 = 执行数 ÷ 预算数, 得分 = 分值 × 执行率). In the indicator table the text is cut
at the 一级/二级 names, and each piece is read as rows by a pattern built from the table's own header
(name, then a value for each column: "财政供养人员控制率 % 定量指标 100% 92% 100% 2 2 否"). The cells
then go through the same grammar as every other layout. Text is matched and kept in simplified
characters; spaces (wrapping debris) are dropped; a site's page numbers ("2、") are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from jixiao.io.readers import selfeval_vocabulary as words
from jixiao.io.readers.base import Line
from jixiao.io.readers.selfeval.cells import Cell, make
from jixiao.io.readers.selfeval.funding import place_funding
from jixiao.io.readers.selfeval_shared import simplified

_PAGE_RE = re.compile(r"^(\d{1,3})、")
_SPACE_RE = re.compile(r"[ \t\u3000\xa0]+")
_NOTE_RE = re.compile(r"\((?!(?:万元|元|\d+(?:\.\d+)?分)\))[^()]{0,8}\)|^[^()]{0,4}\)")
_NUMBER_TOKEN_RE = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?%?")
_MAX_SPLIT = 26  # digits of one funding row's run; longer runs are not split (2^25 readings)


def _joined(lines: list[Line]) -> tuple[str, list[int]]:
    """The text as one string (page numbers and site lines dropped, no spaces) and each character's line."""
    expected_page = 1
    parts: list[str] = []
    where: list[int] = []
    for number, raw in lines:
        text = raw.strip()
        if not text or any(marker in text for marker in words.SITE_LINE_MARKERS) or text.endswith(
                (".docx", ".doc", ".pdf")):
            continue
        page = _PAGE_RE.match(text)
        if page and int(page.group(1)) == expected_page:
            text = text[page.end():]
            expected_page += 1
        text = simplified(_SPACE_RE.sub("", text))
        parts.append(text)
        where.extend([number] * len(text))
    return "".join(parts), where


@lru_cache(maxsize=4)
def _pattern(kinds: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(set(_words(kinds)), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in alternatives))


def _words(kinds: tuple[str, ...]) -> Iterator[str]:
    for kind in kinds:
        if kind == "header":
            yield from (w for w in words.LABELS if len(w) >= 3)  # 年度, 日期, 合计: words inside others
            yield from words.FUNDING_OPENERS
            yield from words.FUNDING_COLUMNS
            for row in words.FUNDING_ROWS:
                yield row
                yield "其中:" + row
            yield from words.GOAL_OPENERS
            yield from words.GOAL_EXPECTED
            yield from words.GOAL_ACTUAL
            yield from words.GOAL_SKIPPED
            yield from words.INDICATOR_OPENERS
        elif kind == "columns":
            yield from words.INDICATOR_COLUMNS
            yield from words.INDICATOR_OPENERS
        elif kind == "body":
            yield from words.LEVEL1
            yield from words.LEVEL2
            yield from words.INDICATOR_OPENERS
            yield from (w for w in words.TABLE_END if len(w) >= 2)


def runon_cells(lines: list[Line]) -> Iterator[Cell]:
    text, where = _joined(lines)
    if not text:
        return
    start = _first(text, ("一级指标", "指标名称"))
    head_end = start if start is not None else len(text)
    head, head_where = _without_notes(text[:head_end], where[:head_end])  # "(A)", "(If整)" dropped
    funding_columns: list[str] = []
    pieces = list(_cut(head, _pattern(("header",)), 0))
    for index, (offset, piece, is_word) in enumerate(pieces):
        line = head_where[min(offset, len(head_where) - 1)]
        if is_word:
            kind = words.FUNDING_COLUMNS.get(piece)
            if kind is not None:
                funding_columns.append(kind)
            yield make(piece, line)
            continue
        previous = pieces[index - 1] if index else None
        after_funding = previous is not None and previous[2] and (
            _is_funding_row(previous[1]) or previous[1] in words.FUNDING_COLUMNS)
        if after_funding and funding_columns:
            yield from _funding_figures(piece, funding_columns, line)
        else:
            yield make(piece, line)
    if start is None:
        return
    yield from _indicator_cells(text, where, start)


def _without_notes(text: str, where: list[int]) -> tuple[str, list[int]]:
    """``text`` without its short bracketed notes (a money unit or a block weight stays), and its lines."""
    kept: list[str] = []
    lines: list[int] = []
    position = 0
    for match in _NOTE_RE.finditer(text):
        kept.append(text[position:match.start()])
        lines.extend(where[position:match.start()])
        position = match.end()
    kept.append(text[position:])
    lines.extend(where[position:])
    return "".join(kept), lines


def _first(text: str, candidates: tuple[str, ...]) -> int | None:
    found = [text.find(word) for word in candidates if word in text]
    return min(found) if found else None


def _cut(text: str, pattern: re.Pattern[str], base: int) -> Iterator[tuple[int, str, bool]]:
    """(offset, piece, is a vocabulary word) for the words of ``pattern`` and the text between them."""
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            yield base + position, text[position:match.start()], False
        yield base + match.start(), match.group(0), True
        position = match.end()
    if position < len(text):
        yield base + position, text[position:], False


def _is_funding_row(word: str) -> bool:
    return word.removeprefix("其中:") in words.FUNDING_ROWS


def _funding_figures(run: str, columns: list[str], line: int) -> Iterator[Cell]:
    """The figures of one funding row, split where its arithmetic holds ("194.9194.9100%")."""
    illegible = 0
    while run[:1] in ("O", "o"):  # OCR's "O" for an illegible figure
        run, illegible = run[1:], illegible + 1
    best: tuple[float, list[str]] | None = None
    for tokens in _splits(run, len(columns) - illegible) if len(run) <= _MAX_SPLIT else ():
        cells = [make(token, line) for token in tokens]
        placed = place_funding(cells, columns)
        if placed is not None and (best is None or placed[0] > best[0]):
            best = (placed[0], tokens)
    for token in best[1] if best else [run]:
        yield make(token, line)


def _splits(run: str, most: int) -> Iterator[list[str]]:
    """Every way to read ``run`` as up to ``most`` numbers (a % ends a number; no leading zeros)."""
    if not run:
        yield []
        return
    if most <= 0:
        return
    for end in range(1, len(run) + 1):
        token = run[:end]
        if _NUMBER_TOKEN_RE.fullmatch(token):
            for rest in _splits(run[end:], most - 1):
                yield [token, *rest]


# -- the indicator table --------------------------------------------------------------------------

def _indicator_cells(text: str, where: list[int], start: int) -> Iterator[Cell]:
    columns: list[str] = []
    position = start
    header = _pattern(("columns",))
    while True:
        rest = _NOTE_RE.sub(lambda m: " " * len(m.group(0)), text[position:position + 40])
        stripped = rest.lstrip(" ")
        position += len(rest) - len(stripped)
        match = header.match(stripped)
        if match is None:
            break
        word = match.group(0)
        yield make(word, where[position])
        kind = words.INDICATOR_COLUMNS.get(word)
        if kind is not None:
            columns.append(kind)
        position += len(word)
    values = [kind for kind in columns if kind not in ("level1", "level2", "name")]
    row_re = _row_pattern(tuple(values))
    for offset, piece, is_word in _cut(text[position:], _pattern(("body",)), position):
        if is_word:
            yield make(piece, where[offset], brk=True)
        else:
            yield from _rows(piece, offset, where, row_re, values)


_OPERATOR_ALT = "|".join(re.escape(w) for w in sorted(
    {*words.OPERATORS, *words.OCR_KINDS, *words.QUANTITATIVE_KINDS, "≥", "≤", ">", "<"}, key=len, reverse=True))
_UNIT_ALT = "|".join(re.escape(w) for w in sorted(words.UNITS, key=len, reverse=True))
_QUAL_ALT = "|".join(re.escape(w) for w in words.QUALITATIVE_VALUES)
_VALUE = (rf"(?:(?:[≥≤><=≧═﹦]|{'|'.join(words.OCR_GE)})?(?:0|[1-9]\d*|[Oo])(?:\.\d+)?(?:{_UNIT_ALT})?"
          rf"|{_QUAL_ALT})")
# A value never starts or ends inside a number, unless that number is "0" ("00" is 0 and 0; "0100%" is 0 and 100%).
_ENDS = r"(?:(?<=\D)|(?!\d)|(?<=(?<![\d.])0))"
_STARTS = r"(?:(?<!\d)|(?<=(?<![\d.])0))"
_PIECES = {
    "unit_of_measure": rf"(?P<unit_of_measure>{_UNIT_ALT}|[A-Za-z]{{1,4}}[\u4e00-\u9fff]?)?",
    "operator": rf"(?P<operator>{_OPERATOR_ALT})?",
    "target": rf"{_STARTS}(?P<target>{_VALUE}){_ENDS}",
    "adjusted_target": rf"(?:{_STARTS}(?P<adjusted_target>{_VALUE}){_ENDS})?",
    "actual": rf"{_STARTS}(?P<actual>{_VALUE}){_ENDS}",
    "coefficient": rf"{_STARTS}(?P<coefficient>(?:0|[1-9]\d*)(?:\.\d+)?%)",
    "weight": r"(?P<weight>\d{1,2}(?:\.\d{1,2})?)",
    "score": r"(?P<score>\d{1,2}(?:\.\d{1,2})?)",
    "core": r"(?P<core>[是否])",
}
_STRONG = ("coefficient", "weight", "score", "core")


@lru_cache(maxsize=16)
def _row_pattern(values: tuple[str, ...]) -> re.Pattern[str]:
    """One indicator row of a run-together table: a name, then each value column of the header."""
    strong = any(kind in _STRONG for kind in values)
    parts = []
    for kind in values:
        piece = _PIECES.get(kind)
        if piece is None:
            continue
        if strong and kind in ("target", "actual"):
            piece = f"(?:{piece})?"  # the figures that close the row fix it; a value may be illegible or blank
        parts.append(piece)
    return re.compile(r"(?P<name>.*?[\u4e00-\u9fff”\)].*?)" + "".join(parts))


def _rows(piece: str, offset: int, where: list[int], row_re: re.Pattern[str], values: list[str]) -> Iterator[Cell]:
    position = 0
    last_row = False
    while position < len(piece):
        match = row_re.match(piece, position)
        if match is None or match.end() == position:
            break
        line = where[offset + position]
        yield make(match.group("name"), line, brk=True, column="name")
        found = {kind: match.group(kind) for kind in values if kind in row_re.groupindex and match.group(kind)}
        if "adjusted_target" in found and "actual" not in found:  # two figures: the target and the actual
            found["actual"] = found.pop("adjusted_target")
        for kind in values:
            if kind in found:
                yield make(found[kind], line, column=kind)
        position, last_row = match.end(), True
    rest = piece[position:]
    if rest:
        reason = last_row and "deviation_reason" in values
        yield make(rest, where[offset + position], brk=not reason, column="deviation_reason" if reason else None)
