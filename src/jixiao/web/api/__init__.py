"""The JSON API under /api/v1: thin route modules over the services, with one error envelope.

Every error is ``{"error": {"code": …, "message": <中文>, "details": […]}}`` (rendered by
:mod:`jixiao.web.errors`). Callers identify themselves with ``Authorization: Bearer <token>``;
without it they are the public and see approved tables only.
"""

from __future__ import annotations

from fastapi import APIRouter

from jixiao.web.api import (
    analytics,
    audit,
    batch,
    department_reports,
    docs,
    evaluations,
    history,
    imports,
    jobs,
    library,
    organizations,
    projects,
    recheck,
    rectifications,
    results,
    reviews,
    session,
    workflow,
)
from jixiao.web.api.models import ErrorOut

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": label}
    for status, label in ((403, "无权限"), (404, "不存在或无权查看"), (409, "状态冲突"), (422, "内容不符合要求"))}

router = APIRouter(prefix="/api/v1", responses=ERRORS)
for _area in (session, organizations, projects, history, workflow, batch, evaluations, reviews, imports, jobs, recheck,
              library, results, department_reports, rectifications, analytics, audit, docs):
    router.include_router(_area.router)
