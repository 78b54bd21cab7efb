"""The finance bureau's 复核 of published self-evaluations: draw a sample, re-score rows with reasons, finish.

Only a finance bureau reviewer may do it (``Ability.RECHECK``), on the tables of its region: a sample belongs
to the reviewer's organisation (a reviewer without one works on the whole deployment). A sample is drawn
from the latest published self-evaluation of every visible project of the year (:mod:`recheck_sampling`:
seeded, part by risk from the audit findings); each changed row is re-scored with a required reason
(:mod:`recheck_rows`), all rows of one request or none; 完成复核 fixes the 复核总分 and its grade under the
profile's bands. The report per unit and department is :mod:`recheck_report`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.text import format_decimal
from jixiao.profiles import RegionProfile
from jixiao.services import profiles
from jixiao.services.errors import Conflict, InvalidInput, NotFound
from jixiao.services.permissions import Ability, Actor, require, visible_projects
from jixiao.services.published_selfeval import findings_by_row, published_audit, stored_table
from jixiao.services.recheck_rows import (
    EXECUTION,
    check_entry,
    published_total,
    recheck_total,
    rows_of,
    score_text,
    sub_row_message,
    total_text,
)
from jixiao.services.recheck_sampling import MAX_SEED, MAX_SIZE, Candidate, draw
from jixiao.storage.models import (
    AuditEntry,
    Organization,
    Project,
    PublishedSelfEvaluation,
    RecheckItem,
    RecheckRow,
    RecheckSample,
)
from jixiao.storage.repository import lock_project


class SampleRefused(InvalidInput):
    """The sample cannot be drawn as asked (year, size, seed or share out of range; nothing to draw from)."""

    code = "sample_refused"
    summary = "抽样条件有误，或该年度没有可复核的绩效自评表"


class RecheckNotFound(NotFound):
    """No such sample or table in a sample, or one of another region (not told apart)."""

    code = "recheck_not_found"
    summary = "没有这个复核样本或样本中的表，或无权查看"


class RescoreRefused(InvalidInput):
    """A 复核分 was refused (missing reason, above the row's 分值, unknown row …); nothing was saved."""

    code = "rescore_refused"
    summary = "复核评分有误，未保存；details 列出每一处问题"


class RecheckClosed(Conflict):
    """The table's 复核 is finished: its scores no longer change."""

    code = "recheck_closed"
    summary = "本表已完成复核，评分不能再修改"


STATE_LABELS = {"pending": "待复核", "done": "已复核"}
CHOSEN_LABELS = {"risk": "按风险", "random": "随机"}


def _profile(profile: RegionProfile | None) -> RegionProfile:
    return profile or profiles.load()


def _latest_of_year(session: Session, actor: Actor, year: int) -> list[tuple[PublishedSelfEvaluation, Project]]:
    """The latest published self-evaluation of ``year`` of every project ``actor`` may see, by project code."""
    visible = visible_projects(session, actor).with_only_columns(Project.id)
    latest = (select(PublishedSelfEvaluation.project_id, func.max(PublishedSelfEvaluation.number).label("number"))
              .where(PublishedSelfEvaluation.year == year, PublishedSelfEvaluation.project_id.in_(visible))
              .group_by(PublishedSelfEvaluation.project_id).subquery())
    rows = session.execute(select(PublishedSelfEvaluation, Project)
                           .join(latest, (latest.c.project_id == PublishedSelfEvaluation.project_id)
                                 & (latest.c.number == PublishedSelfEvaluation.number))
                           .join(Project, Project.id == PublishedSelfEvaluation.project_id).order_by(Project.code))
    return [(stored, project) for stored, project in rows]


def years_with_tables(session: Session, actor: Actor) -> list[int]:
    """The years that have published self-evaluations the reviewer may sample, newest first."""
    require(actor, Ability.RECHECK)
    visible = visible_projects(session, actor).with_only_columns(Project.id)
    years = session.scalars(select(PublishedSelfEvaluation.year).where(
        PublishedSelfEvaluation.project_id.in_(visible), PublishedSelfEvaluation.year.is_not(None)).distinct())
    return sorted((y for y in years if y is not None), reverse=True)


def _bounded(value: int | None, low: int, high: int, label: str, problems: list[str]) -> None:
    if value is None or not low <= value <= high:
        problems.append(f"「{label}」应为 {low} 到 {high} 之间的整数，实际为 {value if value is not None else '空白'}")


def draw_sample(sessions: sessionmaker[Session], actor: Actor, year: int, size: int, seed: int | None = None,
                risk_share: int = 50, profile: RegionProfile | None = None) -> dict[str, Any]:
    """Draw and store a sample of ``size`` of the year's self-evaluations (``seed``: reproducible; a new one is
    chosen and stored when not given); ``risk_share`` percent of it by risk."""
    require(actor, Ability.RECHECK)
    problems: list[str] = []
    _bounded(year, 1900, 2200, "年度", problems)
    _bounded(size, 1, MAX_SIZE, "样本量", problems)
    _bounded(risk_share, 0, 100, "按风险抽取的比例（%）", problems)
    if seed is not None:
        _bounded(seed, 0, MAX_SEED, "随机种子", problems)
    if problems:
        raise SampleRefused("抽样条件有误：" + "；".join(problems), problems)
    chosen_seed = seed if seed is not None else secrets.randbelow(MAX_SEED)
    region = _profile(profile)
    with sessions.begin() as session:
        found = _latest_of_year(session, actor, year)
        if not found:
            raise SampleRefused(f"{year}年度没有可复核的绩效自评表：请先导入各单位公开的绩效自评表")
        candidates = []
        for stored, project in found:
            findings = published_audit(session, stored, project, region, keep=True)  # kept: audited once
            candidates.append(Candidate(stored.id, tuple((f["severity"], f["code"], f["title"]) for f in findings)))
        drawn = draw(candidates, size, chosen_seed, risk_share)
        sample = RecheckSample(year=year, size=size, seed=chosen_seed, risk_share=risk_share,
                               candidates=len(candidates), profile=region.name,
                               organization_id=actor.organization_id, created_by=actor.user_id)
        session.add(sample)
        session.flush()
        for position, chosen in enumerate(drawn, start=1):
            session.add(RecheckItem(sample_id=sample.id, self_evaluation_id=chosen.key, position=position,
                                    chosen_by=chosen.chosen_by, risk=chosen.risk, reasons=list(chosen.reasons)))
        session.add(AuditEntry(user_id=actor.user_id, action="recheck.sample", object_type="recheck_sample",
                               object_id=sample.id, after={"year": year, "size": size, "seed": chosen_seed,
                                                           "risk_share": risk_share, "drawn": len(drawn),
                                                           "candidates": len(candidates)}))
        sample_id = sample.id
    with sessions() as session:
        return show_sample(session, actor, sample_id)


def _sample(session: Session, actor: Actor, sample_id: int) -> RecheckSample:
    require(actor, Ability.RECHECK)
    sample = session.get(RecheckSample, sample_id)
    if sample is None or (actor.organization_id is not None and sample.organization_id != actor.organization_id):
        raise RecheckNotFound(f"没有第{sample_id}号复核样本，或无权查看")
    return sample


def list_samples(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The samples of the reviewer's region, newest first, with how many of their tables are done."""
    require(actor, Ability.RECHECK)
    query = select(RecheckSample).order_by(RecheckSample.id.desc())
    if actor.organization_id is not None:
        query = query.where(RecheckSample.organization_id == actor.organization_id)
    samples = list(session.scalars(query.limit(200)))
    done = dict(session.execute(select(RecheckItem.sample_id, func.count()).where(
        RecheckItem.sample_id.in_([s.id for s in samples]), RecheckItem.state == "done")
        .group_by(RecheckItem.sample_id)).all()) if samples else {}
    drawn = dict(session.execute(select(RecheckItem.sample_id, func.count()).where(
        RecheckItem.sample_id.in_([s.id for s in samples])).group_by(RecheckItem.sample_id)).all()) if samples else {}
    return [{"id": s.id, "year": s.year, "size": s.size, "seed": s.seed, "risk_share": s.risk_share,
             "candidates": s.candidates, "drawn": drawn.get(s.id, 0), "done": done.get(s.id, 0),
             "created_at": s.created_at} for s in samples]


def _names(session: Session, projects: Sequence[Project]) -> dict[int, tuple[str | None, str | None]]:
    """Unit id → (unit name, department name)."""
    ids = {p.unit_id for p in projects if p.unit_id is not None}
    units = {o.id: o for o in session.scalars(select(Organization).where(Organization.id.in_(ids)))} if ids else {}
    parents = {u.parent_id for u in units.values() if u.parent_id is not None}
    above = {o.id: o for o in session.scalars(select(Organization).where(Organization.id.in_(parents)))} \
        if parents else {}
    return {uid: (u.name, above[u.parent_id].name if u.parent_id in above else None) for uid, u in units.items()}


def _item_rows(session: Session, item_ids: Sequence[int]) -> dict[int, dict[str, RecheckRow]]:
    found: dict[int, dict[str, RecheckRow]] = {}
    if item_ids:
        for row in session.scalars(select(RecheckRow).where(RecheckRow.item_id.in_(list(item_ids)))):
            found.setdefault(row.item_id, {})[row.row] = row
    return found


def _summary(item: RecheckItem, stored: PublishedSelfEvaluation, project: Project,
             names: Mapping[int, tuple[str | None, str | None]], rescored: Mapping[str, RecheckRow],
             region: RegionProfile) -> dict[str, Any]:
    table = stored_table(stored)
    scores = {key: row.score for key, row in rescored.items()}
    total = recheck_total(table, scores)
    unit, department = names.get(project.unit_id or -1, (None, None))
    published = published_total(table)
    return {"id": item.id, "position": item.position, "project_code": project.code, "project_name": project.name,
            "unit": unit, "department": department, "chosen_by": item.chosen_by,
            "chosen_label": CHOSEN_LABELS[item.chosen_by], "risk": item.risk, "reasons": list(item.reasons),
            "state": item.state, "state_label": STATE_LABELS[item.state], "version": stored.number,
            "published_total": format_decimal(published), "published_grade": table.published_grade,
            "recheck_total": total_text(item.total if item.state == "done" and item.total is not None else total),
            "recheck_grade": item.grade if item.state == "done" else region.scoring.grade(total),
            "changed_rows": len(rescored)}


def show_sample(session: Session, actor: Actor, sample_id: int, profile: RegionProfile | None = None,
                ) -> dict[str, Any]:
    """The sample with every table drawn: why it was chosen, its 自评 and (so far) 复核 totals and grades."""
    sample = _sample(session, actor, sample_id)
    region = _profile(profile)
    rows = session.execute(select(RecheckItem, PublishedSelfEvaluation, Project)
                           .join(PublishedSelfEvaluation, PublishedSelfEvaluation.id == RecheckItem.self_evaluation_id)
                           .join(Project, Project.id == PublishedSelfEvaluation.project_id)
                           .where(RecheckItem.sample_id == sample.id).order_by(RecheckItem.position)).all()
    names = _names(session, [project for _i, _s, project in rows])
    rescored = _item_rows(session, [item.id for item, _s, _p in rows])
    items = [_summary(item, stored, project, names, rescored.get(item.id, {}), region)
             for item, stored, project in rows]
    return {"id": sample.id, "year": sample.year, "size": sample.size, "seed": sample.seed,
            "risk_share": sample.risk_share, "candidates": sample.candidates, "profile": sample.profile,
            "created_at": sample.created_at, "items": items,
            "done": sum(1 for i in items if i["state"] == "done")}


def _item(session: Session, actor: Actor, sample_id: int, item_id: int,
          ) -> tuple[RecheckSample, RecheckItem, PublishedSelfEvaluation, Project]:
    sample = _sample(session, actor, sample_id)
    found = session.execute(select(RecheckItem, PublishedSelfEvaluation, Project)
                            .join(PublishedSelfEvaluation, PublishedSelfEvaluation.id == RecheckItem.self_evaluation_id)
                            .join(Project, Project.id == PublishedSelfEvaluation.project_id)
                            .where(RecheckItem.id == item_id, RecheckItem.sample_id == sample.id)).first()
    if found is None:
        raise RecheckNotFound(f"第{sample_id}号复核样本中没有第{item_id}号表")
    item, stored, project = found
    return sample, item, stored, project


def show_item(session: Session, actor: Actor, sample_id: int, item_id: int,
              profile: RegionProfile | None = None) -> dict[str, Any]:
    """One table of a sample to re-score: the published table, its audit findings by row, each scorable row
    with its published score and (when re-scored) the 复核分 and reason."""
    _sample_row, item, stored, project = _item(session, actor, sample_id, item_id)
    region = _profile(profile)
    table = stored_table(stored)
    rescored = _item_rows(session, [item.id]).get(item.id, {})
    findings = published_audit(session, stored, project, region)
    by_field, by_row = findings_by_row(findings)
    rows = [{"key": row.key, "label": row.label, "weight": format_decimal(row.weight),
             "published": format_decimal(row.published),
             "score": score_text(rescored[row.key].score) if row.key in rescored else None,
             "reason": rescored[row.key].reason if row.key in rescored else None,
             "index": int(row.key.split("-")[1]) if row.key != EXECUTION else None} for row in rows_of(table)]
    summary = _summary(item, stored, project, _names(session, [project]), rescored, region)
    return summary | {"sample_id": sample_id, "table": stored.content, "rows": rows, "findings": findings,
                      "by_field": by_field, "by_row": by_row}


def rescore(sessions: sessionmaker[Session], actor: Actor, sample_id: int, item_id: int,
            entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Re-score rows: ``entries`` = [{"row": "indicator-2" | "execution", "score": "8.5", "reason": "…"}].

    A score equal to the published one with no reason is no change (an earlier 复核分 of that row is
    withdrawn); a different score needs a reason. Any refused entry refuses them all (:class:`RescoreRefused`,
    each problem named); a finished table refuses every change (:class:`RecheckClosed`)."""
    require(actor, Ability.RECHECK)
    with sessions.begin() as session:
        _sample_row, item, stored, project = _item(session, actor, sample_id, item_id)
        lock_project(session, project)  # two reviewers at once: one after the other
        session.refresh(item)
        if item.state == "done":
            raise RecheckClosed(f"第{item.position}张表（{project.code}）已完成复核，评分不能再修改")
        table = stored_table(stored)
        rows = {row.key: row for row in rows_of(table)}
        problems: list[str] = []
        checked = []
        seen: set[str] = set()
        for entry in entries:
            key = str(entry.get("row") or "")
            if key in seen:
                problems.append(f"“{key}”填写了两次")
                continue
            seen.add(key)
            row = rows.get(key)
            if row is None:
                problems.append(sub_row_message(table, key) or f"本表没有“{key[:40]}”这一行：可复核的行为"
                                f"{'、'.join(r.label for r in rows.values()) or '（无）'}")
                continue
            done, problem = check_entry(row, _text(entry.get("score")), _text(entry.get("reason")))
            if problem is not None:
                problems.append(problem)
            elif done is not None:
                checked.append(done)
        if problems:
            raise RescoreRefused(f"复核评分有 {len(problems)} 处问题，未保存：" + "；".join(problems[:5]), problems)
        existing = _item_rows(session, [item.id]).get(item.id, {})
        for done in checked:
            before = existing.get(done.row.key)
            if not done.changed:
                if before is not None:
                    session.delete(before)
                continue
            if before is not None and before.score == done.score and before.reason == done.reason:
                continue
            if before is None:
                session.add(RecheckRow(item_id=item.id, row=done.row.key, published_score=done.row.published,
                                       score=done.score, reason=done.reason or "", by=actor.user_id))
            else:
                before.score, before.reason, before.by = done.score, done.reason or "", actor.user_id
                before.at = datetime.now(UTC)
            was = {"score": score_text(before.score)} if before else None
            session.add(AuditEntry(user_id=actor.user_id, action="recheck.score", object_type="recheck_item",
                                   object_id=item.id, before=was,
                                   after={"project": project.code, "row": done.row.key, "row_label": done.row.label,
                                          "published": format_decimal(done.row.published),
                                          "score": score_text(done.score), "reason": done.reason}))
    with sessions() as session:
        return show_item(session, actor, sample_id, item_id)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def complete(sessions: sessionmaker[Session], actor: Actor, sample_id: int, item_id: int,
             profile: RegionProfile | None = None) -> dict[str, Any]:
    """Finish the 复核 of one table: its 复核总分 and grade (the profile's bands) are fixed."""
    require(actor, Ability.RECHECK)
    region = _profile(profile)
    with sessions.begin() as session:
        _sample_row, item, stored, project = _item(session, actor, sample_id, item_id)
        lock_project(session, project)
        session.refresh(item)
        if item.state == "done":
            raise RecheckClosed(f"第{item.position}张表（{project.code}）已完成复核")
        scores = {key: row.score for key, row in _item_rows(session, [item.id]).get(item.id, {}).items()}
        total = recheck_total(stored_table(stored), scores)
        item.state, item.total, item.grade = "done", total, region.scoring.grade(total)
        item.completed_at, item.completed_by = datetime.now(UTC), actor.user_id
        session.add(AuditEntry(user_id=actor.user_id, action="recheck.complete", object_type="recheck_item",
                               object_id=item.id, after={"project": project.code, "total": total_text(total),
                                                         "grade": item.grade, "changed_rows": len(scores)}))
    with sessions() as session:
        return show_item(session, actor, sample_id, item_id, profile)


def changed_rows(session: Session, item_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Item id → its re-scored rows (label, published score, 复核分, difference, reason), in row order."""
    found: dict[int, list[dict[str, Any]]] = {}
    stored_by_item = dict(session.execute(select(RecheckItem.id, PublishedSelfEvaluation)
                                          .join(PublishedSelfEvaluation,
                                                PublishedSelfEvaluation.id == RecheckItem.self_evaluation_id)
                                          .where(RecheckItem.id.in_(list(item_ids)))).all()) if item_ids else {}
    for item_id, rescored in _item_rows(session, item_ids).items():
        table = stored_table(stored_by_item[item_id])
        for row in rows_of(table):
            done = rescored.get(row.key)
            if done is None:
                continue
            difference = done.score - (row.published or Decimal(0))
            found.setdefault(item_id, []).append({
                "row": row.key, "label": row.label, "weight": format_decimal(row.weight),
                "published": format_decimal(row.published), "score": score_text(done.score),
                "difference": score_text(difference), "reason": done.reason})
    return found
