"""Bulk loading: many tables into the system of record fast (SQL Core, batched executemany).

For loading a region's archive or a benchmark, not for everyday imports: it skips per-table audit
entries (one entry per batch instead) and assumes the tables are new projects or new versions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, bindparam, insert, select, update

from jixiao.domain import CodedName, TargetTable
from jixiao.io.json_format import table_to_dict
from jixiao.storage.models import AuditEntry, Organization, Project, TableVersion
from jixiao.storage.repository import latest_numbers, table_hash
from jixiao.storage.search import search_text


@dataclass(slots=True)
class BulkResult:
    tables: int = 0
    projects: int = 0
    versions: int = 0


def version_row(table: TargetTable) -> dict[str, Any]:
    """The project and version columns of one table (prepared outside the timed insert in the bench)."""
    content = table_to_dict(table, with_source=False)
    return {"code": table.project_code or f"（无编码）{table.project_name or ''}", "name": table.project_name,
            "year": table.project.code.year if table.project and table.project.code else None,
            "unit": table.unit, "department": table.department, "content": content,
            "content_hash": table_hash(content),
            "total_wan": table.total_wan, "search_text": search_text(content)}


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL plans badly without them)."""
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


class BulkLoader:
    """Keeps the code → id maps between batches so each batch is a few executemany calls."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.connect() as connection:
            self.orgs: dict[str, int] = dict(connection.execute(select(Organization.code, Organization.id)).all())
            self.projects: dict[str, int] = dict(connection.execute(select(Project.code, Project.id)).all())
            self.last_number: dict[int, int] = latest_numbers(connection)
        self.result = BulkResult()

    def _org(self, connection: Any, coded: CodedName | None, kind: str, parent: int | None) -> int | None:
        if coded is None or not coded.code:
            return parent
        found = self.orgs.get(coded.code)
        if found is None:
            found = connection.execute(insert(Organization).values(
                code=coded.code, name=coded.name or coded.code, kind=kind, parent_id=parent)).inserted_primary_key[0]
            self.orgs[coded.code] = found
        return found

    def load(self, rows: list[dict[str, Any]]) -> None:
        """Insert one batch of :func:`version_row` rows in one transaction."""
        with self.engine.begin() as connection:
            new_projects = []
            seen: set[str] = set()
            for row in rows:
                department = self._org(connection, row["department"], "department", None)
                row["unit_id"] = self._org(connection, row["unit"], "unit", department)
                if row["code"] not in self.projects and row["code"] not in seen:
                    seen.add(row["code"])
                    new_projects.append({"code": row["code"], "name": row["name"], "unit_id": row["unit_id"],
                                         "fiscal_year": row["year"], "state": "draft",
                                         "search_text": row["search_text"]})
            if new_projects:
                connection.execute(insert(Project), new_projects)
                codes = [p["code"] for p in new_projects]
                found = connection.execute(select(Project.code, Project.id).where(Project.code.in_(codes)))
                self.projects.update((code, ident) for code, ident in found)
            versions = []
            for row in rows:
                project = self.projects[row["code"]]
                number = self.last_number[project] = self.last_number.get(project, 0) + 1
                versions.append({"project_id": project, "number": number, "content": row["content"],
                                 "content_hash": row["content_hash"], "total_wan": row["total_wan"]})
            connection.execute(insert(TableVersion), versions)
            renewed = [{"pid": self.projects[row["code"]], "text": row["search_text"]} for row in rows
                       if row["code"] not in seen]
            if renewed:  # a new version of a known project: its list columns follow the content
                connection.execute(update(Project).where(Project.id == bindparam("pid"))
                                   .values(search_text=bindparam("text")), renewed)
            connection.execute(insert(AuditEntry).values(action="bulk_load", object_type="table_version",
                                                          after={"tables": len(rows)}))
        self.result.tables += len(rows)
        self.result.projects += len(new_projects)
        self.result.versions += len(rows)
