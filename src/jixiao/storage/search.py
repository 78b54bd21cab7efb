"""Denormalised list columns of a project, derived from a version's stored content (JSON format v1).

Kept on the project row so that filtering 100,000 projects reads one narrow table instead of
every version's JSON document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from jixiao.domain.text import fold_width

SEVERITY_ORDER = {"error": 3, "warning": 2, "info": 1}


def search_text(content: dict[str, Any] | None) -> str:
    """Unit and department names and indicator names, one per line, for 「包含」 searches."""
    if not content:
        return ""
    parts = [(content.get(key) or {}).get("name") for key in ("unit", "department")]
    parts += [row.get("name") for row in content.get("indicators") or () if isinstance(row, dict)]
    return "\n".join(str(part) for part in parts if part)


_SPACES = re.compile(r"\s+")
_OWN_LEVEL = tuple(fold_width(suffix) for suffix in ("（本级）", "(本级)"))


def name_key(name: str | None) -> str:
    """A name as matched: full-width folded, no spaces, without a trailing （本级）. Stored beside a project's
    name (``projects.name_key``, indexed), so finding a project by name is an index lookup, not a scan."""
    text = _SPACES.sub("", fold_width(name or ""))
    for suffix in _OWN_LEVEL:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def worst_severity(severities: Iterable[str]) -> str | None:
    worst = None
    for severity in severities:
        if SEVERITY_ORDER.get(severity, 0) > SEVERITY_ORDER.get(worst or "", 0):
            worst = severity
    return worst
