"""The findings of a project that may become rectification items (整改), each with a stable reference.

A review finding is told by its rule code and location (field or indicator row) on the current version; an
audit finding the same on the latest published 自评表; a red monitoring light by its report; a low score by the
self-evaluation; a 复核 change by the 复核 item. :func:`resolve` reads the finding again from the reference, so
the text an item keeps is what jixiao found, never what a form said it found.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.domain.rectification import SOURCE_LABELS, Source
from jixiao.profiles import RegionProfile
from jixiao.services import profiles
from jixiao.services.editing import check_draft
from jixiao.services.errors import NotFound
from jixiao.services.published_selfeval import latest_published, published_audit
from jixiao.storage.models import (
    MonitoringReport,
    Project,
    PublishedSelfEvaluation,
    RecheckItem,
    SelfEvaluation,
    TableVersion,
)

LOW_GRADES = ("中", "差")  # a self-evaluation graded below 良 is a finding
RED = "红"


class FindingNotFound(NotFound):
    code = "rectification_finding_not_found"
    summary = "要整改的问题已不存在（表已修改，或引用有误）"


def _where(location: dict[str, Any]) -> str:
    if location.get("indicator") is not None:
        name = location.get("indicator_name")
        return f"第{int(location['indicator']) + 1}条指标" + (f"“{name}”" if name else "")
    return f"字段 {location['field']}" if location.get("field") else "全表"


def _rule(finding: dict[str, Any], source: Source) -> dict[str, Any]:
    location = finding.get("location") or {}
    ref = {"code": finding["code"], "field": location.get("field"), "indicator": location.get("indicator")}
    text = f"{finding['code']} {finding['title']}（{_where(location)}）：{finding['message']}"
    return {"source": source.value, "source_label": SOURCE_LABELS[source], "ref": ref, "text": text,
            "severity": finding.get("severity")}


def _current(session: Session, project: Project) -> TableVersion | None:
    return session.scalar(select(TableVersion).where(TableVersion.project_id == project.id)
                          .order_by(TableVersion.number.desc()).limit(1))


def _versions(project: Project) -> Any:
    return select(TableVersion.id).where(TableVersion.project_id == project.id)


def candidates(session: Session, project: Project, profile: RegionProfile | None = None) -> list[dict[str, Any]]:
    """Every finding of ``project`` that an item can be made from (the caller has checked it may see it)."""
    region = profile or profiles.load(None)
    found: list[dict[str, Any]] = []
    version = _current(session, project)
    if version is not None:
        checked = check_draft(version.content, region.rules)
        found += [_rule(item, Source.REVIEW) for item in checked.findings]
    stored = latest_published(session, project.id)
    if stored is not None:
        found += [_rule(item, Source.AUDIT) for item in published_audit(session, stored, project, region)]
    report = session.scalar(select(MonitoringReport).where(MonitoringReport.version_id.in_(_versions(project)))
                            .order_by(MonitoringReport.id.desc()).limit(1))
    if report is not None and RED in (report.spending_light, report.indicator_light):
        found.append(_monitoring(report))
    own = session.scalar(select(SelfEvaluation).where(SelfEvaluation.version_id.in_(_versions(project)))
                         .order_by(SelfEvaluation.id.desc()).limit(1))
    if own is not None and own.grade in LOW_GRADES:
        found.append(_score(own))
    items = session.scalars(select(RecheckItem).where(RecheckItem.state == "done")
                            .where(RecheckItem.self_evaluation_id.in_(_published_ids(project)))
                            .order_by(RecheckItem.id))
    found += [item for item in (_recheck(session, each) for each in items) if item is not None]
    return found


def _published_ids(project: Project) -> Any:
    return select(PublishedSelfEvaluation.id).where(PublishedSelfEvaluation.project_id == project.id)


def _monitoring(report: MonitoringReport) -> dict[str, Any]:
    lights = f"资金执行{report.spending_light}灯、指标完成{report.indicator_light}灯"
    return {"source": Source.MONITORING.value, "source_label": SOURCE_LABELS[Source.MONITORING],
            "ref": {"report": report.id}, "text": f"{report.month}月运行监控：{lights}", "severity": "error"}


def _score(own: SelfEvaluation) -> dict[str, Any]:
    return {"source": Source.SCORE.value, "source_label": SOURCE_LABELS[Source.SCORE],
            "ref": {"self_evaluation": own.id}, "text": f"单位自评 {_score_text(own.total)} 分，等级“{own.grade}”",
            "severity": "warning"}


def _recheck(session: Session, item: RecheckItem) -> dict[str, Any] | None:
    published = session.get(PublishedSelfEvaluation, item.self_evaluation_id)
    before = published.total_score if published else None
    if item.total is None or before == item.total:
        return None
    shown = f"{_score_text(before)} 分" if before is not None else "未填"
    text = f"财政复核：自评表总分 {shown}，复核为 {_score_text(item.total)} 分（{item.grade}）"
    return {"source": Source.RECHECK.value, "source_label": SOURCE_LABELS[Source.RECHECK],
            "ref": {"item": item.id}, "text": text, "severity": "warning"}


def _score_text(value: Decimal) -> str:
    """A score as the pages print it, the same on both databases (PostgreSQL keeps NUMERIC's scale): 55.50."""
    return format(value, ".2f")


def resolve(session: Session, project: Project, source: str, ref: dict[str, Any],
            profile: RegionProfile | None = None) -> tuple[str, dict[str, Any]]:
    """The text and the canonical reference of the finding ``(source, ref)`` of ``project`` as jixiao reads it now,
    or :class:`FindingNotFound`."""
    for item in candidates(session, project, profile):
        if item["source"] == source and _same(item["ref"], ref):
            return str(item["text"]), dict(item["ref"])
    label = SOURCE_LABELS[Source(source)] if source in _SOURCES else "这类"
    raise FindingNotFound(f"项目“{project.code}”没有这条{label}问题（表可能已修改），请回到项目页重新选择")


_SOURCES = frozenset(s.value for s in Source)


def _same(kept: dict[str, Any], asked: dict[str, Any]) -> bool:
    """A reference as a form sends it (text, a missing value empty) matches the one found."""
    return all(_plain(kept.get(key)) == _plain(asked.get(key)) for key in kept)


def _plain(value: Any) -> str:
    return "" if value is None else str(value)
