"""Side-by-side comparison of two versions of a table (stored JSON format v1 documents).

Header fields are compared one by one; indicator rows are aligned with difflib on their
(level1, level2, name), so an inserted row shows as added rather than as every later row changed.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from jixiao.domain.labels import COLUMN_LABELS, INDICATOR_FIELDS
from jixiao.domain.labels import TABLE_FIELDS as HEADER
from jixiao.io.writers.table_csv import field_text


def _field(content: dict[str, Any], path: str) -> str:
    return field_text(content, path) or ""


def _row(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple("" if row.get(key) is None else str(row.get(key)) for key in INDICATOR_FIELDS)


def diff_contents(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    header = [{"label": label, "old": _field(old, path), "new": _field(new, path),
               "changed": _field(old, path) != _field(new, path)} for path, label in HEADER]
    old_rows = [_row(r) for r in old.get("indicators") or []]
    new_rows = [_row(r) for r in new.get("indicators") or []]
    rows: list[dict[str, Any]] = []
    matcher = SequenceMatcher(a=[r[:3] for r in old_rows], b=[r[:3] for r in new_rows], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs: list[tuple[tuple[str, ...] | None, tuple[str, ...] | None]]
        if tag in ("equal", "replace"):
            common = min(i2 - i1, j2 - j1)
            pairs = list(zip(old_rows[i1:i1 + common], new_rows[j1:j1 + common], strict=True))
            pairs += [(r, None) for r in old_rows[i1 + common:i2]]
            pairs += [(None, r) for r in new_rows[j1 + common:j2]]
        else:
            pairs = [(r, None) for r in old_rows[i1:i2]] + [(None, r) for r in new_rows[j1:j2]]
        for a, b in pairs:
            status = "added" if a is None else "removed" if b is None else "same" if a == b else "changed"
            cells = [{"old": a[k] if a else "", "new": b[k] if b else "",
                      "changed": status == "changed" and a is not None and b is not None and a[k] != b[k]}
                     for k in range(len(INDICATOR_FIELDS))]
            rows.append({"status": status, "cells": cells})
    changes = sum(1 for h in header if h["changed"]) + sum(1 for r in rows if r["status"] != "same")
    return {"header": header, "rows": rows, "columns": [COLUMN_LABELS[k] for k in INDICATOR_FIELDS],
            "changes": changes}
