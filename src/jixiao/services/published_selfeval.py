"""Published self-evaluation tables as the pages show them: the current version, its audit, the unit's own 自评.

The project page shows the latest imported 自评表 with the audit findings next to the rows they concern, and
beside it what the unit itself reported through jixiao (its latest 自评 submission), row by row, so a
reviewer sees where the published table and the system's figures part. The audit runs on the table as
stored, against the project's approved target table when there is one (targets changed after approval).

A stored version never changes, so its audit is computed once — at import, or by the first 复核 sample that
needs it — and kept on the row with the key it was computed under (:func:`audit_key`: this jixiao's rules,
the profile's settings, the approved target table's hash). A view reads it; only a new key (the target table
approved again, another profile, a new release) audits again, and a few recent ones are kept in memory too.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import jixiao
from jixiao.domain import TargetTable
from jixiao.domain.selfeval_table import SelfEvaluationTable
from jixiao.domain.text import fold_width
from jixiao.io.json_format import table_from_dict
from jixiao.io.selfeval_json import selfeval_from_dict
from jixiao.profiles import RegionProfile
from jixiao.services import profiles
from jixiao.services.permissions import Actor, require_visible
from jixiao.storage.models import Project, PublishedSelfEvaluation, SelfEvaluation, TableVersion
from jixiao.storage.repository import content_hash

RECENT_AUDITS = 256  # audits kept in memory under a key no stored row has (a view cannot write it back)
_recent: OrderedDict[tuple[str, str], list[dict[str, Any]]] = OrderedDict()
_recent_lock = Lock()


def approved_table(session: Session, project: Project) -> TargetTable | None:
    """The project's approved target table (what a self-evaluation is held against), if it has one."""
    if project.published_version is None:
        return None
    content = session.scalar(select(TableVersion.content).where(TableVersion.project_id == project.id,
                                                                TableVersion.number == project.published_version))
    return table_from_dict(content) if content is not None else None


def audit_findings(table: SelfEvaluationTable, approved: TargetTable | None,
                   profile: RegionProfile | None = None) -> list[dict[str, Any]]:
    """The audit of a published self-evaluation (:mod:`jixiao.rules.selfeval_audit`), as dicts the pages show."""
    from jixiao.rules.selfeval_audit import audit_self_evaluation

    chosen = profile or profiles.load()
    review = audit_self_evaluation(table, chosen.rules, approved=approved)
    return [finding.to_dict() for finding in review.findings]


def audit_key(project: Project, session: Session, profile: RegionProfile) -> str:
    """What an audit depends on besides the (immutable) table: the rules of this release and the profile's
    settings, and the approved target table it is held against (its content hash; none before approval)."""
    approved = None if project.published_version is None else session.scalar(
        select(TableVersion.content_hash).where(TableVersion.project_id == project.id,
                                                TableVersion.number == project.published_version))
    return content_hash(f"{jixiao.__version__}\n{profile.rules!r}\n{approved or '-'}")


def published_audit(session: Session, stored: PublishedSelfEvaluation, project: Project,
                    profile: RegionProfile | None = None, *, keep: bool = False) -> list[dict[str, Any]]:
    """The audit findings of a stored version: kept ones when their key is current, else audited now.

    ``keep``: write a new audit onto the row (the caller's transaction commits it): imports and 复核 samples
    do; a page view's read-only session does not, and keeps it in memory instead."""
    chosen = profile or profiles.load()
    key = audit_key(project, session, chosen)
    kept = stored.audit
    if kept is not None and kept.get("key") == key:
        return list(kept["findings"])
    memo = (stored.content_hash, key)
    with _recent_lock:
        recent = _recent.get(memo)
        if recent is not None:
            _recent.move_to_end(memo)
    if recent is None:
        recent = audit_findings(stored_table(stored), approved_table(session, project), chosen)
        with _recent_lock:
            _recent[memo] = recent
            while len(_recent) > RECENT_AUDITS:
                _recent.popitem(last=False)
    if keep:
        stored.audit = {"key": key, "findings": recent}
    return list(recent)


def findings_by_row(findings: list[dict[str, Any]]) -> tuple[dict[str, list[dict[str, Any]]],
                                                               dict[int, list[dict[str, Any]]]]:
    """Findings by header field (``table`` for the whole table) and by indicator row."""
    by_field: dict[str, list[dict[str, Any]]] = {}
    by_row: dict[int, list[dict[str, Any]]] = {}
    for finding in findings:
        where = finding.get("location") or {}
        if where.get("indicator") is not None:
            by_row.setdefault(int(where["indicator"]), []).append(finding)
        else:
            by_field.setdefault(where.get("field") or "table", []).append(finding)
    return by_field, by_row


def latest_published(session: Session, project_id: int) -> PublishedSelfEvaluation | None:
    return session.scalar(select(PublishedSelfEvaluation).where(PublishedSelfEvaluation.project_id == project_id)
                          .order_by(PublishedSelfEvaluation.number.desc()).limit(1))


def stored_table(stored: PublishedSelfEvaluation) -> SelfEvaluationTable:
    """The table as it was imported (equal to what the reader produced)."""
    return selfeval_from_dict(stored.content)


def _key(name: str | None) -> str:
    return "".join(fold_width(name or "").split())


def _side_by_side(content: dict[str, Any], submitted: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each published indicator row with the unit's own reported row of the same name (三级指标)."""
    own = {_key(row.get("name")): row for row in (submitted or {}).get("indicators") or []}
    rows = []
    for index, row in enumerate(content.get("indicators") or []):
        mine = own.get(_key(row.get("name")))
        rows.append({"index": index, "name": row.get("name"), "parent": row.get("parent"),
                     "published_actual": row.get("actual"), "published_score": row.get("score"),
                     "weight": row.get("weight"), "own_actual": mine.get("actual") if mine else None,
                     "own_score": mine.get("score") if mine else None, "found": mine is not None})
    return rows


def _published(stored: PublishedSelfEvaluation) -> dict[str, Any]:
    return {"number": stored.number, "year": stored.year, "matched_by": stored.matched_by,
            "content": stored.content, "at": stored.created_at}


def _versions(session: Session, project: Project) -> list[dict[str, Any]]:
    return [{"number": n, "year": y, "at": at, "matched_by": by, "total": total, "grade": grade}
            for n, y, at, by, total, grade in session.execute(
        select(PublishedSelfEvaluation.number, PublishedSelfEvaluation.year, PublishedSelfEvaluation.created_at,
               PublishedSelfEvaluation.matched_by, PublishedSelfEvaluation.content["published_total_score"]
               .as_string(), PublishedSelfEvaluation.grade)
        .where(PublishedSelfEvaluation.project_id == project.id).order_by(PublishedSelfEvaluation.number))]


def project_self_evaluations(session: Session, actor: Actor, code: str,
                             profile: RegionProfile | None = None) -> dict[str, Any]:
    """What the project page shows of self-evaluations: the published table (``None`` when none was imported)
    with its audit, the versions imported, and the unit's latest 自评 submission beside it."""
    project = require_visible(session, actor, code)  # the public: only a public (approved) project, else 404
    stored = latest_published(session, project.id)
    if actor.is_public:  # a published 自评表 of a public project is public; its audit and the unit's own are not
        return {"published": None if stored is None else _published(stored),
                "versions": _versions(session, project) if stored is not None else []}
    submitted = session.scalar(select(SelfEvaluation).join(TableVersion, TableVersion.id == SelfEvaluation.version_id)
                               .where(TableVersion.project_id == project.id).order_by(SelfEvaluation.id.desc())
                               .limit(1))
    own: dict[str, Any] | None = None if submitted is None else {
        "id": submitted.id, "at": submitted.at, "total": submitted.result.get("total"), "grade": submitted.grade,
        "result": submitted.result}
    if stored is None:
        return {"published": None, "own": own}
    findings = published_audit(session, stored, project, profile)  # read, as kept: no audit per view
    by_field, by_row = findings_by_row(findings)
    return {"published": _published(stored), "versions": _versions(session, project), "findings": findings,
            "by_field": by_field, "by_row": by_row, "own": own,
            "rows": _side_by_side(stored.content, submitted.result if submitted else None)}
