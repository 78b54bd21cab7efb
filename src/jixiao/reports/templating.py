"""The one Jinja environment of the reports: strict (a missing value is an error, never a blank) and escaping.

Every value in a report is text from the input tables or a unit's figures, so everything is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("jixiao.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(name: str, context: Mapping[str, Any]) -> str:
    """``name`` from ``reports/templates`` rendered with ``context``."""
    return environment().get_template(name).render(context)
