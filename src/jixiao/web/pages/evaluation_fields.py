"""What the self-evaluation and monitoring forms send, and where each problem is said: beside its field.

The forms name their inputs ``actual-<n>``, ``points-<n>``, ``reason-<n>`` (self-evaluation) or ``to_date-<n>``,
``forecast-<n>``, ``reason-<n>``, ``likelihood-<n>`` (monitoring), by the position of the indicator in the approved
table; the amounts by their keys (``adjusted`` …). Every input has a note beside it (``note-<id>``) that the preview
fills out of band, so a missing value is said once, where it is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jixiao.domain.indicator import Operator, parse_operator
from jixiao.services.submissions import SPLITS


def value(form: Mapping[str, Any], name: str) -> str | None:
    raw = form.get(name)
    return raw.strip() or None if isinstance(raw, str) else None


SELFEVAL_MONEY = ("initial", "adjusted", "executed", *SPLITS)
MONITOR_MONEY = ("adjusted", "executed_to_date")


def actuals_from(form: Mapping[str, Any], names: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = [{"indicator": name, "actual": value(form, f"actual-{n}"), "reason": value(form, f"reason-{n}"),
             "points": value(form, f"points-{n}")} for n, name in enumerate(names)]
    budget = {key: value(form, key) for key in SELFEVAL_MONEY}
    return [r for r in rows if r["actual"] is not None or r["reason"] or r["points"]], budget


def progress_from(form: Mapping[str, Any], names: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = [{"indicator": name, "to_date": value(form, f"to_date-{n}"), "forecast": value(form, f"forecast-{n}"),
             "reason": value(form, f"reason-{n}"), "likelihood": value(form, f"likelihood-{n}")}
            for n, name in enumerate(names)]
    budget = {key: value(form, key) for key in MONITOR_MONEY}
    return [r for r in rows if r["to_date"] is not None], budget


def _row_fields(kind: str) -> tuple[str, ...]:
    return ("actual", "points", "reason") if kind == "selfeval" else ("to_date", "forecast", "reason", "likelihood")


def by_points(table: dict[str, Any]) -> list[int]:
    """The rows scored by the evaluator's points (定性, 定量（其他）): the form asks for 定性得分 there."""
    kinds = (Operator.QUALITATIVE, Operator.OTHER_QUANTITATIVE)
    return [n for n, row in enumerate(table.get("indicators") or []) if parse_operator(row.get("operator")) in kinds]


def field_ids(kind: str, count: int) -> list[str]:
    """Every input of the form, in order (each has a note beside it: ``note-<id>``)."""
    fixed = [*SELFEVAL_MONEY, "achieved"] if kind == "selfeval" else list(MONITOR_MONEY)
    return fixed + [f"{name}-{n}" for n in range(count) for name in _row_fields(kind)]


def entered(form: Mapping[str, Any], kind: str, count: int) -> bool:
    """Whether anything has been typed yet (an empty form shows no score, no grade and no complaints)."""
    return any(value(form, name) for name in field_ids(kind, count))


def prefilled(kind: str, last: dict[str, Any] | None, names: list[str]) -> dict[str, str]:
    """The form as it was last submitted (by indicator name, so a reordered table still fits)."""
    if not last:
        return {}
    found: dict[str, str] = {k: str(v) for k, v in (last.get("budget") or {}).items() if v is not None}
    if last.get("achieved"):
        found["achieved"] = str(last["achieved"])
    rows = last.get("actuals" if kind == "selfeval" else "progress") or []
    by_name = {str(row.get("indicator") or ""): row for row in rows if isinstance(row, dict)}
    for n, name in enumerate(names):
        row = by_name.get(name) or {}
        for key in _row_fields(kind):
            if row.get(key) is not None:
                found[f"{key}-{n}"] = str(row[key])
    return found


MISSING = {"adjusted": "未填写全年预算数", "executed": "未填写全年执行数"}
MONITOR_MISSING = {"adjusted": "未填写全年预算数，无法判断资金执行",
                   "executed_to_date": "未填写累计执行数，无法判断资金执行"}  # not refused: a warning
UNSHOWN = ("缺少实际完成值", "缺少全年预算数或全年执行数", "缺少累计完成值")  # said beside the field instead
BESIDE = ("missing-actual", "missing-progress")  # “缺少…：项目…没有对应的…行”: the empty field itself says so
UNUSED = "；该行未使用"  # how a file import says a row was set aside; on the page the field's note says why
_COLUMN_FIELDS = {"实际完成值": "actual", "定性得分": "points", "累计完成值": "to_date", "全年预计完成值": "forecast",
                  "偏差原因分析及改进措施": "reason", "偏差原因": "reason"}


def _field_of(diagnostic: dict[str, Any], rows: list[dict[str, Any]], names: list[str]) -> str | None:
    """The form field a diagnostic is about: its column (``actuals[2].actual``, ``adjusted``) or its row."""
    column, line = diagnostic.get("column"), diagnostic.get("line")
    if isinstance(column, str) and "[" in column:
        index, _, key = column.partition("[")[2].partition("]")
        column, line = key.lstrip("."), int(index) + 1 if index.isdigit() else None
    elif isinstance(column, str) and column in (*SELFEVAL_MONEY, *MONITOR_MONEY, "achieved"):
        return column
    field = _COLUMN_FIELDS.get(str(column),
                               column if column in ("actual", "points", "reason", "to_date", "forecast") else None)
    if field is None or not isinstance(line, int) or not 0 < line <= len(rows):
        return None
    name = rows[line - 1].get("indicator")
    return f"{field}-{names.index(name)}" if name in names else None


Notes = dict[str, tuple[str, str]]


def field_notes(kind: str, budget: Mapping[str, Any], diagnostics: list[dict[str, Any]],
                rows: list[dict[str, Any]], names: list[str]) -> tuple[Notes, list[dict[str, Any]]]:
    """Each problem once, beside its field (``{id: (message, severity)}``), and the ones that have no field.
    What is missing is said where it is missing (not again in the list of problems)."""
    notes: Notes = {}
    selfeval = kind == "selfeval"
    key, unfilled = ("actual", "未填写实际完成值") if selfeval else ("to_date", "未填写累计完成值")
    given = {row.get("indicator") for row in rows if row.get(key)}
    for n, name in enumerate(names):
        if name not in given:
            notes[f"{key}-{n}"] = (unfilled, "error")
    for amount, message in (MISSING if selfeval else MONITOR_MISSING).items():
        if not budget.get(amount):
            notes[amount] = (message, "error" if selfeval else "warning")
    rest: list[dict[str, Any]] = []
    for diagnostic in diagnostics:
        if diagnostic.get("code") in BESIDE:
            continue  # the field itself says so
        message = str(diagnostic.get("message")).removesuffix(UNUSED)
        field = _field_of(diagnostic, rows, names)
        if field is None:
            rest.append(diagnostic | {"message": message})
            continue
        if field[-1].isdigit():  # beside the row, the indicator's name need not be said again
            name = names[int(field.rsplit("-", 1)[1])]
            message = message.removeprefix(f"“{name}”填写的").removeprefix(f"三级指标“{name}”是定量指标，")
            if message.endswith("实际为（空）"):
                message = f"未填写{diagnostic.get('column')!s}"
        notes.setdefault(field, (message, str(diagnostic.get("severity"))))  # the first, most particular, problem
    return notes, rest
