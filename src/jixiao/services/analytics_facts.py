"""The analytics summary rows (``project_facts``), kept true in the transaction that changes a project.

Every ORM write that touches a project, its versions, its self-evaluations, its published 自评表 or an
organisation is noted after each flush; just before the commit the touched projects' rows are computed again
from what is stored, in the same transaction, so a chart never shows what a rolled-back write left. The bulk
loader writes with Core statements and no ORM events: :func:`refresh_missing` (run by ``migrate`` and after a
bulk load) fills the rows it left out, and :func:`refresh_all` recomputes every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ScalarSelect, delete, event, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.codes import ProjectCode
from jixiao.storage.models import (
    AnalyticsGeneration,
    Organization,
    Project,
    ProjectFacts,
    PublishedSelfEvaluation,
    SelfEvaluation,
    TableVersion,
)

CHUNK = 500  # projects per statement (bound parameters stay under every database's limit)
_PENDING = "jixiao.facts.projects"  # Session.info keys: project ids, version ids, organisation ids touched
_VERSIONS = "jixiao.facts.versions"
_ORGS = "jixiao.facts.orgs"
SIGNAL_SEVERITIES = ("warning", "error")  # the audit findings counted as credibility signals


def scaled(value: Decimal | None, factor: int) -> int | None:
    """``value`` × ``factor`` as an integer (rounded half to even past the places the column keeps)."""
    if value is None or not value.is_finite():
        return None
    return int((value * factor).to_integral_value())


def _rate(result: dict[str, Any] | None) -> int | None:
    rate = ((result or {}).get("execution") or {}).get("rate")
    if rate is None:
        return None
    try:
        return scaled(Decimal(str(rate)), 10_000)  # the ratio to four places (0.9512 → 9512)
    except InvalidOperation:
        return None


def _category(code: str) -> str | None:
    return ProjectCode(code).category


def _signals(audit: dict[str, Any] | None) -> int:
    findings = (audit or {}).get("findings") or []
    return sum(1 for finding in findings if isinstance(finding, dict) and finding.get("severity") in SIGNAL_SEVERITIES)


def _rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """The facts of projects ``ids`` (those that exist), computed from the stored rows."""
    projects = session.execute(select(Project.id, Project.code, Project.fiscal_year, Project.unit_id, Project.state,
                                      Project.review_grade).where(Project.id.in_(ids))).all()
    if not projects:
        return []
    units = {p.unit_id for p in projects if p.unit_id is not None}
    parents = dict(session.execute(select(Organization.id, Organization.parent_id)
                                   .where(Organization.id.in_(units))).all()) if units else {}
    totals: dict[int, Decimal | None] = {}
    for project_id, total in session.execute(select(TableVersion.project_id, TableVersion.total_wan)
                                             .where(TableVersion.project_id.in_(ids))
                                             .order_by(TableVersion.project_id, TableVersion.number)):
        totals[project_id] = total  # the highest number (the current version) comes last
    system: dict[int, tuple[Decimal, str, int | None]] = {}
    for project_id, total, grade, result in session.execute(
            select(TableVersion.project_id, SelfEvaluation.total, SelfEvaluation.grade, SelfEvaluation.result)
            .join(TableVersion, TableVersion.id == SelfEvaluation.version_id)
            .where(TableVersion.project_id.in_(ids)).order_by(SelfEvaluation.at, SelfEvaluation.id)):
        system[project_id] = (total, grade, _rate(result))  # the latest wins
    published: dict[int, tuple[Decimal | None, str | None, bool, int]] = {}
    for project_id, total, grade, audit in session.execute(
            select(PublishedSelfEvaluation.project_id, PublishedSelfEvaluation.total_score,
                   PublishedSelfEvaluation.grade, PublishedSelfEvaluation.audit)
            .where(PublishedSelfEvaluation.project_id.in_(ids))
            .order_by(PublishedSelfEvaluation.project_id, PublishedSelfEvaluation.number)):
        published[project_id] = (total, grade, audit is not None, _signals(audit))  # the current version wins
    ranges = {project_id: (ranged, below) for project_id, ranged, below in session.execute(
        select(ProjectFacts.project_id, ProjectFacts.ranged, ProjectFacts.below_range)
        .where(ProjectFacts.project_id.in_(ids)))}  # the library build's counts are kept
    rows = []
    for project in projects:
        row: dict[str, Any] = {
            "project_id": project.id, "fiscal_year": project.fiscal_year, "unit_id": project.unit_id,
            "department_id": parents.get(project.unit_id) if project.unit_id is not None else None,
            "category": _category(project.code), "state": project.state,
            "total_yuan": scaled(totals.get(project.id), 10_000), "review_grade": project.review_grade,
            "score_x100": None, "selfeval_grade": None, "selfeval_source": None, "rate_x10000": None,
            "audited": False, "audit_signals": 0,
            "ranged": ranges.get(project.id, (0, 0))[0], "below_range": ranges.get(project.id, (0, 0))[1]}
        if project.id in system:
            total, grade, rate = system[project.id]
            row |= {"score_x100": scaled(total, 100), "selfeval_grade": grade, "selfeval_source": "system",
                    "rate_x10000": rate}
        if project.id in published:
            total, grade, audited, signals = published[project.id]
            row |= {"audited": audited, "audit_signals": signals}
            if row["selfeval_source"] is None and total is not None:
                row |= {"score_x100": scaled(total, 100), "selfeval_grade": grade, "selfeval_source": "published"}
        rows.append(row)
    return rows


def refresh(session: Session, ids: Iterable[int]) -> int:
    """Recompute the facts of projects ``ids`` in ``session``'s transaction; how many rows were written."""
    wanted = sorted(set(ids))
    written = 0
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        rows = _rows(session, chunk)
        session.execute(delete(ProjectFacts).where(ProjectFacts.project_id.in_(chunk)))
        if rows:
            session.execute(insert(ProjectFacts), rows)
        written += len(rows)
    if wanted:
        session.execute(insert(AnalyticsGeneration))
    return written


def generation_columns() -> tuple[ScalarSelect[int], ScalarSelect[object]]:
    """:func:`generation` as two scalar subqueries, for a caller that reads it with other stamps in one query."""
    newest = select(AnalyticsGeneration.id, AnalyticsGeneration.at).order_by(
        AnalyticsGeneration.id.desc()).limit(1).subquery()
    return select(newest.c.id).scalar_subquery(), select(newest.c.at).scalar_subquery()


def generation(session: Session) -> tuple[int, object] | None:
    """The stamp of the analytics rows: the newest generation's id and time, which changes with every transaction
    that changes them (one index lookup), and which two databases do not share (a process may serve several:
    tests do). ``None`` before any row was written."""
    found = session.execute(select(AnalyticsGeneration.id, AnalyticsGeneration.at)
                            .order_by(AnalyticsGeneration.id.desc()).limit(1)).first()
    return None if found is None else (found[0], found[1])


def _fill_some(session: Session) -> int:
    ids = list(session.scalars(select(Project.id).where(
        ~select(ProjectFacts.project_id).where(ProjectFacts.project_id == Project.id).exists())
        .order_by(Project.id).limit(CHUNK * 4)))
    return refresh(session, ids) if ids else 0


def refresh_missing(sessions: sessionmaker[Session]) -> int:
    """Fill the facts of every project that has none (after a migration or a bulk load), in batches."""
    done = 0
    while True:
        with sessions.begin() as session:
            some = _fill_some(session)
        if not some:
            return done
        done += some


def refresh_all(sessions: sessionmaker[Session]) -> int:
    """Recompute every project's facts (``jixiao refresh --all``), in batches."""
    done, last = 0, 0
    while True:
        with sessions.begin() as session:
            ids = list(session.scalars(select(Project.id).where(Project.id > last).order_by(Project.id)
                                       .limit(CHUNK * 4)))
            if not ids:
                return done
            last = ids[-1]
            done += refresh(session, ids)


def set_ranges(session: Session, counts: dict[int, tuple[int, int]]) -> None:
    """Write the library build's (ranged, below range) counts by project; projects not named get zeros."""
    while _fill_some(session):  # every project has its row first (one the bulk loader left out would miss its counts)
        pass
    session.execute(insert(AnalyticsGeneration))
    session.execute(update(ProjectFacts).values(ranged=0, below_range=0))
    if counts:
        session.execute(update(ProjectFacts), [{"project_id": pid, "ranged": ranged, "below_range": below}
                                                for pid, (ranged, below) in counts.items()])  # by primary key


# --- noting what a transaction touched ---------------------------------------------------------------------------

def _note(session: Session, _context: Any) -> None:
    projects: set[int] = session.info.setdefault(_PENDING, set())
    versions: set[int] = session.info.setdefault(_VERSIONS, set())
    orgs: set[int] = session.info.setdefault(_ORGS, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Project) and instance.id is not None:
            projects.add(instance.id)
        elif isinstance(instance, TableVersion | PublishedSelfEvaluation) and instance.project_id is not None:
            projects.add(instance.project_id)
        elif isinstance(instance, SelfEvaluation) and instance.version_id is not None:
            versions.add(instance.version_id)
        elif isinstance(instance, Organization) and instance.id is not None:
            orgs.add(instance.id)


def _refresh_noted(session: Session) -> None:
    session.flush()  # the commit's own flush, made first so that what is still pending is noted too
    if not (session.info.get(_PENDING) or session.info.get(_VERSIONS) or session.info.get(_ORGS)):
        return
    projects: set[int] = session.info.pop(_PENDING, set())
    versions: set[int] = session.info.pop(_VERSIONS, set())
    orgs: set[int] = session.info.pop(_ORGS, set())
    for chunk in _chunks(sorted(versions)):
        projects |= set(session.scalars(select(TableVersion.project_id).where(TableVersion.id.in_(chunk))))
    for chunk in _chunks(sorted(orgs)):
        projects |= set(session.scalars(select(Project.id).where(Project.unit_id.in_(chunk))))
    if projects:
        refresh(session, projects)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start:start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _forget(session: Session, *_args: Any) -> None:
    for key in (_PENDING, _VERSIONS, _ORGS):
        session.info.pop(key, None)


event.listen(Session, "after_flush", _note)
event.listen(Session, "before_commit", _refresh_noted)
event.listen(Session, "after_rollback", _forget)
