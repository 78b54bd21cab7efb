"""The rule catalogue: every rule registers itself here with its metadata."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jixiao.domain import Severity
from jixiao.rules.model import AuditCheck, Category, Check, Rule

RULES: dict[str, Rule] = {}  # every rule of both kinds: review (target tables) and audit (self-evaluations)


def _add(rule_: Rule) -> None:
    if rule_.code in RULES:
        raise ValueError(f"duplicate rule code {rule_.code}")
    RULES[rule_.code] = rule_


def rule(code: str, category: Category, severity: Severity, title: str, template: str,
         description: str, example_bad: str = "") -> Callable[[Check], Check]:
    """Register a check function as a review rule (target tables). Codes are stable: never reuse one."""

    def register(check: Check) -> Check:
        _add(Rule(code, category, severity, title, template, description, check, example_bad))
        return check

    return register


def audit_rule(code: str, severity: Severity, title: str, template: str,
               description: str, example_bad: str = "") -> Callable[[AuditCheck], AuditCheck]:
    """Register a check function as an audit rule of published self-evaluations (category 自评审计)."""

    def register(check: AuditCheck) -> AuditCheck:
        _add(Rule(code, Category.AUDIT, severity, title, template, description, check, example_bad,
                  "self_evaluation"))
        return check

    return register


def fmt(value: Decimal | None) -> str:
    """A Decimal for a message: no exponent, no trailing zeros after the point."""
    if value is None:
        return "（空）"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
