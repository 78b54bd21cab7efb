"""The decorator of audit rules: a check of a published self-evaluation, registered in the one catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jixiao.domain import Severity
from jixiao.rules.audit.context import AuditContext
from jixiao.rules.model import Category, Hit, Rule
from jixiao.rules.registry import add_rule

AuditCheck = Callable[[AuditContext], Iterable[Hit]]


def audit_rule(code: str, severity: Severity, title: str, template: str,
               description: str, example_bad: str = "") -> Callable[[AuditCheck], AuditCheck]:
    """Register a check function as an audit rule of published self-evaluations (category 自评审计, kind
    ``self_evaluation``: only self-evaluations are checked with it)."""

    def register(check: AuditCheck) -> AuditCheck:
        add_rule(Rule(code, Category.AUDIT, severity, title, template, description, check, example_bad,
                      "self_evaluation"))
        return check

    return register
