"""Which formats each kind of result has, and the one function that renders a result in one of them.

A result is a review report (:class:`jixiao.rules.ReviewReport`), self-evaluation scores
(:class:`Scores`), a monitoring run (:class:`Monitors`) or a 复核 report (:class:`RecheckReport`).
Each has the same four formats: json (its data-first dict), html (a standalone page), xlsx (a
workbook) and pdf (the page on A4 with a running head). The CLI, the web pages and background
jobs call :func:`render` or :func:`write` rather than choosing a renderer themselves; the
terminal text view stays with the CLI. Renderers are imported on first use, so a command that
prints JSON does not load Jinja, xlsxwriter or WeasyPrint.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.rules import ReviewReport
from jixiao.scoring import ProjectScore, ScoringPolicy
from jixiao.scoring.monitoring import ProjectMonitor

if TYPE_CHECKING:
    from jixiao.reports.xlsx import Target

FORMATS: tuple[str, ...] = ("json", "html", "xlsx", "pdf")
BINARY: frozenset[str] = frozenset({"xlsx", "pdf"})
MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True, slots=True)
class Scores:
    """Self-evaluation results under one policy; ``stored``: saved projects already in dict form."""

    projects: Sequence[ProjectScore]
    policy: ScoringPolicy
    stored: Sequence[dict[str, Any]] = ()


@dataclass(frozen=True, slots=True)
class Monitors:
    """Monitoring (双监控) results under one policy."""

    projects: Sequence[ProjectMonitor]
    policy: ScoringPolicy


@dataclass(frozen=True, slots=True)
class RecheckReport:
    """The finance bureau's 复核 of a sample of published self-evaluations, already in its data-first form
    (``services.recheck_report.recheck_report``): 自评 vs 复核 per department, unit and table."""

    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BudgetSheet:
    """The 下年预算安排建议表 (结果应用), already in its data-first form (``services.results_use.sheet``)."""

    data: dict[str, Any]


Result = ReviewReport | Scores | Monitors | RecheckReport | BudgetSheet


@dataclass(frozen=True, slots=True)
class _Renderers:
    title: str  # the PDF's running head
    data: Callable[[Any], dict[str, Any]]
    html: Callable[[Any], str]
    xlsx: Callable[[Any, Target], None]


def _review_data(report: ReviewReport) -> dict[str, Any]:
    from jixiao.rules.report import report_to_dict

    return report_to_dict(report)


def _review_html(report: ReviewReport) -> str:
    from jixiao.reports.review_html import render_html

    return render_html(report)


def _review_xlsx(report: ReviewReport, target: Target) -> None:
    from jixiao.reports.review_xlsx import write_xlsx

    write_xlsx(report, target)


def _scores_data(scores: Scores) -> dict[str, Any]:
    from jixiao.scoring.report import scores_to_dict

    data = scores_to_dict(scores.projects, scores.policy)
    if scores.stored:
        data["projects"] = [*data["projects"], *scores.stored]
    return data


def _scores_html(scores: Scores) -> str:
    from jixiao.reports.selfeval_html import render_selfeval_html

    return render_selfeval_html(scores.projects, scores.policy, scores.stored)


def _scores_xlsx(scores: Scores, target: Target) -> None:
    from jixiao.reports.selfeval_xlsx import write_selfeval_xlsx

    write_selfeval_xlsx(scores.projects, scores.policy, target, scores.stored)


def _monitors_data(monitors: Monitors) -> dict[str, Any]:
    from jixiao.scoring.monitoring import monitors_to_dict

    return monitors_to_dict(list(monitors.projects), monitors.policy)


def _monitors_html(monitors: Monitors) -> str:
    from jixiao.reports.monitor_html import render_monitor_html

    return render_monitor_html(list(monitors.projects), monitors.policy)


def _monitors_xlsx(monitors: Monitors, target: Target) -> None:
    from jixiao.reports.monitor_xlsx import write_monitor_xlsx

    write_monitor_xlsx(list(monitors.projects), monitors.policy, target)


def _recheck_data(report: RecheckReport) -> dict[str, Any]:
    return report.data


def _recheck_html(report: RecheckReport) -> str:
    from jixiao.reports.recheck_html import render_recheck_html

    return render_recheck_html(report.data)


def _recheck_xlsx(report: RecheckReport, target: Target) -> None:
    from jixiao.reports.recheck_xlsx import write_recheck_xlsx

    write_recheck_xlsx(report.data, target)


def _budget_data(sheet: BudgetSheet) -> dict[str, Any]:
    return sheet.data


def _budget_html(sheet: BudgetSheet) -> str:
    from jixiao.reports.budget import render_budget_html

    return render_budget_html(sheet.data)


def _budget_xlsx(sheet: BudgetSheet, target: Target) -> None:
    from jixiao.reports.budget import write_budget_xlsx

    write_budget_xlsx(sheet.data, target)


_REVIEW = _Renderers("绩效目标审核报告", _review_data, _review_html, _review_xlsx)
_SCORES = _Renderers("项目支出绩效自评表", _scores_data, _scores_html, _scores_xlsx)
_MONITORS = _Renderers("绩效运行监控表", _monitors_data, _monitors_html, _monitors_xlsx)
_RECHECK = _Renderers("绩效自评复核报告", _recheck_data, _recheck_html, _recheck_xlsx)
_BUDGET = _Renderers("下年预算安排建议表", _budget_data, _budget_html, _budget_xlsx)


def _renderers(result: Result) -> _Renderers:
    if isinstance(result, ReviewReport):
        return _REVIEW
    if isinstance(result, Scores):
        return _SCORES
    if isinstance(result, Monitors):
        return _MONITORS
    if isinstance(result, RecheckReport):
        return _RECHECK
    if isinstance(result, BudgetSheet):
        return _BUDGET
    raise TypeError(f"没有这类结果的报告：{type(result).__name__}")


def _title(result: Result, renderers: _Renderers) -> str:
    """The PDF's running head; a review report's says which kinds of table it holds."""
    if isinstance(result, ReviewReport):
        from jixiao.reports.review_html import review_title

        return review_title(result)
    return renderers.title


def is_binary(output_format: str) -> bool:
    """Whether the format is bytes (xlsx, pdf) rather than UTF-8 text (json, html)."""
    return output_format in BINARY


def render(result: Result, output_format: str) -> str | bytes:
    """The result in ``output_format`` (one of :data:`FORMATS`): text for json and html, bytes for xlsx and pdf."""
    renderers = _renderers(result)
    if output_format == "json":
        return json.dumps(renderers.data(result), ensure_ascii=False, indent=2) + "\n"
    if output_format == "html":
        return renderers.html(result)
    if output_format == "xlsx":
        stream = BytesIO()
        renderers.xlsx(result, stream)
        return stream.getvalue()
    if output_format == "pdf":
        from jixiao.reports.pdf import html_to_pdf

        return html_to_pdf(renderers.html(result), _title(result, renderers))
    raise ValueError(f"不支持的报告格式“{output_format}”：可选 {'、'.join(FORMATS)}")


def write(result: Result, output_format: str, path: str | os.PathLike[str]) -> None:
    """Render the result and write it to ``path`` (text as UTF-8)."""
    content = render(result, output_format)
    if isinstance(content, bytes):
        Path(path).write_bytes(content)
    else:
        Path(path).write_text(content, encoding="utf-8")
