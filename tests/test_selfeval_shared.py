"""The words and helpers every self-evaluation reader shares (selfeval_shared): one behaviour for all layouts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.domain import Value
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words
from jixiao.io.readers.selfeval.text import weight_note, without_weight_note
from jixiao.io.readers.selfeval_shared import block_weight, split_subrow, yuan_message, yuan_to_wan
from jixiao.io.readers.selfeval_vocabulary import BLANK_MARKS


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


def test_every_reader_looks_its_words_up_in_the_one_vocabulary() -> None:
    import jixiao.io.readers.selfeval.form as form
    import jixiao.io.readers.selfeval.runon as runon

    assert form.words is runon.words is vocabulary
    assert selfeval_words.vocabulary is vocabulary
    assert BLANK_MARKS <= vocabulary.PLACEHOLDERS
    assert BLANK_MARKS <= vocabulary.FIGURE_BLANKS
    # a spelling learnt for one layout is known to every layout
    assert selfeval_words.label_field("填表人") == "evaluator" and form.words.LABELS["填表人"] == "evaluator"
    assert selfeval_words.indicator_column("指标得分") == "score"


def _seed_form_first_table() -> list[str]:
    from pathlib import Path

    text = (Path(__file__).parent / "data" / "selfeval_tables" / "seed_form.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    return lines[: lines.index("填报日期：2023-01-14") + 1]


def test_a_label_spelling_learnt_from_a_real_layout_is_read_in_the_text_form() -> None:
    """填表人/填表日期 came from the real published layouts; the text form knows them through the one vocabulary."""
    from jixiao.io.readers.selfeval_text import SelfEvalTextReader

    lines = [line.replace("填报人", "填表人").replace("填报日期", "填表日期") for line in _seed_form_first_table()]
    [result] = list(SelfEvalTextReader().read(enumerate(lines, 1), "t.txt"))
    assert result.table is not None and not result.diagnostics
    assert (result.table.evaluator, result.table.evaluated_on) == ("孙磊", "2023-01-14")


def test_a_label_spelling_learnt_from_the_text_form_is_read_in_a_grid() -> None:
    """年度 and 项目单位 came from the text form's words; a sheet knows them through the one vocabulary."""
    from jixiao.io.readers.grid import GridRow, read_rows

    rows = [("项目支出绩效自评表",), ("项目名称", "课桌椅采购", "项目单位", "某中学"), ("年度", "2023"),
            ("项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
            ("年度资金总额", "10", "10", "9", "10", "90%", "9"),
            ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"),
            ("产出指标", "数量指标", "课桌椅数量", "≥100套", "100套", "90", "90")]
    grid = [GridRow(cells, tuple(f"Sheet1!{chr(65 + i)}{n}" for i in range(len(cells))), n)
            for n, cells in enumerate(rows, 1)]
    [result] = list(read_rows(grid, "t.xlsx"))
    table = result.table
    assert table is not None and table.kind == "self_evaluation", result.diagnostics
    assert table.year == 2023 and table.implementing_unit is not None and table.implementing_unit.name == "某中学"
    assert [(i.name, i.operator, i.target, i.unit_of_measure) for i in table.indicators] == [
        ("课桌椅数量", "≥", Value.of("100"), "套")]


@pytest.mark.parametrize(("cell", "expected"), [
    ("李宁0557-5788003", ("李宁", "0557-5788003")),
    ("王芳 13800000000", ("王芳", "13800000000")),
    ("李宁（0557-5788003）", ("李宁", "0557-5788003")),  # a sheet's bracketed phone
    ("张三，电话：0871-1234567", ("张三", "0871-1234567")),
    ("旷建成、向建军", ("旷建成、向建军", None)),  # two people, no phone: kept as printed
    ("12345", ("12345", None)),  # too short for a phone
])
def test_a_person_and_phone_cell_is_split_the_same_way_by_every_reader(cell: str,
                                                                       expected: tuple[str | None, ...]) -> None:
    from jixiao.io.readers.selfeval_shared import split_contact

    assert split_contact(cell) == expected
