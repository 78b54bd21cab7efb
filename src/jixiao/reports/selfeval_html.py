"""Render self-evaluation scores as the official 项目支出绩效自评表 (财预〔2020〕10号 附件).

One standalone HTML page (inline CSS, no scripts) with one form per project, built
from :func:`jixiao.scoring.report.scores_to_dict` — the same data as the JSON and
the xlsx workbook. Every score shows the arithmetic that produced it, every cell the
unit still has to fill is marked, and the footer names the rule profile. The output
carries no date or other run-dependent content: the same scores render to the same bytes.

:func:`selfeval_context` is shared with :mod:`jixiao.reports.selfeval_xlsx`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jixiao.domain import Value
from jixiao.domain.codes import ProjectCode
from jixiao.domain.indicator import Operator, parse_operator
from jixiao.reports.review_html import grade_class
from jixiao.reports.templating import render_template
from jixiao.scoring.model import ProjectScore, money, show
from jixiao.scoring.policy import ScoringPolicy
from jixiao.scoring.report import scores_to_dict

TEMPLATE = "selfeval.html.j2"
TITLE = "项目支出绩效自评表"
BASIS = "财预〔2020〕10号 附件"
TO_FILL = "待填"  # a funding split the unit did not give
TO_WRITE = "待填写"  # 实际完成情况 of the annual goal, when not given
MUST_FILL = "须填写："
# Each paragraph of the annual goal opens with the customary two-space indent (全角空格), on screen and in print:
# it is also how a reader of the PDF tells a new paragraph from a wrapped line (io/office/pdf_rows.py).
PARAGRAPH_INDENT = "\u3000\u3000"
FUNDING_SPLITS = ("其中：当年财政拨款", "上年结转资金", "其他资金")
# The keys a stored self-evaluation's ``funding_splits`` uses, in the order of FUNDING_SPLITS: each is the
# 全年执行数 by source of funds (the web form's 其中 fields), printed in the 全年执行数（B） column.
SPLIT_KEYS = ("current_year", "carried_over", "other")
NEGATIVE_FORMULAS = {
    "linear": "线性扣减：B ≤ A 得满分，超过时 w × (1 − (B − A) ÷ A)，B ≥ 2A 为 0",
    "ratio": "比值：B ≤ A 得满分，超过时 w × A ÷ B",
}
EXECUTION_METHODS = {
    "proportional": "按比例：min(执行率, 100%) × w",
    "banded": "分档：按执行率所在档次的得分比例 × w",
}
_SYMBOLS = (Operator.GE, Operator.GT, Operator.EQ, Operator.LT, Operator.LE)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def percent(rate: str | None) -> str | None:
    """A B ÷ A fraction as the form shows it: "0.9" → "90%", "0.8347" → "83.47%"."""
    if rate is None:
        return None
    return show((Decimal(rate) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + "%"


def year_text(projects: Sequence[dict[str, Any]]) -> str:
    """“（2022年度）” from the project codes when they all name one year, else a blank to fill."""
    years = {ProjectCode(p["project_code"]).year for p in projects if p["project_code"]}
    years.discard(None)
    return f"（{years.pop()}年度）" if len(years) == 1 else "（　　年度）"


def target_display(item: dict[str, Any]) -> str:
    """年度指标值 as published: operator, target and unit, e.g. “≥720000张”, “定性：10”."""
    operator, target, unit = item["operator"] or "", item["target"] or "", item["unit_of_measure"] or ""
    if parse_operator(operator) in _SYMBOLS or not operator:
        return f"{operator}{target}{unit}"
    return f"{operator}：{target}{unit}" if target else operator


def actual_display(item: dict[str, Any]) -> str | None:
    """实际完成值 with the unit when it is a measured number; the grade when it differs from the text."""
    actual: str | None = item["actual"]
    unit = item["unit_of_measure"]
    if actual is None:
        return None
    if item["grade"] and item["grade"] != actual:
        return f"{actual}（{item['grade']}）"
    if unit and Value(actual).number is not None and not actual.endswith(unit):
        return f"{actual}{unit}"
    return actual


def _prompt(score: str | None, lost: str | None, why: str, warnings: Sequence[str],
            lost_text: str) -> str:
    """What the unit must still write where points were lost, flagged, or not scored at all."""
    parts: list[str] = []
    if score is None:
        parts.append(why)
    elif lost is not None and Decimal(lost) > 0:
        parts.append(f"扣 {lost} 分，{lost_text}")
    parts += [warning for warning in warnings if warning not in parts]
    return MUST_FILL + "；".join(parts or ["请说明原因"])


def _spans(values: Sequence[tuple[str | None, ...]]) -> list[int]:
    """Row spans for merging equal consecutive keys: the run length on its first row, 0 below."""
    spans = [0] * len(values)
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start] or values[start][-1] is None:
            spans[start] = index - start
            start = index
    return spans


def _indicator_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    level1 = _spans([(item["level1"],) for item in items])
    level2 = _spans([(item["level1"], item["level2"]) for item in items])
    rows = []
    for item, span1, span2 in zip(items, level1, level2, strict=True):
        explanation = item["explanation"]
        lost = _decimal(item["lost"])
        reason = item["deviation_reason"]
        rows.append(item | {
            "target_display": target_display(item),
            "actual_display": actual_display(item),
            "arithmetic": explanation["arithmetic"],
            "formula": explanation["formula"],
            "full_marks_at": explanation["full_marks_at"] if lost is not None and lost > 0 else None,
            "prompt": None if reason or not item["needs_reason"] else _prompt(
                item["score"], item["lost"], explanation["arithmetic"], item["warnings"],
                "请分析偏差原因并提出改进措施"),
            "level1_span": span1,
            "level2_span": span2,
        })
    return rows


def _funding(execution: dict[str, Any]) -> dict[str, Any]:
    """The 年度资金总额 row; its 说明 asks for a reason wherever points were lost or something was flagged
    (no form collects it: the unit writes it on the printed table)."""
    explanation = execution["explanation"]
    score, weight = _decimal(execution["score"]), Decimal(execution["weight"])
    reason = execution["reason"]
    lost = None if score is None else weight - score
    asks = execution["needs_reason"] or bool(execution["warnings"]) or (lost is not None and lost > 0)
    return execution | {
        "rate_percent": percent(execution["rate"]),
        "arithmetic": explanation["arithmetic"],
        "formula": explanation["formula"],
        "full_marks_at": explanation["full_marks_at"] if score is not None and score < weight else None,
        "prompt": None if reason or not asks else _prompt(  # the warnings say why; else the points lost
            execution["score"], None if lost is None or execution["warnings"] else format(money(lost), "f"),
            explanation["arithmetic"], execution["warnings"], "请说明原因"),
    }


def _splits(project: dict[str, Any]) -> list[dict[str, str | None]]:
    """其中：当年财政拨款 / 上年结转资金 / 其他资金 as the unit gave them (``None``: not given, printed 待填)."""
    given = project.get("funding_splits") or {}
    amounts = [None if given.get(key) is None else format(Decimal(given[key]).quantize(Decimal("0.01")), "f")
               for key in SPLIT_KEYS]
    return [{"label": label, "executed": amount} for label, amount in zip(FUNDING_SPLITS, amounts, strict=True)]


def _project(number: int, project: dict[str, Any], bands: list[str]) -> dict[str, Any]:
    indicators = _indicator_rows(project["indicators"])
    funding = _funding(project["execution"])
    weights = [Decimal(item["weight"]) for item in indicators if item["weight"] is not None]
    total_weight = sum(weights, Decimal(funding["weight"]))
    achieved = project.get("goal_achieved") or None
    to_fill = (achieved is None) + sum(bool(item["prompt"]) + (item["actual"] is None) for item in indicators)
    to_fill += bool(funding["prompt"])
    return project | {
        "number": number,
        "anchor": f"p{number}",
        "display_name": project["project_name"] or project["label"],
        "year_text": year_text([project]),
        "funding": funding,
        "splits": _splits(project),
        "achieved": achieved,
        "indicators": indicators,
        "total_weight": show(total_weight),
        "grade_class": grade_class(project["grade"], bands),
        "to_fill": to_fill,  # cells the unit must fill: 实际完成情况 if not given, each 须填写, each missing actual
    }


def profile_lines(profile: dict[str, str], policy: ScoringPolicy) -> list[str]:
    """The rules that produced every score, in words, for the footer and the workbook."""
    bands = "，".join(f"{name} ≥ {show(minimum)}" for name, minimum in policy.grade_bands)
    negative, method = profile["negative_formula"], profile["execution_method"]
    return [
        f"计分配置：{profile['name']}　版本 {profile['version']}",
        f"反向指标公式：{negative}（{NEGATIVE_FORMULAS.get(negative, negative)}）",
        f"预算执行率计分：{method}（{EXECUTION_METHODS.get(method, method)}），分值 {show(policy.execution_weight)}",
        f"自评等级：{bands}",
    ]


def selfeval_context(projects: Sequence[ProjectScore], policy: ScoringPolicy,
                     stored: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Everything the form shows, as plain data built on :func:`scores_to_dict`.

    ``stored``: projects already in the :func:`project_to_dict` form (a saved self-evaluation).
    """
    data = scores_to_dict(projects, policy)
    data["projects"] = [*data["projects"], *stored]
    bands = [name for name, _ in policy.grade_bands]
    rows = [_project(number, project, bands) for number, project in enumerate(data["projects"], start=1)]
    return {
        "title": TITLE,
        "basis": BASIS,
        "profile": data["profile"],
        "profile_lines": profile_lines(data["profile"], policy),
        "year_text": year_text(data["projects"]),
        "projects": rows,
        "funding_splits": FUNDING_SPLITS,
        "to_fill": TO_FILL,
        "to_write": TO_WRITE,
        "indent": PARAGRAPH_INDENT,
    }


def render_selfeval_html(projects: Sequence[ProjectScore], policy: ScoringPolicy,
                         stored: Sequence[dict[str, Any]] = ()) -> str:
    """The self-evaluation forms as a standalone HTML5 page (UTF-8, inline CSS, print-friendly)."""
    return render_template(TEMPLATE, selfeval_context(projects, policy, stored))
