"""The re-review job: after a profile change, review the current version of every project of a year again with
the deployment's profile, so the list's 问题级别 and 审核等级 agree with what the pages now show.

Projects are done in batches, each batch one transaction with its progress (a crash redoes only the batch it was
on; reviewing again is idempotent). The result lists the projects whose grade or worst severity changed.
"""

from __future__ import annotations

import csv
import io

from jixiao.domain.workflow import Role
from jixiao.services.editing import summarise
from jixiao.services.errors import InvalidInput
from jixiao.services.jobs_step import Run
from jixiao.services.permissions import Actor, PermissionDenied, visible_projects
from jixiao.storage.models import Project
from jixiao.storage.repository import latest_version

BATCH = 100
SEVERITY_LABELS = {"error": "有错误", "warning": "有警告", "info": "有提示", "none": "无问题", None: "未审核"}


def check_request(actor: Actor, year: int) -> None:
    if actor.role not in (Role.FINANCE_REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有财政部门审核人和管理员可以重新审核一个年度的项目")
    if not 1900 <= year <= 2200:
        raise InvalidInput(f"年度“{year}”无效：应为四位数字，如 2022")


def project_ids(session: object, actor: Actor, year: int) -> list[int]:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    query = visible_projects(session, actor).where(Project.fiscal_year == year)
    return list(session.scalars(query.with_only_columns(Project.id).order_by(Project.id)))


def run_rereview(step: Run) -> tuple[str, str, bytes]:
    year = int(step.job_params["year"])
    sessions, rules = step.context.sessions, step.context.profile.rules
    with sessions() as session:
        ids = project_ids(session, step.actor, year)
        done_before = step.done_so_far(session)
    with sessions.begin() as session:
        step.record(session, total=len(ids))
    changed = list(step.job_params.get("changed", []))
    for start in range(done_before, len(ids), BATCH):
        step.checkpoint()
        with sessions.begin() as session:
            for project_id in ids[start:start + BATCH]:
                project = session.get(Project, project_id)
                version = latest_version(session, project_id) if project is not None else None
                if project is None or version is None:
                    continue
                before = (project.worst_severity, project.review_grade)
                summarise(project, version.content, rules)
                if (project.worst_severity, project.review_grade) != before:
                    changed.append([project.code, SEVERITY_LABELS.get(before[0], before[0]), before[1] or "",
                                    SEVERITY_LABELS.get(project.worst_severity, project.worst_severity),
                                    project.review_grade or ""])
            step.record(session, done=len(ids[start:start + BATCH]), params={"changed": changed})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["项目编码", "原问题级别", "原审核等级", "现问题级别", "现审核等级"])
    writer.writerows(changed)
    return (f"重新审核-{year}-变化的项目.csv", "text/csv; charset=utf-8",
            ("\ufeff" + out.getvalue()).encode("utf-8"))
