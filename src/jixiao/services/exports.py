"""Downloads for the web: the official target table (Excel, Word, PDF), the filtered project list (Excel) and
the 复核 report of a sample (HTML, Excel, PDF).

Every export reads through :mod:`jixiao.services.queries` as the caller, so it shows exactly what the page
shows to them (the public gets the approved version without the phone; a unit only its own projects) and is
refused the same way. The files are built by the same writers as ``jixiao export`` (the official layout, read
back unchanged by the importers) and by :mod:`jixiao.reports.project_list_xlsx`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from jixiao.io.json_format import table_from_dict
from jixiao.services import queries
from jixiao.services.errors import NotFound
from jixiao.services.permissions import Actor
from jixiao.services.tables import export_bytes
from jixiao.storage.repository import table_hash

if TYPE_CHECKING:
    from jixiao.profiles import RegionProfile

TABLE_FORMATS = ("xlsx", "docx", "pdf")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
MAX_LIST_ROWS = 20_000  # a whole region's list in one workbook; the sheet says when more matched


class NothingToExport(NotFound):
    """The project has no target table yet, so there is nothing to export or print."""

    code = "nothing_to_export"
    summary = "项目还没有绩效目标表，无法导出"


@dataclass(frozen=True, slots=True)
class Download:
    """A file to send: its bytes, media type and name (without the suffix)."""

    content: bytes
    media_type: str
    name: str


def table_file(session: Session, actor: Actor, code: str, output_format: str) -> Download:
    """The project's current table (for the public: the approved one) as an xlsx, docx or PDF file."""
    if output_format not in TABLE_FORMATS:
        raise ValueError(f"不支持的导出格式：{output_format}")
    detail = queries.show_project(session, actor, code)  # the permission check, and the version the page shows
    content = detail["table"]
    if not content:
        raise NothingToExport(f"项目“{code}”还没有绩效目标表，无法导出")
    return Download(_table_bytes(content, output_format), MEDIA_TYPES[output_format], f"{code}-绩效目标表")


_RENDERED = queries.CountCache(seconds=600.0, size=32)  # (format, content hash) → the file: a published table's
# PDF is asked for by many readers and takes WeasyPrint most of a second; the same content gives the same file


def _table_bytes(content: dict[str, Any], output_format: str) -> bytes:
    key = (output_format, table_hash(content))
    found: bytes | None = _RENDERED.get(key)
    if found is None:
        found = export_bytes([table_from_dict(content)], output_format)
        _RENDERED.put(key, found)
    return found


def list_file(session: Session, actor: Actor, filters: Sequence[str] = (), **chosen: Any) -> Download:
    """The projects ``actor`` sees under the list page's filters (``chosen``: the keyword arguments of
    :func:`jixiao.services.queries.list_projects`), every page of them, as a workbook; ``filters``: the
    filters in words, printed under the rows."""
    from jixiao.reports.project_list_xlsx import write_project_list

    listing = queries.list_projects(session, actor, page=1, per_page=MAX_LIST_ROWS, with_units=True, **chosen)
    stream = BytesIO()
    write_project_list(listing["items"], stream, total=listing["total"], filters=filters)
    return Download(stream.getvalue(), MEDIA_TYPES["xlsx"], "项目清单")


RECHECK_FORMATS = ("html", "xlsx", "pdf")
BUDGET_FORMATS = ("xlsx", "pdf", "html")


def recheck_file(session: Session, actor: Actor, sample_id: int, output_format: str,
                 profile: RegionProfile | None = None) -> Download:
    """The 复核 report of a sample (``services.recheck_report``) as HTML, xlsx or PDF, as the reviewer may see it."""
    from jixiao.reports.registry import MEDIA_TYPES as REPORT_TYPES
    from jixiao.reports.registry import RecheckReport, render
    from jixiao.services.recheck_report import recheck_report

    data = recheck_report(session, actor, sample_id, profile)
    content = render(RecheckReport(data), output_format)
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return Download(raw, REPORT_TYPES[output_format], f"复核报告-{data['sample']['year']}年度-第{sample_id}号样本")


def budget_file(session: Session, actor: Actor, year: int, output_format: str,
                profile: RegionProfile | None = None) -> Download:
    """The 下年预算安排建议表 of ``year`` (``services.results_use.sheet``) as xlsx, PDF or HTML."""
    from jixiao.reports.registry import MEDIA_TYPES as REPORT_TYPES
    from jixiao.reports.registry import BudgetSheet, render
    from jixiao.services.results_use import sheet

    data = sheet(session, actor, year, profile)
    content = render(BudgetSheet(data), output_format)
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return Download(raw, REPORT_TYPES[output_format], f"{data['next_year']}年度预算安排建议表")


def selfeval_report_file(session: Session, actor: Actor, code: str, record: int, output_format: str) -> Download:
    """The drafted 自评报告 of stored self-evaluation ``record`` (Word or PDF), as ``actor`` may see it."""
    from jixiao.services.selfeval_reports import stored_report

    report, content = stored_report(session, actor, code, record, output_format)
    media = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf"}[output_format]
    return Download(content, media, f"{report.title}（草稿）")


def department_report_file(session: Session, actor: Actor, code: str, year: int, output_format: str,
                           profile: RegionProfile | None = None) -> Download:
    """The drafted 自评综合报告 of department ``code`` for ``year`` (Word or PDF), as ``actor`` may see it."""
    from jixiao.services.department_reports import department_report

    report, content = department_report(session, actor, code, year, output_format, profile)
    media = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf"}[output_format]
    return Download(content, media, f"{report.title}（草稿）")


def analytics_file(session: Session, actor: Actor, key: str, chosen: Any) -> Download:
    """A 统计分析 view (``services.analytics``) under ``chosen`` filters as a workbook, as ``actor`` may see it."""
    from jixiao.reports.analytics_xlsx import write_analytics
    from jixiao.services.analytics import view

    found = view(session, actor, key, chosen)
    columns = [(c.key, c.label, c.kind) for c in found.columns]
    second = None
    caption = ""
    if found.extra.get("flagged_columns"):
        second = ("高分低执行项目", [(c.key, c.label, c.kind) for c in found.extra["flagged_columns"]],
                  found.extra["flagged"])
        if found.extra["flagged_count"] > found.extra["flagged_shown"]:
            caption = (f"共 {found.extra['flagged_count']} 个项目，列出执行率最低的 {found.extra['flagged_shown']} 个；"
                       "全部项目见项目清单。")
    stream = BytesIO()
    write_analytics(found.title, found.note, columns, found.rows, stream, filters=found.filters, second=second,
                    caption=caption)
    return Download(stream.getvalue(), MEDIA_TYPES["xlsx"], f"统计分析-{found.title}")
