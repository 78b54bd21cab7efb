"""Read use cases: list and show projects as the actor may see them (public views are redacted)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from jixiao.domain.workflow import STATE_LABELS, Action, Role, State, available
from jixiao.services.audit_text import anchor_label, sentence
from jixiao.services.errors import InvalidInput
from jixiao.services.opened import opened_by
from jixiao.services.permissions import (
    Ability,
    Actor,
    PermissionDenied,
    VersionNotFound,
    require,
    require_visible,
    visible_projects,
)
from jixiao.services.returns import person, returned
from jixiao.storage.models import (
    AuditEntry,
    MonitoringReport,
    Organization,
    Project,
    ProjectFacts,
    PublishedSelfEvaluation,
    RecheckItem,
    RecheckSample,
    ReviewRecord,
    SelfEvaluation,
    StoredFinding,
    TableVersion,
    User,
)
from jixiao.storage.repository import latest_numbers, latest_version, submitted_by

SORTS = {"code": Project.code, "name": Project.name, "year": Project.fiscal_year, "state": Project.state}
PUBLIC_SORTS = ("code", "name", "year")  # published fields only: the order must not reveal review state


class SortRefused(InvalidInput):
    """A sort key the caller may not use (the public sorts by published fields only)."""

    code = "sort_refused"
    summary = "不能按这个字段排序（公众只能按项目编码、名称、年度排序）"
MAX_PAGE_SIZE = 200


def _page(session: Session, query: Select[Any], page: int, per_page: int,
          total: int | None = None) -> tuple[list[Any], int]:
    if total is None:
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return rows, total


class CountCache:
    """Filter choices (years, departments, units) of recent list queries, kept while the data they come from
    has not changed (:func:`data_stamp`) and at most ``seconds``.

    The stamp is read from the database, so a change made by any process or machine invalidates the cache of
    every process at its next request; ``seconds`` only bounds the one case the stamp can miss (two writers
    committing out of the order of their audit ids). Not for list totals: a total counted with its rows in the
    same request can never disagree with them.
    """

    def __init__(self, seconds: float = 10.0, size: int = 1000) -> None:
        self.seconds, self.size = seconds, size
        self.entries: dict[tuple[Any, ...], tuple[float, Any, Any]] = {}

    def get(self, key: tuple[Any, ...], stamp: Any = None) -> Any:
        found = self.entries.get(key)
        if found is None or found[1] != stamp or time.monotonic() - found[0] >= self.seconds:
            return None
        return found[2]

    def put(self, key: tuple[Any, ...], total: Any, stamp: Any = None) -> None:
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = (time.monotonic(), stamp, total)


def data_stamp(session: Session) -> int:
    """The newest audit entry's id: every write that changes projects, versions, workflow states or organizations
    appends one (``audit_log`` is append-only), so an unchanged stamp means unchanged filter choices. One primary-key
    lookup; read *before* the cached data is computed, so a change committed meanwhile only makes it recompute."""
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def cached_filter_options(session: Session, actor: Actor, cache: CountCache, key: tuple[Any, ...]) -> dict[str, Any]:
    """:func:`filter_options` through ``cache``, invalidated through the database (see :class:`CountCache`)."""
    stamp = data_stamp(session)
    options: dict[str, Any] | None = cache.get(key, stamp)
    if options is None:
        options = filter_options(session, actor)
        cache.put(key, options, stamp)
    return options


def project_summary(project: Project, public: bool = False) -> dict[str, Any]:
    """The list row of a project; the public sees the approved name, and every published project as approved
    (an adjustment under review is not public)."""
    state = State.APPROVED if public else State(project.state)
    return {"code": project.code, "name": project.published_name if public else project.name,
            "fiscal_year": project.fiscal_year, "state": state.value, "state_label": STATE_LABELS[state]}


def _filtered(session: Session, actor: Actor, state: str | None, year: int | None, unit: str | None,
              department: str | None, grade: str | None, severity: str | None, q: str | None,
              category: str | None = None) -> Select[Any]:
    query = visible_projects(session, actor)
    if actor.is_public:  # review state, grade and findings are internal: the public cannot filter by them
        state = grade = severity = None
    if state:
        query = query.where(Project.state == state)
    if year:
        query = query.where(Project.fiscal_year == year)
    if unit:
        query = query.where(Project.unit_id == select(Organization.id).where(Organization.code == unit)
                            .scalar_subquery())
    if department:
        parent = select(Organization.id).where(Organization.code == department).scalar_subquery()
        query = query.where(Project.unit_id.in_(select(Organization.id).where(Organization.parent_id == parent)))
    if category:  # the code's category letter, as the analytics rows keep it (统计分析 drills down here)
        query = query.where(Project.id.in_(select(ProjectFacts.project_id).where(ProjectFacts.category == category)))
    if grade:
        query = query.where(Project.review_grade == grade)
    if severity:  # the live findings of the current version, as the project page shows them ("none": clean)
        query = query.where(Project.worst_severity == severity)
    for term in search_terms(q):  # every word must be found ("免费 复印": both), each in any of the fields
        if actor.is_public:  # the approved content only
            query = query.where(Project.published_name.contains(term, autoescape=True)
                                | Project.code.contains(term, autoescape=True)
                                | Project.published_search_text.contains(term, autoescape=True))
        else:
            # code, name, unit and department names, indicator names (the project's search text)
            query = query.where(Project.name.contains(term, autoescape=True)
                                | Project.code.contains(term, autoescape=True)
                                | Project.search_text.contains(term, autoescape=True))
    return query


MAX_TERMS = 10  # words of one search that are used (the query field is 100 characters anyway)


def search_terms(q: str | None) -> list[str]:
    """The words of a search, split at spaces (the full-width space too), repeats dropped."""
    return list(dict.fromkeys((q or "").split()))[:MAX_TERMS]


def list_projects(session: Session, actor: Actor, *, state: str | None = None, year: int | None = None,
                  unit: str | None = None, department: str | None = None, grade: str | None = None,
                  severity: str | None = None, q: str | None = None, sort: str = "code", page: int = 1,
                  per_page: int = 50, with_units: bool = False, category: str | None = None) -> dict[str, Any]:
    """One page of the projects ``actor`` may see, filtered and sorted, with the total (counted every time,
    so it agrees with the rows whatever changed since)."""
    if actor.is_public and sort.lstrip("-") not in PUBLIC_SORTS:
        raise SortRefused(f"公众只能按项目编码（code）、名称（name）、年度（year）排序，不能按“{sort.lstrip('-')}”排序")
    query = _filtered(session, actor, state, year, unit, department, grade, severity, q, category)
    column = Project.published_name if actor.is_public and sort.lstrip("-") == "name" else SORTS[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column
    # codes are unique: no tie-breaker, so the (state, year, code) index can serve the order as well
    query = query.order_by(order) if column is Project.code else query.order_by(order, Project.id)
    rows, total = _page(session, query, page, per_page)
    last = max(1, -(-total // per_page))
    if page > last:  # a page past the end (an old link, a typed number) shows the last page
        page = last
        rows, total = _page(session, query, page, per_page, total)
    items = [project_summary(p, actor.is_public) for p in rows]
    if with_units:
        names = dict(session.execute(select(Organization.id, Organization.name).where(
            Organization.id.in_({p.unit_id for p in rows if p.unit_id}))).all())
        back = returned(session, rows)
        for item, project in zip(items, rows, strict=True):
            item |= {"unit": names.get(project.unit_id or 0), "review_grade": project.review_grade,
                     "worst_severity": project.worst_severity, "returned": project.id in back}
        if actor.is_public:
            _with_approval(session, items, rows)
        else:
            _with_current_totals(session, items, rows)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def _with_current_totals(session: Session, items: list[dict[str, Any]], rows: list[Project]) -> None:
    """Each row's 项目总额 as its current version says it ("15.00"; ``None`` when not filled in)."""
    numbers = latest_numbers(session, [p.id for p in rows])
    totals = {pid: total for pid, number, total in session.execute(
        select(TableVersion.project_id, TableVersion.number, TableVersion.content["total_wan"].as_string())
        .where(TableVersion.project_id.in_(list(numbers)))) if numbers.get(pid) == number}
    for item, project in zip(items, rows, strict=True):
        item["total_wan"] = totals.get(project.id)


def _with_approval(session: Session, items: list[dict[str, Any]], rows: list[Project]) -> None:
    """The public list's 项目总额 (as published: "15.00") and 批复日期 of each approved version on the page."""
    published = {(p.id, p.published_version) for p in rows if p.published_version is not None}
    if not published:
        return
    versions = session.execute(select(TableVersion.id, TableVersion.project_id, TableVersion.number,
                                      TableVersion.content["total_wan"].as_string())
                               .where(TableVersion.project_id.in_({pid for pid, _n in published}))).all()
    chosen = {pid: (vid, total) for vid, pid, number, total in versions if (pid, number) in published}
    approved = dict(session.execute(
        select(ReviewRecord.version_id, func.max(ReviewRecord.at))
        .where(ReviewRecord.version_id.in_({vid for vid, _t in chosen.values()}), ReviewRecord.action == "approve")
        .group_by(ReviewRecord.version_id)).all())
    for item, project in zip(items, rows, strict=True):
        vid, total = chosen.get(project.id, (None, None))
        item |= {"total_wan": total, "approved_at": approved.get(vid) if vid is not None else None}


def filter_options(session: Session, actor: Actor) -> dict[str, Any]:
    """Years, departments and units the actor can filter by (only those with visible projects)."""
    visible = visible_projects(session, actor).with_only_columns(Project.unit_id).distinct()
    years = sorted({y for y in session.scalars(visible_projects(session, actor)
                                              .with_only_columns(Project.fiscal_year).distinct()) if y}, reverse=True)
    units = list(session.execute(select(Organization.code, Organization.name, Organization.parent_id)
                                 .where(Organization.id.in_(visible)).order_by(Organization.code)))
    parents = {p for _c, _n, p in units if p}
    departments = list(session.execute(select(Organization.code, Organization.name)
                                       .where(Organization.id.in_(parents)).order_by(Organization.code)))
    return {"years": years, "units": [(c, n) for c, n, _p in units], "departments": departments}


def _latest(session: Session, project: Project, public: bool = False) -> TableVersion | None:
    """The current version; for the public, the version that was approved."""
    query = select(TableVersion).where(TableVersion.project_id == project.id)
    if public:
        return session.scalar(query.where(TableVersion.number == project.published_version))
    return latest_version(session, project.id)


def show_project(session: Session, actor: Actor, code: str) -> dict[str, Any]:
    project = require_visible(session, actor, code)
    version = _latest(session, project, actor.is_public)
    content = dict(version.content) if version else None
    if content is not None and actor.is_public:
        content.pop("contact_phone", None)  # the published view omits the phone (domain.md §1)
    detail = project_summary(project, actor.is_public) | {"version": version.number if version else None,
                                                          "table": content}
    if not actor.is_public:
        assert actor.role is not None
        detail["published_version"] = project.published_version
        actions = available(State(project.state), actor.role, actor.user_id, submitted_by(session, project.id))
        opener = opened_by(session, project.id) if Action.WITHDRAW in actions else None
        if opener is not None:  # a reviewer has opened the submission: no withdrawal (the service says why)
            actions.remove(Action.WITHDRAW)
        detail["actions"] = [a.value for a in actions]
        detail["opened_by"] = opener
        contents = _contents(session, project.id, version)
        detail["reviews"] = [{"action": r.action, "from_state": r.from_state, "to_state": r.to_state,
                              "comment": r.comment, "anchor": r.anchor, "at": r.at.isoformat(), "version": number,
                              "by": person(name, role),
                              "anchor_label": anchor_label(r.anchor, contents(number)) if r.anchor else None}
                             for r, number, name, role in session.execute(
            select(ReviewRecord, TableVersion.number, User.display_name, User.role)
            .join(TableVersion, TableVersion.id == ReviewRecord.version_id)
            .outerjoin(User, User.id == ReviewRecord.user_id).where(TableVersion.project_id == project.id)
            .order_by(ReviewRecord.id))]
        back = returned(session, [project]).get(project.id)
        detail["last_return"] = back | {"at": back["at"].isoformat()} if back else None
    return detail


def _contents(session: Session, project_id: int,
              current: TableVersion | None) -> Callable[[int], dict[str, Any] | None]:
    """Version number → its table, each read once (comments and audit entries name rows of their version)."""
    read = version_contents(session, {(project_id, current.number): current.content} if current else None)
    return partial(read, project_id)


def version_contents(session: Session, known: dict[tuple[int, int], dict[str, Any] | None] | None = None,
                     ) -> Callable[[int | None, int], dict[str, Any] | None]:
    """(project id, version number) → that version's table, each read at most once."""
    found = dict(known or {})

    def content(project_id: int | None, number: int) -> dict[str, Any] | None:
        if project_id is None:
            return None
        if (project_id, number) not in found:
            stored: dict[str, Any] | None = session.scalar(select(TableVersion.content).where(
                TableVersion.project_id == project_id, TableVersion.number == number))
            found[project_id, number] = stored
        return found[project_id, number]  # type: ignore[no-any-return]  # (mypy reads the JSON column as Any)
    return content


def list_versions(session: Session, actor: Actor, code: str) -> list[dict[str, Any]]:
    project = require_visible(session, actor, code)
    query = select(TableVersion).where(TableVersion.project_id == project.id)
    if actor.is_public:
        query = query.where(TableVersion.number == project.published_version)
    versions = session.scalars(query.order_by(TableVersion.number))
    # the total as published ("15.00"), not as the database's numeric type scales it
    return [{"number": v.number, "created_at": v.created_at.isoformat(), "total_wan": v.content.get("total_wan")}
            for v in versions]


def list_findings(session: Session, actor: Actor, code: str) -> list[dict[str, Any]]:
    project = require_visible(session, actor, code)
    if actor.is_public:
        raise PermissionDenied("审核意见不公开")
    findings = session.scalars(select(StoredFinding).join(TableVersion).where(TableVersion.project_id == project.id)
                               .order_by(StoredFinding.id))
    return [{"code": f.code, "category": f.category, "severity": f.severity, "title": f.title,
             "message": f.message, "location": f.location, "profile": f.profile} for f in findings]


def audit_scope(session: Session, actor: Actor) -> ColumnElement[bool] | None:
    """Which audit entries the actor may read: those about what it may see (``None``: every entry).

    An entry is about a project, one of its versions, a self-evaluation or monitoring report of one,
    or an import batch; it is in the actor's region when that project is visible to the actor (a
    batch when all its versions are). A region's deadlines (``deadline``, about its finance bureau) are its
    finance bureau's. Entries about the whole system (organisations, bulk loads) are
    for administrators and a finance bureau without a region only, like every project.
    """
    if actor.role is Role.ADMIN or (actor.role is Role.FINANCE_REVIEWER and actor.organization_id is None):
        return None
    projects = visible_projects(session, actor).with_only_columns(Project.id)
    versions = select(TableVersion.id).where(TableVersion.project_id.in_(projects))
    published = select(PublishedSelfEvaluation.id).where(PublishedSelfEvaluation.project_id.in_(projects))
    outside = select(TableVersion.import_batch_id).where(TableVersion.import_batch_id.is_not(None),
                                                         TableVersion.project_id.not_in(projects)).union(
        select(PublishedSelfEvaluation.import_batch_id).where(PublishedSelfEvaluation.import_batch_id.is_not(None),
                                                              PublishedSelfEvaluation.project_id.not_in(projects)))
    batches = select(TableVersion.import_batch_id).where(TableVersion.project_id.in_(projects)).union(
        select(PublishedSelfEvaluation.import_batch_id).where(PublishedSelfEvaluation.project_id.in_(projects)))
    kind, about = AuditEntry.object_type, AuditEntry.object_id
    return or_(
        (kind == "published_self_evaluation") & about.in_(published),
        (kind == "recheck_item") & about.in_(select(RecheckItem.id).where(RecheckItem.self_evaluation_id.in_(
            published))),
        (kind == "recheck_sample") & about.in_(select(RecheckSample.id).where(
            RecheckSample.organization_id == (actor.organization_id if actor.role is Role.FINANCE_REVIEWER else -1))),
        (kind == "project") & about.in_(projects),
        (kind == "table_version") & about.in_(versions),
        (kind == "self_evaluation") & about.in_(select(SelfEvaluation.id).where(SelfEvaluation.version_id.in_(
            versions))),
        (kind == "monitoring_report") & about.in_(select(MonitoringReport.id).where(
            MonitoringReport.version_id.in_(versions))),
        (kind == "import_batch") & about.in_(batches) & about.not_in(outside),
        (kind == "deadline") & (about == (actor.organization_id if actor.role is Role.FINANCE_REVIEWER else -1)))


def list_audit(session: Session, actor: Actor, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """The audit log, newest first, as far as the actor's region goes (a regional finance bureau sees its own)."""
    require(actor, Ability.AUDIT)
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    scope = audit_scope(session, actor)
    if scope is not None:
        query = query.where(scope)
    rows, total = _page(session, query, page, per_page)
    return {"items": [{"at": e.at.isoformat(), "user_id": e.user_id, "action": e.action,
                       "object_type": e.object_type, "object_id": e.object_id, "before": e.before,
                       "after": e.after, "note": e.note} for e in rows],
            "total": total, "page": page, "per_page": per_page}


def list_organizations(session: Session) -> list[dict[str, Any]]:
    """Organisations are public facts (who spends, who reviews); ordered by code."""
    rows = session.scalars(select(Organization).order_by(Organization.code))
    parents = {o.id: o.code for o in session.scalars(select(Organization))}
    return [{"code": o.code, "name": o.name, "kind": o.kind,
             "parent": parents.get(o.parent_id) if o.parent_id else None} for o in rows]


def version_content(session: Session, actor: Actor, code: str, number: int) -> dict[str, Any]:
    project = require_visible(session, actor, code)
    version = session.scalar(select(TableVersion).where(TableVersion.project_id == project.id,
                                                        TableVersion.number == number))
    if version is None or (actor.is_public and number != project.published_version):
        raise VersionNotFound(f"项目“{code}”没有第{number}版")
    content = dict(version.content)
    if actor.is_public:
        content.pop("contact_phone", None)
    return content


def project_audit(session: Session, actor: Actor, code: str, limit: int = 200) -> list[dict[str, Any]]:
    """The project's audit trail, newest first: workflow steps, comments, saves and imports of its versions and
    the self-evaluations and monitoring reports of them, each with its sentence (``text``,
    :func:`jixiao.services.audit_text.sentence`)."""
    project = require_visible(session, actor, code)
    if actor.is_public:
        raise PermissionDenied("审计记录不公开")
    version_ids = select(TableVersion.id).where(TableVersion.project_id == project.id)
    published = select(PublishedSelfEvaluation.id).where(PublishedSelfEvaluation.project_id == project.id)
    rows = session.execute(
        select(AuditEntry, User.display_name, User.role).outerjoin(User, User.id == AuditEntry.user_id)
        .where(((AuditEntry.object_type == "project") & (AuditEntry.object_id == project.id))
               | ((AuditEntry.object_type == "published_self_evaluation") & AuditEntry.object_id.in_(published))
               | ((AuditEntry.object_type == "recheck_item") & AuditEntry.object_id.in_(
                   select(RecheckItem.id).where(RecheckItem.self_evaluation_id.in_(published))))
               | ((AuditEntry.object_type == "table_version") & AuditEntry.object_id.in_(version_ids))
               | ((AuditEntry.object_type == "self_evaluation") & AuditEntry.object_id.in_(
                   select(SelfEvaluation.id).where(SelfEvaluation.version_id.in_(version_ids))))
               | ((AuditEntry.object_type == "monitoring_report") & AuditEntry.object_id.in_(
                   select(MonitoringReport.id).where(MonitoringReport.version_id.in_(version_ids)))))
        .order_by(AuditEntry.id.desc()).limit(limit))
    contents = _contents(session, project.id, None)
    return [{"at": e.at, "action": e.action, "who": who or "系统", "before": e.before, "after": e.after,
             "note": e.note, "text": sentence(e.action, person(who, role), e.before, e.after, e.note, contents)}
            for e, who, role in rows]
