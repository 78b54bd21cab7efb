"""Index systems for the shells: list the shipped templates, open one (checked), score a filled-in sheet.

The CLI (``jixiao index-system``) and, later, the evaluation pages and jobs call these; the checks and the
arithmetic live in ``profiles.index_systems`` and ``scoring.index_sheet``. A system or entry file that
cannot be used raises :class:`InvalidIndexSystem` with every problem in ``details``.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.domain.index_system import IndexSystem, IndexSystemError
from jixiao.domain.score_formulas import show
from jixiao.io.inputs.index_entries import read_index_entries
from jixiao.profiles import load
from jixiao.profiles.index_systems import TEMPLATES, load_index_system, shipped_templates
from jixiao.scoring.index_sheet import SheetScore, score_sheet
from jixiao.services.errors import InvalidInput


class InvalidIndexSystem(InvalidInput):
    code = "invalid_index_system"
    summary = "评价指标体系或评分录入文件不能使用"


def templates() -> list[IndexSystem]:
    return [load_index_system(name) for name in shipped_templates()]


def template_text(name: str) -> str:
    """A shipped template's TOML, for a bureau to copy and adapt."""
    if name not in shipped_templates():
        raise InvalidIndexSystem(f"没有名为“{name}”的内置模板；可用：{'、'.join(shipped_templates())}")
    return resources.files(TEMPLATES).joinpath(f"{name}.toml").read_text("utf-8")


def open_system(name_or_path: str, profile: str | None = None) -> IndexSystem:
    try:
        return load_index_system(name_or_path, load(profile).evaluation)
    except IndexSystemError as error:
        raise _invalid(error) from None


def score_file(system: IndexSystem, entries: Path, profile: str | None = None) -> SheetScore:
    try:
        text = entries.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidIndexSystem(f"无法读取评分录入文件 {entries}：{error}") from None
    try:
        read = read_index_entries(text, str(entries), {item.code for item in system.indicators})
    except IndexSystemError as error:
        raise _invalid(error) from None
    return score_sheet(system, read, load(profile).evaluation)


def _invalid(error: IndexSystemError) -> InvalidIndexSystem:
    return InvalidIndexSystem(str(error), [{"code": problem.code, "message": problem.message}
                                           for problem in error.problems])


def system_dict(system: IndexSystem) -> dict[str, Any]:
    """The system as data (JSON output, pages): levels with weights, indicators with their methods."""
    return {"key": system.key, "name": system.name, "kind": system.kind.value, "kind_label": system.kind.label,
            "version": system.version, "source": system.source, "total": _num(system.total),
            "level1": [{"name": name, "weight": _num(system.weight_of(name))} for name in system.level1_names()],
            "indicators": [{"code": item.code, "level1": item.level1, "level2": item.level2, "name": item.name,
                            "weight": _num(item.weight), "explanation": item.explanation, "points": list(item.points),
                            "evidence": list(item.evidence), "method": item.method.kind.value,
                            "method_label": item.method.kind.label} for item in system.indicators]}


def sheet_dict(sheet: SheetScore) -> dict[str, Any]:
    """A scored sheet as data: every indicator's experts, combined score and arithmetic; subtotals; grade."""
    return {"system": {"key": sheet.system.key, "name": sheet.system.name, "version": sheet.system.version},
            "total": _num(sheet.total), "grade": sheet.grade,
            "subtotals": [{"level1": level1, "level2": level2, "score": _num(score), "weight": _num(weight)}
                          for level1, level2, score, weight in sheet.subtotals],
            "indicators": [{"code": result.indicator.code, "name": result.indicator.name,
                            "weight": _num(result.indicator.weight), "score": _num(result.score),
                            "scored": result.combined is not None,
                            "combined": result.combined.arithmetic if result.combined else None,
                            "disagreement": bool(result.combined and result.combined.disagreement),
                            "experts": [{"score": None if item.score is None else _num(item.score),
                                         "formula": item.formula, "arithmetic": item.arithmetic,
                                         "problem": item.problem} for item in result.by_expert]}
                           for result in sheet.indicators],
            "unscored": [result.indicator.code for result in sheet.unscored],
            "disagreements": [result.indicator.code for result in sheet.disagreements]}


def _num(value: Decimal) -> str:
    return show(value)
