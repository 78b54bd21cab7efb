"""The published targets as open data: a Frictionless (Tabular) Data Package of two tidy CSV tables.

``datapackage.json`` describes ``projects.csv`` (one row per approved table, the version the public sees)
and ``indicators.csv`` (one row per indicator) with a Table Schema each — field names, types and Chinese
titles, the primary keys and the link between the two — so open-data tools read them without guessing.
The CSV files are UTF-8 without a byte-order mark, blank for missing, money in 万元 as exact decimals,
the approval date in the region's time zone. They stream: a region's archive is never held in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.labels import COLUMN_LABELS, INDICATOR_FIELDS
from jixiao.io.writers.table_csv import safe_text
from jixiao.services.permissions import PUBLIC, visible_projects
from jixiao.storage.models import Project, ReviewRecord, TableVersion

Field = tuple[str, str, str]  # (name, Table Schema type, Chinese title)
PROJECT_FIELDS: tuple[Field, ...] = (
    ("project_code", "string", "项目编码"), ("project_name", "string", "项目名称"), ("fiscal_year", "integer", "年度"),
    ("unit_code", "string", "单位编码"), ("unit_name", "string", "单位名称"),
    ("department_code", "string", "主管部门编码"), ("department_name", "string", "主管部门名称"),
    ("total_wan", "number", "项目总额（万元）"), ("fiscal", "number", "财政资金（万元）"),
    ("special_account", "number", "财政专户管理资金（万元）"), ("unit_own", "number", "单位资金（万元）"),
    ("social", "number", "社会投入资金（万元）"), ("bank_loan", "number", "银行贷款（万元）"),
    ("execution_weight", "number", "预算执行率权重"), ("annual_goal", "string", "年度目标"),
    ("version", "integer", "批复的版本"), ("approved_on", "date", "批复日期"),
)
NUMBER_COLUMNS = frozenset({"weight", "current_weight"})
INDICATOR_COLUMNS: tuple[Field, ...] = (
    ("project_code", "string", "项目编码"), ("row", "integer", "序号"),
    *((key, "number" if key in NUMBER_COLUMNS else "string", COLUMN_LABELS[key]) for key in INDICATOR_FIELDS),
)
RESOURCES = {"projects": PROJECT_FIELDS, "indicators": INDICATOR_COLUMNS}
BATCH = 500


def _schema_field(name: str, kind: str, title: str) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "title": title}
    if kind == "number":
        field["bareNumber"] = True
    return field


def datapackage() -> dict[str, Any]:
    """The ``datapackage.json`` document (Data Package v1, profile ``tabular-data-package``)."""
    def resource(name: str, title: str, keys: list[str], links: list[dict[str, Any]]) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": [_schema_field(*f) for f in RESOURCES[name]], "missingValues": [""],
                                  "primaryKey": keys}
        if links:
            schema["foreignKeys"] = links
        return {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "title": title,
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True, "doubleQuote": True, "lineTerminator": "\r\n"},
                "schema": schema}

    link = {"fields": ["project_code"], "reference": {"resource": "projects", "fields": ["project_code"]}}
    return {"profile": "tabular-data-package", "name": "jixiao-published-targets",
            "title": "已批复的项目支出绩效目标",
            "description": "随部门预算公开的项目支出绩效目标表（已批复的版本），不含经办人电话和内部审核意见。"
                           "金额单位为万元；空白表示未填写。",
            "resources": [resource("projects", "项目", ["project_code"], []),
                          resource("indicators", "绩效指标", ["project_code", "row"], [link])]}


def _text(value: Any) -> str:
    """Text as published; a spreadsheet formula is neutralised as in every CSV jixiao writes."""
    return "" if value is None else safe_text(str(value))


def _coded(content: dict[str, Any], key: str) -> tuple[str, str]:
    value = content.get(key) or {}
    return (value.get("code") or "", value.get("name") or "") if isinstance(value, dict) else ("", "")


def _published(session: Session, zone: ZoneInfo) -> Iterator[tuple[Project, dict[str, Any], str]]:
    """Each approved table as the public sees it, by code: (project, content, approval date)."""
    last = ""
    while True:
        page = list(session.execute(
            visible_projects(session, PUBLIC).add_columns(TableVersion.id, TableVersion.content)
            .join(TableVersion, (TableVersion.project_id == Project.id)
                  & (TableVersion.number == Project.published_version))
            .where(Project.code > last).order_by(Project.code).limit(BATCH)).all())
        if not page:
            return
        approved = dict(session.execute(
            select(ReviewRecord.version_id, func.max(ReviewRecord.at))
            .where(ReviewRecord.version_id.in_([vid for _p, vid, _c in page]), ReviewRecord.action == "approve")
            .group_by(ReviewRecord.version_id)).all())
        for project, vid, content in page:
            moment: datetime | None = approved.get(vid)
            day = "" if moment is None else (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) \
                .astimezone(zone).date().isoformat()
            yield project, content, day
        last = page[-1][0].code


def _project_row(project: Project, content: dict[str, Any], day: str) -> list[str]:
    funding = content.get("funding") or {}
    return [_text(project.code), _text(content.get("project_name") or project.published_name),
            _text(project.fiscal_year), *map(_text, _coded(content, "unit")),
            *map(_text, _coded(content, "department")),
            _text(content.get("total_wan")),
            *(_text(funding.get(key)) for key in ("fiscal", "special_account", "unit_own", "social", "bank_loan")),
            _text(content.get("execution_weight")), _text(content.get("annual_goal")),
            _text(project.published_version), day]


def csv_chunks(sessions: sessionmaker[Session], name: str, timezone: str) -> Iterator[str]:
    """``projects.csv`` or ``indicators.csv``, in chunks of text (header first)."""
    columns = RESOURCES[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f[0] for f in columns])
    zone = ZoneInfo(timezone)
    with sessions() as session:
        for count, (project, content, day) in enumerate(_published(session, zone), 1):
            if name == "projects":
                writer.writerow(_project_row(project, content, day))
            else:
                for number, row in enumerate(content.get("indicators") or [], 1):
                    writer.writerow([_text(project.code), str(number),
                                     *(_text(row.get(key)) for key in INDICATOR_FIELDS)])
            if count % BATCH == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
    yield out.getvalue()
