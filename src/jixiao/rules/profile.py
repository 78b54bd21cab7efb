"""Rule profiles: everything about review that varies by region, as data.

A profile is loaded from a TOML file (see ``profiles/*.toml`` and docs/rules.md); a
finance bureau adds its own file without touching code. This module only builds and
validates the in-memory object; reading files is the job of :mod:`jixiao.profiles`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from jixiao.domain import Severity
from jixiao.domain.scoring_policy import ScoringPolicy, ScoringPolicyError, scoring_policy_from_dict


class ProfileError(ValueError):
    """A profile file that cannot be used; the message is Chinese and names the key."""


@dataclass(frozen=True, slots=True)
class GradePolicy:
    """Suggested review grade: 100 minus deductions per finding, then bands."""

    deductions: Mapping[Severity, Decimal]
    max_per_rule: int
    bands: tuple[tuple[str, Decimal], ...]  # (grade, minimum score), best first

    def grade(self, score: Decimal) -> str:
        for name, minimum in self.bands:
            if score >= minimum:
                return name
        return self.bands[-1][0] if self.bands else "差"


# Causal words that show a unit explained its low spending somewhere in the table (A016). Restating the rate
# ("预算执行率52.08%") or the budget is no reason: the words must say why.
EXECUTION_REASON_WORDS = ("因", "由于", "原因", "导致", "致使", "造成", "滞后", "未到位", "未拨付", "未支付", "尚未",
                          "结转", "结余", "节约", "延期", "延迟", "推迟", "暂缓", "未完工", "未验收", "未结算")
# The form's own prompts left in a cell ("说明相关任务目标的完成情况(100字以内)"): such text counts as blank
# (A016, A017). Regular expressions, searched in the cell's text.
PROMPT_PATTERNS = (r"[(（]\s*\d+\s*字以内\s*[)）]", r"^对照年度目标[,，]?\s*说明",
                   r"^(?:请)?(?:简要)?说明.{0,12}(?:情况|原因)$")
# Indicator names whose bare numeric target (no 指标性质, no ≥/≤ printed) may as well be 反向: the audit does
# not assume 正向 for them (a 预算调整率 of 0% against "3%" is no shortfall).
UNSURE_DIRECTION_WORDS = ("调整率", "结转", "结余", "控制率", "变动率", "差错", "误差", "偏差", "投诉", "事故",
                          "发生率", "超支", "损失", "违规", "违法", "不合格", "降低", "下降", "减少", "成本", "费用",
                          "时长", "时间", "周期", "天数", "耗时")


@dataclass(frozen=True, slots=True)
class AuditPolicy:
    """``[audit]``: how closely a published self-evaluation must agree with its recomputation.

    A published figure agrees when it is within the tolerance of the recomputed one, or (``accept_rounding``)
    when it is the recomputed one rounded to the places it is printed with (16.67 printed as 16.7). The
    rules that say a target was met yet points were lost, or missed yet given full marks, allow the
    tolerance only: rounding 9.6 up to a full 10 is the very thing they look for.
    """

    score_tolerance: Decimal = Decimal("0.01")  # points
    rate_tolerance: Decimal = Decimal("0.01")  # percentage points of 执行率
    accept_rounding: bool = True
    copied_share: Decimal = Decimal(1)  # A019: the share of rows whose actual repeats the target
    copied_min_rows: int = 3  # A019: fewer rows than this say nothing
    execution_reason_words: tuple[str, ...] = EXECUTION_REASON_WORDS
    prompt_patterns: tuple[str, ...] = PROMPT_PATTERNS
    unsure_direction_words: tuple[str, ...] = UNSURE_DIRECTION_WORDS

    def is_prompt(self, text: str | None) -> bool:
        """The cell holds only the form's prompt (or nothing): it says nothing the unit wrote."""
        if text is None or not text.strip():
            return True
        return any(pattern.search(text.strip()) for pattern in _compiled(self.prompt_patterns))


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


def _default_scoring() -> ScoringPolicy:
    return scoring_policy_from_dict("", "", {}, {})


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str
    version: str
    catalogue: Mapping[str, tuple[str, ...]]
    required_level1: tuple[str, ...]
    indicator_weight_total: Decimal
    execution_weight: Decimal
    level1_weights: Mapping[str, Decimal]
    satisfaction_floor: Decimal
    max_name_length: int
    vague_words: tuple[str, ...]
    input_words: tuple[str, ...]
    placeholders: frozenset[str]
    disabled: frozenset[str]
    severities: Mapping[str, Severity]
    grade_policy: GradePolicy
    description: str = ""
    source: str | None = field(default=None, compare=False)
    # The self-evaluation audit recomputes published scores with the profile's [scoring] settings.
    scoring: ScoringPolicy = field(default_factory=_default_scoring)
    audit: AuditPolicy = field(default_factory=AuditPolicy)
    # P006: a target is compared with the indicator library's range only when this many projects set one.
    library_min_projects: int = 5
    # P008, P009: a pattern "every year" is reported only when at least this many past years show it.
    history_min_years: int = 2
    # Derived from the catalogue once, because every table asks.
    level2_owner: Mapping[str, str] = field(init=False, compare=False, repr=False)
    # For checks that ask a question of a whole column at once (see rules.context): values that
    # need no finding, including the blanks (None, "") that other rules report.
    level1_known: frozenset[str | None] = field(init=False, compare=False, repr=False)
    level2_known: frozenset[str | None] = field(init=False, compare=False, repr=False)
    level_pairs: frozenset[tuple[str | None, str | None]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        owner = {name: level1 for level1, names in self.catalogue.items() for name in names}
        object.__setattr__(self, "level2_owner", owner)
        blanks: frozenset[str | None] = frozenset({None, ""})
        object.__setattr__(self, "level1_known", frozenset(self.catalogue) | blanks)
        object.__setattr__(self, "level2_known", frozenset(owner) | blanks)
        object.__setattr__(self, "level_pairs", frozenset((level1, name) for name, level1 in owner.items()))

    def level2_allowed(self, level1: str, level2: str) -> bool:
        return self.level2_owner.get(level2) == level1

    def all_level2(self) -> frozenset[str]:
        return frozenset(self.level2_owner)


def _decimal(data: Mapping[str, Any], key: str, default: str | None = None) -> Decimal:
    raw = data.get(key, default)
    try:
        return Decimal(str(raw))
    except (InvalidOperation, TypeError):
        raise ProfileError(f"配置项“{key}”应为数字，实际为 {raw!r}") from None


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ProfileError(f"配置项“{key}”应为字符串列表")
    return tuple(raw)


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ProfileError(f"{where} 的严重程度应为 error、warning 或 info，实际为 {value!r}") from None


_AUDIT_KEYS = ("score_tolerance", "rate_tolerance", "accept_rounding", "copied_share", "copied_min_rows",
               "execution_reason_words", "prompt_patterns", "unsure_direction_words")


def audit_policy_from_dict(data: Mapping[str, Any]) -> AuditPolicy:
    """``[audit]``, every key optional; unknown keys and bad values are refused in Chinese."""
    if not isinstance(data, Mapping):
        raise ProfileError("[audit] 应为表")
    unknown = sorted(set(data) - set(_AUDIT_KEYS))
    if unknown:
        raise ProfileError(f"[audit] 含未知的项：{'、'.join(unknown)}（可用：{'、'.join(_AUDIT_KEYS)}）")
    default = AuditPolicy()
    numbers = {key: _decimal(data, key, str(getattr(default, key)))
               for key in ("score_tolerance", "rate_tolerance", "copied_share")}
    for key, value in numbers.items():
        if not value.is_finite() or value < 0:
            raise ProfileError(f"配置项“{key}”应为不小于 0 的数字，实际为 {data.get(key)!r}")
    rounding = data.get("accept_rounding", default.accept_rounding)
    if not isinstance(rounding, bool):
        raise ProfileError(f"配置项“accept_rounding”应为 true 或 false，实际为 {rounding!r}")
    rows = data.get("copied_min_rows", default.copied_min_rows)
    if not isinstance(rows, int) or isinstance(rows, bool) or rows < 1:
        raise ProfileError(f"配置项“copied_min_rows”应为正整数，实际为 {rows!r}")
    lists = {key: _strings(data, key) if key in data else getattr(default, key)
             for key in ("execution_reason_words", "prompt_patterns", "unsure_direction_words")}
    for pattern in lists["prompt_patterns"]:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ProfileError(f"配置项“prompt_patterns”中的“{pattern}”不是有效的正则表达式：{error}") from None
    return AuditPolicy(numbers["score_tolerance"], numbers["rate_tolerance"], rounding, numbers["copied_share"],
                       rows, lists["execution_reason_words"], lists["prompt_patterns"],
                       lists["unsure_direction_words"])


def profile_from_dict(data: Mapping[str, Any], source: str | None = None,
                      known_codes: frozenset[str] = frozenset(),
                      scoring: ScoringPolicy | None = None) -> Profile:
    """Build a profile from parsed TOML, refusing unknown rule codes and bad values.

    ``scoring`` is the ``[scoring]`` policy when the caller parsed it already (:mod:`jixiao.profiles` does, so
    the review, the audit and scoring share one object); otherwise it is read from ``data`` here."""
    for key in ("name", "title", "version"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ProfileError(f"缺少配置项“{key}”（字符串）")
    catalogue_raw = data.get("catalogue")
    if not isinstance(catalogue_raw, dict) or not catalogue_raw:
        raise ProfileError("缺少指标体系 [catalogue]：应列出每个一级指标下的二级指标")
    catalogue = {level1: _strings(catalogue_raw, level1) for level1 in catalogue_raw}
    rules = data.get("rules", {})
    disabled = frozenset(_strings(rules, "disabled"))
    severities = {code: _severity(value, f"[rules.severity] {code}")
                  for code, value in rules.get("severity", {}).items()}
    unknown = sorted((disabled | set(severities)) - known_codes) if known_codes else []
    if unknown:
        raise ProfileError(f"规则代码不存在：{'、'.join(unknown)}")
    grade = data.get("grade", {})
    deductions_raw = grade.get("deductions", {"error": 20, "warning": 6, "info": 1})
    deductions = {_severity(key, "[grade.deductions]"): _decimal(deductions_raw, key)
                  for key in deductions_raw}
    bands_raw = grade.get("bands", {"优": 90, "良": 75, "中": 60, "差": 0})
    bands = tuple(sorted(((name, _decimal(bands_raw, name)) for name in bands_raw),
                         key=lambda item: item[1], reverse=True))
    required = _strings(data, "required_level1")
    missing = [name for name in required if name not in catalogue]
    if missing:
        raise ProfileError(f"必备一级指标不在指标体系中：{'、'.join(missing)}")
    level1_weights_raw = data.get("level1_weights", {})
    if scoring is None:
        try:
            scoring = scoring_policy_from_dict(str(data["name"]), str(data["version"]), data.get("scoring", {}),
                                               data.get("monitoring", {}))
        except ScoringPolicyError as error:
            raise ProfileError(str(error)) from None
    return Profile(
        name=data["name"],
        title=data["title"],
        version=data["version"],
        description=str(data.get("description", "")),
        catalogue=catalogue,
        required_level1=required,
        indicator_weight_total=_decimal(data, "indicator_weight_total", "90"),
        execution_weight=_decimal(data, "execution_weight", "10"),
        level1_weights={key: _decimal(level1_weights_raw, key) for key in level1_weights_raw},
        satisfaction_floor=_decimal(data, "satisfaction_floor", "80"),
        max_name_length=int(_decimal(data, "max_name_length", "30")),
        vague_words=_strings(data, "vague_words"),
        input_words=_strings(data, "input_words"),
        placeholders=frozenset(_strings(data, "placeholders")),
        disabled=disabled,
        severities=severities,
        grade_policy=GradePolicy(deductions, int(grade.get("max_per_rule", 3)), bands),
        source=source,
        scoring=scoring,
        audit=audit_policy_from_dict(data.get("audit", {})),
        library_min_projects=_positive(data, "library_min_projects", 5),
        history_min_years=_positive(data, "history_min_years", 2),
    )


def _positive(data: Mapping[str, Any], key: str, default: int) -> int:
    raw = data.get(key, default)
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        raise ProfileError(f"配置项“{key}”应为正整数，实际为 {raw!r}")
    return raw
