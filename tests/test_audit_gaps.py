"""Audit gaps found in review of issue 14: weights absent (A007), a 总分 that is blank or could not be read
beside a grade (A011 against the recomputed total, A023)."""

from __future__ import annotations

from decimal import Decimal

from jixiao import profiles
from jixiao.domain import SelfEvaluationTable
from jixiao.rules import audit_self_evaluation
from jixiao.rules.engine import ENGINE_FAULT
from tests.rule_cases import clean_selfeval_table, clean_table, row, rows, top, total_row

D = Decimal


def found(table: SelfEvaluationTable, profile: str = "chongqing") -> dict[str, str]:
    review = audit_self_evaluation(table, profiles.load(profile).rules, clean_table())
    codes = {f.code: f.message for f in review.findings}
    assert ENGINE_FAULT not in codes
    return codes


_NO_WEIGHTS = rows(*(row(i, weight=None) for i in range(4)))


def test_a007_fires_when_every_indicator_weight_is_absent_beside_a_printed_execution_weight() -> None:
    codes = found(_NO_WEIGHTS(clean_selfeval_table()))
    assert "A007" in codes
    assert "资金执行率 10" in codes["A007"] and "未列分值" in codes["A007"] and "应为 100" in codes["A007"]


def test_a007_fires_when_a_row_has_a_score_but_no_weight() -> None:
    # 50 + 30 + 10 + 10 = 100 without the row, yet the row was scored: the weights cannot be right
    table = rows(row(0, weight=None), row(1, weight="50"))(clean_selfeval_table())
    codes = found(table)
    assert "A007" in codes
    assert "「纸张使用量」" in codes["A007"] and "24.31" in codes["A007"]


def test_a007_is_quiet_when_weights_are_absent_and_nothing_is_printed_that_needs_them() -> None:
    table = rows(_NO_WEIGHTS, *(row(i, score=None) for i in range(4)),
                 total_row(execution_weight=None, execution_score=None))(clean_selfeval_table())
    assert "A007" not in found(table)


def test_a011_compares_the_grade_with_the_recomputed_total_when_the_total_is_unreadable() -> None:
    # recomputed 98.84 → 优; a published 良 beside a total that could not be read is still wrong
    codes = found(top(published_total_score=None, published_grade="良")(clean_selfeval_table()))
    assert "A011" in codes and "98.84" in codes["A011"] and "复算" in codes["A011"]
    assert "A011" not in found(top(published_total_score=None)(clean_selfeval_table()))


def test_a023_flags_a_blank_or_unreadable_total_beside_a_grade() -> None:
    codes = found(top(published_total_score=None)(clean_selfeval_table()))
    assert "A023" in codes
    assert "自评等级“优”" in codes["A023"] and "98.84" in codes["A023"]


def test_a_table_cut_off_before_its_total_is_not_said_to_lack_one() -> None:
    # the capture stops before 总分 (table-cut-off says so): neither A023 nor A011 against a partial recomputation
    cut = top(published_total_score=None, published_grade="良", cut_off=True)(clean_selfeval_table())
    codes = found(cut)
    assert "A023" not in codes and "A011" not in codes
