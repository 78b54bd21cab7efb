"""Stored moments (UTC) as the region reads them, for API read models and report data.

The pages format times with the ``when`` filter (:mod:`jixiao.web.rendering`); JSON answers and report data
carry the same moment as ISO 8601 with the offset of the profile's ``timezone`` ("2026-12-01T13:46:00+08:00"),
so a client never has to guess whether a time is UTC. SQLite hands back the UTC it stored without an offset.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from jixiao.profiles import RegionProfile
from jixiao.services import profiles


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_of(profile: RegionProfile | None) -> str:
    return (profile or profiles.load()).timezone


def local_iso(value: datetime | str | None, zone: str) -> str | None:
    """``value`` (UTC, aware or naive; or such a moment as ISO 8601 text) in ``zone`` as ISO 8601 with its
    offset, to the second."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone(zone)).isoformat(timespec="seconds")


def local_text(value: datetime | None, zone: str) -> str | None:
    """``value`` as people read it in ``zone``: "2026-12-01 13:46"."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone(zone)).strftime("%Y-%m-%d %H:%M")


def with_local(data: dict[str, Any] | None, zone: str, keys: Iterable[str] = ("at",)) -> dict[str, Any] | None:
    """``data`` with the moments under ``keys`` as :func:`local_iso` gives them (a copy; absent keys stay absent)."""
    if data is None:
        return None
    return data | {key: local_iso(data[key], zone) for key in keys if key in data}


def all_local(rows: Iterable[dict[str, Any]], zone: str, keys: Iterable[str] = ("at",)) -> list[dict[str, Any]]:
    """:func:`with_local` of each row."""
    wanted = tuple(keys)
    return [data | {key: local_iso(data[key], zone) for key in wanted if key in data} for data in rows]
