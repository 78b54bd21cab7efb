"""The 跨年度 page's flags (P007–P010), stored per project so that the page reads a year's flags instead of
reviewing every project of the year on every request (a county has thousands, a province a hundred thousand).

A project's flags depend on its current version and on its line: the predecessors' versions, their
self-evaluations and the links (corrections included). Every ORM write touching a project, a version, a
self-evaluation or a link is noted after each flush; just before the commit the noted projects are marked stale,
with the later projects of their units and those whose stored line runs through them (one UPDATE: marked, not
recomputed, so that an approval does not wait for the reviews of the years after it). The page recomputes the
stale and never-computed projects of the year it shows, within a time budget, and reads the rest;
``refresh`` (``jixiao refresh``) computes every stale one with a progress bar.

Flags are computed as the finance bureau sees the projects (every project a candidate for a line). A viewer
whose project's stored line runs through a project they may not see gets that project's flags computed live
among what they may see, as the project page does, so no one learns of another unit's project from a flag.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Select, delete, event, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.domain.workflow import Role
from jixiao.rules.profile import Profile
from jixiao.services.permissions import Actor, sees_everything, visible_projects
from jixiao.services.project_history import (
    HISTORY_RULES,
    current_content,
    forget_prefetched,
    history_findings,
    line_of,
    prefetch,
)
from jixiao.storage.models import (
    HistoryFlag,
    HistoryLine,
    HistoryState,
    Project,
    ProjectLink,
    SelfEvaluation,
    TableVersion,
)
from jixiao.storage.repository import serialise

EVERYONE = Actor(None, Role.ADMIN, None)  # the lines as the finance bureau sees them: every project a candidate
CHUNK = 200  # projects computed per transaction (and per statement's list of ids)
PAGE_BUDGET_S = 3.0  # how long the page computes stale flags before it shows what is stored, saying what is not
LOCK_KEY = 0x6A78_6866  # serialises the computations ("jxhf"): two pages computing the same year do it once
_PROJECTS = "jixiao.history.projects"  # Session.info keys: project ids and version ids a transaction touched
_VERSIONS = "jixiao.history.versions"


def _flags_of(session: Session, actor: Actor, project: Project, rules: Profile) -> tuple[list[dict[str, Any]],
                                                                                          list[int]]:
    """The cross-year findings of ``project``'s current version and the ids of its line, among what ``actor`` sees."""
    content = current_content(session, project)
    if not content or project.fiscal_year is None:
        return [], []
    earlier, _link = line_of(session, actor, project)
    return history_findings(session, actor, project, content, rules), [p.id for p in earlier]


def compute(session: Session, ids: Iterable[int], rules: Profile) -> int:
    """Compute and store the flags of projects ``ids`` that are stale or were never computed, in ``session``'s
    transaction (which should hold nothing else: it is serialised with every other computation); how many."""
    serialise(session, LOCK_KEY)
    wanted = sorted(set(ids))
    fresh = set(session.scalars(select(HistoryState.project_id).where(HistoryState.project_id.in_(wanted),
                                                                       HistoryState.fresh.is_(True))))
    todo = [i for i in wanted if i not in fresh]  # another request may have computed them while this one waited
    if not todo:
        return 0
    for table in (HistoryFlag, HistoryLine, HistoryState):
        session.execute(delete(table).where(table.project_id.in_(todo)))
    flags: list[dict[str, Any]] = []
    lines: list[dict[str, int]] = []
    projects = list(session.scalars(select(Project).where(Project.id.in_(todo)).order_by(Project.id)))
    earlier = {p.id for project in projects for p in line_of(session, EVERYONE, project)[0]}
    prefetch(session, [*todo, *earlier])  # the versions and self-evaluations of the chunk and their lines at once
    for project in projects:
        found, line = _flags_of(session, EVERYONE, project, rules)
        flags += [{"project_id": project.id, "code": f["code"], "finding": f} for f in found]
        lines += [{"project_id": project.id, "earlier_id": earlier} for earlier in dict.fromkeys(line)]
    if flags:
        session.execute(insert(HistoryFlag), flags)
    if lines:
        session.execute(insert(HistoryLine), lines)
    session.execute(insert(HistoryState), [{"project_id": i, "fresh": True} for i in todo])
    forget_prefetched(session)
    return len(todo)


def _stale(query: Select[Any]) -> Select[Any]:
    """The ids of the projects of ``query`` whose flags are stale or were never computed."""
    current = select(HistoryState.project_id).where(HistoryState.project_id == Project.id,
                                                    HistoryState.fresh.is_(True)).exists()
    return query.with_only_columns(Project.id).where(~current).order_by(Project.id)


def _compute_all(sessions: sessionmaker[Session], todo: Sequence[int], rules: Profile, budget_s: float | None,
                 progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    started, done = time.monotonic(), 0
    for start in range(0, len(todo), CHUNK):
        if budget_s is not None and time.monotonic() - started > budget_s:
            return done, len(todo) - start
        with sessions.begin() as session:
            done += compute(session, todo[start:start + CHUNK], rules)
        if progress is not None:
            progress(min(start + CHUNK, len(todo)), len(todo))
    return done, 0


def refresh(sessions: sessionmaker[Session], rules: Profile | None = None, year: int | None = None,
            progress: Callable[[int, int], None] | None = None, budget_s: float | None = None) -> tuple[int, int]:
    """Compute every stale project's flags (of ``year`` only, when given), in chunks of :data:`CHUNK`, stopping
    after ``budget_s`` seconds when given; (computed, still stale)."""
    query = select(Project) if year is None else select(Project).where(Project.fiscal_year == year)
    with sessions() as session:
        todo = list(session.scalars(_stale(query)))
    return _compute_all(sessions, todo, rules or profiles.load().rules, budget_s, progress)


def _shown(session: Session, actor: Actor, year_ids: Select[Any], rules: Profile,
           visible: Select[Any]) -> list[tuple[Project, dict[str, Any]]]:
    """(project, finding) of the stored flags of ``year_ids``; a project whose stored line runs through one the
    actor may not see is computed live among what they may see."""
    rows = session.execute(select(Project, HistoryFlag.finding).join(HistoryFlag, HistoryFlag.project_id == Project.id)
                           .where(Project.id.in_(year_ids)).order_by(Project.code, HistoryFlag.id)).all()
    if sees_everything(actor):
        return [(project, finding) for project, finding in rows]
    hidden = set(session.scalars(select(HistoryLine.project_id).where(
        HistoryLine.project_id.in_(year_ids), HistoryLine.earlier_id.not_in(visible.with_only_columns(Project.id)))))
    found = [(project, finding) for project, finding in rows if project.id not in hidden]
    for project in session.scalars(select(Project).where(Project.id.in_(hidden)).order_by(Project.code)):
        found += [(project, finding) for finding in _flags_of(session, actor, project, rules)[0]]
    found.sort(key=lambda pair: pair[0].code)  # (stable: each project's findings keep the review's order)
    return found


def flags(sessions: sessionmaker[Session], actor: Actor, year: int | None = None, code: str | None = None,
          profile: Profile | None = None, budget_s: float | None = None) -> dict[str, Any]:
    """The cross-year findings (P007–P010) of the actor's visible projects of ``year`` (the latest year when none),
    each with its project; ``code`` keeps one rule. ``pending``: projects whose flags were not computed within
    ``budget_s`` (:data:`PAGE_BUDGET_S` when None; their flags are missing from this answer, shown after
    ``jixiao refresh`` or a later request)."""
    rules = profile or profiles.load().rules
    with sessions() as session:
        query = visible_projects(session, actor)
        years = sorted({y for y in session.scalars(query.with_only_columns(Project.fiscal_year).distinct())
                        if y is not None}, reverse=True)
        chosen = year if year is not None else (years[0] if years else None)
        todo = list(session.scalars(_stale(query.where(Project.fiscal_year == chosen))))
    _done, pending = _compute_all(sessions, todo, rules, PAGE_BUDGET_S if budget_s is None else budget_s)
    with sessions() as session:
        query = visible_projects(session, actor)
        year_ids = query.where(Project.fiscal_year == chosen).with_only_columns(Project.id)
        every = [finding | {"project_code": project.code, "project_name": project.name}
                 for project, finding in _shown(session, actor, year_ids, rules, query)]
    counts = {rule: sum(1 for finding in every if finding["code"] == rule) for rule in HISTORY_RULES}
    found = [finding for finding in every if code is None or finding["code"] == code]
    return {"year": chosen, "years": years, "code": code, "rules": HISTORY_RULES, "flags": found,
            "counts": counts, "pending": pending}


# --- marking what a transaction made stale ------------------------------------------------------------------------

def _note(session: Session, _context: Any) -> None:
    projects: set[int] = session.info.setdefault(_PROJECTS, set())
    versions: set[int] = session.info.setdefault(_VERSIONS, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Project) and instance.id is not None:
            projects.add(instance.id)
        elif isinstance(instance, TableVersion | ProjectLink) and instance.project_id is not None:
            projects.add(instance.project_id)
        elif isinstance(instance, SelfEvaluation) and instance.version_id is not None:
            versions.add(instance.version_id)


def _later(session: Session, ids: Sequence[int]) -> set[int]:
    """``ids`` with the projects whose flags may depend on them: their units' projects of later years, and those
    whose stored line runs through them (a line across units, by the serial of the code or a correction)."""
    found = set(ids)
    placed = session.execute(select(Project.unit_id, Project.fiscal_year).where(Project.id.in_(ids))).all()
    units = sorted({unit for unit, year in placed if unit is not None and year is not None})
    if units:  # (a superset: every later year than the earliest noted one, in each noted unit)
        earliest = min(year for unit, year in placed if unit is not None and year is not None)
        found |= set(session.scalars(select(Project.id).where(Project.unit_id.in_(units),
                                                              Project.fiscal_year > earliest)))
    found |= set(session.scalars(select(HistoryLine.project_id).where(HistoryLine.earlier_id.in_(ids))))
    return found


def _mark(session: Session) -> None:
    session.flush()
    if not (session.info.get(_PROJECTS) or session.info.get(_VERSIONS)):
        return
    projects: set[int] = session.info.pop(_PROJECTS, set())
    versions = sorted(session.info.pop(_VERSIONS, set()))
    for start in range(0, len(versions), CHUNK):
        projects |= set(session.scalars(select(TableVersion.project_id)
                                        .where(TableVersion.id.in_(versions[start:start + CHUNK]))))
    ordered = sorted(projects)
    stale: set[int] = set()
    for start in range(0, len(ordered), CHUNK):
        stale |= _later(session, ordered[start:start + CHUNK])
    marked = sorted(stale)
    for start in range(0, len(marked), CHUNK):
        session.execute(update(HistoryState).where(HistoryState.project_id.in_(marked[start:start + CHUNK]),
                                                   HistoryState.fresh.is_(True)).values(fresh=False))


def _forget(session: Session, *_args: Any) -> None:
    for key in (_PROJECTS, _VERSIONS):
        session.info.pop(key, None)


event.listen(Session, "after_flush", _note)
event.listen(Session, "before_commit", _mark)
event.listen(Session, "after_rollback", _forget)
