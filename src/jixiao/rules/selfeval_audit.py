"""Audit published self-evaluation tables (自评审计) with the rules of :mod:`jixiao.rules.audit`.

:func:`audit_self_evaluation` audits one table and returns the same :class:`TableReview` a target table's
review gives (findings, the suggested grade from the same deductions, and the 总分 jixiao recomputes), so
every renderer, the JSON report and the pages show both kinds. :func:`review_any` reviews a mixed list,
choosing the rule set by each table's kind, as ``jixiao check`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

from jixiao.domain import AnyTable, SelfEvaluationTable, Severity, TargetTable
from jixiao.domain.comparable import ComparableRange
from jixiao.rules import audit as _audit  # noqa: F401  (registers the audit rules)
from jixiao.rules.audit.context import AuditContext
from jixiao.rules.engine import ENGINE_FAULT, ReviewReport, TableReview, _score, active_rules, review_table
from jixiao.rules.model import Category, Finding, Location, Rule
from jixiao.rules.profile import Profile

# The approved target table of a self-evaluation's project, when the caller holds it.
Approved = Callable[[SelfEvaluationTable], TargetTable | None]
# What comparable projects set for a target table's rows (from the indicator library, looked up by the caller)
Comparables = Callable[[TargetTable], Mapping[int, ComparableRange]]

_DEFAULT_RULES: Final[dict[int, tuple[Profile, tuple[Rule, ...]]]] = {}  # id(profile) → (profile, its rules)


def active_audit_rules(profile: Profile, select: Sequence[str] | None = None,
                       ignore: Sequence[str] = ()) -> tuple[Rule, ...]:
    """The audit rules to run, chosen like the review's (``select``/``ignore`` prefixes, the profile's disabled)."""
    if select is None and not ignore:
        kept = _DEFAULT_RULES.get(id(profile))
        if kept is not None and kept[0] is profile:
            return kept[1]
    rules = active_rules(profile, select, ignore, kind="self_evaluation")
    if select is None and not ignore:
        if len(_DEFAULT_RULES) >= 32:
            _DEFAULT_RULES.clear()
        _DEFAULT_RULES[id(profile)] = (profile, rules)
    return rules


def _location(ctx: AuditContext, field: str | None, indicator: int | None) -> Location:
    source = ctx.table.source
    line = source.line if source else None
    if field is not None:
        line = ctx.table.field_lines.get(field, line)
    name = None
    if indicator is not None and 0 <= indicator < len(ctx.indicators):
        item = ctx.indicators[indicator]
        name = item.name
        line = item.line or line
    return Location(field, indicator, name, source.file if source else None, line)


def audit_self_evaluation(table: SelfEvaluationTable, profile: Profile, approved: TargetTable | None = None,
                          rules: Sequence[Rule] | None = None) -> TableReview:
    """Audit one published self-evaluation; ``approved`` is the approved target table of the same project
    (targets, weights and indicators are then compared with it). ``rules`` defaults to every audit rule the
    profile enables. Bad data never raises: a rule that fails reports the engine fault (X001)."""
    to_run = active_audit_rules(profile) if rules is None else rules
    code = table.project_code
    try:
        ctx = AuditContext(table, profile, approved)
    except Exception as error:  # odd data the recomputation cannot take: said, never raised
        source = table.source
        fault = Finding(ENGINE_FAULT, Category.AUDIT, Severity.ERROR, "规则无法检查本表",
                        f"无法复算本表：{error!r}", code,
                        Location(None, None, None, source.file if source else None, source.line if source else None))
        score, deductions = _score([fault], profile)
        return TableReview(table, (fault,), score, profile.grade_policy.grade(score), deductions)
    findings: list[Finding] = []
    severities = profile.severities
    for rule in to_run:
        try:
            for hit in rule.check(ctx):
                findings.append(Finding(rule.code, rule.category, severities.get(rule.code, rule.severity),
                                        rule.title, rule.message(hit), code, _location(ctx, hit.field, hit.indicator)))
        except Exception as error:
            findings.append(Finding(ENGINE_FAULT, Category.AUDIT, Severity.ERROR, "规则无法检查本表",
                                    f"规则 {rule.code} 检查本表时出错：{error!r}", code, _location(ctx, None, None)))
    score, deductions = _score(findings, profile)
    compared = None
    if approved is not None:
        compared = approved.source.file if approved.source and approved.source.file else "（未注明来源的目标表）"
    return TableReview(table, tuple(findings), score, profile.grade_policy.grade(score), deductions,
                       ctx.recomputed_total, ctx.recomputed_grade, compared)


def audit(tables: Iterable[SelfEvaluationTable], profile: Profile, select: Sequence[str] | None = None,
          ignore: Sequence[str] = (), approved: Approved | None = None) -> ReviewReport:
    """Audit many self-evaluations into one report; ``approved`` finds a table's approved target table."""
    rules = active_audit_rules(profile, select, ignore)
    report = ReviewReport(profile, rules=rules)
    for table in tables:
        report.reviews.append(audit_self_evaluation(table, profile, approved(table) if approved else None, rules))
    return report


def review_any(tables: Iterable[AnyTable], profile: Profile, select: Sequence[str] | None = None,
               ignore: Sequence[str] = (), approved: Approved | None = None,
               comparables: Comparables | None = None) -> ReviewReport:
    """Review target tables and audit self-evaluations, in their order, each with its kind's rules; a target
    table is compared with what ``comparables`` gives for it (rule P006; none without it).

    ``report.rules`` lists the rules of the kinds met (review rules first); with no table at all, the review's.
    """
    review_rules: tuple[Rule, ...] | None = None
    audit_rules: tuple[Rule, ...] | None = None
    reviews: list[TableReview] = []
    for table in tables:
        if isinstance(table, SelfEvaluationTable):
            if audit_rules is None:
                audit_rules = active_audit_rules(profile, select, ignore)
            reviews.append(audit_self_evaluation(table, profile, approved(table) if approved else None, audit_rules))
        else:
            if review_rules is None:
                review_rules = active_rules(profile, select, ignore)
            reviews.append(review_table(table, profile, review_rules,
                                        comparables=comparables(table) if comparables is not None else None))
    if review_rules is None and audit_rules is None:
        review_rules = active_rules(profile, select, ignore)
    return ReviewReport(profile, reviews, (review_rules or ()) + (audit_rules or ()))
