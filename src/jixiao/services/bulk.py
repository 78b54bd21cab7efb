"""Bulk loading: many tables into the system of record fast.

For loading a region's archive or a benchmark, not for everyday imports: it skips per-table audit
entries (one entry per batch instead) and assumes the tables are new projects or new versions.
The project and version rows, the bulk of the work, bypass SQLAlchemy's per-row parameter
handling: on SQLite one DBAPI ``executemany`` of tuples, on PostgreSQL ``COPY``. The values are
what the ORM would store — content as the engines' JSON text (:func:`storage.db.json_text`),
money through the column type — and one ``created_at`` per batch (its transaction's time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, Index, bindparam, insert, select, update

from jixiao.domain import CodedName, TargetTable
from jixiao.io.json_format import table_to_dict
from jixiao.services.editing import findings_summary
from jixiao.storage.db import json_text
from jixiao.storage.models import MONEY, AuditEntry, Organization, Project, now
from jixiao.storage.repository import latest_numbers, table_hash
from jixiao.storage.search import name_key, search_text


@dataclass(slots=True)
class BulkResult:
    tables: int = 0
    projects: int = 0
    versions: int = 0


def version_row(table: TargetTable) -> dict[str, Any]:
    """The project and version columns of one table (prepared outside the timed insert in the bench)."""
    content = table_to_dict(table, with_source=False)
    return {"code": table.project_code or f"（无编码）{table.project_name or ''}", "name": table.project_name,
            "name_key": name_key(table.project_name) or None,
            "year": table.project.code.year if table.project and table.project.code else None,
            "unit": table.unit, "department": table.department, "content": content,
            "content_hash": table_hash(content),
            "total_wan": table.total_wan, "search_text": search_text(content),
            "summary": findings_summary(content)}


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
    """Refresh the planner's statistics after a bulk load (PostgreSQL plans badly without them); on PostgreSQL also
    VACUUM, which marks the new pages all-visible, so the list's counts are index-only scans at once instead of after
    autovacuum's next visit (a count over 100,000 projects: 35 ms instead of 200 ms on a busy 2-core machine)."""
    from sqlalchemy import text

    if engine.dialect.name == "postgresql":  # the tables a bulk load writes (found on the search path), no others
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE) organizations, projects, table_versions, audit_log"))
        return
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


_IDS_PER_QUERY = 500
_BULK_CACHE_KIB = -65536  # SQLite cache_size in KiB when negative
_PROJECT_COLUMNS = ("code", "name", "name_key", "unit_id", "fiscal_year", "state", "search_text", "worst_severity",
                    "review_grade", "created_at")
_VERSION_COLUMNS = ("project_id", "number", "content", "content_hash", "total_wan", "created_at")


def _insert_rows(connection: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Many rows of plain values (already as the dialect stores them) into ``table``, in this transaction."""
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        connection.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _project_ids(connection: Connection, codes: list[str]) -> dict[str, int]:
    """code → id of these projects: plain SQL, a few hundred codes a statement."""
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    ids: dict[str, int] = {}
    for start in range(0, len(codes), _IDS_PER_QUERY):
        chunk = codes[start:start + _IDS_PER_QUERY]
        found = connection.exec_driver_sql(
            f"SELECT code, id FROM projects WHERE code IN ({', '.join([mark] * len(chunk))})", tuple(chunk))
        ids.update((row[0], row[1]) for row in found)
    return ids


def _max_id(connection: Connection) -> int:
    return int(connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM projects").scalar() or 0)


def _sequential_ids(connection: Connection, before: int | None, codes: list[str]) -> dict[str, int] | None:
    """code → id of rows just inserted on SQLite, without looking them up: inside one write transaction each new
    rowid is one more than the largest (SQLite's rowid rule), so the rows got ``before`` + 1 … + n in order. ``None``
    (look them up) unless the largest id is now exactly ``before`` + n."""
    if before is None or _max_id(connection) != before + len(codes):
        return None
    return {code: before + offset for offset, code in enumerate(codes, 1)}


def _list_indexes() -> list[Index]:
    """The projects' non-unique list indexes (the model's, which the migrations create alike)."""
    table = Project.metadata.tables["projects"]
    return sorted((index for index in table.indexes if not index.unique), key=lambda i: str(i.name))


def _rebuild_missing_indexes(engine: Engine) -> None:
    with engine.begin() as connection:
        for index in _list_indexes():
            index.create(connection, checkfirst=True)


class BulkLoader:
    """Keeps the code → id maps between batches so each batch is a few executemany calls.

    With ``defer_indexes`` and no project stored yet, the projects' list indexes are dropped and
    built once by :meth:`finish` (one sort instead of a B-tree update per row and index); the
    unique code index stays, so nothing can be stored twice meanwhile. Call :meth:`finish` (or use
    the loader as a context manager); a new loader also builds any list index an interrupted one left out.
    """

    def __init__(self, engine: Engine, defer_indexes: bool = False) -> None:
        self.engine = engine
        with engine.connect() as connection:
            self.orgs: dict[str, int] = dict(connection.execute(select(Organization.code, Organization.id)).all())
            self.projects: dict[str, int] = dict(connection.execute(select(Project.code, Project.id)).all())
            self.last_number: dict[int, int] = latest_numbers(connection)
        self.result = BulkResult()
        self.deferred = False
        _rebuild_missing_indexes(engine)  # what an interrupted loader left out
        if defer_indexes and not self.projects:
            with engine.begin() as connection:
                for index in _list_indexes():
                    index.drop(connection)
            self.deferred = True

    def __enter__(self) -> BulkLoader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.finish()

    def finish(self) -> None:
        """Build the indexes this loader deferred (nothing when it deferred none)."""
        if self.deferred:
            _rebuild_missing_indexes(self.engine)
            self.deferred = False

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
        with self.engine.connect() as outer:
            if outer.dialect.name != "sqlite":
                self._load(outer, rows)
                return
            # The indexes of a large table outgrow SQLite's 2 MB page cache; a batch gets 64 MB, then
            # the connection's own setting is restored (durability settings are left alone).
            cache = outer.exec_driver_sql("PRAGMA cache_size").scalar()
            outer.exec_driver_sql(f"PRAGMA cache_size={_BULK_CACHE_KIB}")
            outer.commit()
            try:
                self._load(outer, rows)
            finally:
                outer.exec_driver_sql(f"PRAGMA cache_size={int(cache or -2000)}")
                outer.commit()

    def _load(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        with connection.begin():
            dialect = connection.dialect
            sqlite = dialect.name == "sqlite"
            created: Any = now()
            if sqlite:  # as the ORM's DateTime and ExactDecimal store them on SQLite
                stamp = DateTime(timezone=True).dialect_impl(dialect).bind_processor(dialect)
                created = stamp(created) if stamp else created
            new_projects = []
            seen: set[str] = set()
            for row in rows:
                department = self._org(connection, row["department"], "department", None)
                row["unit_id"] = self._org(connection, row["unit"], "unit", department)
                if row["code"] not in self.projects and row["code"] not in seen:
                    seen.add(row["code"])
                    new_projects.append((row["code"], row["name"], row["name_key"], row["unit_id"], row["year"],
                                         "draft", row["search_text"], *row["summary"], created))
            if new_projects:
                before = _max_id(connection) if sqlite else None
                _insert_rows(connection, "projects", _PROJECT_COLUMNS, new_projects)
                codes = [p[0] for p in new_projects]
                self.projects.update(_sequential_ids(connection, before, codes) or _project_ids(connection, codes))
            versions = []
            money = MONEY.process_bind_param
            for row in rows:
                project = self.projects[row["code"]]
                number = self.last_number[project] = self.last_number.get(project, 0) + 1
                total = money(row["total_wan"], dialect) if sqlite else row["total_wan"]
                versions.append((project, number, json_text(row["content"]), row["content_hash"], total, created))
            _insert_rows(connection, "table_versions", _VERSION_COLUMNS, versions)
            renewed = [{"pid": self.projects[row["code"]], "text": row["search_text"], "worst": row["summary"][0],
                        "grade": row["summary"][1]} for row in rows if row["code"] not in seen]
            if renewed:  # a new version of a known project: its list columns follow the content
                connection.execute(update(Project).where(Project.id == bindparam("pid"))
                                   .values(search_text=bindparam("text"), worst_severity=bindparam("worst"),
                                           review_grade=bindparam("grade")), renewed)
            connection.execute(insert(AuditEntry).values(action="bulk_load", object_type="table_version",
                                                          after={"tables": len(rows)}))
        self.result.tables += len(rows)
        self.result.projects += len(new_projects)
        self.result.versions += len(rows)
