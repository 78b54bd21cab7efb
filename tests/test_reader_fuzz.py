"""Hypothesis on every reader (label-value text, JSON, xlsx, docx, PDF): mutated small files never make a
reader raise; each says what is wrong with catalogued diagnostics. CI runs a few thousand cases in all
(tests/fuzz_cases.py); ``python -m bench.fuzz`` runs 100,000 and more."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.io.limits import Limits
from tests.fuzz_cases import CASES, Case, check, mutated_part


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_no_reader_raises_on_mutated_files(case: Case) -> None:
    @settings(max_examples=case.ci_examples, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
    @given(case.strategy())
    def run(data: bytes) -> None:
        check(data, case.name)

    run()


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(("xlsx", "docx")).flatmap(mutated_part))
def test_mutated_office_files_read_the_same_way_in_the_bounded_child(data: bytes) -> None:
    """The path the server takes: the read in a child process, its results and diagnostics pickled back."""
    check(data, "fuzz-child", Limits())
