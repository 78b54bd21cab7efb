"""The words and helpers every self-evaluation reader shares (selfeval_shared): one behaviour for all layouts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.io.readers import selfeval_cells, selfeval_vocabulary, selfeval_words
from jixiao.io.readers.selfeval import vocabulary as real_words
from jixiao.io.readers.selfeval.text import weight_note, without_weight_note
from jixiao.io.readers.selfeval_shared import BLANK_MARKS, block_weight, split_subrow, yuan_message, yuan_to_wan


@pytest.mark.parametrize(("text", "expected"), [
    ("产出指标(50分)", ("产出指标", Decimal(50), False)),
    ("产出指标（50）", ("产出指标", Decimal(50), False)),
    ("产出指标（１２.５分）", ("产出指标", Decimal("12.5"), False)),  # full-width digits; the name as printed
    ("产出指标50分", ("产出指标", Decimal(50), False)),
    ("产出指标（五十分）", ("产出指标", None, True)),  # a weight printed, but not a number
    ("效益指标(社会)", ("效益指标(社会)", None, False)),  # a note, not a weight
    ("满意度指标", ("满意度指标", None, False)),
])
def test_a_block_weight_is_read_the_same_way_by_every_reader(text: str, expected: tuple[object, ...]) -> None:
    assert block_weight(text) == expected
    name, weight, _ = expected
    assert selfeval_words.split_level1(text)[:2] == (name, weight)
    assert selfeval_cells.level1_cell(text, lambda *_: None) == (name, weight)
    assert (without_weight_note(text), weight_note(text)) == (name, weight)


@pytest.mark.parametrize(("cell", "expected"), [
    ("其中：A4纸张", ("A4纸张", None, True)),
    ("其中:A4纸张", ("A4纸张", None, True)),
    ("其中纸张使用量（上半年）", ("纸张使用量（上半年）", None, True)),
    ("其中（纸张使用量）：A4纸", ("A4纸", "纸张使用量", True)),  # names its parent
    ("纸张使用量", ("纸张使用量", None, False)),
    (None, (None, None, False)),
])
def test_a_subrow_name_and_its_parent(cell: str | None, expected: tuple[object, ...]) -> None:
    assert split_subrow(cell) == expected


def test_yuan_become_wan_exactly_with_one_wording() -> None:
    assert yuan_to_wan(Decimal("387664.62")) == Decimal("38.766462")
    assert yuan_message("年度资金总额", [("150,000.00元", Decimal("15"))]) == (
        "项目资金以元为单位，“年度资金总额”的金额已换算为万元（÷ 10000）：150,000.00 元 = 15 万元")


def test_the_three_vocabularies_share_one_list_of_funding_words_and_blank_marks() -> None:
    assert selfeval_vocabulary.FUNDING_ROW_KEYS is selfeval_words.FUNDING_LABELS is real_words.FUNDING_ROWS
    assert selfeval_vocabulary.FUNDING_COLUMNS is selfeval_words.FUNDING_COLUMNS
    assert selfeval_vocabulary.GRADES is real_words.GRADES
    assert BLANK_MARKS <= selfeval_cells.BLANK_MARKS and BLANK_MARKS <= selfeval_words.PLACEHOLDERS
    assert BLANK_MARKS <= real_words.BLANKS
