"""Import the organisation tree from a CSV: 编码,名称,类型,上级编码 (类型: 财政/主管部门/单位).

All rows or none: a file with any bad row changes nothing, and every bad row is reported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import Diagnostic, Severity
from jixiao.services.fields import column_length, value_problem
from jixiao.storage.models import AuditEntry, Organization

KINDS = {"财政": "finance", "财政部门": "finance", "主管部门": "department", "部门": "department", "单位": "unit",
         "预算单位": "unit"}
COLUMNS = ("编码", "名称", "类型", "上级编码")
CODE_LENGTH, NAME_LENGTH = column_length(Organization.code), column_length(Organization.name)


@dataclass(slots=True)
class OrgImport:
    created: int = 0
    updated: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def import_organizations(sessions: sessionmaker[Session], path: str | Path) -> OrgImport:
    result = OrgImport()
    name = str(path)

    def bad(row: int | None, column: str | None, message: str) -> None:
        result.diagnostics.append(Diagnostic("bad-organization", Severity.ERROR, message, name, row, column))

    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        bad(None, None, f"无法读取文件（应为 UTF-8 编码的 CSV）：{type(error).__name__}")
        return result
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        bad(1, None, f"缺少列：{'、'.join(missing)}（应为 {','.join(COLUMNS)}）")
        return result
    rows: list[tuple[int, str, str, str, str]] = []
    for number, row in enumerate(reader, start=2):
        code, title = (row.get("编码") or "").strip(), (row.get("名称") or "").strip()
        kind, parent = KINDS.get((row.get("类型") or "").strip()), (row.get("上级编码") or "").strip()
        if not code or not title:
            bad(number, "编码" if not code else "名称", "编码和名称都不能为空")
        elif kind is None:
            bad(number, "类型", f"类型“{row.get('类型')}”应为 财政、主管部门 或 单位")
        elif too_long := (value_problem("编码", code, CODE_LENGTH) or value_problem("名称", title, NAME_LENGTH)):
            bad(number, "编码" if "编码" in too_long else "名称", too_long)
        else:
            rows.append((number, code, title, kind, parent))
    known = {code for _, code, *_ in rows}
    with sessions() as session:
        known |= set(session.scalars(select(Organization.code)))
    for number, _code, _, _, parent in rows:
        if parent and parent not in known:
            bad(number, "上级编码", f"上级编码“{parent}”既不在文件中也不在系统中")
    if result.diagnostics:
        return result
    for attempt in range(ATTEMPTS):
        try:
            result.created, result.updated = _write(sessions, rows, name)
            break
        except IntegrityError:  # another import created one of these codes at the same moment: run again after it
            if attempt + 1 == ATTEMPTS:
                bad(None, None, "组织机构正被同时导入，本文件未导入；请稍后重新导入")
    return result


ATTEMPTS = 3


def _write(sessions: sessionmaker[Session], rows: list[tuple[int, str, str, str, str]], name: str) -> tuple[int, int]:
    """Create or update every row in one transaction; (created, updated)."""
    created = updated = 0
    with sessions.begin() as session:
        by_code = {o.code: o for o in session.scalars(select(Organization))}
        for _, code, title, kind, _ in rows:
            found = by_code.get(code)
            if found is None:
                by_code[code] = Organization(code=code, name=title, kind=kind)
                session.add(by_code[code])
                created += 1
            else:
                found.name, found.kind = title, kind
                updated += 1
        session.flush()
        for _, code, _, _, parent in rows:
            by_code[code].parent_id = by_code[parent].id if parent else None
        session.add(AuditEntry(action="organizations.import", object_type="organization", object_id=None,
                               after={"file": name, "created": created, "updated": updated}))
    return created, updated
