"""Reading numbers in prose: Chinese numerals, money, quantities, periods, stated sums."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.rules.textnum import chinese_numeral, extract, money_picture, split_unit


@pytest.mark.parametrize(
    ("text", "value"),
    [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("一百二十", 120), ("两千", 2000),
     ("三万五千", 35000), ("一亿二千万", 120_000_000), ("一千零五", 1005), ("abc", None), ("", None)],
)
def test_chinese_numerals(text: str, value: int | None) -> None:
    assert chinese_numeral(text) == (None if value is None else Decimal(value))


def _seen(text: str) -> list[tuple[str, Decimal, str, str]]:
    return [(m.kind, m.value, m.unit, m.role) for m in extract(text)]


def test_money_in_yuan_wan_and_chinese_numerals() -> None:
    assert _seen("耗材费75000元，工资77240元，合计152240元") == [
        ("money", Decimal(75000), "元", "item"), ("money", Decimal(77240), "元", "item"),
        ("money", Decimal(152240), "元", "total")]
    assert _seen("移动18万元，电信19.8万元") == [("money", Decimal(180000), "元", "item"),
                                             ("money", Decimal("198000.0"), "元", "item")]
    assert _seen("预算三万元") == [("money", Decimal(30000), "元", "item")]
    assert _seen("桶装水费5万（工作人员）") == [("money", Decimal(50000), "元", "item")]


def test_unit_prices_are_not_amounts() -> None:
    assert [m.role for m in extract("特大盆32元/盆/月，每人每月300元")] == ["unit_price", "unit_price"]


def test_quantities_periods_and_idioms() -> None:
    (paper,) = extract("每月用纸量约6万张")
    assert (paper.value, paper.unit, paper.period, paper.annual, paper.approximate) == (
        Decimal(60000), "张", "月", Decimal(720000), True)
    (staff,) = extract("聘用12名协税员")
    assert (staff.value, staff.unit) == (Decimal(12), "名")
    assert extract("一件事一次办，一张网") == ()
    assert extract("（长政务办文〔2021〕7号）12345热线") == ()
    (people,) = extract("工作人员300余人")
    assert (people.value, people.unit, people.approximate) == (Decimal(300), "名", True)
    (sms,) = extract("发送短信100万件次")
    assert (sms.value, sms.unit) == (Decimal(1_000_000), "件次")


def test_percent_keeps_its_context() -> None:
    (rate,) = extract("确保我区满意率96%以上")
    assert (rate.kind, rate.value) == ("percent", Decimal(96))
    assert "满意" in rate.context


def test_money_picture_groups_parts_and_totals() -> None:
    text = ("日常考勤289名，每人每月300元，共计104.04万元，季度考核30名，每人300元，共计3.6万元，"
            "考勤与考核总计107.64万元。培训合同19万元。")
    picture = money_picture(extract(text))
    assert [m.text for m in picture.top_level] == ["107.64万元", "19万元"]
    assert picture.total == Decimal("1266400.00")
    assert picture.bad_sums == ()
    bad = money_picture(extract("耗材75000元，工资77240元，合计160000元"))
    (stated, parts), = bad.bad_sums
    assert stated.value == 160000 and [p.value for p in parts] == [75000, 77240]


def test_split_unit() -> None:
    assert split_unit("万件次") == ("件次", Decimal(10000))
    assert split_unit("人") == ("名", Decimal(1))
    assert split_unit("平米") == ("平方米", Decimal(1))


# The names holding a profile's words are found without a regular expression on the hot path (each
# name's answer is kept, rules/context.py): held to the regular expression it replaces.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_NAMES = st.lists(st.one_of(st.none(), st.text(alphabet="提高加强群众满意度约左右购置经费培训", max_size=8)),
                  max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAMES, min_size=1, max_size=4))
def test_names_with_words_agree_with_the_regular_expression_on_every_table(tables: list[list[str | None]]) -> None:
    from msgspec.structs import replace

    from jixiao import profiles
    from jixiao.rules.context import TableContext, word_finder
    from tests.rule_cases import clean_table, ind

    profile = profiles.load("chongqing").rules
    for words in (profile.vague_words, profile.input_words, ("加强", "提高"), ("",)):
        finder = word_finder(words)
        assert finder is not None
        for names in tables:  # the same names again in later tables: what is kept must still be right
            rows = tuple(ind("产出指标", "数量指标", name or "", "≥", None, "1", "项", 10) for name in names)
            rows = tuple(replace(row, name=name) for row, name in zip(rows, names, strict=True))
            ctx = TableContext(replace(clean_table(), indicators=rows), profile)
            expected = [(i, m.group()) for i, name in enumerate(names) if (m := finder.search(name or ""))]
            assert ctx.names_with(words) == expected
