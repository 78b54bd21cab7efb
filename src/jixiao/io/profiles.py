"""Load rule profiles: a shipped name (national, central-2021, chongqing) or a TOML path."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.rules import RULES, Profile, ProfileError, profile_from_dict
from jixiao.scoring import ScoringPolicy, ScoringPolicyError, scoring_policy_from_dict

DEFAULT_PROFILE = "chongqing"


def shipped_profiles() -> list[str]:
    folder = resources.files("jixiao.rules.profiles")
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml"))


def _profile_data(name_or_path: str | None) -> tuple[dict[str, Any], str]:
    """Parsed TOML of a shipped profile or a file, and a description of where it came from."""
    name = name_or_path or DEFAULT_PROFILE
    if name in shipped_profiles():
        text = resources.files("jixiao.rules.profiles").joinpath(f"{name}.toml").read_text("utf-8")
        source = f"内置配置 {name}"
    else:
        path = Path(name)
        if not path.is_file():
            raise ProfileError(f"找不到审核配置“{name}”：既不是内置配置（{'、'.join(shipped_profiles())}）"
                               "，也不是存在的文件")
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ProfileError(f"无法读取审核配置文件 {path}：{error}") from None
        source = str(path)
    try:
        return tomllib.loads(text), source
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"审核配置 {source} 不是有效的 TOML：{error}") from None


def load_profile(name_or_path: str | None = None) -> Profile:
    """Load a profile by shipped name or file path; raise :class:`ProfileError` in Chinese."""
    data, source = _profile_data(name_or_path)
    try:
        return profile_from_dict(data, source, frozenset(RULES))
    except ProfileError as error:
        raise ProfileError(f"审核配置 {source}：{error}") from None


def load_scoring_policy(name_or_path: str | None = None) -> ScoringPolicy:
    """The ``[scoring]`` and ``[monitoring]`` settings of the same profile file."""
    data, source = _profile_data(name_or_path)
    try:
        return scoring_policy_from_dict(str(data.get("name", "")), str(data.get("version", "")),
                                        data.get("scoring", {}), data.get("monitoring", {}))
    except ScoringPolicyError as error:
        raise ProfileError(f"配置 {source}：{error}") from None


Deadline = tuple[str, int, int, int]  # (label, years after the year before the target year, month, day)
DEFAULT_CALENDAR: tuple[Deadline, ...] = (("绩效目标申报（一上）", 0, 10, 31), ("运行监控（1–7月）", 1, 8, 15),
                                          ("绩效自评", 2, 3, 31))


def load_calendar(name_or_path: str | None = None) -> tuple[Deadline, ...]:
    """The ``[calendar]`` of a profile: when targets, monitoring and self-evaluation are due.

    Each entry is ``"名称" = ["YYYY相对年份", "MM-DD"]`` where the year is ``before`` (the year before the
    target year, when targets are drafted), ``same`` or ``after``; absent, the usual dates apply.
    """
    data, source = _profile_data(name_or_path)
    calendar = data.get("calendar")
    if calendar is None:
        return DEFAULT_CALENDAR
    offsets = {"before": 0, "same": 1, "after": 2}
    found = []
    for label, value in calendar.items():
        try:
            year, date = value
            month, day = (int(part) for part in str(date).split("-"))
            if year not in offsets or not (1 <= month <= 12 and 1 <= day <= 31):
                raise ValueError
        except (TypeError, ValueError):
            raise ProfileError(f"配置 {source}：[calendar] “{label}”应为 [\"before|same|after\", \"MM-DD\"]，"
                               f"实际为 {value!r}") from None
        found.append((str(label), offsets[year], month, day))
    return tuple(found)
