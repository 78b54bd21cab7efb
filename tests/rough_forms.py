"""Generated indicator tables of both kinds, written in the rough forms real text comes in (issue 15, Proof).

A table is drawn as its oracle — the rows the reader must give back — and written as pipes (merged 一级/二级
cells printed once), one cell per line (with or without the " |" and bare "|" lines of web captures), or a
row per line with spaces; any form can be cut off after a row, as web excerpts are. The property tests in
``test_anylayout_properties.py`` read each form with the layout-independent reader and compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

# Framework levels (一级, its 二级 names), as published.
LEVELS = (("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
          ("效益指标", ("经济效益指标", "社会效益指标", "可持续影响指标")),
          ("满意度指标", ("服务对象满意度指标",)))
HAN = "补助发放人数覆盖准确及时完成宣传活动培训场次设备维护道路绿化面积受益群众居民安全事故发生率资金使用规范"
UNITS = ("个", "人", "%", "万元", "次", "平方米", "公里")
QUALITATIVE = ("优良", "有效提升", "显著改善", "达标", "持续发挥")
FORMS = ("pipes", "cell-lines-bars", "cell-lines", "words")
TARGET_HEADINGS = ("一级指标", "二级指标", "三级指标", "指标值")
SELFEVAL_HEADINGS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    name: str
    operator: str | None
    target: str
    unit: str | None
    actual: str | None = None
    weight: int | None = None
    score: int | None = None

    @property
    def target_cell(self) -> str:
        return f"{self.operator or ''}{self.target}{self.unit or ''}"


@dataclass(frozen=True)
class Drawn:
    selfeval: bool
    rows: tuple[Row, ...]

    @property
    def headings(self) -> tuple[str, ...]:
        return SELFEVAL_HEADINGS if self.selfeval else TARGET_HEADINGS


@st.composite
def _target(draw: st.DrawFn) -> tuple[str | None, str, str | None]:
    if draw(st.booleans()):
        return None, draw(st.sampled_from(QUALITATIVE)), None
    operator = draw(st.sampled_from((None, "≥", "≤", "=")))
    unit = draw(st.sampled_from(UNITS))
    top = 99 if unit == "%" else 99999  # a rate is at most 100 % (a printed 290 % is read as ≥90 %)
    figure = str(draw(st.integers(1, top))) if draw(st.booleans()) else f"{draw(st.integers(1, min(top, 999)))}.5"
    return operator, figure, unit


@st.composite
def drawn_tables(draw: st.DrawFn, selfeval: bool | None = None) -> Drawn:
    """A table of 1–8 rows under framework levels, with unique names of 4–12 characters."""
    is_selfeval = draw(st.booleans()) if selfeval is None else selfeval
    names = draw(st.lists(st.text(HAN, min_size=4, max_size=12), min_size=1, max_size=8, unique=True))
    rows: list[Row] = []
    for name in names:
        level1, level2s = draw(st.sampled_from(LEVELS))
        level2 = draw(st.sampled_from(level2s))
        operator, target, unit = draw(_target())
        actual = weight = score = None
        if is_selfeval:
            actual = f"{draw(st.integers(1, 999))}{unit}" if unit else draw(st.sampled_from(QUALITATIVE))
            weight = draw(st.integers(1, 20))
            score = draw(st.integers(0, weight))
        rows.append(Row(level1, level2, name, operator, target, unit, actual, weight, score))
    rows.sort(key=lambda row: next(i for i, (one, _two) in enumerate(LEVELS) if one == row.level1))
    return Drawn(is_selfeval, tuple(rows))


def _cells(drawn: Drawn) -> list[list[str]]:
    """Each row's printed cells; a merged 一级/二级 cell is printed on the first row of its block only."""
    out: list[list[str]] = []
    previous: tuple[str, str] | None = None
    for row in drawn.rows:
        cells: list[str] = []
        if previous is None or previous[0] != row.level1:
            cells += [row.level1, row.level2]
        elif previous[1] != row.level2:
            cells.append(row.level2)
        cells += [row.name, row.target_cell]
        if drawn.selfeval:
            cells += [row.actual or "", str(row.weight), str(row.score)]
        out.append(cells)
        previous = (row.level1, row.level2)
    return out


def write(drawn: Drawn, form: str, cut_after: int | None = None) -> str:
    """``drawn`` in ``form``; ``cut_after``: only that many rows, and nothing after them (an excerpt)."""
    rows = _cells(drawn)[:cut_after] if cut_after is not None else _cells(drawn)
    title = "2024年项目支出绩效自评表" if drawn.selfeval else "2024年项目支出绩效目标申报表"
    head = [["项目名称", "农村公益事业补助"], list(drawn.headings)]
    tail = [] if cut_after is not None else [["填表人:", "张三"]]
    lines = [title]
    for cells in head + rows + tail:
        if form == "pipes":
            lines.append(" | ".join(cells) + " |")
        elif form == "words":
            lines.append(" ".join(cells))
        else:
            if form == "cell-lines-bars":
                lines.append("|")
            lines += [f"{cell} |" if form == "cell-lines-bars" else cell for cell in cells]
    return "\n".join(lines) + "\n"


# -- rough text: OCR confusions, traditional characters with pinyin ------------------------------------------
OCR_FIGURE = str.maketrans({"0": "O", "1": "l"})


def ocr(text: str, drawn: Drawn) -> tuple[str, int]:
    """``text`` as a scan reads it: in every target cell a 0 is read as O and a 1 as l (when the figure keeps a
    true digit), 元 as 兀. Returns the text and how many cells were changed (each must be reported)."""
    changed = 0
    for row in drawn.rows:
        cell = row.target_cell
        figure = row.target
        rough = figure.translate(OCR_FIGURE)
        if rough == figure or not any(ch.isdigit() for ch in rough) or row.unit is None:
            continue
        rough_cell = f"{row.operator or ''}{rough}{row.unit}"
        if cell in text:
            text = text.replace(cell, rough_cell, 1)
            changed += 1
    return text, changed


PINYIN = {"项": "xiàng", "目": "mù", "标": "biāo"}


@lru_cache(maxsize=1)
def _to_traditional() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """``text`` in traditional characters (OpenCC s2t), with pinyin after a few characters, as mirror sites print."""
    converted = str(_to_traditional().convert(text))
    for simple, sound in PINYIN.items():
        trad = str(_to_traditional().convert(simple))
        converted = converted.replace(trad, f"{trad}({sound})")
    return converted


def traditional_oracle(value: str | None) -> str | None:
    return None if value is None else str(_to_traditional().convert(value))


def thousands(text: str, drawn: Drawn) -> tuple[str, int]:
    """``text`` with thousands separators in every integer target of four digits or more ("12,345人"), as
    published tables print them. Returns the text and how many cells were changed (each must be marked)."""
    changed = 0
    for row in drawn.rows:
        if not row.target.isdigit() or len(row.target) < 4 or row.unit is None:
            continue
        cell = row.target_cell
        rough = f"{row.operator or ''}{int(row.target):,}{row.unit}"
        if cell in text:
            text = text.replace(cell, rough, 1)
            changed += 1
    return text, changed
