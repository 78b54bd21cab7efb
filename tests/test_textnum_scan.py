"""The one-pattern scan of :func:`jixiao.rules.textnum.extract` reads what the run-by-run scan read.

The run-by-run reading is kept in ``tests/textnum_reference.py`` as the oracle; texts are drawn from
the characters that matter (digits, the decimal point, Chinese numerals, 万/亿, 余/多, 元, %, count
units, clause stops, 每/约/合计) so that every branch of the reading is met.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.rules.textnum import extract
from tests.textnum_reference import reference_extract

_PIECES = [*"0123456789.一二三两十百千零〇万亿余多元%％ 名人个件张台亩米，。；\n/每约共",
           "人次", "平方米", "千米", "千瓦时", "件次", "场次", "合计", "每月", "每季度", "预算", "资金"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join))
def test_the_scan_reads_what_the_run_by_run_reading_read(text: str) -> None:
    try:
        expected = reference_extract(text)
    except InvalidOperation:  # "3千%": the old reading raised (Decimal("3千")); the scan reads 3000
        assert [m.value for m in extract(text) if m.kind == "percent"]
        return
    assert extract(text) == expected


def test_a_number_at_the_very_end_reads_as_before_a_clause_stop() -> None:
    # The run-by-run reading took a trailing figure for a percentage ("" is in "%％") and a trailing
    # 5万 for no amount at all; the end of a goal is the end of a clause.
    assert extract("全年租赁期限12") == ()
    (money,) = extract("项目预算5万")
    assert (money.kind, money.value, money.text) == ("money", Decimal(50000), "5万")
    assert extract("项目预算5万") == extract("项目预算5万。")


def test_a_percentage_written_with_a_chinese_multiplier_does_not_raise() -> None:
    (rate,) = extract("覆盖率3千%")
    assert (rate.kind, rate.value) == ("percent", Decimal(3000))
