"""The 复核 report as data: 自评 vs 复核 per department and unit, each table's changed rows and why.

Data first (like ``rules.report.report_to_dict``): :mod:`jixiao.reports.recheck_html` and
:mod:`jixiao.reports.recheck_xlsx` render this one dict, so HTML, xlsx and PDF say the same thing.
A table not yet finished is reported with its 复核 so far and marked 待复核; the averages (自评, 复核 and
their difference) count completed tables only, and each level says how many of its sampled tables that is
(``done`` of ``tables``), so a half-finished 复核 never mixes provisional scores into an average. Times are in
the region's time zone with their offset; the profile is named by its Chinese title.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from jixiao.domain.text import format_decimal
from jixiao.profiles import RegionProfile
from jixiao.services import profiles
from jixiao.services.local_time import local_iso, local_text
from jixiao.services.permissions import Actor
from jixiao.services.recheck import changed_rows, show_sample

REPORT_FORMAT = "jixiao.recheck"
REPORT_VERSION = 1
NO_DEPARTMENT = "（未注明主管部门）"
NO_UNIT = "（未注明单位）"


def _average(values: Sequence[Decimal]) -> str | None:
    if not values:
        return None
    return format_decimal((sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _aggregate(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts of every sampled table; averages of the completed ones only (``done`` says how many)."""
    completed = [i for i in items if i["state"] == "done"]
    published = [Decimal(i["published_total"]) for i in completed if i["published_total"] is not None]
    rechecked = [Decimal(i["recheck_total"]) for i in completed if i["recheck_total"] is not None]
    pairs = [Decimal(i["recheck_total"]) - Decimal(i["published_total"]) for i in completed
             if i["published_total"] is not None and i["recheck_total"] is not None]
    return {"tables": len(items), "done": len(completed),
            "changed_tables": sum(1 for i in items if i["changed"]),
            "grade_changes": sum(1 for i in items if i["grade_changed"]),
            "published_average": _average(published), "recheck_average": _average(rechecked),
            "average_difference": _average(pairs)}


def profile_title(name: str, current: RegionProfile | None = None) -> str:
    """The Chinese title of the profile a sample was drawn under ("重庆（长寿区公开版式）"); its stored name when
    it is neither the current profile nor a shipped one (a file that may have changed since)."""
    if current is not None and current.name == name:
        return current.rules.title
    if name in profiles.shipped_profiles():
        try:
            return profiles.load(name).rules.title
        except profiles.ProfileError:
            return name
    return name


def recheck_report(session: Session, actor: Actor, sample_id: int, profile: RegionProfile | None = None,
                   ) -> dict[str, Any]:
    """The report of sample ``sample_id`` as the reviewer may see it."""
    sample = show_sample(session, actor, sample_id, profile)
    changes = changed_rows(session, [item["id"] for item in sample["items"]])
    items = []
    for item in sample["items"]:
        difference = None
        if item["published_total"] is not None and item["recheck_total"] is not None:
            difference = format_decimal(Decimal(item["recheck_total"]) - Decimal(item["published_total"]))
        items.append(item | {"changed": changes.get(item["id"], []), "difference": difference,
                             "grade_changed": bool(item["published_grade"] and item["recheck_grade"]
                                                   and item["published_grade"] != item["recheck_grade"])})
    departments: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for item in items:
        units = departments.setdefault(item["department"] or NO_DEPARTMENT, {})
        units.setdefault(item["unit"] or NO_UNIT, []).append(item)
    grouped = []
    for department in sorted(departments):
        units = departments[department]
        unit_rows = [{"name": name, **_aggregate(rows), "items": rows} for name, rows in sorted(units.items())]
        grouped.append({"name": department, **_aggregate([i for rows in units.values() for i in rows]),
                        "units": unit_rows})
    meta = {key: sample[key] for key in ("id", "year", "size", "seed", "risk_share", "candidates", "profile")}
    region = profile or profiles.load()
    return {"format": REPORT_FORMAT, "version": REPORT_VERSION, "title": f"{sample['year']}年度绩效自评复核报告",
            "sample": meta | {"created_at": local_iso(sample["created_at"], region.timezone),
                              "created_text": local_text(sample["created_at"], region.timezone),
                              "timezone": region.timezone, "profile_title": profile_title(sample["profile"], region),
                              "drawn": len(items)},
            "averages_of": "done",
            "totals": _aggregate(items), "departments": grouped}
