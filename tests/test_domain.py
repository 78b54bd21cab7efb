"""The pure model: codes, values, operators, funding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.domain import (
    CodedName,
    Direction,
    Funding,
    Operator,
    ProjectCode,
    ProjectRef,
    Value,
    parse_direction,
    parse_operator,
)
from jixiao.domain.indicator import default_direction
from jixiao.domain.text import fold_width, parse_decimal


def test_project_code_parts() -> None:
    code = ProjectCode("51000021R000000019951")
    assert (code.region, code.year, code.category, code.serial) == (
        "510000", 2021, "R", "000000019951")
    assert code.is_standard and code.category_name == "人员类"


@pytest.mark.parametrize("raw", ["500115", "50011522T00000015708", "50011522t000000157087", "X"])
def test_nonstandard_project_codes_are_kept_not_split(raw: str) -> None:
    code = ProjectCode(raw)
    assert code.raw == raw and not code.is_standard and code.year is None


def test_project_ref_suffix_and_display() -> None:
    ref = ProjectRef.parse("50011522T000000157087-免费复印（一般性）")
    assert ref is not None
    assert ref.name == "免费复印" and ref.suffix == "（一般性）"
    assert ref.display() == "50011522T000000157087-免费复印（一般性）"
    plain = ProjectRef.parse("岳阳县2022年高标准农田建设项目")
    assert plain is not None and plain.code is None
    assert plain.name == "岳阳县2022年高标准农田建设项目"
    assert ProjectRef.parse("  ") is None


def test_coded_name_keeps_full_width_name_characters() -> None:
    coded = CodedName.parse("145001－重庆市长寿区（本级）")
    assert coded == CodedName("145001", "重庆市长寿区（本级）")
    assert CodedName.parse("无编码单位") == CodedName(None, "无编码单位")


@pytest.mark.parametrize(
    ("text", "number"),
    [("15.00", Decimal("15.00")), ("１５.００", Decimal("15.00")), ("1,307,692", Decimal(1307692)),
     ("-3", Decimal(-3)), ("95%", None), ("约15", None), ("", None), ("1.2.3", None)],
)
def test_parse_decimal(text: str, number: Decimal | None) -> None:
    assert parse_decimal(text) == number


def test_decimal_keeps_published_precision() -> None:
    assert str(parse_decimal("9.60")) == "9.60"


def test_value_keeps_text_and_derives_number() -> None:
    value = Value.of(" ≥100公里 ")
    assert value is not None and value.text == "≥100公里" and value.number is None
    number = Value.of("720000")
    assert number is not None and number.number == Decimal(720000)
    assert Value.of("   ") is None


@pytest.mark.parametrize(
    ("text", "operator"),
    [("≥", Operator.GE), (">=", Operator.GE), ("≧", Operator.GE), ("＞", Operator.GT),
     (">", Operator.GT), ("═", Operator.EQ), ("＝", Operator.EQ), ("≤", Operator.LE),
     ("<", Operator.LT), ("定性", Operator.QUALITATIVE), ("定量（其他）", Operator.OTHER_QUANTITATIVE),
     ("约", None), (None, None)],
)
def test_operator_spellings(text: str | None, operator: Operator | None) -> None:
    assert parse_operator(text) is operator


def test_direction_spellings() -> None:
    assert parse_direction("正向") is Direction.POSITIVE
    assert parse_direction("反向指标") is Direction.NEGATIVE
    assert parse_direction("中性") is None


def test_funding_total_is_none_when_all_blank_and_exact_otherwise() -> None:
    assert Funding().total() is None
    assert Funding(fiscal=Decimal("10.10"), unit_own=Decimal("0.20")).total() == Decimal("10.30")


def test_fold_width_keeps_length() -> None:
    text = "项目总额：１５.００　万元"
    assert len(fold_width(text)) == len(text)
    assert fold_width(text) == "项目总额:15.00 万元"


def test_the_direction_follows_the_operator_as_the_domain_says() -> None:
    assert default_direction("≥") is default_direction("＞") is default_direction("=") is Direction.POSITIVE
    assert default_direction("≤") is default_direction("<") is Direction.NEGATIVE  # any spelling of the operator
    assert default_direction("定性") is Direction.POSITIVE  # as the published tables mark it
    assert default_direction("定量（其他）") is None and default_direction(None) is None
