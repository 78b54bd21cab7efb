"""The export job: every project the submitter sees (of a year, of a department) as its official target table
(xlsx, docx or PDF, the writers of ``services.exports.table_file``), with the project list, in one zip.

Each table is read as the submitter through ``services.queries`` (the same tenancy as the pages); a project
without a table is named in the job's messages and the others go on. The zip is built in memory and kept as the
job's result only when complete, so a run stopped half-way leaves nothing half-written (the next run redoes it).
"""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from jixiao.services.errors import InvalidInput, ServiceError
from jixiao.services.exports import TABLE_FORMATS, list_file, table_file
from jixiao.services.jobs_step import Run
from jixiao.services.permissions import Actor, _subtree, visible_projects
from jixiao.storage.models import Organization, Project

MAX_PROJECTS = 5_000  # tables in one export job (a zip kept in the database)


def chosen_codes(session: object, actor: Actor, year: int | None, department: str | None) -> list[str]:
    """The codes of the projects ``actor`` sees, of ``year`` and under ``department`` (a code), in code order."""
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    query = visible_projects(session, actor)
    if year is not None:
        query = query.where(Project.fiscal_year == year)
    if department:
        org = session.scalar(select(Organization).where(Organization.code == department))
        if org is None:
            raise InvalidInput(f"没有编码为“{department}”的部门或单位")
        query = query.where(Project.unit_id.in_(_subtree(session, org.id)))
    return list(session.scalars(query.with_only_columns(Project.code).order_by(Project.code)))


def check_request(output_format: str, count: int) -> None:
    if output_format not in TABLE_FORMATS:
        raise InvalidInput(f"导出格式“{output_format}”无效，可选：{'、'.join(TABLE_FORMATS)}")
    if count == 0:
        raise InvalidInput("没有可导出的项目（按所选年度和部门，在您可见的范围内）")
    if count > MAX_PROJECTS:
        raise InvalidInput(f"一次最多导出 {MAX_PROJECTS} 个项目，所选范围有 {count} 个；请按部门或年度分批导出")


def run_export(step: Run) -> tuple[str, str, bytes]:
    params = step.job_params
    output_format, year, department = str(params["format"]), params.get("year"), params.get("department")
    sessions = step.context.sessions
    with sessions() as session:
        codes = chosen_codes(session, step.actor, year, department)
    with sessions.begin() as session:
        step.record(session, total=len(codes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with sessions() as session:
            listing = list_file(session, step.actor, (), year=year, department=department)
        archive.writestr("项目清单.xlsx", listing.content)
        for code in codes:
            step.checkpoint()
            problem: list[str] = []
            try:
                with sessions() as session:
                    found = table_file(session, step.actor, code, output_format)
                archive.writestr(f"{found.name}.{output_format}", found.content)
            except ServiceError as error:  # a project without a table: named, the others go on
                problem = [f"{code}：{error.message}"]
            with sessions.begin() as session:
                step.record(session, done=1, errors=len(problem), messages=problem)
    name = "-".join(str(p) for p in ("绩效目标表", department, year) if p)
    return f"{name}-{output_format}.zip", "application/zip", buffer.getvalue()
