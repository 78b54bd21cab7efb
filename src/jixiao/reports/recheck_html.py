"""The 复核 report (绩效自评复核报告) as one standalone HTML page: the sample, each department and unit, each table.

Rendered from the data-first dict of ``services.recheck_report.recheck_report`` (the same data as the xlsx
workbook and the PDF), with inline CSS and no scripts, so it prints and archives as it is.
"""

from __future__ import annotations

from typing import Any

from jixiao.reports.templating import render_template

TEMPLATE = "recheck.html.j2"


def render_recheck_html(data: dict[str, Any]) -> str:
    return render_template(TEMPLATE, {"report": data})
