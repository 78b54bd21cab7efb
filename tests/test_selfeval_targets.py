"""A 年度指标值 cell is taken apart the same way in every layout: the row grammar (sheets, Word, PDF, the text
form) and the reader of rough real layouts share :func:`jixiao.io.readers.selfeval_words.split_target`.

Seen failing before: "95%以上" kept "%以上" as its unit in a sheet (so A003 could not see a missed target),
"95%及以上" became ≥ 95 "%及" in the real-layout reader, and "大于等于95%" and "定性：好" were split by one
path only."""

from __future__ import annotations

import pytest

from jixiao.io.readers.selfeval.indicators import split_target as rough_split
from jixiao.io.readers.selfeval_words import split_target

CELLS = [
    ("95%以上", ("≥", "95", "%")),
    ("95%及以上", ("≥", "95", "%")),
    ("大于等于95%", ("≥", "95", "%")),
    ("≧100%", ("≥", "100", "%")),
    ("≤90万元", ("≤", "90", "万元")),
    ("720000张", (None, "720000", "张")),
    ("定性：好", ("定性", "好", None)),
    ("达成预期指标", (None, "达成预期指标", None)),
]


@pytest.mark.parametrize(("cell", "expected"), CELLS)
def test_both_paths_split_a_target_cell_alike(cell: str, expected: tuple[str | None, str, str | None]) -> None:
    assert split_target(cell) == expected
    assert rough_split(cell, has_unit=False) == expected


def test_a_printed_column_is_left_alone() -> None:
    # with a 指标性质 column, no operator is looked for in the cell; with a 度量单位 column, no unit
    assert split_target("≥95%", operator=False) == (None, "≥95%", None)
    assert split_target("≥95%", unit=False) == ("≥", "95%", None)
