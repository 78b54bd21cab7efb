"""Load a region profile once: a shipped name (national, central-2021, chongqing) or a TOML path.

One TOML file holds what varies by region: the review rules, the ``[scoring]`` and ``[monitoring]``
settings, the ``[calendar]``, the ``timezone``, the ``[evaluation]`` settings of index-system evaluations,
the ``[results]`` table (结果应用) and the ``[vocabulary]`` (words its tables are published with, beyond the
built-in ones). :func:`load` parses all of it into one :class:`RegionProfile`
and keeps it for the life of the process, so the editor's live findings, every page and every
command do not read and parse the file again on each request. A file given by path is re-read
when it changes (its resolved path, modification time and size are the cache key).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.domain.index_system import EvaluationSettings
from jixiao.domain.labels import HEADER_FIELDS, INDICATOR_FIELDS
from jixiao.domain.results_policy import ResultsPolicy
from jixiao.profiles.index_systems import evaluation_settings
from jixiao.profiles.results_policy import results_policy
from jixiao.rules import RULES, Profile, ProfileError, profile_from_dict
from jixiao.scoring import ScoringPolicy, ScoringPolicyError, scoring_policy_from_dict

DEFAULT_PROFILE = "chongqing"
DEFAULT_TIMEZONE = "Asia/Shanghai"  # times are stored in UTC and shown in the region's zone
PACKAGE = "jixiao.rules.profiles"  # where the shipped TOML files live

Deadline = tuple[str, int, int, int]  # (label, years after the year before the target year, month, day)
DEFAULT_CALENDAR: tuple[Deadline, ...] = (("绩效目标申报（一上）", 0, 10, 31), ("运行监控（1–7月）", 1, 8, 15),
                                          ("绩效自评", 2, 3, 31))


@dataclass(frozen=True, slots=True)
class RegionProfile:
    """Everything one profile file sets, parsed and checked."""

    name: str  # the shipped name or the path as given
    source: str  # where it came from, for messages: "内置配置 chongqing" or the path
    rules: Profile  # the review rule profile (智能审核)
    scoring: ScoringPolicy  # [scoring] and [monitoring]
    calendar: tuple[Deadline, ...]  # [calendar]: when targets, monitoring and self-evaluation are due
    vocabulary: VocabularyWords = field(default_factory=lambda: VocabularyWords())  # [vocabulary]
    timezone: str = DEFAULT_TIMEZONE  # top-level ``timezone``: an IANA name, the zone pages show times in
    evaluation: EvaluationSettings = field(default_factory=EvaluationSettings)  # [evaluation]: index-system grades
    results: ResultsPolicy = field(default_factory=ResultsPolicy)  # [results]: 结果应用 into next year's budget
    # [workflow] submission_window: after a calendar deadline a first submission needs the finance bureau to
    # reopen it (services/reopenings.py); false: the deadlines only remind
    submission_window: bool = True


@dataclass(frozen=True, slots=True)
class VocabularyWords:
    """A region's own words for table headers: ``[vocabulary]`` of its profile, checked at load.

    Plain data here (profiles do not import io); ``services.tables`` turns it into the readers'
    :class:`~jixiao.io.readers.vocabulary.Vocabulary` with ``BUILTIN.extend(**words.as_kwargs())``.
    """

    labels: tuple[tuple[str, str], ...] = ()  # (label as published, header field): ("项目单位", "unit")
    columns: tuple[tuple[str, str], ...] = ()  # (column heading, indicator field): ("绩效指标值", "target")
    titles: tuple[str, ...] = ()  # more title endings: "项目绩效目标申报表"
    level1: tuple[str, ...] = ()  # more first-level indicator names

    def __bool__(self) -> bool:
        return bool(self.labels or self.columns or self.titles or self.level1)

    def as_kwargs(self) -> dict[str, Any]:
        return {"labels": dict(self.labels), "columns": dict(self.columns), "titles": self.titles,
                "level1": self.level1}


def shipped_profiles() -> list[str]:
    return list(_shipped_names())


@cache
def _shipped_names() -> tuple[str, ...]:
    folder = resources.files(PACKAGE)
    return tuple(sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml")))


def load(name_or_path: str | None = None) -> RegionProfile:
    """The profile by shipped name or file path (default: chongqing); raise :class:`ProfileError` in Chinese.

    Parsed once per process; the same object is returned while a file is unchanged.
    """
    name = name_or_path or DEFAULT_PROFILE
    if name in _shipped_names():
        return _shipped(name)
    path = Path(name)
    if not path.is_file():
        raise ProfileError(f"找不到审核配置“{name}”：既不是内置配置（{'、'.join(shipped_profiles())}）"
                           "，也不是存在的文件")
    try:
        stat = path.stat()
        resolved = str(path.resolve())
    except OSError as error:
        raise ProfileError(f"无法读取审核配置文件 {path}：{error}") from None
    return _file(name, resolved, stat.st_mtime_ns, stat.st_size)


@cache
def _shipped(name: str) -> RegionProfile:
    text = resources.files(PACKAGE).joinpath(f"{name}.toml").read_text("utf-8")
    return _parse(name, text, f"内置配置 {name}")


@lru_cache(maxsize=64)
def _file(name: str, resolved: str, mtime_ns: int, size: int) -> RegionProfile:
    """``mtime_ns`` and ``size`` only key the cache: an edited file is a new entry."""
    path = Path(name)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(f"无法读取审核配置文件 {path}：{error}") from None
    return _parse(name, text, str(path))


def _parse(name: str, text: str, source: str) -> RegionProfile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"审核配置 {source} 不是有效的 TOML：{error}") from None
    scoring = _scoring(data, source)
    return RegionProfile(name, source, _rules(data, source, scoring), scoring, _calendar(data, source),
                         _vocabulary(data, source), _timezone(data, source), _evaluation(data, source),
                         _results(data, source, scoring), _submission_window(data, source))


def _submission_window(data: dict[str, Any], source: str) -> bool:
    """``[workflow] submission_window = true`` (the default): deadlines close the submission window."""
    workflow = data.get("workflow", {})
    value = workflow.get("submission_window", True) if isinstance(workflow, dict) else None
    if not isinstance(value, bool):
        raise ProfileError(f"配置 {source}：[workflow] submission_window 应为 true 或 false，实际为 {value!r}")
    return value


def _results(data: dict[str, Any], source: str, scoring: ScoringPolicy) -> ResultsPolicy:
    try:
        return results_policy(data.get("results"), source, [name for name, _ in scoring.grade_bands])
    except ValueError as error:
        raise ProfileError(str(error)) from None


def _evaluation(data: dict[str, Any], source: str) -> EvaluationSettings:
    try:
        return evaluation_settings(data.get("evaluation"), source)
    except ValueError as error:
        raise ProfileError(str(error)) from None


def _timezone(data: dict[str, Any], source: str) -> str:
    """``timezone = "Asia/Shanghai"`` (the default): checked now, so a misspelt zone is said at load."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = data.get("timezone", DEFAULT_TIMEZONE)
    try:
        if not isinstance(name, str) or not name:
            raise ValueError
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise ProfileError(f"配置 {source}：timezone 应为时区名称（如 \"Asia/Shanghai\"），实际为 {name!r}") from None
    return name


def _rules(data: dict[str, Any], source: str, scoring: ScoringPolicy) -> Profile:
    try:
        return profile_from_dict(data, source, frozenset(RULES), scoring)
    except ProfileError as error:
        raise ProfileError(f"审核配置 {source}：{error}") from None


def _scoring(data: dict[str, Any], source: str) -> ScoringPolicy:
    try:
        return scoring_policy_from_dict(str(data.get("name", "")), str(data.get("version", "")),
                                        data.get("scoring", {}), data.get("monitoring", {}))
    except ScoringPolicyError as error:
        raise ProfileError(f"配置 {source}：{error}") from None


def _calendar(data: dict[str, Any], source: str) -> tuple[Deadline, ...]:
    """Each entry is ``"名称" = ["YYYY相对年份", "MM-DD"]`` where the year is ``before`` (the year before
    the target year, when targets are drafted), ``same`` or ``after``; absent, the usual dates apply."""
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


def _vocabulary(data: dict[str, Any], source: str) -> VocabularyWords:
    """``[vocabulary]``: ``labels`` and ``columns`` tables (word = field), ``titles`` and ``level1`` lists.

    A word that points at a field the table does not have is refused here, in Chinese, so a typo in a
    profile is found when it is loaded rather than by tables that silently lose a value.
    """
    section = data.get("vocabulary")
    if section is None:
        return VocabularyWords()
    where = f"配置 {source}：[vocabulary]"
    if not isinstance(section, dict):
        raise ProfileError(f"{where} 应为表（labels、columns、titles、level1）")
    unknown = sorted(set(section) - {"labels", "columns", "titles", "level1"})
    if unknown:
        raise ProfileError(f"{where} 含未知的项：{'、'.join(unknown)}（可用：labels、columns、titles、level1）")

    def pairs(key: str, fields: tuple[str, ...] | dict[str, str], what: str) -> tuple[tuple[str, str], ...]:
        table = section.get(key, {})
        if not isinstance(table, dict):
            raise ProfileError(f"{where}.{key} 应为“词 = 字段”的表")
        found = []
        for word, name in table.items():
            if not isinstance(name, str) or name not in fields:
                raise ProfileError(f"{where}.{key} “{word}”指向的{what}“{name}”不存在"
                                   f"（可用：{'、'.join(fields)}）")
            found.append((str(word), name))
        return tuple(found)

    def words(key: str) -> tuple[str, ...]:
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise ProfileError(f"{where}.{key} 应为非空文字的列表")
        return tuple(value)

    return VocabularyWords(pairs("labels", HEADER_FIELDS, "表头字段"), pairs("columns", INDICATOR_FIELDS, "指标列"),
                           words("titles"), words("level1"))
