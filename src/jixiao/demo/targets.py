"""Deterministic synthetic 项目支出绩效目标表, as domain objects and in the published text layout of the 重庆 seed.

Tables are built from the catalogue (:mod:`jixiao.demo.catalogue`), written with
:func:`jixiao.io.writers.published_text.format_table`, then a fraction is post-processed to look like real
exports (wrapped 单位信息, space-separated indicator rows, money with and without a space after the colon, blank
funding rows with nothing after the colon, the 本权重(%) header typo). Everything the reader sees still reads back
to the same model, so a clean corpus must parse without diagnostics. The benchmarks read these corpora
(``bench/generate.py``); the demo region (:mod:`jixiao.demo.region`) stores the tables themselves.

The output depends only on the seed: the first k tables of a corpus of n > k tables are the corpus of k tables.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from jixiao.demo.catalogue import (
    COMMON_PROJECTS,
    COMPANIES,
    COST_ITEMS,
    COSTS,
    DEPARTMENTS,
    EFFECT_SENTENCES,
    EFFECTS,
    GENERIC_OUTPUTS,
    GIVEN,
    KIND_ACTIONS,
    KIND_OUTPUTS,
    MANAGEMENT_SENTENCES,
    OUTPUT_ORDER,
    REGIONS,
    SATISFACTION,
    STAFF_KINDS,
    SURNAMES,
    TRAINEE_SATISFACTION,
    Spec,
)
from jixiao.domain import CodedName, Funding, Indicator, ProjectCode, ProjectRef, TargetTable, Value
from jixiao.io.writers.published_text import format_table

DEFAULT_SEED = 2022

# -- building tables -------------------------------------------------------------------------


def _cents(value: int) -> Decimal:
    """An amount of 万元 with two decimals from an integer count of hundredths."""
    return Decimal(value).scaleb(-2)


def _draw(rng: random.Random, spec: Spec, total: Decimal | None) -> str:
    kind, _, args = spec.value.partition(":")
    if kind == "int":
        low, high = (int(part) for part in args.split(":"))
        return str(rng.randint(low, high))
    if kind == "dec":
        low, high, places = (int(part) for part in args.split(":"))
        return f"{rng.uniform(low, high):.{places}f}"
    if kind == "pick":
        return rng.choice(args.split(","))
    if kind == "total":
        return str(total) if total is not None else str(rng.randint(5, 500))
    raise ValueError(f"unknown value kind in {spec}")


def _weights(rng: random.Random, count: int, total: int = 90) -> list[int]:
    """``count`` weights of at least 5 that sum to ``total``; mostly multiples of 5."""
    weights = [5] * count
    left = total - 5 * count
    step = 5 if rng.random() < 0.8 else 1
    while left > 0:
        weights[rng.randrange(count)] += min(step, left)
        left -= min(step, left)
    return weights


def _indicators(rng: random.Random, kind: str, total: Decimal | None) -> list[Indicator]:
    count = rng.randint(3, 8)
    n_satisfaction = 2 if count >= 7 and rng.random() < 0.3 else 1
    n_cost = 1 if count >= 5 and rng.random() < 0.25 else 0
    n_effect = rng.randint(1, max(1, (count - n_satisfaction - n_cost) // 2))
    n_output = count - n_satisfaction - n_cost - n_effect
    outputs = KIND_OUTPUTS[kind]
    chosen = rng.sample(outputs, min(n_output, len(outputs), rng.randint(1, 3)))
    chosen += rng.sample(GENERIC_OUTPUTS, n_output - len(chosen))
    chosen.sort(key=lambda spec: OUTPUT_ORDER.index(spec.level2))
    chosen += rng.sample(COSTS, n_cost) + rng.sample(EFFECTS, n_effect)
    satisfaction = (TRAINEE_SATISFACTION, *SATISFACTION) if kind == "training" else SATISFACTION
    chosen += rng.sample(satisfaction, n_satisfaction)
    with_history = rng.random() < 0.15
    rows = []
    for spec, weight in zip(chosen, _weights(rng, count), strict=True):
        target = _draw(rng, spec, total)
        current = target if rng.random() < 0.95 else _draw(rng, spec, total)
        history = None
        if with_history and spec.operator != "定性":
            history = Value(_draw(rng, spec, total))
        rows.append(Indicator(
            spec.level1, spec.level2, spec.name, spec.operator, history, Value(target),
            Value(current), spec.unit or None, Decimal(weight), Decimal(weight), spec.direction,
        ))
    return rows


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"023-{rng.randint(40000000, 49999999)}"
    return f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"


def _wan(amount: Decimal) -> str:
    return f"{amount}万元"


def goal_for(rng: random.Random, name: str, kind: str, total: Decimal | None,
          first: Indicator, region: str) -> str:
    """1–3 paragraphs of 年度目标 that mention the project's money and a quantity."""
    prefix = rng.choice(("（一般性项目）", "（一般性项目）", "", "", "（重点项目）"))
    basis = rng.choice((
        f"根据《关于做好{name}工作的通知》（{region[0]}府办发〔{rng.randint(2018, 2021)}〕"
        f"{rng.randint(3, 180)}号）文件精神，",
        "经区政府同意，",
        f"根据与重庆{rng.choice('恒远兴华鑫达宏泰')}{rng.choice(COMPANIES)}有限公司签订的合同，",
        "按照年度工作计划，",
    ))
    quantity = ""
    if first.level2 == "数量指标" and first.target is not None:
        word = {"≥": "不少于", "≤": "不超过"}.get(first.operator or "", "")
        quantity = f"，全年{first.name}{word}{first.target}{first.unit_of_measure or ''}"
    money = ""
    if total is not None:
        cents = int(total.scaleb(2))
        if cents > 200 and rng.random() < 0.5:
            part = rng.randint(1, cents - 1)
            items = rng.sample(COST_ITEMS, 2)
            money = (f"预算{items[0]}{_wan(_cents(part))}、{items[1]}{_wan(_cents(cents - part))}，"
                     f"合计{_wan(total)}。")
        elif rng.random() < 0.5:
            money = f"项目预算{_wan(total)}。"
        else:
            money = f"全年所需经费共计{cents * 100}元。"
    paragraphs = [f"{prefix}{basis}{KIND_ACTIONS[kind]}{quantity}。{money}"]
    if rng.random() < 0.5:
        paragraphs.append(rng.choice(EFFECT_SENTENCES))
    if rng.random() < 0.2:
        paragraphs.append(rng.choice(MANAGEMENT_SENTENCES))
    return "\n".join(paragraphs)


def _funding(rng: random.Random, total: Decimal | None) -> Funding:
    if total is None:
        return Funding()
    cents = int(total.scaleb(2))
    if cents < 2 or rng.random() < 0.85:
        return Funding(fiscal=total)
    fiscal = rng.randint(1, cents - 1)
    other = rng.choice(("special_account", "unit_own", "social", "bank_loan"))
    return Funding(fiscal=_cents(fiscal), **{other: _cents(cents - fiscal)})


def make_table(rng: random.Random) -> TargetTable:
    """One synthetic table, drawn from ``rng``."""
    region_code, region_name = rng.choice(REGIONS)
    region = f"重庆市{region_name}"
    dept = rng.choice(DEPARTMENTS)
    index = rng.randrange(len(dept.subunits) + 2)  # the department itself (本级) twice as often
    if index < 2:
        unit = CodedName(f"{dept.code}001", f"{region}{dept.name}（本级）")
    else:
        unit = CodedName(f"{dept.code}{index:03d}", f"{region}{dept.subunits[index - 2]}")
    name, kind = rng.choice(dept.projects if rng.random() < 0.7 else COMMON_PROJECTS)
    function_index = rng.randrange(len(dept.functions))
    function = CodedName(f"{function_index + 1:02d}", dept.functions[function_index])
    year = rng.choice(("22", "22", "22", "22", "21", "23"))
    category = "R" if kind in STAFF_KINDS else "T"
    code = ProjectCode(f"{region_code}{year}{category}{rng.randint(100000, 199999):012d}")
    return build_table(rng, unit, CodedName(dept.code, f"{region}{dept.name}"), function, code, name, kind,
                       region_name)


def build_table(rng: random.Random, unit: CodedName, department: CodedName, function: CodedName,
                code: ProjectCode, name: str, kind: str, region_name: str) -> TargetTable:
    """The table of project ``name`` (of ``kind``: its indicators) with its money, indicators and goal drawn."""
    suffix = "（一般性）" if rng.random() < 0.05 else None
    blank_money = rng.random() < 0.005
    total = None if blank_money else _cents(int(10 ** rng.uniform(2, 5.7)))
    indicators = _indicators(rng, kind, total)
    with_contact = rng.random() < 0.1
    return TargetTable(
        unit=unit,
        project=ProjectRef(code, name, suffix),
        function=function,
        department=department,
        contact_person=_person(rng) if with_contact else None,
        contact_phone=_phone(rng) if with_contact else None,
        total_wan=total,
        execution_weight=None if blank_money else Decimal(10),
        funding=_funding(rng, total),
        annual_goal=goal_for(rng, name, kind, total, indicators[0], region_name),
        indicators=tuple(indicators),
    )


# -- making the text look exported ---------------------------------------------------------

_MONEY_LABELS = ("项目总额：", "其中：财政资金：", "财政专户管理资金：", "单位资金：",
                 "社会投入资金：", "银行贷款：")


def export_text(table: TargetTable, rng: random.Random) -> str:
    """The table as :func:`format_table` writes it, with the quirks of real exports."""
    lines = format_table(table).split("\n")
    tight_money = rng.random() < 0.5  # "项目总额：15.00 万元" rather than "： 15.00 万元"
    bare_blank = rng.random() < 0.5  # "单位资金：" rather than "单位资金： 万元"
    wrap_unit = rng.random() < 0.3
    spaced_weight = rng.random() < 0.1  # "预算执行率权重： 10"
    typo_header = rng.random() < 0.05  # "本权重(%)", as in the seed
    spaced_rows = rng.random() < 0.5
    unit_name = (table.unit.name or "") if table.unit else ""
    out: list[str] = []
    in_rows = False
    for line in lines:
        if in_rows:
            cells = line.split("\t")
            if spaced_rows and len(cells) == 11 and all(cells) and rng.random() < 0.5:
                line = cells[0] + "".join(" " * rng.randint(2, 4) + cell for cell in cells[1:])
        elif line.startswith("一级指标"):
            in_rows = True
            if typo_header:
                line = line.replace("本年权重(%)", "本权重(%)")
        elif line.startswith(_MONEY_LABELS):
            label, value = line[: line.rindex("：") + 1], line[line.rindex("：") + 1 :]
            if value == " 万元":
                line = label if bare_blank else line
            elif tight_money:
                line = label + value.lstrip()
        elif wrap_unit and line.startswith("单位信息：") and len(unit_name) >= 4:
            cut = rng.randint(2, len(unit_name) - 2)
            head = line[: len(line) - len(unit_name)]
            line = f"{head}{unit_name[:cut]}\n{unit_name[cut:]}"
        elif spaced_weight and line.startswith("预算执行率权重：") and len(line) > 8:
            line = "预算执行率权重： " + line[8:]
        out.append(line)
    return "\n".join(out)


def iter_tables(n: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[TargetTable, str]]:
    """``n`` tables and their exported text, one at a time."""
    rng = random.Random(seed)
    for _ in range(n):
        table = make_table(rng)
        yield table, export_text(table, rng)


def write_corpus(path: str | Path, n: int, seed: int = DEFAULT_SEED) -> int:
    """Write ``n`` tables to ``path`` in UTF-8 (streaming); return the number of bytes written."""
    written = 0
    with open(path, "wb") as out:
        for index, (_table, text) in enumerate(iter_tables(n, seed)):
            data = (text if index == 0 else "\n" + text).encode("utf-8")
            out.write(data)
            written += len(data)
    return written
