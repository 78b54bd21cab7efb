"""The rule catalogue: every rule registers itself here with its metadata."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from jixiao.domain import Severity
from jixiao.rules.model import Category, Check, Rule

RULES: dict[str, Rule] = {}  # every rule of both kinds: review (target tables) and audit (self-evaluations)


def add_rule(rule_: Rule) -> None:
    """Put a rule in the catalogue (the decorators call this). Codes are stable: never reuse one."""
    if rule_.code in RULES:
        raise ValueError(f"duplicate rule code {rule_.code}")
    RULES[rule_.code] = rule_


def rule(code: str, category: Category, severity: Severity, title: str, template: str,
         description: str, example_bad: str = "") -> Callable[[Check], Check]:
    """Register a check function as a review rule (target tables). Codes are stable: never reuse one."""

    def register(check: Check) -> Check:
        add_rule(Rule(code, category, severity, title, template, description, check, example_bad))
        return check

    return register


def fmt(value: Decimal | None) -> str:
    """A Decimal for a message: no exponent, no trailing zeros after the point."""
    if value is None:
        return "（空）"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def bands_text(bands: Sequence[tuple[str, Decimal]]) -> str:
    """Grade bands, best first, as people write them: "优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60"."""
    words = [f"{name} ≥ {fmt(minimum)}" for name, minimum in bands[:-1]]
    if bands:
        last = bands[-1][0]
        words.append(f"{last} < {fmt(bands[-2][1])}" if len(bands) > 1 else last)
    return "，".join(words)
