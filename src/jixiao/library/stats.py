"""Statistics of one library entry from what projects set: targets, weights, how often met.

Targets are compared in the entry's own unit only (a 满意度 in % and one in 分 are not one distribution);
quartiles are the linear interpolation between order statistics (the "inclusive" method), in Decimal, so the
same figures come out on every machine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import msgspec

from jixiao.domain.comparable import ComparableRange, unit_key
from jixiao.domain.indicator import Direction

_TWO = Decimal(2)
_FOUR = Decimal(4)


class Observation(msgspec.Struct, frozen=True):
    """One indicator of one approved table, as the library counts it."""

    name: str
    project: str  # project code
    unit: str  # unit_key of the indicator's 度量单位
    operator: str | None = None
    direction: Direction | None = None
    target: Decimal | None = None
    weight: Decimal | None = None
    year: int | None = None
    category: str | None = None  # 项目类别: the 功能分类 类 (first three digits of the function code)
    function: str | None = None  # 职能: the function's name
    met: bool | None = None  # from the stored self-evaluation: full marks on this indicator


class Quartiles(msgspec.Struct, frozen=True):
    count: int
    low: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    high: Decimal


def _at(ordered: Sequence[Decimal], share: Decimal) -> Decimal:
    position = share * (len(ordered) - 1)
    below = int(position)
    if below + 1 >= len(ordered):
        return ordered[-1]
    return ordered[below] + (ordered[below + 1] - ordered[below]) * (position - below)


def quartiles(values: Iterable[Decimal]) -> Quartiles | None:
    """Lowest, lower quartile, median, upper quartile, highest; ``None`` for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return Quartiles(len(ordered), ordered[0], _at(ordered, 1 / _FOUR), _at(ordered, 1 / _TWO),
                     _at(ordered, 3 / _FOUR), ordered[-1])


class EntryStats(msgspec.Struct, frozen=True):
    """What the library shows of one entry (targets in ``unit``, the entry's own)."""

    unit: str
    units: dict[str, int]  # every unit seen, with its count
    operators: dict[str, int]
    targets: Quartiles | None
    by_category: dict[str, Quartiles]
    by_function: dict[str, Quartiles]
    by_year: dict[int, Quartiles]
    weights: Quartiles | None
    evaluated: int  # observations with a self-evaluation
    met: int
    projects: tuple[str, ...]
    compared: int = 0  # projects whose target is in ``unit`` (what the range is computed from)
    direction: Direction | None = None

    @property
    def met_share(self) -> Decimal | None:
        return None if not self.evaluated else (Decimal(self.met) / Decimal(self.evaluated)).quantize(Decimal("0.001"))


def _grouped(items: Iterable[tuple[object, Decimal]]) -> dict[object, list[Decimal]]:
    found: dict[object, list[Decimal]] = {}
    for key, value in items:
        if key is not None and key != "":
            found.setdefault(key, []).append(value)
    return found


def _quartiled(values: Mapping[object, list[Decimal]]) -> dict[object, Quartiles]:
    found = {}
    for key, numbers in values.items():
        figures = quartiles(numbers)
        if figures is not None:
            found[key] = figures
    return found


def entry_stats(observations: Sequence[Observation], unit: str | None = None) -> EntryStats:
    """The statistics of one entry; ``unit`` is its own unit (else the unit seen most often)."""
    units = Counter(item.unit for item in observations)
    own = unit_key(unit) if unit is not None else (units.most_common(1)[0][0] if units else "")
    same = [item for item in observations if item.unit == own and item.target is not None]
    targets = [(item, item.target) for item in same if item.target is not None]
    directions = Counter(item.direction for item in observations if item.direction is not None)
    evaluated = [item for item in observations if item.met is not None]
    return EntryStats(
        unit=own,
        units=dict(units.most_common()),
        operators=dict(Counter(item.operator for item in observations if item.operator).most_common()),
        targets=quartiles(value for _, value in targets),
        by_category={str(k): v for k, v in _quartiled(_grouped((i.category, t) for i, t in targets)).items()},
        by_function={str(k): v for k, v in _quartiled(_grouped((i.function, t) for i, t in targets)).items()},
        by_year={int(str(k)): v for k, v in _quartiled(_grouped((i.year, t) for i, t in targets)).items()},
        weights=quartiles(item.weight for item in observations if item.weight is not None),
        evaluated=len(evaluated),
        met=sum(1 for item in evaluated if item.met),
        projects=tuple(sorted({item.project for item in observations})),
        compared=len({item.project for item in same}),
        direction=directions.most_common(1)[0][0] if directions else None,
    )


def comparable(stats: EntryStats, entry: str, level1: str | None = None, level2: str | None = None,
               direction: Direction | None = None) -> ComparableRange | None:
    """The range the editor and the review show, from the projects that set a target in the entry's unit."""
    figures = stats.targets
    if figures is None:
        return None
    return ComparableRange(entry, stats.unit, figures.q1, figures.median, figures.q3,
                           stats.compared, direction or stats.direction, level1, level2)
