"""统计分析: the views a department or the finance bureau compares units by, over the projects they may see.

Each view is data first (:class:`View`: its columns, its rows, the figures its chart draws and the filters that made
it), so the page, the API and the xlsx export show the same numbers. Every figure is a sum over the cells of the
``project_facts`` rows (:mod:`jixiao.services.analytics_cube`), scoped to what the viewer may see as the project list
is: a department reviewer's charts and exports hold its own units' projects only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, select, true
from sqlalchemy.orm import Session

from jixiao.domain.codes import CATEGORY_NAMES
from jixiao.domain.workflow import Role
from jixiao.services.analytics_cube import RATE_BANDS, SCORE_BANDS, Cell, cells, grouped
from jixiao.services.analytics_facts import generation
from jixiao.services.errors import InvalidInput, NotFound
from jixiao.services.permissions import Ability, Actor, _subtree, require
from jixiao.services.queries import CountCache
from jixiao.storage.models import Organization, Project, ProjectFacts

GRADES = ("优", "良", "中", "差")
HIGH_SCORE = Decimal(90)  # “高分低执行”: a self-evaluation at or above this …
LOW_EXECUTION = Decimal(60)  # … with budget execution below this per cent
# the flagged cells are whole bands: the count under the chart is the sum of the cells it draws
assert SCORE_BANDS[0][0] == HIGH_SCORE and LOW_EXECUTION in {low for low, _ in RATE_BANDS}
HIGH_BANDS = frozenset({SCORE_BANDS[0][1]})
LOW_RATE_BANDS = frozenset(label for low, label in RATE_BANDS if low < LOW_EXECUTION)
FLAGGED_SHOWN = 200  # flagged projects listed under the scatter (all are counted; the list links to every one)
_CENT = Decimal("0.01")


class UnknownView(NotFound):
    code = "analytics_view_not_found"
    summary = "没有这个统计视图"


class AnalyticsFilterRefused(InvalidInput):
    code = "analytics_filter_refused"
    summary = "统计筛选条件有误"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | count | money (万元) | score | percent


@dataclass(frozen=True, slots=True)
class Filters:
    year: int | None = None
    department: str | None = None  # a department's code
    category: str | None = None  # a project category letter (R, T, G)


@dataclass(slots=True)
class View:
    key: str
    title: str
    note: str
    columns: list[Column]
    rows: list[dict[str, Any]]  # by column key; "link": the project-list filters a row drills down to
    chart: dict[str, Any]  # what the chart draws (the same figures as the rows)
    filters: list[str] = field(default_factory=list)  # the chosen filters in words
    extra: dict[str, Any] = field(default_factory=dict)  # a second table some views have (the flagged projects)


def filters_of(year: str | None, department: str | None, category: str | None) -> Filters:
    """Query values as filters; a year that is not one is refused in the filter's words."""
    chosen_year = None
    if year:
        text = year.strip()
        chosen_year = int(text) if text.isascii() and text.isdigit() and 1900 <= int(text) <= 2200 else None
        if chosen_year is None:
            raise AnalyticsFilterRefused(f"筛选条件“年度”应为四位数字的年份（1900–2200），收到“{year}”")
    return Filters(chosen_year, department or None, category or None)


def _exact(value: object, scale: int) -> Decimal | None:
    """A stored integer figure (or a database's sum of them) back in its unit: ÷ 10,000 for 元 → 万元 and for a
    rate's ten-thousandths → per cent × 100 … the scale the column says."""
    return None if value is None else Decimal(str(value)) / scale


def _money(value: Decimal | None) -> str:
    return format((value or Decimal(0)).quantize(_CENT), "f")


def _mean(total: Decimal | None, count: int) -> str | None:
    return format((Decimal(total) / count).quantize(_CENT), "f") if count and total is not None else None


def _share(part: int, whole: int) -> str | None:
    return format((Decimal(part) * 100 / whole).quantize(Decimal("0.1")), "f") if whole else None


def _scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    """Which facts rows ``actor`` may count: the projects the project list shows it."""
    require(actor, Ability.ANALYTICS)
    if actor.role is Role.ADMIN or (actor.role is Role.FINANCE_REVIEWER and actor.organization_id is None):
        return true()
    if actor.organization_id is None:
        return ProjectFacts.project_id.is_(None)
    return ProjectFacts.unit_id.in_(sorted(_subtree(session, actor.organization_id)))


def _units(session: Session, actor: Actor) -> set[int] | None:
    """The units whose projects ``actor`` may count (``None``: every one), as :func:`_scope` says."""
    require(actor, Ability.ANALYTICS)
    if actor.role is Role.ADMIN or (actor.role is Role.FINANCE_REVIEWER and actor.organization_id is None):
        return None
    if actor.organization_id is None:
        return set()
    return _subtree(session, actor.organization_id)


def _department_id(session: Session, chosen: Filters) -> int | None:
    if not chosen.department:
        return None
    found = session.scalar(select(Organization.id).where(Organization.code == chosen.department,
                                                         Organization.kind == "department"))
    if found is None:
        raise AnalyticsFilterRefused(f"筛选条件“主管部门”：没有编码为“{chosen.department}”的主管部门")
    return found


def _check_category(chosen: Filters) -> None:
    if chosen.category and chosen.category not in CATEGORY_NAMES:
        raise AnalyticsFilterRefused(
            f"筛选条件“项目类别”应为 {'、'.join(f'{k}（{v}）' for k, v in CATEGORY_NAMES.items())} 之一，"
            f"收到“{chosen.category}”")


def _chosen(session: Session, actor: Actor, chosen: Filters, with_year: bool = True) -> list[Cell]:
    """The cells of the projects ``actor`` may see that the filters keep."""
    units = _units(session, actor)
    department = _department_id(session, chosen)
    _check_category(chosen)
    return [cell for cell in cells(session)
            if (units is None or cell.unit_id in units)
            and (chosen.year is None or not with_year or cell.year == chosen.year)
            and (department is None or cell.department_id == department)
            and (not chosen.category or cell.category == chosen.category)]


def _where(session: Session, actor: Actor, chosen: Filters, with_year: bool = True) -> ColumnElement[bool]:
    clauses = [_scope(session, actor)]
    if chosen.year is not None and with_year:
        clauses.append(ProjectFacts.fiscal_year == chosen.year)
    if chosen.department:
        department = session.scalar(select(Organization.id).where(Organization.code == chosen.department,
                                                                  Organization.kind == "department"))
        if department is None:
            raise AnalyticsFilterRefused(f"筛选条件“主管部门”：没有编码为“{chosen.department}”的主管部门")
        clauses.append(ProjectFacts.department_id == department)
    if chosen.category:
        if chosen.category not in CATEGORY_NAMES:
            raise AnalyticsFilterRefused(
                f"筛选条件“项目类别”应为 {'、'.join(f'{k}（{v}）' for k, v in CATEGORY_NAMES.items())} 之一，"
                f"收到“{chosen.category}”")
        clauses.append(ProjectFacts.category == chosen.category)
    return and_(*clauses)


def _names(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    """id → (code, name) of organisations."""
    if not ids:
        return {}
    return {row.id: (row.code, row.name) for row in session.execute(
        select(Organization.id, Organization.code, Organization.name).where(Organization.id.in_(sorted(ids))))}


def _link(chosen: Filters, **more: Any) -> dict[str, str]:
    """The project-list filters that show a row's projects."""
    found = {"year": str(chosen.year) if chosen.year else None, "department": chosen.department,
             "category": chosen.category} | {k: (str(v) if v is not None else None) for k, v in more.items()}
    return {k: v for k, v in found.items() if v}


def _department_label(names: dict[int, tuple[str, str]], department_id: int | None) -> tuple[str | None, str]:
    if department_id is None or department_id not in names:
        return None, "（未归属主管部门）"
    return names[department_id]


# --- the views --------------------------------------------------------------------------------------------------

def money(session: Session, actor: Actor, chosen: Filters) -> View:
    """资金投向: projects and 项目总额 by department and category."""
    found = [(department_id, category, totals.projects, totals.yuan) for (department_id, category), totals in
             grouped(_chosen(session, actor, chosen), lambda c: (c.department_id, c.category)).items()]
    names = _names(session, {row[0] for row in found if row[0] is not None})
    categories = [c for c in CATEGORY_NAMES if any(row[1] == c for row in found)]
    if any(row[1] not in CATEGORY_NAMES for row in found):
        categories.append("")
    by_department: dict[int | None, dict[str, Any]] = {}
    for department_id, category, count, yuan in found:
        total = _exact(yuan, 10_000)
        code, name = _department_label(names, department_id)
        row = by_department.setdefault(department_id, {"department": name, "projects": 0, "total": Decimal(0),
                                                        "link": _link(chosen, department=code)})
        row["projects"] += count
        row["total"] += total or 0
        key = category if category in CATEGORY_NAMES else ""
        row[f"c_{key}"] = row.get(f"c_{key}", Decimal(0)) + (total or 0)
    rows = sorted(by_department.values(), key=lambda r: (-r["total"], r["department"]))
    for row in rows:
        row["total"] = _money(row["total"])
        for key in categories:
            row[f"c_{key}"] = _money(row.get(f"c_{key}"))
    columns = [Column("department", "主管部门"), Column("projects", "项目数", "count"),
               Column("total", "项目总额合计（万元）", "money")]
    columns += [Column(f"c_{key}", f"{CATEGORY_NAMES.get(key, '其他类别')}（万元）", "money") for key in categories]
    chart = {"type": "stacked_bar", "categories": [r["department"] for r in rows],
             "series": [{"name": CATEGORY_NAMES.get(key, "其他类别"), "data": [r[f"c_{key}"] for r in rows]}
                        for key in categories], "unit": "万元"}
    return View("money", "资金投向", "各主管部门的项目个数与项目总额（当前版本，万元），按项目类别分列。",
                columns, rows, chart)


def grades(session: Session, actor: Actor, chosen: Filters) -> View:
    """审核与自评等级: the review grade and the self-evaluation grade of each department's projects."""
    kept = _chosen(session, actor, chosen)
    review = [(d, g, t.projects) for (d, g), t in
              grouped(kept, lambda c: (c.department_id, c.review_grade)).items()]
    selfeval = [(d, g, t.projects) for (d, g), t in
                grouped(kept, lambda c: (c.department_id, c.selfeval_grade)).items()]
    names = _names(session, {row[0] for row in (*review, *selfeval) if row[0] is not None})
    by_department: dict[int | None, dict[str, Any]] = {}

    def row_of(department_id: int | None) -> dict[str, Any]:
        code, name = _department_label(names, department_id)
        return by_department.setdefault(department_id, {"department": name, "projects": 0, "evaluated": 0,
                                                        **{f"r_{g}": 0 for g in GRADES},
                                                        **{f"s_{g}": 0 for g in GRADES},
                                                        "link": _link(chosen, department=code)})

    for department_id, grade, count in review:
        row = row_of(department_id)
        row["projects"] += count
        if grade in GRADES:
            row[f"r_{grade}"] += count
    for department_id, grade, count in selfeval:
        row = row_of(department_id)
        if grade in GRADES:
            row[f"s_{grade}"] += count
            row["evaluated"] += count
    rows = sorted(by_department.values(), key=lambda r: (-r["projects"], r["department"]))
    for row in rows:
        row["excellent_share"] = _share(row["s_优"], row["evaluated"])
    columns = [Column("department", "主管部门"), Column("projects", "项目数", "count")]
    columns += [Column(f"r_{g}", f"审核等级{g}", "count") for g in GRADES]
    columns += [Column("evaluated", "已自评", "count")]
    columns += [Column(f"s_{g}", f"自评等级{g}", "count") for g in GRADES]
    columns += [Column("excellent_share", "自评“优”占比（%）", "percent")]
    series = [{"name": f"审核{g}", "stack": "审核等级", "data": [r[f"r_{g}"] for r in rows]} for g in GRADES]
    series += [{"name": f"自评{g}", "stack": "自评等级", "data": [r[f"s_{g}"] for r in rows]} for g in GRADES]
    chart = {"type": "stacked_bar", "categories": [r["department"] for r in rows], "series": series, "unit": "个"}
    return View("grades", "审核与自评等级",
                "各主管部门项目的审核等级（当前版本的自动审核）与自评等级（最近一次自评）。",
                columns, rows, chart)


def _band(value: Decimal, bands: tuple[tuple[Decimal, str], ...]) -> str:
    return next(label for low, label in bands if value >= low)


def execution(session: Session, actor: Actor, chosen: Filters) -> View:
    """自评得分与预算执行率: how many projects in each (score, execution) cell, and who scores high on little spent."""
    kept = [c for c in _chosen(session, actor, chosen) if c.score_band is not None and c.rate_band is not None]
    counted = {(str(score), str(rate)): totals.projects
               for (score, rate), totals in grouped(kept, lambda c: (c.score_band, c.rate_band)).items()}
    flagged_count = sum(c.projects for c in kept if c.score_band in HIGH_BANDS and c.rate_band in LOW_RATE_BANDS)
    flag = and_(_where(session, actor, chosen), ProjectFacts.score_x100 >= int(HIGH_SCORE * 100),
                ProjectFacts.rate_x10000 < int(LOW_EXECUTION * 100))
    flagged = [] if not flagged_count else session.execute(
        select(Project.code, Project.name, Project.unit_id, ProjectFacts.score_x100, ProjectFacts.rate_x10000,
               ProjectFacts.selfeval_source).join(Project, Project.id == ProjectFacts.project_id).where(flag)
        .order_by(ProjectFacts.rate_x10000, Project.code).limit(FLAGGED_SHOWN)).all()
    units = _names(session, {row.unit_id for row in flagged if row.unit_id is not None})
    rates = [label for _, label in reversed(RATE_BANDS)]
    scores = [label for _, label in reversed(SCORE_BANDS)]
    rows = [{"score_band": score, **{f"r{index}": counted.get((score, rate), 0) for index, rate in enumerate(rates)},
             "projects": sum(counted.get((score, rate), 0) for rate in rates)} for score in reversed(scores)]
    columns = [Column("score_band", "自评得分")] + [Column(f"r{index}", f"执行率 {rate}", "count")
                                                    for index, rate in enumerate(rates)]
    columns.append(Column("projects", "合计", "count"))
    chart = {"type": "bubble", "x": rates, "y": scores,
             "points": [[rates.index(rate), scores.index(score), count] for (score, rate), count in counted.items()],
             "x_name": "预算执行率", "y_name": "自评得分", "unit": "个项目"}
    listed = [{"code": row.code, "name": row.name or row.code, "unit": units.get(row.unit_id or -1, (None, ""))[1],
               "score": _money(_exact(row.score_x100, 100)), "rate": _money(_exact(row.rate_x10000, 100)),
               "source": "系统自评" if row.selfeval_source == "system" else "公开自评表"} for row in flagged]
    view = View("execution", "自评得分与预算执行率",
                f"已自评且有预算执行率的项目按得分与执行率分格计数；自评 {HIGH_SCORE} 分及以上而执行率低于 "
                f"{LOW_EXECUTION}% 的为“高分低执行”，列于表下。", columns, rows, chart)
    view.extra = {"flagged": listed, "flagged_count": flagged_count, "flagged_shown": len(listed),
                  "flagged_columns": [Column("code", "项目编码"), Column("name", "项目名称"), Column("unit", "单位"),
                                      Column("score", "自评得分", "score"),
                                      Column("rate", "预算执行率（%）", "percent"),
                                      Column("source", "来源")]}
    return view


def credibility(session: Session, actor: Actor, chosen: Filters) -> View:
    """自评可信度: what the audit of each unit's published 自评表 found (warnings and errors), units with most first."""
    found = [(unit_id, t.projects, t.signaled, t.signals) for unit_id, t in
             grouped((c for c in _chosen(session, actor, chosen) if c.audited), lambda c: c.unit_id).items()]
    names = _names(session, {row[0] for row in found if row[0] is not None})
    rows: list[dict[str, Any]] = []
    for unit_id, audited, with_signals, signals in found:
        code, name = names.get(unit_id, (None, "（未归属单位）")) if unit_id is not None else (None, "（未归属单位）")
        rows.append({"unit": name, "audited": audited, "with_signals": int(with_signals or 0),
                     "signals": int(signals or 0), "share": _share(int(with_signals or 0), audited),
                     "per_table": _mean(Decimal(int(signals or 0)), audited), "link": _link(chosen, unit=code)})
    rows.sort(key=lambda r: (-r["signals"], r["unit"]))
    columns = [Column("unit", "单位"), Column("audited", "已审核的公开自评表", "count"),
               Column("with_signals", "有可信度问题的表", "count"), Column("share", "占比（%）", "percent"),
               Column("signals", "问题数（警告与错误）", "count"), Column("per_table", "每表问题数", "score")]
    shown = rows[:20]
    chart = {"type": "bar", "categories": [r["unit"] for r in shown],
             "series": [{"name": "问题数", "data": [r["signals"] for r in shown]}], "unit": "个",
             "caption": f"问题数最多的 {len(shown)} 个单位" if len(rows) > len(shown) else ""}
    return View("credibility", "自评可信度", "各单位公开的项目支出绩效自评表经审核规则检查（分值、权重、总分、等级与"
                "目标表是否相符）发现的警告与错误；数量越多，自评越需要复核。", columns, rows, chart)


def ranges(session: Session, actor: Actor, chosen: Filters) -> View:
    """目标与指标库: how many targets lie outside the comparable projects' range on the easy side, by department."""
    found = [(department_id, t.projects, t.ranged, t.below) for department_id, t in
             grouped(_chosen(session, actor, chosen), lambda c: c.department_id).items()]
    names = _names(session, {row[0] for row in found if row[0] is not None})
    rows: list[dict[str, Any]] = []
    for department_id, projects, ranged, below in found:
        code, name = _department_label(names, department_id)
        rows.append({"department": name, "projects": projects, "ranged": int(ranged or 0),
                     "below": int(below or 0), "share": _share(int(below or 0), int(ranged or 0)),
                     "link": _link(chosen, department=code)})
    rows.sort(key=lambda r: (-(Decimal(r["share"]) if r["share"] else Decimal(-1)), r["department"]))
    columns = [Column("department", "主管部门"), Column("projects", "项目数", "count"),
               Column("ranged", "有可比范围的指标", "count"), Column("below", "目标宽于可比项目", "count"),
               Column("share", "占比（%）", "percent")]
    chart = {"type": "bar", "categories": [r["department"] for r in rows],
             "series": [{"name": "目标宽于可比项目的占比（%）", "data": [r["share"] or "0" for r in rows]}],
             "unit": "%"}
    return View("ranges", "目标与指标库",
                "已批复目标表的指标与指标库中同一指标、同一计量单位的可比项目相比：正向指标低于下四分位数、"
                "反向指标高于上四分位数的，为目标宽于可比项目。按指标库最近一次构建（jixiao library build）统计。",
                columns, rows, chart)


def trends(session: Session, actor: Actor, chosen: Filters) -> View:
    """年度趋势: projects, money, self-evaluation scores and execution by fiscal year (the year filter is not
    applied)."""
    kept = _chosen(session, actor, chosen, with_year=False)
    excellent_by_year = {year: t.projects for year, t in
                         grouped((c for c in kept if c.selfeval_grade == "优"), lambda c: c.year).items()}
    by_year = grouped(kept, lambda c: c.year)
    found = [(year, t.projects, t.yuan, t.scored, t.score_sum, excellent_by_year.get(year, 0), t.rated, t.rate_sum)
             for year, t in sorted(by_year.items(), key=lambda item: (item[0] is None, item[0] or 0))]
    rows = []
    for year, projects, total, evaluations, scores, excellent, with_rate, rate_sum in found:
        rows.append({"year": str(year) if year is not None else "（未填年度）", "projects": projects,
                     "total": _money(_exact(total, 10_000)), "evaluated": int(evaluations or 0),
                     "mean_score": _mean(_exact(scores, 100), int(evaluations or 0)),
                     "excellent_share": _share(int(excellent or 0), int(evaluations or 0)),
                     "mean_rate": _mean(_exact(rate_sum, 100), int(with_rate or 0)),
                     "link": {k: v for k, v in (_link(chosen) | {"year": str(year) if year else ""}).items() if v}})
    columns = [Column("year", "年度"), Column("projects", "项目数", "count"),
               Column("total", "项目总额合计（万元）", "money"), Column("evaluated", "已自评", "count"),
               Column("mean_score", "平均自评得分", "score"), Column("excellent_share", "自评“优”占比（%）", "percent"),
               Column("mean_rate", "平均预算执行率（%）", "percent")]
    chart = {"type": "trend", "categories": [r["year"] for r in rows],
             "bars": {"name": "项目总额合计（万元）", "data": [r["total"] for r in rows]},
             "lines": [{"name": "平均自评得分", "data": [r["mean_score"] for r in rows]},
                       {"name": "平均预算执行率（%）", "data": [r["mean_rate"] for r in rows]},
                       {"name": "自评“优”占比（%）", "data": [r["excellent_share"] for r in rows]}]}
    return View("trends", "年度趋势", "各年度的项目、资金、自评得分与预算执行率（不按年度筛选，以便比较各年）。",
                columns, rows, chart)


VIEWS: dict[str, tuple[str, Callable[[Session, Actor, Filters], View]]] = {
    "money": ("资金投向", money), "grades": ("审核与自评等级", grades), "execution": ("自评得分与执行率", execution),
    "credibility": ("自评可信度", credibility), "ranges": ("目标与指标库", ranges), "trends": ("年度趋势", trends),
}


# Views and filter choices kept per process, keyed by what they depend on: the view, the filters, whose projects
# (a role and its organisation: every user of a department sees the same) and the analytics rows' generation.
# A stamp read before the figures are counted can only make a cached view be counted again; ``CACHE_SECONDS``
# bounds the one case it misses (two writers committing out of the order of their generation ids).
CACHE_SECONDS = 30.0
_CACHE = CountCache(seconds=CACHE_SECONDS, size=1024)


def _scope_key(actor: Actor) -> tuple[str, int | None]:
    return (actor.role.value if actor.role else "public", actor.organization_id)


def view(session: Session, actor: Actor, key: str, chosen: Filters) -> View:
    """View ``key`` under ``chosen`` filters, over what ``actor`` may see (the same object for the same scope,
    filters and data: callers do not change it)."""
    require(actor, Ability.ANALYTICS)
    if key not in VIEWS:
        raise UnknownView(f"没有统计视图“{key}”；可选：{'、'.join(f'{k}（{v[0]}）' for k, v in VIEWS.items())}")
    stamp = generation(session)
    cache_key = ("view", key, _scope_key(actor), chosen)
    found: View | None = _CACHE.get(cache_key, stamp) if stamp is not None else None
    if found is None:
        found = VIEWS[key][1](session, actor, chosen)
        found.filters = filters_in_words(session, chosen)
        if stamp is not None:
            _CACHE.put(cache_key, found, stamp)
    return found


def filters_in_words(session: Session, chosen: Filters) -> list[str]:
    words = []
    if chosen.year is not None:
        words.append(f"年度：{chosen.year}")
    if chosen.department:
        name = session.scalar(select(Organization.name).where(Organization.code == chosen.department))
        words.append(f"主管部门：{name or chosen.department}")
    if chosen.category:
        words.append(f"项目类别：{CATEGORY_NAMES.get(chosen.category, chosen.category)}")
    return words


def filter_choices(session: Session, actor: Actor) -> dict[str, Any]:
    """The years, departments and categories ``actor``'s projects have (the filter menus), cached as views are."""
    require(actor, Ability.ANALYTICS)
    stamp = generation(session)
    cache_key = ("choices", _scope_key(actor))
    found: dict[str, Any] | None = _CACHE.get(cache_key, stamp) if stamp is not None else None
    if found is None:
        found = _filter_choices(session, actor)
        if stamp is not None:
            _CACHE.put(cache_key, found, stamp)
    return found


def _filter_choices(session: Session, actor: Actor) -> dict[str, Any]:
    units = _units(session, actor)
    mine = [cell for cell in cells(session) if units is None or cell.unit_id in units]
    years = sorted({cell.year for cell in mine if cell.year is not None}, reverse=True)
    departments = sorted(_names(session, {cell.department_id for cell in mine
                                          if cell.department_id is not None}).values())
    categories = [c for c in CATEGORY_NAMES if any(cell.category == c for cell in mine)]
    return {"years": years, "departments": [{"code": c, "name": n} for c, n in departments],
            "categories": [{"code": c, "name": CATEGORY_NAMES[c]} for c in categories],
            "views": [{"key": k, "title": v[0]} for k, v in VIEWS.items()]}


def as_dict(found: View) -> dict[str, Any]:
    """The view as the API returns it."""
    return {"view": found.key, "title": found.title, "note": found.note, "filters": found.filters,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in found.columns],
            "rows": [{k: _plain(v) for k, v in row.items()} for row in found.rows], "chart": found.chart,
            "extra": {k: ([{"key": c.key, "label": c.label, "kind": c.kind} for c in v] if k == "flagged_columns"
                          else v) for k, v in found.extra.items()}}


def _plain(value: Any) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value

