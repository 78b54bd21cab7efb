"""Where a project's 结果应用 inputs come from in the store, read for many projects in a few queries.

- grade: the latest completed 复核 of its published 自评表, else the unit's latest self-evaluation (of any
  version), else the published 自评表's own grade;
- base: the unit's 全年预算数 as reported, else the published 自评表's, else the approved target table's total;
- light: the worst of the spending and indicator lights of the latest monitoring report;
- audit errors: the error findings kept with the latest published 自评表;
- years running and last year's score: the projects of the same unit with the same name key in earlier years.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.scoring.results_use import ProjectOutcome
from jixiao.storage.models import (
    MonitoringReport,
    Organization,
    Project,
    PublishedSelfEvaluation,
    RecheckItem,
    SelfEvaluation,
    TableVersion,
)

_LIGHT_ORDER = {"红": 4, "无法判断": 3, "黄": 2, "蓝": 1, "绿": 0}


class OutcomeSources:
    def __init__(self, session: Session, projects: Sequence[Project]) -> None:
        self.session = session
        self.projects = list(projects)
        self.ids = [project.id for project in self.projects]

    def outcomes(self) -> list[ProjectOutcome]:
        if not self.projects:
            return []
        own = self._own_evaluations(self.ids)
        published = self._published(self.ids)
        rechecked = self._rechecks([row.id for row in published.values()])
        lights = self._lights()
        totals = self._approved_totals()
        names = self._names()
        history = self._history()
        found = []
        for project in self.projects:
            evaluation, stored = own.get(project.id), published.get(project.id)
            grade, source, total = None, None, None
            if stored is not None and stored.id in rechecked:
                grade, total, source = rechecked[stored.id][0], rechecked[stored.id][1], "复核"
            elif evaluation is not None:
                grade, total, source = evaluation.grade, evaluation.total, "自评"
            elif stored is not None and stored.grade:
                grade, total, source = stored.grade, stored.total_score, "公开自评表"
            budget = _decimal(((evaluation.reported if evaluation else {}) or {}).get("budget", {}).get("adjusted"))
            if budget is None and stored is not None:
                budget = _decimal(((stored.content or {}).get("budget") or {}).get("adjusted_wan"))
            if budget is None:
                budget = totals.get(project.id)
            unit, department = names.get(project.unit_id or -1, (None, None))
            running, previous = history.get(project.id, (1, None))
            findings = ((stored.audit or {}).get("findings") or []) if stored is not None else []
            errors = sum(1 for finding in findings if finding.get("severity") == "error")
            found.append(ProjectOutcome(project.code, project.name or project.code, department, unit, budget, grade,
                                        source, total, lights.get(project.id), errors, running, previous))
        return found

    def _own_evaluations(self, ids: Sequence[int]) -> dict[int, SelfEvaluation]:
        rows = self.session.execute(select(TableVersion.project_id, SelfEvaluation)
                                    .join(TableVersion, TableVersion.id == SelfEvaluation.version_id)
                                    .where(TableVersion.project_id.in_(list(ids)))
                                    .order_by(SelfEvaluation.at, SelfEvaluation.id)).all()
        return dict(rows)  # (project id, evaluation) in time order: the latest wins

    def _published(self, ids: Sequence[int]) -> dict[int, PublishedSelfEvaluation]:
        rows = self.session.scalars(select(PublishedSelfEvaluation).where(PublishedSelfEvaluation.project_id
                                                                          .in_(list(ids)))
                                    .order_by(PublishedSelfEvaluation.number))
        return {row.project_id: row for row in rows}

    def _rechecks(self, stored_ids: Sequence[int]) -> dict[int, tuple[str, Decimal | None]]:
        if not stored_ids:
            return {}
        rows = self.session.scalars(select(RecheckItem).where(RecheckItem.self_evaluation_id.in_(list(stored_ids)),
                                                              RecheckItem.state == "done")
                                    .order_by(RecheckItem.completed_at, RecheckItem.id))
        return {row.self_evaluation_id: (row.grade or "", row.total) for row in rows if row.grade}

    def _lights(self) -> dict[int, str]:
        rows = self.session.execute(select(TableVersion.project_id, MonitoringReport)
                                    .join(TableVersion, TableVersion.id == MonitoringReport.version_id)
                                    .where(TableVersion.project_id.in_(self.ids))
                                    .order_by(MonitoringReport.month, MonitoringReport.at, MonitoringReport.id)).all()
        latest: dict[int, MonitoringReport] = dict(rows)  # the last month's report wins

        def worst(report: MonitoringReport) -> str:
            return max((report.spending_light, report.indicator_light), key=lambda light: _LIGHT_ORDER.get(light, 0))

        return {project_id: worst(report) for project_id, report in latest.items()}

    def _approved_totals(self) -> dict[int, Decimal]:
        wanted = {project.published_version: project.id for project in self.projects if project.published_version}
        if not wanted:
            return {}
        rows = self.session.execute(select(TableVersion.project_id, TableVersion.number, TableVersion.total_wan)
                                    .where(TableVersion.project_id.in_(self.ids))).all()
        return {project_id: total for project_id, number, total in rows
                if total is not None and wanted.get(number) == project_id}

    def _names(self) -> dict[int, tuple[str | None, str | None]]:
        ids = {project.unit_id for project in self.projects if project.unit_id is not None}
        if not ids:
            return {}
        units = {row.id: row for row in self.session.scalars(select(Organization).where(Organization.id.in_(ids)))}
        parents = {unit.parent_id for unit in units.values() if unit.parent_id is not None}
        above = {row.id: row for row in self.session.scalars(select(Organization).where(Organization.id.in_(parents)))}
        return {uid: (unit.name, above[unit.parent_id].name if unit.parent_id in above else None)
                for uid, unit in units.items()}

    def _history(self) -> dict[int, tuple[int, Decimal | None]]:
        """Project id → (years running, last year's score), from same-unit, same-name projects of earlier years."""
        keys = {(project.unit_id, project.name_key) for project in self.projects if project.name_key}
        if not keys:
            return {}
        earlier = list(self.session.scalars(select(Project).where(Project.name_key.in_({key for _, key in keys}))))
        years: dict[tuple[int | None, str], dict[int, int]] = {}
        for row in earlier:
            if row.fiscal_year is not None and row.name_key:
                years.setdefault((row.unit_id, row.name_key), {})[row.fiscal_year] = row.id
        previous_ids = []
        for project in self.projects:
            seen = years.get((project.unit_id, project.name_key or ""), {})
            if project.fiscal_year is not None and project.fiscal_year - 1 in seen:
                previous_ids.append(seen[project.fiscal_year - 1])
        previous_scores = {pid: evaluation.total for pid, evaluation in self._own_evaluations(previous_ids).items()} \
            if previous_ids else {}
        found = {}
        for project in self.projects:
            seen = years.get((project.unit_id, project.name_key or ""), {})
            year = project.fiscal_year
            if year is None:
                continue
            running = 1
            while year - running in seen:  # consecutive years back from this one
                running += 1
            previous = previous_scores.get(seen.get(year - 1, -1))
            found[project.id] = (running, previous)
        return found


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
