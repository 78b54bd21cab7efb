"""Tables of either kind from the sections the assembler found; every cell kept as printed.

A target cell that carries its operator and unit ("≥80M", "250万") is taken apart as every layout does
(:func:`jixiao.io.readers.selfeval.indicators.split_target`); an operator is set only where one is printed
(a 定性 row without one stays without), so nothing is invented.
"""

from __future__ import annotations

import re

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.codes import ProjectRef
from jixiao.domain.indicator import Indicator
from jixiao.domain.selfeval_table import EvaluatedIndicator, SelfEvaluationTable
from jixiao.domain.table import SourceRef, TargetTable
from jixiao.domain.values import Value
from jixiao.io.readers import selfeval_vocabulary as selfeval_words
from jixiao.io.readers.anylayout import words
from jixiao.io.readers.anylayout.assemble import Block, Section
from jixiao.io.readers.anylayout.rough import reading, repaired
from jixiao.io.readers.selfeval.cells import Cell
from jixiao.io.readers.selfeval.indicators import canonical_operator, split_target
from jixiao.io.readers.selfeval.pinyin import strip_pinyin
from jixiao.io.readers.selfeval.rows import Row
from jixiao.io.readers.selfeval.text import number, weight_note, without_weight_note

_PLACEHOLDER_RE = re.compile(r"\s*[(（]?\s*(?:[≥≤<>=＞＜]=?)?\s*\*\*\s*[^\s()（）*]{0,4}\s*[)）]?\s*$")
_HINT_RE = re.compile(rf"\s*[(（][^()（）]*(?:{'|'.join(words.LEVEL_HINTS)})[^()（）]*[)）]")
_DATE_UNITS = ("年", "月", "日")


def _operator(cell: Cell | None) -> str | None:
    if cell is None or cell.key in selfeval_words.QUANTITATIVE_KINDS:
        return None
    return canonical_operator(cell.key) or cell.printed


def ocr_read(kind: str, cell: Cell | None, has_unit: bool) -> str | None:
    """How a target or actual cell is read when that is an OCR confusion (reported and marked), else ``None``."""
    if cell is None:
        return None
    read = reading(cell.printed, has_unit)
    return read if read is not None and (kind == "target" or read == repaired(cell.printed)) else None


def _with_pinyin(cell: Cell | None) -> bool:
    return cell is not None and strip_pinyin(cell.raw) != cell.raw


_PINYIN_FIELDS = ("operator", "target", "unit_of_measure", "actual", "deviation_reason")


def guessed(block: Block, row: Row, has_unit: bool) -> tuple[str, ...]:
    """The fields of ``row`` whose value is a guess (each also said by :func:`guesses`): an inferred 一级, an OCR
    reading, a template placeholder left out of the name, pinyin removed."""
    marked: list[str] = []
    if block.level1_inferred and block.level1 is not None and block.level2 is not None:
        marked.append("level1")
    placeholder = _PLACEHOLDER_RE.search(row.name.printed)
    if (placeholder is not None and placeholder.start() > 0) or _with_pinyin(row.name):
        marked.append("name")
    if _with_pinyin(block.level1) and "level1" not in marked:
        marked.append("level1")
    if _with_pinyin(block.level2):
        marked.append("level2")
    for kind in _PINYIN_FIELDS:
        cell = row.values.get(kind)
        if _with_pinyin(cell) or (kind in ("target", "actual") and ocr_read(kind, cell, has_unit) is not None):
            marked.append(kind)
    return tuple(marked)


def row_fields(block: Block, row: Row, has_unit: bool) -> EvaluatedIndicator:
    """One row with every field either kind has (a target table keeps its own of them)."""
    values = row.values
    operator = _operator(values.get("operator"))
    unit_cell = values.get("unit_of_measure")
    unit = unit_cell.printed if unit_cell is not None else None
    target: str | None = None
    target_cell = values.get("target")
    if target_cell is not None:
        printed_op, target, printed_unit = split_target(repaired(target_cell.printed), has_unit)
        operator = operator or printed_op
        if printed_unit is not None and printed_unit.startswith(_DATE_UNITS) and len(printed_unit) > 1:
            target, printed_unit = target + printed_unit, None  # "2021年全年", "12月底到位": a date, not a unit
        if printed_unit is not None:
            if unit is None:
                unit = printed_unit
            elif printed_unit != unit:
                target += printed_unit
    level1 = block.level1
    weight, score = values.get("weight"), values.get("score")
    actual, reason = values.get("actual"), values.get("deviation_reason")
    return EvaluatedIndicator(
        level1=without_weight_note(level1.printed) if level1 is not None else None,
        level1_weight=weight_note(level1.text) if level1 is not None else None,
        level2=_HINT_RE.sub("", block.level2.printed) if block.level2 is not None else None,
        name=_PLACEHOLDER_RE.sub("", row.name.printed) or row.name.printed,
        operator=operator,
        target=Value.of(target),
        unit_of_measure=unit,
        weight=number(weight.text) if weight is not None else None,
        actual=Value.of(repaired(actual.printed)) if actual is not None else None,
        score=number(score.text) if score is not None else None,
        deviation_reason=reason.printed if reason is not None else None,
        line=row.name.line,
        ambiguous=guessed(block, row, has_unit),
    )


def project_name(before: list[Cell]) -> str | None:
    """The value after the last 项目名称 label before the headings (or after its colon)."""
    for index in range(len(before) - 1, -1, -1):
        cell = before[index]
        _label, colon, value = cell.text.partition(":")
        if colon and value.strip() and cell.key.partition(":")[0] in words.PROJECT_LABELS:
            return value.strip()
        if cell.key in words.PROJECT_LABELS:
            after = next((c for c in before[index + 1:] if not c.blank), None)
            return after.printed if after is not None else None
    return None


def guesses(section: Section, source: str) -> list[Diagnostic]:
    """What the rows of ``section`` hold that was not printed as read: inferred 一级, OCR readings of values,
    template placeholders."""
    notes: list[Diagnostic] = []
    seen: set[int] = set()
    for block, row in section.rows:
        if block.level1_inferred and block.level1 is not None and block.level2 is not None \
                and id(block) not in seen:
            seen.add(id(block))
            notes.append(Diagnostic("any-layout-guess", Severity.WARNING,
                                    f"二级指标“{block.level2.printed}”前没有印出一级指标，"
                                    f"按指标体系推断为“{block.level1.printed}”", source, block.level2.line))
        for kind in ("target", "actual"):
            cell = row.values.get(kind)
            read = ocr_read(kind, cell, "unit_of_measure" in section.columns)
            if cell is not None and read is not None:
                notes.append(Diagnostic("ocr-reading", Severity.WARNING,
                                        f"“{cell.printed}”疑为识别错误，读作“{read}”；请核对原件", source, cell.line))
        placeholder = _PLACEHOLDER_RE.search(row.name.printed)
        if placeholder is not None and placeholder.start() > 0:
            notes.append(Diagnostic("any-layout-guess", Severity.WARNING,
                                    f"指标名称“{row.name.printed}”中的模板占位“{placeholder.group().strip()}”"
                                    "不计入名称", source, row.name.line))
    pinyin = [cell for block, row in section.rows
              for cell in (block.level1, block.level2, row.name, *(row.values.get(k) for k in _PINYIN_FIELDS))
              if _with_pinyin(cell)]
    if pinyin:
        first = pinyin[0]
        assert first is not None
        count = len(dict.fromkeys(id(cell) for cell in pinyin))
        notes.append(Diagnostic("pinyin-removed", Severity.INFO,
                                f"表中 {count} 处文字带拼音注音（如“{first.raw[:30]}”），已去掉注音后读取",
                                source, first.line))
    return notes


def table(section: Section, source: str) -> TargetTable | SelfEvaluationTable:
    has_unit = "unit_of_measure" in section.columns
    rows = [row_fields(block, row, has_unit) for block, row in section.rows]
    name = project_name(section.before)
    project = ProjectRef(None, name) if name else None
    ref = SourceRef(source, section.header_line)
    if section.is_selfeval:
        return SelfEvaluationTable(project=project, indicators=tuple(rows), source=ref, cut_off=not section.ended)
    indicators = tuple(Indicator(level1=row.level1, level2=row.level2, name=row.name, operator=row.operator,
                                 target=row.target, unit_of_measure=row.unit_of_measure, weight=row.weight,
                                 line=row.line, ambiguous=tuple(k for k in row.ambiguous if k != "actual"))
                       for row in rows)
    return TargetTable(project=project, indicators=indicators, source=ref)
