"""A self-evaluation form printed in traditional characters reads in every layout, not only in the rough ones.

Seen failing before: jixiao's own workbook and text form converted to traditional characters ("項目名稱",
"年度資金總額", "實際完成值") read as a table without rows, or as no table (the row grammar compared words
without OpenCC)."""

from __future__ import annotations

import io

import opencc
import openpyxl

from jixiao.domain import SelfEvaluationTable
from jixiao.io.limits import Limits
from jixiao.io.office.selfeval_xlsx_writer import write_selfeval_xlsx
from jixiao.io.reading import read_bytes
from jixiao.io.writers.selfeval_text import format_selfeval
from tests.rule_cases import clean_selfeval_table

_TRADITIONAL = opencc.OpenCC("s2t")


def _tables(data: bytes, name: str) -> list[SelfEvaluationTable]:
    return [r.table for r in read_bytes(data, name, limits=Limits(isolate=False))
            if isinstance(r.table, SelfEvaluationTable)]


def test_a_workbook_in_traditional_characters() -> None:
    original = clean_selfeval_table()
    book = openpyxl.load_workbook(io.BytesIO(write_selfeval_xlsx([original])))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = _TRADITIONAL.convert(cell.value)
    out = io.BytesIO()
    book.save(out)
    (table,) = _tables(out.getvalue(), "繁體.xlsx")
    assert len(table.indicators) == len(original.indicators)
    assert [i.score for i in table.indicators] == [i.score for i in original.indicators]
    assert [i.weight for i in table.indicators] == [i.weight for i in original.indicators]
    assert table.published_total_score == original.published_total_score
    assert table.budget is not None and original.budget is not None
    assert table.budget.spent_wan == original.budget.spent_wan
    assert table.indicators[0].name == _TRADITIONAL.convert(original.indicators[0].name or "")  # as printed


def test_the_text_form_in_traditional_characters() -> None:
    original = clean_selfeval_table()
    (table,) = _tables(_TRADITIONAL.convert(format_selfeval(original)).encode("utf-8"), "繁體.txt")
    assert len(table.indicators) == len(original.indicators)
    assert table.published_total_score == original.published_total_score
