"""Indicator rows as published: operator, target and unit taken apart, everything else kept as printed.

The target cell often carries its operator and unit ("≥50个", "≤90万元", "95%以上") when the form has
no 指标性质 or 度量单位 column; the actual is kept verbatim ("29.5亩", "达成预期指标"), since whether it
holds a number is what an audit asks. A row with no operator and a target without a figure is 定性.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain import parse_operator
from jixiao.domain.selfeval_table import EvaluatedIndicator
from jixiao.domain.values import Value
from jixiao.io.readers import selfeval_vocabulary as words
from jixiao.io.readers import selfeval_words as shared_words
from jixiao.io.readers.selfeval.cells import Cell
from jixiao.io.readers.selfeval.rows import Row, segment
from jixiao.io.readers.selfeval.text import has_digit, number, weight_note, without_weight_note
from jixiao.io.readers.selfeval_shared import split_subrow

_PREFIX_RE = re.compile(r"^(≥|≤|>=|<=|≧|≦|＞|＜|>|<|=|﹦|═|＝)\s*")
_FIGURE_RE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*([^\d\s][^\d]{0,5})?$")
_OCR_FIGURE_RE = re.compile(r"^[\dOo]+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class IndicatorBlock:
    level1: Cell | None
    level2: Cell | None
    cells: list[Cell]


def canonical_operator(text: str) -> str | None:
    """The canonical spelling (≥, =, 定性…) of an operator as printed, else ``None``."""
    found = words.OPERATORS.get(text)
    if found is not None:
        return found
    if text in words.OCR_KINDS:
        return canonical_operator(words.OCR_KINDS[text])
    parsed = parse_operator(text)
    return parsed.value if parsed is not None else None


def split_target(text: str, has_unit: bool) -> tuple[str | None, str, str | None]:
    """(operator, target text, unit) of a target cell as printed: as every layout splits it
    (:func:`jixiao.io.readers.selfeval_words.split_target`), then the OCR readings of ≥ that only scanned
    text has ("到0次", "290%": a rate above 100 is ≥90%)."""
    if text[:1] in words.OCR_GE and _OCR_FIGURE_RE.match(text[1:]):
        figure = _OCR_FIGURE_RE.match(text[1:])
        assert figure is not None
        return "≥", text[: 1 + figure.end()], text[1 + figure.end():] or None
    operator, text, unit = shared_words.split_target(text)
    if operator is None and text.startswith(words.OCR_GE_DIGIT) and unit in ("%", "％"):
        rest = number(text[1:])
        whole = number(text)
        if rest is not None and whole is not None and whole > 100 >= rest:  # "290%": ≥ read as 2
            operator, text = "≥", text[1:]
    return operator, text, unit


def build_indicators(blocks: Sequence[IndicatorBlock], columns: list[str], positional: bool,
                     cut: bool, ocr: list[tuple[Cell, str]]) -> tuple[list[EvaluatedIndicator], Cell | None]:
    """The indicators of ``blocks``; when the capture is ``cut`` off, a last row without any value is
    dropped and returned (it is the start of a row, not a row). Cells read as OCR errors are added
    to ``ocr`` with their reading."""
    out: list[EvaluatedIndicator] = []
    parent: str | None = None
    dropped: Cell | None = None
    rows_in: list[tuple[IndicatorBlock, Row]] = []
    for block in blocks:
        for row in segment(block.cells, columns, positional):
            rows_in.append((block, row))
    if cut and rows_in and not rows_in[-1][1].values:
        dropped = rows_in.pop()[1].name
    for block, row in rows_in:
        indicator = _indicator(block, row, "unit_of_measure" in columns, ocr)
        name, named_parent, is_subrow = split_subrow(indicator.name)
        if not is_subrow:
            parent = indicator.name
        elif name is not None and (named_parent or parent) is not None:
            indicator = _as_subrow(indicator, name, named_parent or parent)
        out.append(indicator)
    return out, dropped


def _as_subrow(indicator: EvaluatedIndicator, name: str, parent: str | None) -> EvaluatedIndicator:
    """A 其中 row: its name without 其中 (the writer prints it back from ``parent``), and its parent."""
    from msgspec.structs import replace

    return replace(indicator, name=name, parent=parent)


def _indicator(block: IndicatorBlock, row: Row, has_unit_column: bool,
               ocr: list[tuple[Cell, str]]) -> EvaluatedIndicator:
    values = row.values
    operator_cell = values.get("operator")
    operator = canonical_operator(operator_cell.key) if operator_cell is not None else None
    if operator_cell is not None and operator_cell.key in words.OCR_KINDS:
        ocr.append((operator_cell, words.OCR_KINDS[operator_cell.key]))
    if operator_cell is not None and operator is None and operator_cell.key not in words.QUANTITATIVE_KINDS \
            and words.OCR_KINDS.get(operator_cell.key) not in words.QUANTITATIVE_KINDS:
        operator = operator_cell.text  # kept as printed for the review to flag
    unit_cell = values.get("unit_of_measure")
    unit = unit_cell.text if unit_cell is not None else None
    target_cell = values.get("target")
    target: str | None = None
    if target_cell is not None:
        printed_op, target, printed_unit = split_target(target_cell.text, has_unit_column)
        if printed_op is not None and not target_cell.text.startswith(printed_op) \
                and not _PREFIX_RE.match(target_cell.text) and not target_cell.text.endswith(
                    tuple(words.OPERATOR_SUFFIXES)):
            figure = target[1:] if target[:1] in words.OCR_GE else target
            ocr.append((target_cell, f"{printed_op}{figure}{printed_unit or ''}"))
        if printed_op is not None and operator is None:
            operator = printed_op
        if printed_unit is not None:
            if unit is None or (unit not in words.UNITS and printed_unit in words.UNITS):
                unit = printed_unit  # a unit cell the OCR garbled ("tot扁") gives way to the target's
            elif printed_unit != unit and not target.startswith(words.OCR_GE):
                target = target_cell.text if printed_op is None else target + printed_unit
    if operator is None and target is not None and not has_digit(target):
        operator = "定性"
    if operator is None and operator_cell is not None and words.OCR_KINDS.get(operator_cell.key) == "定性指标":
        operator = "定性"
    level1 = block.level1
    actual = values.get("actual")
    reason = values.get("deviation_reason")
    return EvaluatedIndicator(
        level1=without_weight_note(level1.printed) if level1 is not None else None,
        level2=block.level2.printed if block.level2 is not None else None,
        name=row.name.printed,
        operator=operator,
        target=Value.of(target),
        unit_of_measure=unit,
        weight=_figure(values.get("weight")),
        actual=Value.of(actual.printed) if actual is not None else None,
        score=_figure(values.get("score")),
        deviation_reason=reason.printed if reason is not None else None,
        level1_weight=weight_note(level1.text) if level1 is not None else None,
        line=row.name.line,
    )


def _figure(cell: Cell | None) -> Decimal | None:
    return number(cell.text) if cell is not None else None


def merge_header(first: list[str], second: list[str]) -> list[str]:
    """One column list from a header printed on one row or two (年度指标值 spanning 指标性质/指标值/度量单位)."""
    if not second:
        return first
    merged = list(second)
    for kind in first:
        if kind not in merged:
            merged.append(kind)
    return merged


def cut_blocks(body: list[Cell]) -> list[IndicatorBlock]:
    """Cut the indicator table's cells at its 一级/二级 cells (merged cells, printed once)."""
    blocks: list[IndicatorBlock] = []
    level1: Cell | None = None
    level2: Cell | None = None
    cells: list[Cell] = []
    previous_was_level1 = False

    def close() -> None:
        if cells or level2 is not None:
            blocks.append(IndicatorBlock(level1, level2, list(cells)))

    for cell in body:
        key = cell.key
        bare = re.sub(r"\(\d+(?:\.\d+)?分\)$", "", key)
        is_level1 = bare in words.LEVEL1 or (bare == "成本指标" and weight_note(cell.text) is not None)
        is_level2 = bare in words.LEVEL2 or bare.endswith(words.LEVEL2_SUFFIXES)
        if key in words.INDICATOR_OPENERS:
            continue
        if is_level1 and not previous_was_level1:
            close()
            cells = []
            if level1 is None or level1.key != cell.key or weight_note(cell.text) is not None:
                level1 = cell
            level2 = None
            previous_was_level1 = True
            continue
        if is_level2:
            close()
            cells = []
            level2 = cell
            previous_was_level1 = False
            continue
        previous_was_level1 = False
        cells.append(cell)
    close()
    return blocks
