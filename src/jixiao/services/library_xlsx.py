"""The indicator library to and from a workbook: the export, and a bureau importing its own library.

An import is checked whole before anything is written: every bad cell is named (``指标库!E7``) with the
field's Chinese label and what was expected, and one bad cell refuses the file (nothing half-imported). A good
file adds its entries (approved, origin ``import``) or updates the entries of the same name, each change
versioned and audited like a curation step.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.comparable import plain
from jixiao.io.office.library_sheet import SheetUnreadable, read_sheet
from jixiao.library import name_key
from jixiao.reports.library_xlsx import EDITABLE, write_library
from jixiao.services.errors import InvalidInput
from jixiao.services.exports import Download
from jixiao.services.library_curate import DIRECTIONS, LIMITS
from jixiao.services.library_query import entries, stats_of
from jixiao.services.library_store import STATUS_LABELS, add_alias, entry_by_key, record, snapshot
from jixiao.services.permissions import Ability, Actor, require
from jixiao.storage.models import LibraryAlias, LibraryEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = ("name", "level1", "level2", "unit", "direction", "operator", "core", "aliases")  # in EDITABLE's order
OPERATORS = ("≥", "≤", "=", "＞", "＜", "定性")
CORE_WORDS = {"是": True, "否": False, "": False, "Y": True, "N": False, "√": True}


class LibraryImportRefused(InvalidInput):
    code = "library_import_refused"
    summary = "指标库文件有误，未导入任何内容"


def export_rows(session: Session, actor: Actor) -> list[dict[str, Any]]:
    _, found = entries(session, actor, limit=100_000)
    resolved = entry_by_key(session)
    rows = []
    for item in found:
        stats = stats_of(session, item, resolved)
        aliases = sorted(set(session.scalars(select(LibraryAlias.name).where(LibraryAlias.entry_id == item.id)))
                         - {item.name})
        figures = stats.targets
        rows.append({"id": item.id, "name": item.name, "level1": item.level1, "level2": item.level2,
                     "unit": item.unit, "direction": item.direction, "operator": item.operator, "core": item.core,
                     "aliases": aliases, "status_label": STATUS_LABELS.get(item.status, item.status),
                     "projects": stats.compared, "q1": figures and plain(figures.q1),
                     "median": figures and plain(figures.median), "q3": figures and plain(figures.q3),
                     "weight": stats.weights and plain(stats.weights.median),
                     "met_share": None if stats.met_share is None else str(stats.met_share)})
    return rows


def export_file(session: Session, actor: Actor) -> Download:
    buffer = io.BytesIO()
    write_library(export_rows(session, actor), buffer, note="前八列可修改后导入；其余各列为统计，导入时不读取")
    return Download(buffer.getvalue(), XLSX, "指标库")


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for number, row in enumerate(rows[:20]):
        columns = {text: col for col, text in enumerate(row) if text in EDITABLE}
        if "指标名称" in columns:
            return number, columns
    return None


def _parse(sheet_name: str, rows: list[list[str]], cell: Any) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    found = _header(rows)
    if found is None:
        raise LibraryImportRefused(f"工作表“{sheet_name}”的前 20 行中没有表头“指标名称”；"
                                   f"表头应含：{'、'.join(EDITABLE)}（可从指标库导出的文件开始修改）")
    start, columns = found
    problems: list[dict[str, str]] = []
    parsed = []
    seen: dict[str, str] = {}
    for number in range(start + 1, len(rows)):
        row = rows[number]
        values = {field: (row[columns[label]] if label in columns and columns[label] < len(row) else "")
                  for field, label in zip(FIELDS, EDITABLE, strict=True)}
        if not any(values.values()):
            continue

        def bad(field: str, expected: str, number: int = number, values: dict[str, str] = values) -> None:
            label = EDITABLE[FIELDS.index(field)]
            where = f"{sheet_name}!{cell(number, columns[label])}" if label in columns else sheet_name
            shown = f"，实际为“{values[field]}”" if values[field] else ""
            problems.append({"cell": where, "field": label, "message": f"{where}「{label}」{expected}{shown}"})

        key = name_key(values["name"])
        if not key:
            bad("name", "不能为空：每行须有指标名称")
        elif key in seen:
            bad("name", f"与 {seen[key]} 是同一个指标，同一指标只能写一行（其他写法请填在“其他写法”）")
        else:
            seen[key] = f"{sheet_name}!{cell(number, columns['指标名称'])}"
        for field in ("name", "level1", "level2", "unit", "direction", "operator"):
            if len(values[field]) > LIMITS[field]:
                bad(field, f"最多 {LIMITS[field]} 个字符")
        if values["direction"] and values["direction"] not in DIRECTIONS:
            bad("direction", "应为 正向指标 或 反向指标，或留空")
        if values["operator"] and values["operator"] not in OPERATORS:
            bad("operator", f"应为 {'、'.join(OPERATORS)} 之一，或留空")
        if values["core"] not in CORE_WORDS:
            bad("core", "应为 是 或 否")
        parsed.append(values | {"key": key, "core": CORE_WORDS.get(values["core"], False),
                                "aliases": [a.strip() for a in values["aliases"].replace("；", ";").split(";")
                                            if a.strip()]})
    return parsed, problems


def import_file(sessions: sessionmaker[Session], actor: Actor | None, data: bytes, file_name: str = "指标库.xlsx"
                ) -> ImportResult:
    """Import a bureau's library (``actor`` ``None``: the command line, run by the operator)."""
    if actor is not None:
        require(actor, Ability.CURATE_LIBRARY)
    try:
        sheet = read_sheet(data)
    except SheetUnreadable as error:
        raise LibraryImportRefused(f"{file_name}：{error}") from None
    rows, problems = _parse(sheet.name, sheet.rows, sheet.cell)
    if problems:
        shown = "；".join(p["message"] for p in problems[:5])
        shown += f"；另有 {len(problems) - 5} 处" if len(problems) > 5 else ""
        raise LibraryImportRefused(f"{file_name} 有 {len(problems)} 处错误，未导入任何内容：{shown}", problems)
    added = updated = unchanged = 0
    with sessions.begin() as session:
        for row in rows:
            item = session.scalar(select(LibraryEntry).where(LibraryEntry.key == row["key"]))
            fields = {field: (row[field] or None) for field in ("name", "level1", "level2", "direction", "operator")}
            fields |= {"unit": row["unit"], "core": row["core"]}
            if item is None:
                item = LibraryEntry(key=row["key"], status="approved", origin="import", version=1, **fields)
                session.add(item)
                session.flush()
                add_alias(session, item, item.name)
                before = None
                added += 1
            else:
                before = snapshot(item)
                for field, value in fields.items():  # the status stays: curation is a step of its own
                    setattr(item, field, value)
            for alias in row["aliases"]:
                add_alias(session, item, alias, "manual")
            if before is not None and snapshot(item) == before:
                unchanged += 1
                continue
            updated += before is not None
            record(session, item, "import", actor, before, f"从 {file_name} 导入")
    return ImportResult(added, updated, unchanged)
