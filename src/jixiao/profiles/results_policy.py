"""A profile's ``[results]`` table (结果应用), parsed and checked when the profile is loaded.

```toml
[results]
source = "《××市预算绩效管理结果应用办法》"
audit_errors_at_least = 1
audit = { action = "约谈", source = "……" }
[results.grade]
"优" = { action = "优先保障" }
"中" = { action = "核减", percent = 10, source = "……" }
[results.light]
"红" = { action = "核减", percent = 10 }
```

Absent, the defaults of :mod:`jixiao.domain.results_policy` apply. A grade the profile's scoring does not have,
an unknown action or a 核减 without its share is refused in Chinese, naming the key.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from jixiao.domain.results_policy import BudgetAction, ResultRule, ResultsPolicy

LIGHTS = ("红", "黄", "蓝", "绿")
_KEYS = {"source", "audit_errors_at_least", "audit", "grade", "light"}


def results_policy(section: Any, source: str, grades: Collection[str]) -> ResultsPolicy:
    """``grades``: the grade names of the profile's scoring (a mapping must name one of them)."""
    if section is None:
        return ResultsPolicy()
    where = f"配置 {source}：[results]"
    if not isinstance(section, dict) or set(section) - _KEYS:
        raise ValueError(f"{where} 只能含 {'、'.join(sorted(_KEYS))}")
    defaults = ResultsPolicy()
    by_grade = dict(defaults.by_grade)
    if "grade" in section:
        by_grade = _rules(section["grade"], f"{where}.grade", grades, "等级")
    by_light = dict(defaults.by_light)
    if "light" in section:
        by_light = _rules(section["light"], f"{where}.light", LIGHTS, "监控灯")
    threshold = section.get("audit_errors_at_least", defaults.audit_errors_at_least)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"{where}.audit_errors_at_least 应为正整数（审计发现几处错误起适用 audit 的安排）")
    audit = _rule(section["audit"], f"{where}.audit") if "audit" in section else defaults.audit_rule
    text = section.get("source", "")
    if not isinstance(text, str):
        raise ValueError(f"{where}.source 应为文字（结果应用办法的名称）")
    text = text.strip()

    def sourced(rule: ResultRule) -> ResultRule:  # a rule without its own source cites the section's document
        return rule if rule.source or not text else ResultRule(rule.action, rule.percent, text)

    return ResultsPolicy(MappingProxyType({key: sourced(rule) for key, rule in by_grade.items()}),
                         MappingProxyType({key: sourced(rule) for key, rule in by_light.items()}), threshold,
                         sourced(audit) if audit else None, text)


def _rules(table: Any, where: str, allowed: Collection[str], what: str) -> dict[str, ResultRule]:
    if not isinstance(table, dict):
        raise ValueError(f"{where} 应为“{what} = {{ action = …, percent = …, source = … }}”的表")
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise ValueError(f"{where} 中的{what}“{'、'.join(unknown)}”不存在（可用：{'、'.join(allowed)}）")
    return {str(key): _rule(value, f"{where}.“{key}”") for key, value in table.items()}


def _rule(value: Any, where: str) -> ResultRule:
    actions = [action.value for action in BudgetAction]
    if not isinstance(value, dict) or value.get("action") not in actions:
        got = value.get("action") if isinstance(value, dict) else value
        raise ValueError(f"{where} 的 action 应为 {'、'.join(actions)} 之一，实际为 {got!r}")
    action = BudgetAction(value["action"])
    unknown = sorted(set(value) - {"action", "percent", "source"})
    if unknown:
        raise ValueError(f"{where} 含未知的项：{'、'.join(unknown)}（可用：action、percent、source）")
    percent = Decimal(0)
    if action is BudgetAction.CUT:
        raw = value.get("percent")
        try:
            percent = Decimal(str(raw)) if not isinstance(raw, bool) and isinstance(raw, (int, float,
                                                                                          str)) else Decimal(-1)
        except InvalidOperation:
            percent = Decimal(-1)
        if not percent.is_finite() or not 0 < percent <= 100:
            raise ValueError(f"{where}：核减须写明 percent（0–100 之间的比例，如 10 表示 10%），实际为 {raw!r}")
    elif "percent" in value:
        raise ValueError(f"{where}：只有“核减”带 percent，“{action.value}”不带")
    source = value.get("source", "")
    if not isinstance(source, str):
        raise ValueError(f"{where}.source 应为文字")
    return ResultRule(action, percent, source.strip())
