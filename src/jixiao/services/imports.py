"""Import published files into the system of record: one transaction per file, idempotent.

A file whose bytes were imported before is reported as unchanged and writes nothing. A file
the reader could not read cleanly (error diagnostics) is refused whole: nothing is lost and
nothing is half-written. Each table becomes a new immutable version of its project, unless it
is identical to the project's latest version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import AnyTable, CodedName, Diagnostic, Severity, TargetTable
from jixiao.domain.selfeval_table import SelfEvaluationTable
from jixiao.domain.workflow import STATE_LABELS, Role, State
from jixiao.io.json_format import table_to_dict
from jixiao.io.reading import read_bytes, unreadable
from jixiao.services import metrics, selfeval_imports
from jixiao.services.bounded import capped
from jixiao.services.editing import summarise
from jixiao.services.errors import InvalidInput
from jixiao.services.fields import file_problems
from jixiao.services.permissions import Ability, Actor, PermissionDenied, refusal, require
from jixiao.services.tables import AnyReader, ReadResult, summarise_file, vocabulary_for
from jixiao.storage.models import AuditEntry, ImportBatch, Organization, Project, TableVersion
from jixiao.storage.repository import (
    content_hash,
    find_batch_by_hash,
    latest_version,
    lock_project,
    lock_projects,
    table_hash,
)
from jixiao.storage.search import search_text

if TYPE_CHECKING:
    from jixiao.profiles import RegionProfile


@dataclass(slots=True)
class ImportResult:
    """One file's outcome; its diagnostics are capped (:func:`capped`) whatever the file held."""

    file: str
    status: str  # imported | unchanged | refused
    tables: int = 0
    new_versions: int = 0
    batch_id: int | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    self_evaluations: int = 0  # of ``tables``, how many are published self-evaluation tables (自评表)
    new_self_evaluations: int = 0  # versions of published self-evaluations added
    summary: str = ""  # the file's one line: kind, layout, how sure, rows, guesses, what is missing (io.summary)

    def __post_init__(self) -> None:
        self.diagnostics = capped(self.diagnostics)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "status": self.status, "tables": self.tables, "new_versions": self.new_versions,
                "batch_id": self.batch_id, "diagnostics": [d.to_dict() for d in self.diagnostics],
                "self_evaluations": self.self_evaluations, "new_self_evaluations": self.new_self_evaluations,
                "summary": self.summary}


def _organization(session: Session, coded: CodedName | None, kind: str,
                  parent: Organization | None, may_create: bool) -> Organization | None:
    if coded is None or not coded.code:
        return parent
    found = session.scalar(select(Organization).where(Organization.code == coded.code))
    if found is None:
        if not may_create:  # checked before the transaction too (_check_tables); this holds under races
            raise Refused(Diagnostic("import-unknown-organization", Severity.ERROR,
                                     f"编码“{coded.code}”的组织机构在系统中不存在：只有管理员导入时才会新建组织机构"))
        found = Organization(code=coded.code, name=coded.name or coded.code, kind=kind, parent=parent)
        session.add(found)
        session.flush()
    return found


class Refused(InvalidInput):
    """A table this importer may not store; the whole file is rolled back (reported in the import result)."""

    code = "import_refused"
    summary = "文件中的表不能由本单位导入，整个文件未导入"

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message, [diagnostic.to_dict()])
        self.diagnostic = diagnostic


def _refusal(table: TargetTable, message: str) -> Refused:
    line = table.source.line if table.source else None
    return Refused(Diagnostic("import-refused", Severity.ERROR, message, table.source.file if table.source else None,
                              line))


def _foreign(table: TargetTable, unit_code: str) -> Refused:
    found = table.unit.code if table.unit and table.unit.code else "（未填写）"
    return _refusal(table, f"项目“{table.project_name or table.project_code}”的单位编码为 {found}，"
                           f"本单位（{unit_code}）只能导入自己的项目")


def _keeps_department(session: Session, table: TargetTable, unit_code: str) -> None:
    """A unit's table is filed under the department above the unit (its account says which): an import cannot name
    another one, as the editor cannot (published names vary, so the code is what is compared)."""
    unit = session.scalar(select(Organization).where(Organization.code == unit_code))
    parent = session.get(Organization, unit.parent_id) if unit is not None and unit.parent_id else None
    given = table.department.code if table.department else None
    if parent is not None and given and given != parent.code:
        raise _refusal(table, f"项目“{table.project_name or table.project_code}”的「主管部门编码」为 {given}："
                              f"由账号所属单位确定，应为 {parent.code}，未导入")


def _project_code(table: TargetTable) -> str:
    return table.project_code or f"（无编码）{table.project_name or ''}"


def _region(org: Organization | None, by_id: dict[int, Organization]) -> str | None:
    """The region code of an organisation: the 6-digit code of the finance bureau above it, if any."""
    seen: set[int] = set()
    while org is not None and org.id not in seen:
        if org.kind == "finance":
            return org.code if len(org.code) == 6 and org.code.isdigit() else None
        seen.add(org.id)
        org = by_id.get(org.parent_id) if org.parent_id is not None else None
    return None


def _check_tables(session: Session, tables: list[TargetTable], may_create: bool) -> list[Diagnostic]:
    """Per table, before anything is written: organisations only an administrator may create, and project
    codes whose region (first 6 digits) is not the region of the table's unit."""
    organizations = list(session.scalars(select(Organization)))
    by_code = {o.code: o for o in organizations}
    by_id = {o.id: o for o in organizations}
    found: list[Diagnostic] = []
    for table in tables:
        where = (table.source.file if table.source else None, table.source.line if table.source else None)
        title = table.project_name or table.project_code or "（未命名）"
        if not may_create:
            missing = [f"{label}编码“{coded.code}”" for label, coded in (("主管部门", table.department),
                                                                         ("单位", table.unit))
                       if coded is not None and coded.code and coded.code not in by_code]
            if missing:
                found.append(Diagnostic("import-unknown-organization", Severity.ERROR,
                                        f"表“{title}”的{'、'.join(missing)}在系统中不存在：只有管理员导入时才会新建"
                                        "组织机构，请改正编码，或请管理员先导入组织机构（jixiao org import）", *where))
                continue
        unit = by_code.get(table.unit.code) if table.unit and table.unit.code else None
        home = _region(unit or (by_code.get(table.department.code) if table.department and table.department.code
                                else None), by_id)
        code = table.project.code if table.project else None
        if home and code is not None and code.region and code.region != home:
            unit_name = table.unit.display() if table.unit else "（未填写）"
            found.append(Diagnostic("import-region-mismatch", Severity.ERROR,
                                    f"项目编码“{code.raw}”的地区代码为 {code.region}，与单位“{unit_name}”所属地区"
                                    f"（{home}）不符，未导入", *where))
    return found


def _store_table(session: Session, table: TargetTable, batch: ImportBatch, user_id: int | None,
                 unit_code: str | None = None) -> bool:
    """Add a version for ``table``; ``False`` when it equals the project's latest version.

    A unit (``unit_code``) may import only its own tables; a table under review or approved is
    never replaced by an import: it changes only through the workflow (退回 or 调整).
    """
    if unit_code is not None and (table.unit is None or table.unit.code != unit_code):
        raise _foreign(table, unit_code)
    content = table_to_dict(table, with_source=False)
    digest = table_hash(content)
    department = _organization(session, table.department, "department", None, unit_code is None)
    unit = _organization(session, table.unit, "unit", department, unit_code is None)
    code = _project_code(table)
    project = session.scalar(select(Project).where(Project.code == code))
    if project is not None and unit_code is not None and (unit is None or project.unit_id != unit.id):
        # an existing project of another unit: refused without saying whose it is or what state it is in
        raise _refusal(table, f"项目编码“{code}”不属于本单位（{unit_code}），未导入")
    if unit_code is not None:
        _keeps_department(session, table, unit_code)
    if project is None:
        year = table.project.code.year if table.project and table.project.code else None
        project = Project(code=code, name=table.project_name, unit_id=unit.id if unit else None, fiscal_year=year)
        session.add(project)
        session.flush()
    else:  # a save or workflow step at the same moment: this import waits and sees it (state, latest version)
        lock_project(session, project)
    latest = latest_version(session, project.id)
    if latest is not None and latest.content_hash == digest:
        return False
    if project.state != "draft":
        raise _refusal(table, f"项目“{code}”当前不是草稿（{STATE_LABELS[State(project.state)]}），不能用导入覆盖；"
                              "请先退回或申请调整")
    version = TableVersion(project_id=project.id, number=(latest.number + 1) if latest else 1, content=content,
                           content_hash=digest, total_wan=table.total_wan, created_by=user_id,
                           import_batch_id=batch.id)
    session.add(version)
    project.search_text = search_text(content)
    summarise(project, content)
    session.flush()
    session.add(AuditEntry(user_id=user_id, action="import", object_type="table_version", object_id=version.id,
                           before=None, after={"project": code, "number": version.number, "batch": batch.id}))
    return True


ATTEMPTS = 3  # a lost race is run again at most this often (each rerun comes after the winner)


def _document(table: AnyTable) -> dict[str, Any]:
    if isinstance(table, SelfEvaluationTable):
        return selfeval_imports.content_of(table)
    return table_to_dict(table, with_source=False)


def import_bytes(sessions: sessionmaker[Session], data: bytes, name: str, user_id: int | None = None,
                 unit_code: str | None = None, profile: RegionProfile | None = None) -> ImportResult:
    """Import one file in one transaction (``unit_code``: the importer is that unit's editor), read with the
    words of the region's ``profile`` (its ``[vocabulary]``). Target tables and published self-evaluation tables
    may come in the same file; a self-evaluation table must match a project the importer may see."""
    chosen: list[AnyReader] = []
    results = list(read_bytes(data, name, vocabulary=vocabulary_for(profile), on_reader=chosen.append))
    result = _import_bytes(sessions, data, name, results, user_id, unit_code, profile)
    result.summary = summarise_file(name, results, chosen[-1] if chosen else None).line()
    metrics.count_import(result.status)  # every outcome, wherever it was decided (the rows: in _import_once)
    return result


def _import_bytes(sessions: sessionmaker[Session], data: bytes, name: str, results: list[ReadResult],
                  user_id: int | None, unit_code: str | None, profile: RegionProfile | None) -> ImportResult:
    digest = content_hash(data)
    # once each: the JSON reader names every missing required field in one message, but jsonschema reports
    # each missing field as an error of its own, so the same diagnostic came once per missing field
    diagnostics = list(dict.fromkeys(d for r in results for d in r.diagnostics))
    tables: list[AnyTable] = [r.table for r in results if r.table is not None]
    targets = [t for t in tables if not isinstance(t, SelfEvaluationTable)]
    selfevals = [t for t in tables if isinstance(t, SelfEvaluationTable)]
    counts: dict[str, Any] = {"self_evaluations": len(selfevals)}
    unstorable = file_problems(name, [(t.source.file if t.source else None, t.source.line if t.source else None,
                                       _document(t)) for t in tables])
    if unstorable:  # what PostgreSQL could not store is refused on every database, before any write
        return ImportResult(name, "refused", len(tables), 0, None, [*diagnostics, *unstorable], **counts)
    if unit_code is not None:  # whose tables these are is settled first, whatever was imported before
        foreign = [t for t in targets if t.unit is None or t.unit.code != unit_code]
        if foreign:
            return ImportResult(name, "refused", len(tables), 0, None,
                                [*diagnostics, *(_foreign(t, unit_code).diagnostic for t in foreign[:20])], **counts)
    if tables:
        with sessions() as session:
            problems = _check_tables(session, targets, may_create=unit_code is None)
            unmatched, notes = selfeval_imports.check(session, selfevals, unit_code,
                                                      [t.project_code for t in targets])
        if problems or unmatched:  # nothing written: the whole file is refused, each table's problem named
            return ImportResult(name, "refused", len(tables), 0, None, [*diagnostics, *problems, *unmatched],
                                **counts)
        diagnostics += notes
    for _attempt in range(ATTEMPTS):
        try:
            return _import_once(sessions, name, digest, tables, diagnostics, user_id, unit_code, profile)
        except IntegrityError:
            # Another import stored the same file, project or organisation at the same moment (unique keys):
            # nothing of this one was kept. Run it again, now after the other: it is then what it would have
            # been in turn ("unchanged" for the same file), as if the two had come one after the other.
            continue
    # lost every time (a storm of imports of the same projects): refused like any file that cannot be stored now
    busy = Diagnostic("import-refused", Severity.ERROR, "文件中的项目正被同时导入或修改，本文件未导入；请稍后重新导入",
                      name, None)
    return ImportResult(name, "refused", len(tables), 0, None, [*diagnostics, busy], **counts)


def _import_once(sessions: sessionmaker[Session], name: str, digest: str, tables: list[AnyTable],
                 diagnostics: list[Diagnostic], user_id: int | None, unit_code: str | None,
                 profile: RegionProfile | None = None) -> ImportResult:
    """One attempt at the import transaction (:func:`import_bytes` repeats it after a lost race)."""
    targets = [t for t in tables if not isinstance(t, SelfEvaluationTable)]
    selfevals = [t for t in tables if isinstance(t, SelfEvaluationTable)]
    counts: dict[str, Any] = {"self_evaluations": len(selfevals)}
    try:
        with sessions.begin() as session:
            if find_batch_by_hash(session, digest) is not None:
                return ImportResult(name, "unchanged", len(tables), 0, None, diagnostics, **counts)
            if any(d.severity is Severity.ERROR for d in diagnostics) or not tables:
                return ImportResult(name, "refused", len(tables), 0, None, diagnostics, **counts)
            # in one order: files sharing projects never deadlock
            lock_projects(session, [*map(_project_code, targets), *(t.project_code for t in selfevals
                                                                    if t.project_code)])
            batch = ImportBatch(file_name=name, content_hash=digest, created_by=user_id, tables=len(tables),
                                diagnostics=[d.to_dict() for d in capped(diagnostics)])
            session.add(batch)
            session.flush()
            added = sum(_store_table(session, table, batch, user_id, unit_code) for table in targets)
            # the self-evaluations after the target tables: one may belong to a project this file just created
            visible = selfeval_imports.scope(session, unit_code)
            matches = [selfeval_imports.match_project(session, table, visible) for table in selfevals]
            for match in matches:  # matched before the transaction; a project changed meanwhile refuses the file
                if match.project is None:
                    assert match.diagnostic is not None
                    raise Refused(match.diagnostic)
            evaluated = sum(selfeval_imports.store(session, table, match.project, match.by or "code", batch, user_id,
                                                   profile)
                            for table, match in zip(selfevals, matches, strict=True) if match.project is not None)
            session.add(AuditEntry(user_id=user_id, action="import_batch", object_type="import_batch",
                                   object_id=batch.id,
                                   after={"file": name, "tables": len(tables), "new_versions": added,
                                          "new_self_evaluations": evaluated}))
            batch_id = batch.id
    except Refused as refused:  # the transaction was rolled back: nothing of this file is kept
        return ImportResult(name, "refused", len(tables), 0, None, [*diagnostics, refused.diagnostic], **counts)
    metrics.count_rows(tables)  # committed: the file's rows are in the database
    return ImportResult(name, "imported", len(tables), added, batch_id, diagnostics, new_self_evaluations=evaluated,
                        **counts)


IMPORTABLE = (".txt", ".json", ".xlsx", ".xlsm", ".docx", ".pdf")


def import_path(sessions: sessionmaker[Session], path: str | Path, user_id: int | None = None,
                profile: RegionProfile | None = None) -> ImportResult:
    """Import one file; an unreadable or hostile file is a refused result, never an exception."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        problem = unreadable(name, error)
        return ImportResult(name, "refused", diagnostics=[problem], summary=f"{name}：未能读取：{problem.message}")
    return import_bytes(sessions, data, name, user_id, profile=profile)


def import_files(sessions: sessionmaker[Session], paths: Iterable[str | Path],
                 user_id: int | None = None, profile: RegionProfile | None = None) -> list[ImportResult]:
    """Import each file in its own transaction; a failure in one never touches the others."""
    return [import_path(sessions, path, user_id, profile) for path in paths]


def import_as(sessions: sessionmaker[Session], actor: Actor, data: bytes, name: str,
              profile: RegionProfile | None = None) -> ImportResult:
    """Import on behalf of a signed-in user: a unit editor only its own unit's tables; the admin anything."""
    if actor.role is Role.ADMIN:
        return import_bytes(sessions, data, name, actor.user_id, profile=profile)
    require(actor, Ability.IMPORT)
    if actor.organization_id is None:
        raise PermissionDenied(refusal(actor, Ability.IMPORT))
    with sessions() as session:
        unit = session.get(Organization, actor.organization_id)
        code = unit.code if unit else ""
    return import_bytes(sessions, data, name, actor.user_id, unit_code=code, profile=profile)
