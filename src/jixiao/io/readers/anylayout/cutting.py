"""How the layout-independent reader reads: every cutting of the text tried, the one that reads most kept.

It cuts the text into cells every way the text allows (:mod:`.tokens`), finds indicator tables in each by
their headings and the shape of their values (:mod:`.assemble`), and keeps the cutting that recovers the most
rows. Whatever it reads is a guess at the layout, and says so: every table carries an ``any-layout`` warning
naming how the text was cut and how many rows were read; cells it could not place in any row are reported
(``any-layout-dropped``), never lost in silence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from jixiao.domain import Diagnostic, Severity
from jixiao.io.readers.anylayout.assemble import Section, sections
from jixiao.io.readers.anylayout.build import guesses, table
from jixiao.io.readers.anylayout.tokens import tokenisations
from jixiao.io.readers.anylayout.words import KEPT_KINDS
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.selfeval.cells import capture_lines

MAX_LINES = 20_000  # a published page holds a few tables; the fallback is not for bulk files
_SHOWN = 8  # dropped cells named in one message


def weigh(found: list[Section]) -> float:
    """How much a cutting read: the cells placed in the columns the model keeps, and half a point for each row
    with such a value, less half a point for each row without one.

    Cutting a row in two (a unit or a 绩效标准 taken for a name) places no more and adds a row without a
    value: that cutting weighs less."""
    weight = 0.0
    for section in found:
        for _block, row in section.rows:
            placed = sum(1 for kind in row.values if kind in KEPT_KINDS)
            weight += placed + (0.5 if placed else -0.5)
    return weight


def best_sections(lines: list[Line]) -> tuple[str, list[Section]]:
    """The cutting of ``lines`` that reads the most (:func:`weigh`; the first on a tie), and its tables."""
    best: tuple[str, list[Section]] = ("", [])
    most = 0.0
    for name, cells in tokenisations(lines):
        found = sections(cells)
        weight = weigh(found)
        if weight > most:
            best, most = (name, found), weight
    return best


def read_any(lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
    """What :class:`~jixiao.io.readers.anylayout.reader.AnyLayoutReader` reads: the tables of the best cutting."""
    numbered = capture_lines(islice(lines, MAX_LINES))
    cutting, found = best_sections(numbered)
    if not found:
        yield ReadResult(None, (Diagnostic(
            "no-table", Severity.ERROR,
            "没有从文件中读出任何绩效目标表或绩效自评表（未找到“三级指标/指标值”等指标表头）", source),))
        return
    for section in found:
        notes = [Diagnostic(
            "any-layout", Severity.WARNING,
            f"未识别出已知的表格版式，按词汇与取值形状读取（切分方式：{cutting}）："
            f"读出 {len(section.rows)} 行指标，各值所在的列按内容判断，请核对", source, section.header_line)]
        if section.dropped:
            shown = "”“".join(cell.printed[:20] for cell in section.dropped[:_SHOWN])
            more = f"等 {len(section.dropped)} 处" if len(section.dropped) > _SHOWN else ""
            notes.append(Diagnostic(
                "any-layout-dropped", Severity.WARNING,
                f"指标表中“{shown}”{more}无法归入任何指标行（不像指标名称，前面也没有可归属的行），未读入",
                source, section.dropped[0].line))
        notes += guesses(section, source)
        yield ReadResult(table(section, source), tuple(notes))
