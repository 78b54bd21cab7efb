"""The monitoring (双监控) report as one self-contained HTML page."""

from __future__ import annotations

from typing import Any

from jixiao.reports.templating import render_template
from jixiao.scoring import ScoringPolicy
from jixiao.scoring.monitoring import Light, ProjectMonitor, monitors_to_dict

TITLE = "绩效运行监控报告"
LIGHT_CLASSES = {Light.GREEN.value: "l-green", Light.YELLOW.value: "l-yellow", Light.RED.value: "l-red",
                 Light.BLUE.value: "l-blue", Light.UNKNOWN.value: "l-unknown"}


def _percent(ratio: str | None) -> str:
    return "" if ratio is None else f"{float(ratio) * 100:.0f}%"


def monitor_context(projects: list[ProjectMonitor], policy: ScoringPolicy) -> dict[str, Any]:
    data = monitors_to_dict(projects, policy)
    bands = data["bands"]
    shown = []
    for project in data["projects"]:  # type: ignore[attr-defined]
        spending = project["spending"] | {"cls": LIGHT_CLASSES[project["spending"]["light"]],
                                          "ratio_text": _percent(project["spending"]["ratio"])}
        rows = [row | {"cls": LIGHT_CLASSES[row["light"]]} for row in project["indicators"]]
        shown.append(project | {"spending": spending, "indicators": rows,
                                "indicator_cls": LIGHT_CLASSES[project["indicator_light"]]})
    return {"title": TITLE, "profile": data["profile"], "projects": shown,
            "bands": {"red": _percent(bands["red_below"]), "yellow": _percent(bands["yellow_below"]),  # type: ignore[index]
                      "blue": _percent(bands["blue_at"])}}  # type: ignore[index]


def render_monitor_html(projects: list[ProjectMonitor], policy: ScoringPolicy) -> str:
    return render_template("monitor.html.j2", monitor_context(projects, policy))
