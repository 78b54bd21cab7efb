"""Load an index system (评价指标体系) from TOML and check its weight rules before anyone scores with it.

Shipped templates live in ``profiles/index_templates/`` (项目支出重点评价, 部门整体评价, 事前绩效评估); a
bureau's own system is a TOML file in the same form (``docs/index-systems.md``). Loading refuses a system
whose weights do not add up, whose 产出 + 效益 fall short of the profile's share, or whose method parameters
cannot score; every problem is listed at once, in Chinese, naming the indicator by code and levels, each
with a stable code from the diagnostic catalogue (area ``index-systems``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.domain.index_system import (
    Condition,
    Element,
    EvaluationKind,
    EvaluationSettings,
    GradeBand,
    IndexIndicator,
    IndexLevel,
    IndexProblem,
    IndexSystem,
    IndexSystemError,
    MethodKind,
    ScoringMethod,
)
from jixiao.domain.score_formulas import show

TEMPLATES = "jixiao.profiles.index_templates"
Bad = Callable[[str, str], None]  # records a problem: (code, message)
OUTPUT_OUTCOME = ("产出", "效益")  # first-level names whose weights the profile's share applies to


def shipped_templates() -> list[str]:
    return list(_template_names())


@cache
def _template_names() -> tuple[str, ...]:
    folder = resources.files(TEMPLATES)
    return tuple(sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml")))


def load_index_system(name_or_path: str, settings: EvaluationSettings | None = None) -> IndexSystem:
    """A shipped template by name or a TOML file by path, parsed and checked; :class:`IndexSystemError` if not."""
    settings = settings or EvaluationSettings()
    if name_or_path in _template_names():
        text = resources.files(TEMPLATES).joinpath(f"{name_or_path}.toml").read_text("utf-8")
        return parse_index_system(text, f"内置模板 {name_or_path}", settings)
    path = Path(name_or_path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        known = "、".join(_template_names())
        raise IndexSystemError(str(path), [IndexProblem("index-unreadable",
                                                        f"无法读取文件（{error}）；内置模板有：{known}")]) from None
    return parse_index_system(text, str(path), settings)


def parse_index_system(text: str, source: str, settings: EvaluationSettings) -> IndexSystem:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise IndexSystemError(source, [IndexProblem("index-unreadable", f"不是有效的 TOML：{error}")]) from None
    problems: list[IndexProblem] = []
    system = _build(data, problems)
    if system is not None:
        problems.extend(check_weights(system, settings))
    if problems or system is None:
        raise IndexSystemError(source, problems)
    return system


def _build(data: dict[str, Any], problems: list[IndexProblem]) -> IndexSystem | None:
    def index_problem(code: str, message: str) -> None:
        problems.append(IndexProblem(code, message))

    head = {key: str(data.get(key, "")).strip() for key in ("key", "name", "kind", "version", "source")}
    for key, label in (("key", "标识 key"), ("name", "名称 name"), ("version", "版本 version")):
        if not head[key]:
            index_problem("index-bad-field", f"缺少{label}")
    kinds = {kind.value: kind for kind in EvaluationKind}
    kind = kinds.get(head["kind"])
    if kind is None:
        index_problem("index-bad-field", f"类型 kind 应为 {'、'.join(kinds)} 之一，实际为“{head['kind']}”")
    total = _decimal(data.get("total", 100), "总分 total", index_problem)
    levels: list[IndexLevel] = []
    indicators: list[IndexIndicator] = []
    entries = data.get("level1")
    if not isinstance(entries, list) or not entries:
        index_problem("index-bad-field", "没有任何一级指标（应有 [[level1]]）")
        entries = []
    for first in entries:
        name1 = str(first.get("name", "")).strip() if isinstance(first, dict) else ""
        if not name1:
            index_problem("index-bad-field", "有一级指标缺少名称 name")
            continue
        levels.append(IndexLevel(name1, _optional(first.get("weight"), f"一级指标“{name1}”的分值", index_problem)))
        seconds = first.get("level2") or []
        if not seconds:
            index_problem("index-bad-field", f"一级指标“{name1}”下没有二级指标")
        for second in seconds:
            name2 = str(second.get("name", "")).strip() if isinstance(second, dict) else ""
            if not name2:
                index_problem("index-bad-field", f"一级指标“{name1}”下有二级指标缺少名称 name")
                continue
            declared = _optional(second.get("weight"), f"二级指标“{name1}／{name2}”的分值", index_problem)
            levels.append(IndexLevel(name2, declared, name1))
            thirds = second.get("indicators") or []
            if not thirds:
                index_problem("index-bad-field", f"二级指标“{name1}／{name2}”下没有三级指标")
            for raw in thirds:
                item = _indicator(raw, name1, name2, index_problem)
                if item is not None:
                    indicators.append(item)
    codes = [item.code for item in indicators]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        index_problem("index-bad-field", f"指标编码 {code} 重复")
    if kind is None or total is None or problems:
        return None
    return IndexSystem(head["key"], head["name"], kind, head["version"], head["source"], total, tuple(levels),
                       tuple(indicators))


def _indicator(raw: Any, level1: str, level2: str, index_problem: Bad) -> IndexIndicator | None:
    if not isinstance(raw, dict):
        index_problem("index-bad-field", f"二级指标“{level1}／{level2}”下的三级指标应为表")
        return None
    code, name = str(raw.get("code", "")).strip(), str(raw.get("name", "")).strip()
    label = f"{code or '（无编码）'}“{level1}／{level2}／{name or '（无名称）'}”"
    if not code or not name:
        index_problem("index-bad-field", f"三级指标 {label} 缺少编码 code 或名称 name")
        return None
    weight = _decimal(raw.get("weight"), f"三级指标 {label} 的分值 weight", index_problem)
    explanation = str(raw.get("explanation", "")).strip()
    if not explanation:
        index_problem("index-bad-field", f"三级指标 {label} 缺少指标解释 explanation")
    method = _method(raw, label, weight, index_problem)
    if weight is None or method is None or not explanation:
        return None
    return IndexIndicator(code, level1, level2, name, weight, explanation, _texts(raw.get("points")),
                          _texts(raw.get("evidence")), method)


def _method(raw: dict[str, Any], label: str, weight: Decimal | None, index_problem: Bad) -> ScoringMethod | None:
    kinds = {kind.value: kind for kind in MethodKind}
    kind = kinds.get(str(raw.get("method", "")))
    if kind is None:
        index_problem("index-bad-method",
            f"三级指标 {label} 的计分方法 method 应为 {'、'.join(kinds)} 之一，实际为“{raw.get('method', '')}”")
        return None
    w = weight or Decimal(0)
    where = f"三级指标 {label}（{kind.label}）"
    if kind is MethodKind.FORMULA:
        numerator, denominator = str(raw.get("numerator", "")).strip(), str(raw.get("denominator", "")).strip()
        full_at = _decimal(raw.get("full_at", 1), f"{where}的 full_at", index_problem)
        zero_below = _optional(raw.get("zero_below"), f"{where}的 zero_below", index_problem)
        if not numerator or not denominator:
            index_problem("index-bad-method", f"{where}须写明分子 numerator 和分母 denominator")
        if full_at is not None and full_at <= 0:
            index_problem("index-bad-method", f"{where}的 full_at 应大于 0")
        if zero_below is not None and full_at is not None and not 0 <= zero_below <= full_at:
            index_problem("index-bad-method", f"{where}的 zero_below 应在 0 与 full_at 之间")
        return ScoringMethod(kind, numerator, denominator, full_at or Decimal(1), zero_below)
    if kind is MethodKind.ELEMENTS:
        texts = _texts(raw.get("elements"))
        if not texts:
            index_problem("index-bad-method", f"{where}没有要素 elements")
            return None
        given = raw.get("element_points")
        if given is None:
            points = [w / len(texts)] * len(texts)
        else:
            values = [_decimal(value, f"{where}的要素分值", index_problem) for value in given] if isinstance(given,
                                                                                                        list) else []
            if len(values) != len(texts) or any(value is None or value < 0 for value in values):
                index_problem("index-bad-method", f"{where}的 element_points 应为 {len(texts)} 个非负数")
                return None
            points = [value for value in values if value is not None]
            if sum(points, Decimal(0)) != w:
                index_problem("index-weight-sum",
                              f"{where}的要素分值合计 {show(sum(points, Decimal(0)))}，应等于分值 {show(w)}")
        return ScoringMethod(kind, elements=tuple(Element(text, point) for text, point in zip(texts, points,
                                                                                              strict=True)))
    if kind is MethodKind.CONDITIONS:
        found = []
        for entry in raw.get("conditions", []) if isinstance(raw.get("conditions"), list) else []:
            when = str(entry.get("when", "")).strip() if isinstance(entry, dict) else ""
            share = _decimal(entry.get("share") if isinstance(entry, dict) else None, f"{where}的 share", index_problem)
            if not when or share is None or not 0 <= share <= 1:
                index_problem("index-bad-method", f"{where}的每个情形应有 when 和 0–1 之间的 share")
                return None
            found.append(Condition(when, share))
        if not found or max(item.share for item in found) != 1:
            index_problem("index-bad-method", f"{where}应列出情形 conditions，且至少一个情形得满分（share = 1）")
            return None
        return ScoringMethod(kind, conditions=tuple(found))
    if kind is MethodKind.DEDUCTION:
        per = _decimal(raw.get("per_occurrence"), f"{where}的 per_occurrence", index_problem)
        floor = _decimal(raw.get("floor", 0), f"{where}的 floor", index_problem)
        if per is None or per <= 0 or floor is None or not 0 <= floor <= w:
            index_problem("index-bad-method",
                          f"{where}的每处扣分 per_occurrence 应大于 0，最低分 floor 应在 0–{show(w)} 之间")
            return None
        return ScoringMethod(kind, per_occurrence=per, floor=floor, occurrence=str(raw.get("occurrence", "")).strip())
    if kind is MethodKind.GRADES:
        bands = _bands(raw.get("bands"), where, index_problem)
        return None if bands is None else ScoringMethod(kind, bands=bands)
    return ScoringMethod(kind)


def _bands(raw: Any, where: str, index_problem: Bad) -> tuple[GradeBand, ...] | None:
    found = []
    for entry in raw if isinstance(raw, list) else []:
        grade = str(entry.get("grade", "")).strip() if isinstance(entry, dict) else ""
        low = _decimal(entry.get("low") if isinstance(entry, dict) else None, f"{where}的 low", index_problem)
        high = _decimal(entry.get("high") if isinstance(entry, dict) else None, f"{where}的 high", index_problem)
        if not grade or low is None or high is None or not 0 <= low <= high <= 1:
            index_problem("index-bad-method", f"{where}的每个等级应有 grade 和 0 ≤ low ≤ high ≤ 1")
            return None
        found.append(GradeBand(grade, low, high))
    if not found or found[0].high != 1:
        index_problem("index-bad-method", f"{where}应列出等级 bands（从高到低），最高一档的 high 为 1")
        return None
    return tuple(found)


def check_weights(system: IndexSystem, settings: EvaluationSettings) -> list[IndexProblem]:
    """The weight rules: levels add up to what they declare, the whole to ``total``, 产出 + 效益 to their share."""
    problems = []
    for item in system.indicators:
        if item.weight <= 0:
            problems.append(IndexProblem("index-weight-sum", f"三级指标 {item.label} 的分值应大于 0"))
    for level in system.levels:
        if level.weight is None:
            continue
        summed = system.weight_of(level.parent or level.name, level.name if level.parent else None)
        if summed != level.weight:
            what = f"二级指标“{level.parent}／{level.name}”" if level.parent else f"一级指标“{level.name}”"
            problems.append(IndexProblem("index-weight-sum", f"{what}分值为 {show(level.weight)}，"
                                         f"其下三级指标合计 {show(summed)}"))
    summed = sum((item.weight for item in system.indicators), Decimal(0))
    if summed != system.total:
        problems.append(IndexProblem("index-weight-sum",
                                     f"三级指标分值合计 {show(summed)}，应等于总分 {show(system.total)}"))
    if system.kind is not EvaluationKind.EX_ANTE and system.total > 0:
        names = [name for name in system.level1_names() if any(word in name for word in OUTPUT_OUTCOME)]
        share = sum((system.weight_of(name) for name in names), Decimal(0)) / system.total
        if share < settings.min_output_outcome_share:
            problems.append(IndexProblem("index-output-share",
                                         f"产出、效益指标（{'、'.join(names) or '无'}）合计占 {show(share * 100)}%，"
                                         f"低于本地区规定的 {show(settings.min_output_outcome_share * 100)}%"))
    return problems


def _decimal(value: Any, what: str, index_problem: Bad) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        index_problem("index-bad-field", f"{what}应为数字，实际为 {value!r}")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        index_problem("index-bad-field", f"{what}应为数字，实际为 {value!r}")
        return None
    return number


def _optional(value: Any, what: str, index_problem: Bad) -> Decimal | None:
    return None if value is None else _decimal(value, what, index_problem)


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    return tuple(str(item).strip() for item in value if str(item).strip()) if isinstance(value, list) else ()


def evaluation_settings(section: Any, source: str) -> EvaluationSettings:
    """A profile's ``[evaluation]`` table, checked; absent keys keep the defaults. Raises ``ValueError`` in Chinese."""
    if section is None:
        return EvaluationSettings()
    where = f"配置 {source}：[evaluation]"
    known = {"grade_bands", "min_output_outcome_share", "ex_ante_threshold", "disagreement_share", "trim"}
    if not isinstance(section, dict) or set(section) - known:
        raise ValueError(f"{where} 只能含 {'、'.join(sorted(known))}")
    problems: list[IndexProblem] = []

    def index_problem(code: str, message: str) -> None:
        problems.append(IndexProblem(code, message))

    defaults = EvaluationSettings()
    values = {key: _decimal(section[key], f"{where}.{key}", index_problem) for key in
              ("min_output_outcome_share", "ex_ante_threshold", "disagreement_share") if key in section}
    bands = defaults.grade_bands
    if "grade_bands" in section:
        raw = section["grade_bands"]
        parsed = [(str(name), _decimal(value, f"{where}.grade_bands “{name}”", index_problem))
                  for name, value in (raw.items() if isinstance(raw, dict) else [])]
        if not parsed:
            index_problem("index-bad-field", f"{where}.grade_bands 应为“等级 = 最低分”的表")
        bands = tuple(sorted(((name, value) for name, value in parsed if value is not None), key=lambda pair: -pair[1]))
    trim = section.get("trim", defaults.trim)
    if not isinstance(trim, bool):
        index_problem("index-bad-field", f"{where}.trim 应为 true 或 false")
    share = values.get("min_output_outcome_share", defaults.min_output_outcome_share)
    spread = values.get("disagreement_share", defaults.disagreement_share)
    threshold = values.get("ex_ante_threshold", defaults.ex_ante_threshold)
    for label, value in (("min_output_outcome_share", share), ("disagreement_share", spread)):
        if value is not None and not 0 <= value <= 1:
            index_problem("index-bad-field", f"{where}.{label} 应在 0–1 之间（如 0.6 表示 60%）")
    if threshold is not None and threshold < 0:
        index_problem("index-bad-field", f"{where}.ex_ante_threshold 应为非负的金额（万元）")
    if problems or share is None or spread is None or threshold is None:
        raise ValueError("；".join(problem.message for problem in problems))
    return EvaluationSettings(bands or defaults.grade_bands, share, threshold, spread, bool(trim))
