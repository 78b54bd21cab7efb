"""Every rendering of a result — review report, self-evaluation forms, monitoring report — to HTML, xlsx and PDF.

Each renderer is built from the data-first dict of its result (``rules.report.report_to_dict``,
``scoring.report.scores_to_dict``, ``scoring.monitoring.monitors_to_dict``), so every format says
the same thing. :mod:`jixiao.reports.registry` says which formats exist and renders a result in
one; the CLI, the web pages and background jobs all go through it.
"""

from jixiao.reports.registry import FORMATS, MEDIA_TYPES, Monitors, Result, Scores, is_binary, render, write

__all__ = ["FORMATS", "MEDIA_TYPES", "Monitors", "Result", "Scores", "is_binary", "render", "write"]
