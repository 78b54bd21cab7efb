"""Every rule has a case that triggers it and inputs that do not; clean tables pass. Both kinds: the review of
target tables (CASES) and the audit of published self-evaluations (AUDIT_CASES, category 自评审计)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from jixiao import profiles
from jixiao.domain import SelfEvaluationTable, Severity, TargetTable
from jixiao.rules import RULES, audit_self_evaluation, review
from jixiao.rules.engine import ENGINE_FAULT, active_rules, review_table
from jixiao.rules.model import Category
from tests.rule_cases import (
    AUDIT_CASES,
    CASES,
    HISTORY_CASES,
    LIBRARY_CASES,
    clean_central_table,
    clean_selfeval_table,
    clean_table,
    ind,
)

ROOT = Path(__file__).resolve().parents[1]


def codes(table: TargetTable, profile: str, select: list[str] | None = None) -> list[str]:
    report = review([table], profiles.load(profile).rules, select)
    return [finding.code for finding in report.findings()]


def audited(table: SelfEvaluationTable, profile: str) -> list[str]:
    """The codes the audit finds, with the project's approved target table (clean_table) beside it."""
    return [finding.code for finding in audit_self_evaluation(table, profiles.load(profile).rules,
                                                              clean_table()).findings]


def test_every_rule_has_a_case_and_there_are_at_least_30() -> None:
    assert len(RULES) >= 30
    assert sorted(CASES | AUDIT_CASES | LIBRARY_CASES | HISTORY_CASES) == sorted(RULES)
    assert not set(CASES) & set(AUDIT_CASES) and not set(LIBRARY_CASES) & (set(CASES) | set(AUDIT_CASES))
    assert not set(HISTORY_CASES) & (set(CASES) | set(AUDIT_CASES) | set(LIBRARY_CASES))
    audit_codes = {code for code, rule in RULES.items() if rule.category is Category.AUDIT}
    assert audit_codes == set(AUDIT_CASES) and len(audit_codes) >= 20
    assert all(RULES[code].kind == "self_evaluation" for code in audit_codes)
    assert all(rule.kind == "target" for code, rule in RULES.items() if code not in audit_codes)


def test_every_rule_is_documented() -> None:
    text = (ROOT / "docs" / "rules.md").read_text("utf-8")
    for code, rule in RULES.items():
        assert f"#### {code} {rule.title}" in text
        assert rule.description and rule.title and rule.template


@pytest.mark.parametrize("profile", ["national", "chongqing"])
def test_the_clean_table_has_no_findings(profile: str) -> None:
    assert codes(clean_table(), profile) == []


def test_the_clean_central_table_has_no_findings() -> None:
    assert codes(clean_central_table(), "central-2021") == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_triggers(code: str) -> None:
    profile, change, _ = CASES[code]
    found = codes(change(clean_table()), profile)
    assert code in found, found
    assert ENGINE_FAULT not in found


@pytest.mark.parametrize("code", sorted(c for c, case in CASES.items() if case[2] is not None))
def test_rule_near_miss_does_not_trigger(code: str) -> None:
    profile, _, near_miss = CASES[code]
    assert near_miss is not None
    assert code not in codes(near_miss(clean_table()), profile)


@pytest.mark.parametrize("profile", ["national", "chongqing", "central-2021"])
def test_the_clean_self_evaluation_has_no_findings(profile: str) -> None:
    assert audited(clean_selfeval_table(), profile) == []


@pytest.mark.parametrize("code", sorted(AUDIT_CASES))
def test_audit_rule_triggers(code: str) -> None:
    profile, change, _ = AUDIT_CASES[code]
    found = audited(change(clean_selfeval_table()), profile)
    assert code in found, found
    assert ENGINE_FAULT not in found


@pytest.mark.parametrize("code", sorted(AUDIT_CASES))
def test_audit_rule_near_miss_does_not_trigger(code: str) -> None:
    profile, _, near_miss = AUDIT_CASES[code]
    assert near_miss is not None  # every audit rule has one
    found = audited(near_miss(clean_selfeval_table()), profile)
    assert code not in found, found
    assert ENGINE_FAULT not in found


def test_target_reviews_run_no_audit_rule_and_audits_no_review_rule() -> None:
    profile = profiles.load("chongqing").rules
    assert all(rule.kind == "target" for rule in active_rules(profile))
    assert not {f.code for f in review([clean_table()], profile).findings()} & set(AUDIT_CASES)
    broken = AUDIT_CASES["A009"][1](clean_selfeval_table())
    assert {code[0] for code in audited(broken, "chongqing")} == {"A"}


def test_messages_show_their_arithmetic() -> None:
    profile, change, _ = CASES["T002"]
    report = review([change(clean_table())], profiles.load(profile).rules, ["T002"])
    (finding,) = report.findings()
    assert "（75000元 + 77200元） = 152200元（15.22万元）" in finding.message
    assert "项目总额为 20.00 万元" in finding.message and "相差 4.78 万元" in finding.message
    _, change, _ = CASES["T005"]
    (finding,) = review([change(clean_table())], profiles.load("chongqing").rules, ["T005"]).findings()
    assert "每月5万张 × 12 = 600000张" in finding.message and "720000张" in finding.message


def test_central_profile_requires_cost_indicators() -> None:
    assert "S004" in codes(clean_table(), "central-2021")


def test_profile_severity_override_and_disable(tmp_path: Path) -> None:
    source = (ROOT / "src/jixiao/rules/profiles/national.toml").read_text("utf-8")
    custom = source.replace('name = "national"', 'name = "my-bureau"').replace(
        "[rules.severity]", '[rules.severity]\n"Q006" = "error"').replace(
        "disabled = []", 'disabled = ["P005"]')
    path = tmp_path / "bureau.toml"
    path.write_text(custom, "utf-8")
    profile = profiles.load(str(path)).rules
    table = CASES["Q006"][1](CASES["P005"][1](clean_table()))
    findings = review([table], profile).findings()
    assert [(f.code, f.severity) for f in findings] == [("Q006", Severity.ERROR)]


def test_select_and_ignore_work_like_ruff() -> None:
    profile = profiles.load("chongqing").rules
    assert {r.code[0] for r in active_rules(profile, ["T"])} == {"T"}
    assert "T002" not in {r.code for r in active_rules(profile, None, ["T00"])}
    assert "C012" not in {r.code for r in active_rules(profile)}  # disabled by the profile
    assert "C012" in {r.code for r in active_rules(profile, ["C012"])}  # unless asked for


def test_grade_follows_the_documented_formula() -> None:
    profile = profiles.load("chongqing").rules
    clean = review_table(clean_table(), profile, active_rules(profile))
    assert (clean.score, clean.grade) == (Decimal(100), "优")
    broken = replace(clean_table(), total_wan=None, execution_weight=None, annual_goal=None)
    result = review_table(broken, profile, active_rules(profile))
    assert [code for code, _, _ in result.deductions] == ["C006", "C007", "C008", "C009"] or \
        result.score == Decimal(100) - sum(points for _, _, points in result.deductions)
    assert result.score == Decimal(100) - sum(points for _, _, points in result.deductions)
    assert result.grade == "差" if result.score < 60 else result.grade in ("中", "良", "优")


_LEVEL2 = {"产出指标": ["数量指标", "质量指标", "时效指标"], "效益指标": ["社会效益指标", "经济效益指标"]}


@st.composite
def clean_tables(draw: st.DrawFn) -> TargetTable:
    """Tables built to pass: weights split 50/30/10, targets numeric with units."""
    output_count = draw(st.integers(1, 3))
    benefit_count = draw(st.integers(1, 2))
    items = []
    for level1, total, count in (("产出指标", 50, output_count), ("效益指标", 30, benefit_count)):
        weights = [total // count] * count
        weights[0] += total - sum(weights)
        for n, weight in enumerate(weights):
            level2 = draw(st.sampled_from(_LEVEL2[level1]))
            target = draw(st.integers(1, 10_000))
            items.append(ind(level1, level2, f"{level1[:2]}指标{n}", "≥", str(target), str(target),
                             draw(st.sampled_from(["项", "个", "小时"])), weight))
    items.append(ind("满意度指标", "服务对象满意度指标", "群众满意度", "≥", None,
                     str(draw(st.integers(80, 99))), "%", 10))
    total = Decimal(draw(st.integers(1, 100_000))) / 100
    return replace(clean_table(), indicators=tuple(items), total_wan=total,
                   funding=replace(clean_table().funding, fiscal=total),
                   annual_goal="保障区行政服务中心正常运转，提升办事群众的便利度。")


@settings(max_examples=60, deadline=None)
@given(clean_tables())
def test_generated_clean_tables_have_no_error_findings(table: TargetTable) -> None:
    report = review([table], profiles.load("national").rules)
    assert [f for f in report.findings() if f.severity is Severity.ERROR] == []
