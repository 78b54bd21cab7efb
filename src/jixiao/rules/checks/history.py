"""Plausibility across years (跨年度): targets compared with the project's own past, passed in by the caller.

The history (:class:`jixiao.domain.history.ProjectHistory`) is built by ``services.project_history`` from the
stored tables and self-evaluations of the project's earlier years; without it these rules find nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import pairwise

from jixiao.domain import Severity
from jixiao.domain.comparable import PERCENT_UNITS, plain
from jixiao.domain.history import IndicatorHistory, YearPoint, is_met, more_is_better
from jixiao.rules.context import TableContext
from jixiao.rules.model import Category, Hit
from jixiao.rules.registry import rule

P = Category.PLAUSIBILITY
_HUNDRED = Decimal(100)


def _shown(number: Decimal | None, unit: str | None) -> str:
    if number is None:
        return "—"
    text = (unit or "").strip()
    return f"{plain(number)}{text}" if text in PERCENT_UNITS or not text else f"{plain(number)} {text}"


def _rows(ctx: TableContext) -> Iterator[tuple[int, IndicatorHistory]]:
    past = ctx.past
    if past is None:
        return
    for index, history in sorted(past.rows.items()):
        if 0 <= index < len(ctx.indicators) and history.years:
            yield index, history


@rule("P007", P, Severity.WARNING, "目标低于上年且上年已超额完成",
      "“{name}”本年目标 {target} 比上年目标 {last_target} 更宽松，而上年实际完成 {last_actual}，已超过上年目标",
      "上年实际完成已超过上年目标，本年却把目标定得更低（正向指标调低、反向指标调高），目标缺乏挑战性。"
      "上年数据由调用方从本项目上年的目标表与自评传入。")
def lowered_after_exceeded(ctx: TableContext) -> Iterator[Hit]:
    year = ctx.past.year if ctx.past is not None else 0
    for index, history in _rows(ctx):
        last = history.years[-1]
        if last.year != year - 1:
            continue
        now = ctx.year_numbers[index]
        more = more_is_better(ctx.operators[index])
        if now is None or more is None or last.target is None or last.actual is None \
                or more_is_better(last.operator) is not more:
            continue
        if more:
            looser, exceeded = now < last.target, last.actual > last.target
        else:
            looser, exceeded = now > last.target, last.actual < last.target
        if looser and exceeded:
            unit = ctx.units[index]
            yield Hit({"name": ctx.names[index], "target": _shown(now, unit),
                       "last_target": _shown(last.target, last.unit), "last_actual": _shown(last.actual, last.unit)},
                      indicator=index)


@rule("P008", P, Severity.INFO, "目标历年等于上年实际",
      "“{name}”连续 {years} 年的目标都等于上年实际完成值（{pairs}）",
      "每年只把上年实际完成值定为目标，目标没有提升。连续年数下限由配置 history_min_years 决定。")
def target_is_last_actual(ctx: TableContext) -> Iterator[Hit]:
    least = ctx.profile.history_min_years
    for index, history in _rows(ctx):
        now = ctx.year_numbers[index]
        year = ctx.past.year if ctx.past is not None else 0
        points = [*history.years, YearPoint(year, ctx.operators[index], now)]
        pairs: list[str] = []
        for before, after in pairwise(points):
            if before.actual is None or after.target is None or after.year != before.year + 1:
                pairs = []  # a gap, or a year without figures, breaks the run
                continue
            if after.target != before.actual:
                pairs = []
                continue
            pairs.append(f"{after.year} 年目标 {plain(after.target)} = {before.year} 年实际 {plain(before.actual)}")
        if len(pairs) >= least:
            yield Hit({"name": ctx.names[index], "years": len(pairs), "pairs": "；".join(pairs)}, indicator=index)


@rule("P009", P, Severity.INFO, "历年实际恰为 100% 或恰等于目标",
      "“{name}”过去 {years} 年的实际完成值都恰好{what}（{figures}），请核实是否如实填报",
      "实际完成值年年恰好为 100% 或恰好等于目标，可能是照抄目标而非实际测量。"
      "年数下限由配置 history_min_years 决定。")
def always_exactly(ctx: TableContext) -> Iterator[Hit]:
    least = ctx.profile.history_min_years
    for index, history in _rows(ctx):
        reported = [p for p in history.years if p.actual is not None]
        if len(reported) < least or len(reported) != len(history.years):
            continue
        hundred = all(p.actual == _HUNDRED and (p.unit or "").strip() in PERCENT_UNITS for p in reported)
        exact = all(p.target is not None and p.actual == p.target for p in reported)
        if not hundred and not exact:
            continue
        what = "为 100%" if hundred else "等于当年目标"
        figures = "；".join(f"{p.year} 年 {_shown(p.actual, p.unit)}" for p in reported)
        yield Hit({"name": ctx.names[index], "years": len(reported), "what": what, "figures": figures},
                  indicator=index)


@rule("P010", P, Severity.WARNING, "上年未完成的指标本年被删除",
      "上年指标“{name}”（目标 {target}，实际 {actual}）未完成，本年目标表中不再设置",
      "上年没有完成的指标，本年应继续设置或说明删除理由，不应悄然删去。上年数据由调用方传入。")
def dropped_after_missed(ctx: TableContext) -> Iterator[Hit]:
    past = ctx.past
    if past is None:
        return
    for history in past.missing:
        last = history.last()
        if last is None or last.year != past.year - 1:
            continue
        met = last.met if last.met is not None else is_met(last.operator, last.target, last.actual)
        if met is False:
            target = last.target_text or _shown(last.target, last.unit)
            yield Hit({"name": history.name, "target": f"{(last.operator or '').strip()}{target}",
                       "actual": last.actual_text or _shown(last.actual, last.unit)})
