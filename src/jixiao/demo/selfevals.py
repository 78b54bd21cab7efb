"""Self-evaluation tables (项目支出绩效自评表) as a unit fills them in after the year, from target tables.

:func:`evaluate` takes a target table and fills the form the way a unit does: what was budgeted and spent, an
actual for every indicator (most met, some missed, a few exceeded), the points jixiao's own scoring gives them
under the default profile (so the published arithmetic holds: an audit finds nothing to recompute), a reason
where points were lost, the total and its grade, and — where a form has them — block weights in the 一级 cell
("产出指标(50分)") and 其中 sub-rows under a quantity. ``variant="score_sheet"`` fills the 决策/过程/产出/效益 score
sheet instead (评价标准, 自评分, 复核分).

:func:`iter_selfeval_tables` draws ``n`` random-but-valid tables from the target-table generator
(:mod:`jixiao.demo.targets`) for the benchmark (``bench/generate_selfeval.py`` writes them); the committed corpus
(``tests/data/selfeval_tables/make_corpus.py``) evaluates the seed's nine tables, and the demo region
(:mod:`jixiao.demo.region`) evaluates its projects, some with ``rate`` and ``all_met`` set (inflated ones).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import msgspec

from jixiao.demo.catalogue import GIVEN, SURNAMES
from jixiao.demo.targets import DEFAULT_SEED, make_table
from jixiao.domain import CodedName, EvaluatedIndicator, FundingRow, SelfEvaluationTable, TargetTable, Value
from jixiao.domain.indicator import Indicator, Operator
from jixiao.domain.reported import QualitativeGrade
from jixiao.domain.selfeval_table import Variant
from jixiao.io.writers.selfeval_text import format_selfeval
from jixiao.scoring.engine import score_project
from jixiao.scoring.indicators import score_indicator
from jixiao.scoring.model import Actual, Budget, ProjectScore
from jixiao.scoring.policy import ScoringPolicy

CENT = Decimal("0.01")
REASONS_LOST = (
    "受市场价格波动影响，部分采购延后，下年度提前做好采购计划",
    "项目实施进度滞后于计划，下年度加强过程管理和进度督导",
    "服务对象需求变化，实际工作量低于年初预计，下年度优化目标测算",
    "部分工作因天气原因推迟，已于次年一季度完成",
    "宣传覆盖面不足，下年度拓展线上线下宣传渠道",
)
PROPORTIONAL = "按指标完成比例计分：实际值 ÷ 指标值 × 分值"
GRADED = "按完成等级计分：达成 80%–100%，部分达成 60%–80%，未达成 0–60%"
REASON_OVER = "实际需求高于年初预计，超额完成，下年度据实调整指标值"
REASON_SPENDING = "部分合同尾款按约定于次年支付，下年度合理安排支付进度"
SHEET_CRITERIA = {
    "立项依据充分性": "立项符合法律法规、相关政策和部门职责，依据充分的得满分，否则酌情扣分",
    "立项程序规范性": "按规定程序申请设立、审批文件齐全的得满分，否则酌情扣分",
    "绩效目标合理性": "绩效目标与实际工作内容相关、符合正常业绩水平的得满分，否则酌情扣分",
    "预算编制科学性": "预算编制经过论证、内容与项目相匹配的得满分，否则酌情扣分",
    "资金到位率": "资金到位率 = 实际到位资金 ÷ 预算资金 × 100%，得分 = 到位率 × 分值",
    "预算执行率": "预算执行率 = 全年执行数 ÷ 全年预算数 × 100%，得分 = 执行率 × 分值",
    "资金使用合规性": "资金使用符合财经制度、无截留挤占挪用的得满分，否则酌情扣分",
    "管理制度健全性": "制定了相应的财务和业务管理制度且合法合规的得满分，否则酌情扣分",
}
SHEET_FRAME = (  # (一级, block weight, rows of (二级, 三级, 分值)); 产出 and 效益 come from the target table
    ("决策", 20, (("项目立项", "立项依据充分性", 5), ("项目立项", "立项程序规范性", 5),
                  ("绩效目标", "绩效目标合理性", 5), ("资金投入", "预算编制科学性", 5))),
    ("过程", 20, (("资金管理", "资金到位率", 5), ("资金管理", "预算执行率", 5),
                  ("资金管理", "资金使用合规性", 5), ("组织实施", "管理制度健全性", 5))),
)


@cache
def policy() -> ScoringPolicy:
    """The default profile's scoring: the arithmetic an audit recomputes with."""
    from jixiao.profiles import load

    return load().scoring


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> Decimal:
    """A score as a form prints it: 20, 16.67, 9.5 (no trailing zeros)."""
    text = format(value, "f")
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def _number_text(value: Decimal) -> str:
    return format(_plain(value), "f")


def _actual(rng: random.Random, operator: str | None, target: Value | None,
            unit: str | None = None, all_met: bool = False, missed: bool = False) -> tuple[Value | None, Actual]:
    """What the unit reports for one indicator: usually the target met, sometimes missed or exceeded
    (``all_met``: exactly the target, or 达成, as an inflated self-evaluation reports; ``missed``: missed)."""
    if operator == str(Operator.QUALITATIVE) or target is None or target.number is None:
        if missed:
            return Value(QualitativeGrade.PARTLY.value), Actual(Value(QualitativeGrade.PARTLY.value),
                                                                QualitativeGrade.PARTLY)
        grade = QualitativeGrade.ACHIEVED if all_met else rng.choices(list(QualitativeGrade), weights=(85, 12, 3))[0]
        return Value(grade.value), Actual(Value(grade.value), grade)
    a = target.number
    roll = 0.0 if all_met else 0.9 if missed else rng.random()
    downward = operator in (str(Operator.LE), str(Operator.LT))
    if roll < 0.62 or a == 0:
        b = a
    elif roll < 0.8:  # exceeded (or, downward, stayed well below)
        b = a * Decimal(rng.choice(("0.8", "0.9"))) if downward else a * Decimal(rng.choice(("1.02", "1.05", "1.1")))
    else:  # missed
        b = a * Decimal(rng.choice(("1.1", "1.2"))) if downward else a * Decimal(rng.choice(("0.8", "0.9", "0.95")))
    whole = a == a.to_integral_value() and abs(a) >= 10
    b = b.quantize(Decimal(1), rounding=ROUND_HALF_UP) if whole else _cents(b)
    if unit == "%" and a <= 100:
        b = min(b, Decimal(100))  # a rate or a satisfaction never passes 100 %
    text = _number_text(b)
    return Value(text), Actual(Value(text))


def _qualitative_points(score_weight: Decimal, grade: QualitativeGrade, rng: random.Random) -> Decimal:
    low, high = {QualitativeGrade.ACHIEVED: ("0.9", "1"), QualitativeGrade.PARTLY: ("0.65", "0.75"),
                 QualitativeGrade.NOT_ACHIEVED: ("0.3", "0.5")}[grade]
    return _cents(score_weight * Decimal(rng.choice((low, high))))


def _budget(rng: random.Random, target: TargetTable, spent: Decimal | None = None) -> Budget:
    """What was budgeted and spent; ``spent``: the execution rate to report (else drawn: mostly near 100 %)."""
    total = target.total_wan
    if total is None:  # the target left it blank; the unit knows what it was given
        total = _cents(Decimal(rng.randint(500, 500000)) / 100)
    adjusted = total if rng.random() < 0.85 else _cents(total * Decimal(rng.choice(("0.9", "1.05", "1.1"))))
    if spent is not None:
        return Budget(total, adjusted, _cents(adjusted * spent))
    roll = rng.random()
    rate = Decimal(1) if roll < 0.5 else Decimal(rng.choice(("0.9995", "0.992", "0.98", "0.965")))
    if roll > 0.93:
        rate = Decimal(rng.choice(("0.85", "0.72")))
    return Budget(total, adjusted, _cents(adjusted * rate))


def _score(rng: random.Random, target: TargetTable, rate: Decimal | None = None, all_met: bool = False,
           misses: float = 0.0) -> tuple[ProjectScore, dict[int, Actual]]:
    actuals: dict[int, Actual] = {}
    for index, item in enumerate(target.indicators):
        missed = bool(misses) and rng.random() < misses  # drawn only when asked: the benchmarks' tables stay the same
        _, actual = _actual(rng, item.operator, item.current_target or item.target, item.unit_of_measure, all_met,
                            missed)
        weight = item.current_weight if item.current_weight is not None else item.weight
        if actual.grade is not None and weight is not None:
            points = weight if all_met else _qualitative_points(weight, actual.grade, rng)
            actual = Actual(actual.value, actual.grade, points)
        actuals[index] = actual
    return score_project(target, actuals, _budget(rng, target, rate), policy()), actuals


def system_selfeval(target: TargetTable, rng: random.Random, *, rate: Decimal | None = None,
                    all_met: bool = False, misses: float = 0.0) -> tuple[ProjectScore, dict[int, Actual]]:
    """The 自评 a unit submits in jixiao for ``target``: its scores (with their arithmetic) and the actuals.
    ``rate``: the execution rate to report; ``all_met``: every indicator reported exactly at its target;
    ``misses``: the chance that each indicator is missed (a project that went badly)."""
    return _score(rng, target, rate, all_met, misses)


def _funding(score: ProjectScore, target: TargetTable) -> tuple[FundingRow | None, tuple[FundingRow, ...]]:
    """年度资金总额 with its execution score, then 其中 本年财政拨款 / 上年结转资金 / 其他资金 (adding up to it)."""
    budget, execution = score.execution.budget, score.execution
    if budget is None:
        return None, ()
    rate = None if execution.rate is None else _cents(execution.rate * 100)
    total = FundingRow("total", "年度资金总额", budget.initial, budget.adjusted, budget.executed, execution.weight,
                       rate, None if execution.score is None else _plain(execution.score))
    split, fiscal_amount = target.funding.total(), target.funding.fiscal
    share = Decimal(1) if split is None or not target.total_wan else (fiscal_amount or Decimal(0)) / target.total_wan
    amounts = (budget.initial, budget.adjusted, budget.executed)
    fiscal = [None if amount is None or share == 0 else _cents(amount * share) for amount in amounts]
    other = [None if amount is None or part == amount else amount - (part or Decimal(0))
             for amount, part in zip(amounts, fiscal, strict=True)]
    return total, (FundingRow("fiscal", "本年财政拨款", fiscal[0], fiscal[1], fiscal[2]),
                   FundingRow("carryover", "上年结转资金"),
                   FundingRow("other", "其他资金", other[0], other[1], other[2]))


def _subrows(rng: random.Random, item: EvaluatedIndicator) -> list[EvaluatedIndicator]:
    """Two 其中 rows splitting a whole-number quantity (上半年/下半年), as forms break down a count."""
    target, actual = item.target, item.actual
    if (item.level2 != "数量指标" or target is None or target.number is None or actual is None
            or actual.number is None or target.number < 4 or target.number != target.number.to_integral_value()
            or actual.number != actual.number.to_integral_value()):
        return []
    first_target = (target.number * Decimal(rng.choice(("0.4", "0.5", "0.6")))).to_integral_value()
    first_actual = min(actual.number, (actual.number * first_target / target.number).to_integral_value())
    parts = ((f"{item.name}（上半年）", first_target, first_actual),
             (f"{item.name}（下半年）", target.number - first_target, actual.number - first_actual))
    return [EvaluatedIndicator(item.level1, item.level2, name, item.operator, Value(_number_text(a)),
                               item.unit_of_measure, actual=Value(_number_text(b)), parent=item.name,
                               level1_weight=item.level1_weight)
            for name, a, b in parts]


def _block_weights(rows: Sequence[EvaluatedIndicator]) -> list[EvaluatedIndicator]:
    """Each row with the weight of its 一级 block, as a merged "产出指标(50分)" cell prints it."""
    totals: dict[str | None, Decimal] = {}
    for item in rows:
        if item.parent is None and item.weight is not None:
            totals[item.level1] = totals.get(item.level1, Decimal(0)) + item.weight
    return [msgspec.structs.replace(item, level1_weight=totals.get(item.level1)) for item in rows]


def _reason(rng: random.Random, lost: bool, over: bool) -> str | None:
    if lost:
        return rng.choice(REASONS_LOST)
    return REASON_OVER if over else None


def _form_rows(rng: random.Random, score: ProjectScore, subrows: bool) -> list[EvaluatedIndicator]:
    rows: list[EvaluatedIndicator] = []
    split_done = not subrows
    for item, scored in zip(score.table.indicators, score.indicators, strict=True):
        actual = scored.actual.value if scored.actual else None
        lost = scored.score is not None and scored.weight is not None and scored.score < scored.weight
        row = EvaluatedIndicator(
            item.level1, item.level2, item.name, item.operator, item.current_target or item.target,
            item.unit_of_measure, scored.weight, actual, None if scored.score is None else _plain(scored.score),
            _reason(rng, lost, scored.overachieved))
        rows.append(row)
        if not split_done:
            parts = _subrows(rng, row)
            rows += parts
            split_done = bool(parts)
    return rows


def _rescored(index: int, item: Indicator, actual: Actual | None, weight: Decimal) -> Decimal | None:
    """The score of a quantitative indicator at a new 分值, worked from its actual (not from the score at the old
    分值, which is already rounded: rescaling it rounds twice and can miss the formula by a cent or two)."""
    if actual is None or actual.grade is not None:
        return None
    rescaled = msgspec.structs.replace(item, weight=weight, current_weight=weight)
    return score_indicator(index, rescaled, actual, policy()).score


def _sheet_rows(rng: random.Random, score: ProjectScore, actuals: dict[int, Actual]) -> list[EvaluatedIndicator]:
    """决策/过程 rows from the frame, 产出 and 效益 from the target's indicators rescaled to 40 and 20 points."""
    rows: list[EvaluatedIndicator] = []
    rate = score.execution.rate
    for level1, block, frame in SHEET_FRAME:
        for level2, name, points in frame:
            weight = Decimal(points)
            if name == "预算执行率" and rate is not None:
                given = _cents(min(rate, Decimal(1)) * weight)
            else:
                given = weight if rng.random() < 0.8 else weight - Decimal(1)
            rows.append(EvaluatedIndicator(level1, level2, name, weight=weight, score=_plain(given),
                                           criteria=SHEET_CRITERIA[name], level1_weight=Decimal(block)))
    pairs = list(zip(score.table.indicators, score.indicators, strict=True))
    for level1, block, wanted in (("产出", 40, ("产出指标", "成本指标")), ("效益", 20, ("效益指标", "满意度指标"))):
        chosen = [(item, scored) for item, scored in pairs if item.level1 in wanted] or pairs[:1]
        weights = _spread(block, len(chosen))
        for (item, scored), weight in zip(chosen, weights, strict=True):
            rescored = _rescored(scored.index, item, actuals.get(scored.index), weight)
            if rescored is None:  # 定性 (points within the grade's band) or not scorable: the share carries over
                share = (scored.score / scored.weight) if scored.score is not None and scored.weight else Decimal(1)
                rescored = _cents(weight * share)
            given = rescored
            rows.append(EvaluatedIndicator(
                level1, item.level2, item.name, item.operator, item.current_target or item.target,
                item.unit_of_measure, weight, scored.actual.value if scored.actual else None, _plain(given),
                _reason(rng, given < weight, False), None, Decimal(block),
                GRADED if item.operator == str(Operator.QUALITATIVE) else PROPORTIONAL))
    if rng.random() < 0.4:  # the finance bureau's 复核分 beside the unit's own
        rows = [msgspec.structs.replace(row, recheck_score=row.score if rng.random() < 0.8 or row.score is None
                                        else _plain(max(Decimal(0), row.score - Decimal(1)))) for row in rows]
    return rows


def _spread(total: int, count: int) -> list[Decimal]:
    base, extra = divmod(total, count)
    return [Decimal(base + (1 if index < extra else 0)) for index in range(count)]


def _total(rows: Sequence[EvaluatedIndicator], execution: Decimal | None) -> Decimal:
    points = [row.score for row in rows if row.parent is None and row.score is not None]
    return _plain(sum(points, execution or Decimal(0)))


def evaluate(target: TargetTable, rng: random.Random, variant: Variant = "form", *, block_weights: bool = False,
             subrows: bool = False, rate: Decimal | None = None, all_met: bool = False,
             misses: float = 0.0) -> SelfEvaluationTable:
    """The self-evaluation a unit publishes for ``target`` after the year (see the module's docstring);
    ``rate``, ``all_met`` and ``misses`` as :func:`system_selfeval`."""
    score, actuals = _score(rng, target, rate, all_met, misses)
    budget, funding_rows = _funding(score, target)
    code = target.project.code if target.project else None
    year = code.year if code is not None else None
    if variant == "score_sheet":
        rows = _sheet_rows(rng, score, actuals)
        budget = None if budget is None else msgspec.structs.replace(budget, execution_weight=None,
                                                                     execution_score=None)
        total = _total(rows, None)
    else:
        rows = _form_rows(rng, score, subrows)
        if block_weights:
            rows = _block_weights(rows)
        total = _total(rows, budget.execution_score if budget else None)
    first = next((row for row in rows if row.actual is not None and row.actual.number is not None), None)
    achieved = (f"全年{first.name}{first.actual}{first.unit_of_measure or ''}" if first else "全年各项工作按计划完成")
    rate = budget.execution_rate if budget else None
    spending = f"，预算执行率{format(rate, 'f')}%" if rate is not None else ""
    lowest = f"。{REASON_SPENDING}" if rate is not None and rate < 90 else ""
    department = target.department or CodedName(None, None)
    return SelfEvaluationTable(
        variant=variant,
        project=target.project,
        department=department if department.code or department.name else None,
        implementing_unit=target.unit,
        contact_person=target.contact_person or _person(rng),
        contact_phone=target.contact_phone,
        year=year,
        budget=budget,
        funding_rows=funding_rows,
        goal_expected=target.annual_goal,
        goal_actual=f"{achieved}{spending}，年度绩效目标基本实现{lowest}。",
        indicators=tuple(rows),
        published_total_score=total,
        published_grade=policy().grade(total),
        evaluator=_person(rng),
        evaluated_on=f"{(year or 2022) + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}",
    )


def iter_selfeval_tables(n: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[SelfEvaluationTable, str]]:
    """``n`` random-but-valid self-evaluation tables and their published text, one at a time (flat memory).

    Drawn from the target-table generator; one in ten is the score sheet, a third print block weights, a third
    break a quantity into 其中 rows. The first k tables of n > k are the tables of k.
    """
    rng = random.Random(seed)
    for _ in range(n):
        target = make_table(rng)
        roll = rng.random()
        variant: Variant = "score_sheet" if roll < 0.1 else "form"
        table = evaluate(target, rng, variant, block_weights=rng.random() < 0.33, subrows=rng.random() < 0.33)
        yield table, format_selfeval(table)


def write_selfeval_corpus(path: str | Path, n: int, seed: int = DEFAULT_SEED) -> int:
    """Write ``n`` tables to ``path`` as the form's text (UTF-8, streaming); return the number of bytes written."""
    written = 0
    with open(path, "wb") as out:
        for index, (_table, text) in enumerate(iter_selfeval_tables(n, seed)):
            data = (text if index == 0 else "\n" + text).encode("utf-8")
            out.write(data)
            written += len(data)
    return written
