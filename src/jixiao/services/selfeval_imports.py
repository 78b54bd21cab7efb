"""Published self-evaluation tables in an import: matched to their project, stored as immutable versions.

A self-evaluation table belongs to a project that is already in the system: it never creates one. It is
matched by its project code (a printed name or 实施单位 that differs is said); without a code by its project
name and its 实施单位 (else its 主管部门). More than one candidate is reported with every candidate, never guessed;
none is reported too, and so is a printed code the system does not know, even when the name and unit point at a
project (with another code). Either refuses the whole file (:mod:`jixiao.services.imports` runs this inside the
file's one transaction). The same content as the project's latest published self-evaluation adds nothing,
as for target tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jixiao.domain import CodedName, Diagnostic, Severity
from jixiao.domain.selfeval_table import SelfEvaluationTable
from jixiao.io.selfeval_json import selfeval_to_dict
from jixiao.profiles import RegionProfile
from jixiao.services.published_selfeval import published_audit
from jixiao.storage.models import AuditEntry, ImportBatch, Organization, Project, PublishedSelfEvaluation
from jixiao.storage.repository import lock_project, table_hash
from jixiao.storage.search import name_key

MAX_CANDIDATES = 10  # named in an ambiguity message; the count says how many there were


normalized = name_key  # a project, unit or department name as compared: the key projects.name_key stores


@dataclass(frozen=True, slots=True)
class Match:
    """A table's project (``None`` when there is none or several) and how it was found, with what to say."""

    project: Project | None
    by: str | None  # code | name_unit
    diagnostic: Diagnostic | None


def _title(table: SelfEvaluationTable) -> str:
    return table.project_name or table.project_code or "（未命名）"


def _where(table: SelfEvaluationTable) -> tuple[str | None, int | None]:
    return (table.source.file if table.source else None, table.source.line if table.source else None)


def scope(session: Session, unit_code: str | None) -> Select[Project]:
    """The projects an importer may attach a self-evaluation to: all (administrator, CLI) or its unit's."""
    query = select(Project)
    if unit_code is None:
        return query
    unit = session.scalar(select(Organization.id).where(Organization.code == unit_code))
    return query.where(Project.unit_id == (unit if unit is not None else -1))


def _organizations(session: Session, projects: Sequence[Project]) -> dict[int, Organization]:
    ids = {p.unit_id for p in projects if p.unit_id is not None}
    units = list(session.scalars(select(Organization).where(Organization.id.in_(ids)))) if ids else []
    parents = {u.parent_id for u in units if u.parent_id is not None}
    above = list(session.scalars(select(Organization).where(Organization.id.in_(parents)))) if parents else []
    return {o.id: o for o in (*units, *above)}


def _same(org: Organization | None, coded: CodedName) -> bool:
    if org is None:
        return False
    return bool((coded.code and org.code == coded.code) or (coded.name and normalized(org.name) == normalized(
        coded.name)))


def _candidate_text(project: Project, orgs: dict[int, Organization]) -> str:
    unit = orgs.get(project.unit_id) if project.unit_id is not None else None
    year = f"，{project.fiscal_year}年度" if project.fiscal_year else ""
    return f"{project.code}-{project.name or ''}（{unit.name if unit else '无单位'}{year}）"


def match_project(session: Session, table: SelfEvaluationTable, visible: Select[Project]) -> Match:
    """The project of ``table`` among ``visible`` (:func:`scope`): by code, else by name and unit."""
    code = table.project_code
    if code:
        found = session.scalar(visible.where(Project.code == code))
        if found is not None:
            return Match(found, "code", _name_differs(session, table, found))
    title, where = _title(table), _where(table)
    name = normalized(table.project_name)
    unit, department = table.implementing_unit, table.department
    if not name:
        reason = f"项目编码“{code}”在系统中没有，且表中没有项目名称" if code else "表中既没有项目编码也没有项目名称"
        return Match(None, None, Diagnostic("selfeval-no-match", Severity.ERROR,
                                            f"绩效自评表“{title}”没有对应的项目：{reason}；整个文件未导入", *where))
    if not (unit and (unit.code or unit.name)) and not (department and (department.code or department.name)):
        reason = (f"项目编码“{code}”在系统中没有，" if code else "表中没有项目编码，") + \
            "也没有实施单位和主管部门，不能只凭项目名称对应"
        return Match(None, None, Diagnostic("selfeval-no-match", Severity.ERROR,
                                            f"绩效自评表“{title}”没有对应的项目：{reason}；整个文件未导入", *where))
    named = list(session.scalars(visible.where(Project.name_key == name).order_by(Project.code)))  # the index
    orgs = _organizations(session, named)
    by_unit = "实施单位" if unit and (unit.code or unit.name) else "主管部门"
    if unit and (unit.code or unit.name):
        found_list = [p for p in named if _same(orgs.get(p.unit_id or -1), unit)]
        if len(found_list) > 1 and department and (department.code or department.name):
            found_list = [p for p in found_list if _same(orgs.get(_parent(orgs, p) or -1), department)]
    else:
        assert department is not None
        found_list = [p for p in named if _same(orgs.get(_parent(orgs, p) or -1), department)]
    if len(found_list) > 1 and table.year is not None:  # the same project in several years: the table's year
        of_year = [p for p in found_list if p.fiscal_year == table.year]
        found_list = of_year or found_list
    shown = (unit or department or CodedName(None, None)).display()
    if not found_list:
        unknown = f"项目编码“{code}”在系统中没有，" if code else "表中没有项目编码，"
        reason = f"{unknown}按项目名称“{table.project_name}”和{by_unit}“{shown}”也找不到项目"
        return Match(None, None, Diagnostic("selfeval-no-match", Severity.ERROR,
                                            f"绩效自评表“{title}”没有对应的项目：{reason}；整个文件未导入", *where))
    if len(found_list) > 1:
        names = "；".join(_candidate_text(p, orgs) for p in found_list[:MAX_CANDIDATES])
        more = f"等（共 {len(found_list)} 个）" if len(found_list) > MAX_CANDIDATES else ""
        message = (f"绩效自评表“{title}”按项目名称和{by_unit}“{shown}”对应 {len(found_list)} 个项目：{names}{more}；"
                   "无法确定是哪一个，请在表中填写项目编码后重新导入，整个文件未导入")
        return Match(None, None, Diagnostic("selfeval-ambiguous", Severity.ERROR, message, *where))
    project = found_list[0]
    if code:  # a printed code the system does not know names another project: never attached by guess
        message = (f"绩效自评表“{title}”的项目编码“{code}”在系统中没有；按项目名称和{by_unit}“{shown}”找到的是项目"
                   f"“{project.code}-{project.name or ''}”，编码不同，不能确定是同一个项目。如确是该项目，请把表中的"
                   f"项目编码改为“{project.code}”后重新导入；整个文件未导入")
        return Match(None, None, Diagnostic("selfeval-code-unknown", Severity.ERROR, message, *where))
    message = (f"绩效自评表“{title}”没有项目编码，已按项目名称和{by_unit}“{shown}”对应到项目"
               f"“{project.code}-{project.name or ''}”")
    return Match(project, "name_unit", Diagnostic("selfeval-matched-by-name", Severity.INFO, message, *where))


def _name_differs(session: Session, table: SelfEvaluationTable, project: Project) -> Diagnostic | None:
    """A table matched by its code whose printed project name or 实施单位 is not the project's: said, as a
    warning (the code decides; a unit renamed since, or a typing slip, is for a person to judge)."""
    differences = []
    if table.project_name and normalized(table.project_name) != normalized(project.name):
        differences.append(f"项目名称“{table.project_name}”（系统中为“{project.name or ''}”）")
    unit = table.implementing_unit
    org = session.get(Organization, project.unit_id) if project.unit_id is not None else None
    if unit and (unit.code or unit.name) and org is not None and not _same(org, unit):
        differences.append(f"实施单位“{unit.display()}”（系统中为“{org.code}-{org.name}”）")
    if not differences:
        return None
    message = (f"绩效自评表按项目编码“{project.code}”对应到项目“{project.code}-{project.name or ''}”，但表中的"
               + "、".join(differences) + "不同，请核对")
    return Diagnostic("selfeval-code-name-mismatch", Severity.WARNING, message, *_where(table))


def _parent(orgs: dict[int, Organization], project: Project) -> int | None:
    unit = orgs.get(project.unit_id) if project.unit_id is not None else None
    return unit.parent_id if unit is not None else None


def check(session: Session, tables: Iterable[SelfEvaluationTable], unit_code: str | None,
          pending: Iterable[str | None] = ()) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors, notes) of matching every table before anything is written: each unmatched or ambiguous table
    is named (the file is then refused whole); the notes say which tables were matched by name. ``pending``:
    the project codes of the target tables of the same file (stored first, so their self-evaluations match)."""
    visible = scope(session, unit_code)
    coming = {code for code in pending if code}
    errors: list[Diagnostic] = []
    notes: list[Diagnostic] = []
    for table in tables:
        if table.project_code and table.project_code in coming:
            continue
        found = match_project(session, table, visible)
        if found.diagnostic is not None:
            (errors if found.project is None else notes).append(found.diagnostic)
    return errors, notes


def content_of(table: SelfEvaluationTable) -> dict[str, object]:
    """What is stored: the JSON format v1 document, without the source (a file name is not content)."""
    return selfeval_to_dict(table, with_source=False)


def store(session: Session, table: SelfEvaluationTable, project: Project, matched_by: str, batch: ImportBatch,
          user_id: int | None, profile: RegionProfile | None = None) -> bool:
    """Add a version of the project's published self-evaluation; ``False`` when it equals the latest one.
    Its audit under ``profile`` (the default profile when ``None``) is kept with it: pages read it."""
    lock_project(session, project)  # a concurrent import of the same project waits, then numbers after it
    content = content_of(table)
    digest = table_hash(content)
    latest = session.scalar(select(PublishedSelfEvaluation).where(PublishedSelfEvaluation.project_id == project.id)
                            .order_by(PublishedSelfEvaluation.number.desc()).limit(1))
    if latest is not None and latest.content_hash == digest:
        return False
    stored = PublishedSelfEvaluation(
        project_id=project.id, number=(latest.number + 1) if latest else 1,
        year=table.year if table.year is not None else project.fiscal_year, content=content, content_hash=digest,
        total_score=table.published_total_score, grade=table.published_grade, matched_by=matched_by,
        created_by=user_id, import_batch_id=batch.id)
    session.add(stored)
    session.flush()
    published_audit(session, stored, project, profile, keep=True)
    session.add(AuditEntry(user_id=user_id, action="selfeval.import", object_type="published_self_evaluation",
                           object_id=stored.id, after={"project": project.code, "number": stored.number,
                                                       "batch": batch.id, "matched_by": matched_by}))
    return True
