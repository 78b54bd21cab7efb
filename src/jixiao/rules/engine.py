"""Run the rule catalogue over tables and produce a data-first review report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

import msgspec

from jixiao.domain import Diagnostic, SelfEvaluationTable, Severity, TableKind, TargetTable
from jixiao.domain.comparable import ComparableRange
from jixiao.domain.history import ProjectHistory
from jixiao.rules import checks as _checks  # noqa: F401  (registers the rules)
from jixiao.rules.context import TableContext
from jixiao.rules.model import Category, Finding, Location, Rule
from jixiao.rules.profile import GradePolicy, Profile
from jixiao.rules.registry import RULES
from jixiao.rules.screen import may_fire, screened_checks

ENGINE_FAULT: Final = "X001"  # a check that failed on odd data: reported, never raised


class TableReview(msgspec.Struct, frozen=True, gc=False):
    """The findings for one table and the suggested review grade (a Struct: one is made per table).

    Both kinds get one: a target table's review, and the audit of a published self-evaluation
    (:mod:`jixiao.rules.selfeval_audit`), which also carries the total and grade jixiao recomputes.
    """

    table: TargetTable | SelfEvaluationTable
    findings: tuple[Finding, ...]
    score: Decimal
    grade: str
    deductions: tuple[tuple[str, int, Decimal], ...]  # (code, counted occurrences, points)
    recomputed_score: Decimal | None = None  # self-evaluation: the 总分 recomputed with the profile's formulas
    recomputed_grade: str | None = None  # self-evaluation: its grade under the profile's [scoring] bands
    compared_with: str | None = None  # self-evaluation: where the approved target table it was held against came from

    @property
    def project_code(self) -> str | None:
        return self.table.project_code

    @property
    def kind(self) -> TableKind:
        return self.table.kind

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)


@dataclass(slots=True)
class ReviewReport:
    profile: Profile
    reviews: list[TableReview] = field(default_factory=list)
    rules: tuple[Rule, ...] = ()
    # what the readers reported (errors and warnings) on the files reviewed: a value read as blank because it
    # could not be read belongs beside the findings it explains
    reading: list[Diagnostic] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        return [finding for review in self.reviews for finding in review.findings]

    def counts(self) -> Counter[Severity]:
        return Counter(finding.severity for finding in self.findings())

    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings())


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(pattern) for pattern in patterns)


def active_rules(profile: Profile, select: Sequence[str] | None = None,
                 ignore: Sequence[str] = (), kind: TableKind = "target") -> tuple[Rule, ...]:
    """Rules to run on tables of ``kind``: ``select`` prefixes (default all), minus the profile's disabled
    rules (unless selected by exact code), minus ``ignore`` prefixes — as ruff does."""
    chosen: list[Rule] = []
    for code, rule in sorted(RULES.items()):
        if rule.kind != kind:
            continue
        if select is not None and not _matches(code, select):
            continue
        if code in profile.disabled and (select is None or code not in select):
            continue
        if _matches(code, ignore):
            continue
        chosen.append(rule)
    return tuple(chosen)


def unknown_codes(patterns: Iterable[str]) -> list[str]:
    """Patterns that match no rule (for a clear usage error)."""
    return [p for p in patterns if not any(code.startswith(p) for code in RULES)]


def _location(ctx: TableContext, field_name: str | None, indicator: int | None) -> Location:
    source = ctx.table.source
    line = source.line if source else None
    if field_name is not None:
        line = ctx.table.field_lines.get(field_name, line)
    name = None
    if indicator is not None and 0 <= indicator < len(ctx.indicators):
        item = ctx.indicators[indicator]
        name = item.name
        line = item.line or line
    return Location(field_name, indicator, name, source.file if source else None, line)


class _Plan:
    """How to run a rule list: the rules a screen stands for (by code, with their place in the
    list) and the ones that always run."""

    __slots__ = ("always", "rules", "screened")

    def __init__(self, rules: Sequence[Rule]) -> None:
        checks = screened_checks()
        self.rules = rules
        self.screened: dict[str, tuple[int, Rule]] = {}
        self.always: list[tuple[int, Rule]] = []
        for position, rule in enumerate(rules):
            if checks.get(rule.code) is rule.check and rule.code not in self.screened:
                self.screened[rule.code] = (position, rule)
            else:
                self.always.append((position, rule))

    def to_run(self, ctx: TableContext) -> Sequence[Rule]:
        """The rules that may find something, in list order (all of them if the screen failed)."""
        try:
            flagged = may_fire(ctx)
        except Exception:  # odd data: let every rule meet it and report its own fault
            return self.rules
        screened = self.screened
        chosen = [screened[code] for code in flagged if code in screened]
        if self.always:
            chosen += self.always
        elif not chosen:
            return ()
        chosen.sort()  # (place, rule): places are unique, rules are never compared
        return [rule for _, rule in chosen]


_PLANS: Final[dict[int, tuple[tuple[Rule, ...], _Plan]]] = {}  # id(rules tuple) → (the tuple, its plan)


def _plan(rules: Sequence[Rule]) -> _Plan:
    """The plan for ``rules``, kept for tuples (``active_rules`` returns one per review run)."""
    if not isinstance(rules, tuple):
        return _Plan(rules)
    kept = _PLANS.get(id(rules))
    if kept is not None and kept[0] is rules:
        return kept[1]
    if len(_PLANS) >= 32:
        _PLANS.clear()
    plan = _Plan(rules)
    _PLANS[id(rules)] = (rules, plan)
    return plan


def review_table(table: TargetTable, profile: Profile, rules: Sequence[Rule],
                 screen: bool = True, comparables: Mapping[int, ComparableRange] | None = None,
                 past: ProjectHistory | None = None) -> TableReview:
    """Review one table with ``rules`` (in their order). ``screen=False`` runs every rule even
    when :mod:`jixiao.rules.screen` says it cannot fire: the reference the screen is tested against.
    ``comparables`` are what comparable projects set for the table's rows (by row, from the indicator
    library): the caller looks them up, so the review stays pure; ``past`` is the project's history across
    years (rules P007–P010), looked up by the caller the same way."""
    ctx = TableContext(table, profile, comparables, past)
    to_run = _plan(rules).to_run(ctx) if screen else rules
    if not to_run:
        return TableReview(table, (), _FULL_MARKS, _full_marks_grade(profile.grade_policy), ())
    findings: list[Finding] = []
    # table.project_code (an interpreted property) read from the fields: a ProjectCode's raw is never None
    project = table.project
    project_code = None if project is None else project.code
    code = None if project_code is None else project_code.raw
    severities = profile.severities
    for rule in to_run:
        try:
            for hit in rule.check(ctx):
                severity = severities.get(rule.code, rule.severity)
                findings.append(Finding(rule.code, rule.category, severity, rule.title,
                                        rule.template.format(**hit.values), code,  # rule.message(hit)
                                        _location(ctx, hit.field, hit.indicator)))
        except Exception as error:
            findings.append(Finding(ENGINE_FAULT, Category.STRUCTURE, Severity.ERROR,
                                    "规则无法检查本表", f"规则 {rule.code} 检查本表时出错：{error!r}",
                                    code, _location(ctx, None, None)))
    score, deductions = _score(findings, profile)
    return TableReview(table, tuple(findings), score, profile.grade_policy.grade(score),
                       deductions)


_FULL_MARKS: Final = Decimal(100)
_FULL_GRADES: Final[dict[int, tuple[GradePolicy, str]]] = {}  # id(policy) → (the policy, its grade at 100)


def _full_marks_grade(policy: GradePolicy) -> str:
    """The grade of a table without findings (most tables), worked out once per policy."""
    kept = _FULL_GRADES.get(id(policy))
    if kept is not None and kept[0] is policy:
        return kept[1]
    if len(_FULL_GRADES) >= 32:
        _FULL_GRADES.clear()
    grade = policy.grade(_FULL_MARKS)
    _FULL_GRADES[id(policy)] = (policy, grade)
    return grade
_NOTHING: Final = Decimal(0)


def _score(findings: Sequence[Finding],
           profile: Profile) -> tuple[Decimal, tuple[tuple[str, int, Decimal], ...]]:
    """100 minus, per rule, (occurrences capped at max_per_rule) × the severity's deduction."""
    if not findings:
        return _FULL_MARKS, ()
    policy = profile.grade_policy
    per_rule: dict[str, tuple[Severity, int]] = {}
    for finding in findings:
        severity, count = per_rule.get(finding.code, (finding.severity, 0))
        per_rule[finding.code] = (severity, count + 1)
    deductions = []
    for code, (severity, count) in sorted(per_rule.items()):
        counted = min(count, policy.max_per_rule)
        points = policy.deductions.get(severity, _NOTHING) * counted
        deductions.append((code, counted, points))
    score = max(_NOTHING, _FULL_MARKS - sum((d[2] for d in deductions), _NOTHING))
    return score, tuple(deductions)


def review(tables: Iterable[TargetTable], profile: Profile, select: Sequence[str] | None = None,
           ignore: Sequence[str] = ()) -> ReviewReport:
    rules = active_rules(profile, select, ignore)
    report = ReviewReport(profile, rules=rules)
    for table in tables:
        report.reviews.append(review_table(table, profile, rules))
    return report
