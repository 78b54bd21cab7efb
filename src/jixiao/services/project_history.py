"""Projects and indicators across fiscal years (跨年度): links, each indicator's history, the review's flags.

A project's predecessor is computed (``library.links``: the serial of its code, else its unit and a close name)
among the projects the actor may see, and a finance reviewer may correct it (``project_links``, audited). The
history of a table's rows is read from the predecessors' current versions and the unit's latest self-evaluation
of each, and handed to the review (rules P007–P010) as data.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import Value
from jixiao.domain.history import IndicatorHistory, ProjectHistory, YearPoint, is_met
from jixiao.library.links import BY_LABELS, Link, ProjectRef, chain, link_projects, match_indicators, serial_key
from jixiao.rules.profile import Profile
from jixiao.services.editing import DraftCheck, check_draft, stored_findings
from jixiao.services.errors import InvalidInput
from jixiao.services.permissions import Ability, Actor, may, require, require_visible, visible_projects
from jixiao.storage.models import AuditEntry, Project, ProjectLink, SelfEvaluation, TableVersion
from jixiao.storage.repository import latest_version, lock_project

HISTORY_RULES = ("P007", "P008", "P009", "P010")
MAX_REASON = 2000
_PAST_YEARS = 10  # predecessors followed at most
_LINKS_CACHE = "jixiao.project_links"  # Session.info key: links computed in this session (dropped on a correction)
_CANDIDATES_CACHE = "jixiao.project_line_candidates"  # Session.info key: (actor, project) → its candidates
_OVERRIDES_CACHE = "jixiao.project_overrides"  # Session.info key: the corrections, read once
_UNIT_CACHE = "jixiao.project_unit_refs"  # Session.info key: (actor, unit) → the unit's visible projects
_LINE_CACHE = "jixiao.project_lines"  # Session.info key: (actor, project) → (its predecessors, the link)
_PREFETCHED = "jixiao.project_points"  # Session.info key: project id → (current content, scored rows by index)
_PREFETCH_CHUNK = 500


class LinkRefused(InvalidInput):
    code = "project_link_refused"
    summary = "跨年度项目关联的更正不符合要求"


def overrides(session: Session, ids: Sequence[int] | None = None) -> dict[int, int | None]:
    """Project id → its corrected predecessor (None: none), the latest correction of each."""
    latest = select(func.max(ProjectLink.id)).group_by(ProjectLink.project_id)
    query = select(ProjectLink.project_id, ProjectLink.previous_id).where(ProjectLink.id.in_(latest))
    if ids is not None:
        query = query.where(ProjectLink.project_id.in_(list(ids)))
    return {row[0]: row[1] for row in session.execute(query)}


def _overrides(session: Session) -> dict[int, int | None]:
    """:func:`overrides` read once per database session (corrections are few, made one by one)."""
    kept: dict[int, int | None] | None = session.info.get(_OVERRIDES_CACHE)
    if kept is None:
        kept = session.info[_OVERRIDES_CACHE] = overrides(session)
    return kept


_COLUMNS = (Project.id, Project.code, Project.fiscal_year, Project.name, Project.unit_id)


def _unit_refs(session: Session, actor: Actor, unit_id: int) -> list[ProjectRef]:
    """The visible projects of unit ``unit_id``, read once per database session (every project of the unit asks)."""
    kept: dict[tuple[Actor, int], list[ProjectRef]] = session.info.setdefault(_UNIT_CACHE, {})
    key = (actor, unit_id)
    if key not in kept:
        query = visible_projects(session, actor).where(Project.unit_id == unit_id).with_only_columns(*_COLUMNS)
        kept[key] = [ProjectRef(*row) for row in session.execute(query)]
    return kept[key]


def _candidates(session: Session, actor: Actor, project: Project) -> list[ProjectRef]:
    """The visible projects that may be in ``project``'s line: its unit's, and those sharing its serial (the
    columns linking needs, not whole rows: a unit may have thousands of projects over the years)."""
    conditions: list[ColumnElement[bool]] = []
    key = serial_key(project.code)
    codes: dict[str, list[str]] = {}
    if key is not None:  # region (6) + year (2) + category + serial: the year digits are any two, named so that
        # the look-up uses the index of codes (a LIKE with a wildcard inside would read every project); one
        # expanding parameter, so that the statement is compiled once, not a hundred literals each time
        conditions.append(Project.code.in_(bindparam("serial_codes", expanding=True)))
        codes["serial_codes"] = [f"{key[:6]}{year:02d}{key[6:]}" for year in range(100)]
    corrected = _overrides(session).get(project.id)  # (a list of ids, not a subquery: PostgreSQL then uses the
    conditions.append(Project.id.in_([project.id] + ([corrected] if corrected else [])))  # indexes, not a scan)
    query = visible_projects(session, actor).where(or_(*conditions)).with_only_columns(*_COLUMNS)
    found = {row[0]: ProjectRef(*row) for row in session.execute(query, codes)}
    if project.unit_id is not None:
        found |= {ref.id: ref for ref in _unit_refs(session, actor, project.unit_id)}
    return list(found.values())


def links_for(session: Session, refs: Sequence[ProjectRef]) -> dict[int, Link]:
    """The links among ``refs`` (corrections among them win), computed once per database session for the same
    projects: the project page asks for its line three times (the link, the history chart and the review)."""
    cache: dict[tuple[int, ...], dict[int, Link]] = session.info.setdefault(_LINKS_CACHE, {})
    ids = tuple(sorted(ref.id for ref in refs))
    found = cache.get(ids)
    if found is None:
        visible = set(ids)  # (corrections are few, made one by one: all of them are read, then the ones that apply)
        fixed = {k: v for k, v in _overrides(session).items() if k in visible and (v is None or v in visible)}
        found = cache[ids] = link_projects(refs, fixed)
    return found


def line_of(session: Session, actor: Actor, project: Project) -> tuple[list[Project], Link | None]:
    """``project``'s predecessors, nearest first, and the link to the nearest."""
    lines: dict[tuple[Actor, int], tuple[list[Project], Link | None]] = session.info.setdefault(_LINE_CACHE, {})
    seen: dict[tuple[Actor, int], list[ProjectRef]] = session.info.setdefault(_CANDIDATES_CACHE, {})
    key = (actor, project.id)
    if key in lines:
        return lines[key]
    if key not in seen:
        seen[key] = _candidates(session, actor, project)
    links = links_for(session, seen[key])
    ids = chain(project.id, links, _PAST_YEARS)
    loaded = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(ids)))} if ids else {}
    found = [loaded[i] for i in ids if i in loaded], links.get(project.id)
    lines[key] = found
    return found


def _number(text: Any) -> Decimal | None:
    if text in (None, ""):
        return None
    value = Value.of(str(text))
    return value.number if value is not None else None


def _evaluation(session: Session, project: Project) -> dict[int, dict[str, Any]]:
    """Row index → the unit's latest self-evaluation's scored row (actual, score, weight) of ``project``."""
    joined = select(SelfEvaluation.result).join(TableVersion, TableVersion.id == SelfEvaluation.version_id)
    result = session.scalar(joined.where(TableVersion.project_id == project.id)
                            .order_by(SelfEvaluation.id.desc()).limit(1))
    return _rows_of(result)


def _rows_of(result: dict[str, Any] | None) -> dict[int, dict[str, Any]]:
    rows = (result or {}).get("indicators") or []
    return {int(row["index"]): row for row in rows if isinstance(row, dict) and row.get("index") is not None}


def prefetch(session: Session, ids: Sequence[int]) -> None:
    """Read the current versions' content and the latest self-evaluations of projects ``ids`` in two queries a
    chunk, kept in ``session`` for :func:`current_content` and the histories its later calls read (the stored flags
    of many projects: ``services.history_flags``). Only for a session that writes none of them."""
    kept: dict[int, tuple[dict[str, Any], dict[int, dict[str, Any]]]] = session.info.setdefault(_PREFETCHED, {})
    wanted = sorted({i for i in ids if i not in kept})
    for start in range(0, len(wanted), _PREFETCH_CHUNK):
        chunk = wanted[start:start + _PREFETCH_CHUNK]
        newest = (select(TableVersion.project_id, func.max(TableVersion.number).label("number"))
                  .where(TableVersion.project_id.in_(chunk)).group_by(TableVersion.project_id).subquery())
        contents: dict[int, dict[str, Any] | None] = dict(session.execute(
            select(TableVersion.project_id, TableVersion.content).join(
            newest, (newest.c.project_id == TableVersion.project_id) & (newest.c.number == TableVersion.number))).all())
        scored: dict[int, dict[int, dict[str, Any]]] = {}
        for project_id, result in session.execute(
                select(TableVersion.project_id, SelfEvaluation.result)
                .join(TableVersion, TableVersion.id == SelfEvaluation.version_id)
                .where(TableVersion.project_id.in_(chunk)).order_by(SelfEvaluation.id)):
            scored[project_id] = _rows_of(result)  # the latest wins, as in _evaluation
        for project_id in chunk:
            kept[project_id] = (contents.get(project_id) or {}, scored.get(project_id, {}))


def forget_prefetched(session: Session) -> None:
    session.info.pop(_PREFETCHED, None)


def current_content(session: Session, project: Project) -> dict[str, Any]:
    """The content of ``project``'s current version (``{}``: none), prefetched or read."""
    kept: tuple[dict[str, Any], Any] | None = session.info.get(_PREFETCHED, {}).get(project.id)
    if kept is not None:
        return kept[0]
    version = latest_version(session, project.id)
    return version.content if version is not None and version.content else {}


def _points(session: Session, project: Project) -> list[tuple[str | None, str | None, YearPoint]]:
    """(name, unit, point) of each indicator of ``project``'s current version in its fiscal year."""
    kept = session.info.get(_PREFETCHED, {}).get(project.id)
    if kept is not None:
        content, scored = kept
    else:
        version = latest_version(session, project.id)
        content = version.content if version is not None else {}
        scored = _evaluation(session, project)
    found = []
    for index, row in enumerate(content.get("indicators") or []):
        target_text = row.get("current_target") or row.get("target")
        target, operator, unit = _number(target_text), row.get("operator"), row.get("unit_of_measure")
        seen = scored.get(index, {})
        actual = _number(seen.get("actual"))
        score, weight = _number(seen.get("score")), _number(seen.get("weight"))
        met = is_met(operator, target, actual)
        if met is None and score is not None and weight is not None:
            met = score >= weight
        found.append((row.get("name"), unit, YearPoint(project.fiscal_year or 0, operator, target, target_text, unit,
                                                       actual, seen.get("actual"), score, weight, met)))
    return found


def history_of(session: Session, actor: Actor, project: Project,
               rows: Sequence[tuple[str | None, str | None]] | None = None) -> ProjectHistory | None:
    """The history of ``rows`` (name, unit: the project's current version when None) over its predecessors."""
    if project.fiscal_year is None:
        return None
    earlier, _link = line_of(session, actor, project)
    if rows is None:
        rows = [(name, unit) for name, unit, _point in _points(session, project)]
    years: dict[int, list[YearPoint]] = {index: [] for index in range(len(rows))}
    names = {index: rows[index] for index in years}
    missing: tuple[IndicatorHistory, ...] = ()
    following = {index: index for index in years}  # this table's row → the row of the year being read
    keys: list[tuple[str | None, str | None]] = list(rows)
    for depth, before in enumerate(earlier):
        points = _points(session, before)
        matched = match_indicators(keys, [(name, unit) for name, unit, _p in points])
        if depth == 0:
            gone = sorted(set(range(len(points))) - set(matched.values()))
            missing = tuple(IndicatorHistory(points[i][0] or "", points[i][1], (points[i][2],)) for i in gone)
        following = {own: matched[at] for own, at in following.items() if at in matched}
        for own, at in following.items():
            years[own].insert(0, points[at][2])
        keys = [(points[i][0], points[i][1]) if i in following.values() else (None, None) for i in range(len(points))]
        if not following:
            break
    found = {index: IndicatorHistory(names[index][0] or "", names[index][1], tuple(points))
             for index, points in years.items() if points}
    return ProjectHistory(project.fiscal_year, found, missing)


def history_for_code(session: Session, actor: Actor, code: str) -> ProjectHistory | None:
    return history_of(session, actor, require_visible(session, actor, code))


def link_view(session: Session, actor: Actor, code: str) -> dict[str, Any]:
    """What the project page shows: the link to the predecessor (how found) and each indicator's history."""
    project = require_visible(session, actor, code)
    earlier, link = line_of(session, actor, project)
    history = history_of(session, actor, project)
    previous = earlier[0] if earlier else None
    rows = []
    own = _points(session, project)
    for index, found in sorted((history.rows if history else {}).items()):
        points = [*found.years, *(p for _name, _unit, p in own[index:index + 1])]
        rows.append({"index": index, "name": found.name, "unit": found.unit,
                     "years": [_point_dict(p) for p in points]})
    return {"previous": {"code": previous.code, "name": previous.name, "year": previous.fiscal_year}
            if previous else None,
            "by": link.by if link else None, "by_label": BY_LABELS[link.by] if link else None,
            "score": link.score if link else None, "line": [{"code": p.code, "year": p.fiscal_year} for p in earlier],
            "indicators": rows, "may_correct": may(actor, Ability.LINK)}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f") if value == value.to_integral() \
        else format(value, "f")


def _point_dict(point: YearPoint) -> dict[str, Any]:
    return {"year": point.year, "operator": point.operator, "target": _text(point.target),
            "target_text": point.target_text, "unit": point.unit, "actual": _text(point.actual),
            "actual_text": point.actual_text, "score": _text(point.score), "weight": _text(point.weight),
            "met": point.met}


def correct_link(sessions: sessionmaker[Session], actor: Actor, code: str, previous_code: str | None,
                 reason: str) -> dict[str, Any]:
    """Set (or clear, with no ``previous_code``) the project ``code`` continues; the reason is required. Audited."""
    require(actor, Ability.LINK)
    text = (reason or "").strip()
    problems = []
    if not text:
        problems.append({"field": "reason", "message": "“理由”必填：更正关联须写明理由"})
    elif len(text) > MAX_REASON:
        problems.append({"field": "reason", "message": f"“理由”最多 {MAX_REASON} 字，实际 {len(text)} 字"})
    wanted = (previous_code or "").strip() or None
    with sessions.begin() as session:
        project = require_visible(session, actor, code)
        previous = require_visible(session, actor, wanted) if wanted else None
        if previous is not None and (previous.id == project.id or previous.fiscal_year is None
                                     or project.fiscal_year is None or previous.fiscal_year >= project.fiscal_year):
            problems.append({"field": "previous", "message": f"上年项目“{wanted}”应是本项目（{project.fiscal_year} 年）"
                                                             "之前年度的另一个项目"})
        if problems:
            raise LinkRefused("；".join(problem["message"] for problem in problems), problems)
        lock_project(session, project)
        _earlier, link = line_of(session, actor, project)
        before = {"previous": session.get(Project, link.previous).code if link else None,  # type: ignore[union-attr]
                  "by": link.by if link else None}
        session.add(ProjectLink(project_id=project.id, previous_id=previous.id if previous else None, reason=text,
                                decided_by=actor.user_id))
        session.info.pop(_LINKS_CACHE, None)
        session.info.pop(_CANDIDATES_CACHE, None)
        session.info.pop(_LINE_CACHE, None)
        session.info.pop(_UNIT_CACHE, None)
        session.info.pop(_OVERRIDES_CACHE, None)
        session.add(AuditEntry(user_id=actor.user_id, action="project.link", object_type="project",
                               object_id=project.id, before=before,
                               after={"previous": previous.code if previous else None, "by": "manual"}, note=text))
    with sessions() as session:
        return link_view(session, actor, code)


def review_with_history(session: Session, actor: Actor, project: Project, content: dict[str, Any],
                        profile: Profile | None = None) -> DraftCheck:
    """The project page's review of ``content`` with its project's past years (P007–P010 among the findings)."""
    history = history_of(session, actor, project, [(row.get("name"), row.get("unit_of_measure"))
                                                   for row in content.get("indicators") or []])
    return check_draft(content, profile, past=history)


def history_findings(session: Session, actor: Actor, project: Project, content: dict[str, Any],
                     profile: Profile) -> list[dict[str, Any]]:
    """The findings of P007–P010 alone on a stored version's ``content`` (valid when it was stored), as
    :func:`review_with_history` gives them: the stored flags of the 跨年度 page."""
    history = history_of(session, actor, project, [(row.get("name"), row.get("unit_of_measure"))
                                                   for row in content.get("indicators") or []])
    return stored_findings(content, profile, HISTORY_RULES, past=history)


def check_with_history(session: Session, actor: Actor, code: str, content: dict[str, Any],
                       profile: Profile | None = None) -> DraftCheck:
    return review_with_history(session, actor, require_visible(session, actor, code), content, profile)
