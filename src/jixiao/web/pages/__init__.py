"""Server-rendered pages (Jinja2 + htmx) over the same services as the API: one module-level router per area."""

from __future__ import annotations

from fastapi import APIRouter

from jixiao.web.pages import (
    account,
    admin,
    analytics,
    auth,
    batch,
    deadlines,
    department_reports,
    editor,
    evaluation,
    history,
    home,
    imports,
    jobs,
    library,
    projects,
    public,
    recheck,
    rectifications,
    results,
    selfeval_review,
)

router = APIRouter(include_in_schema=False)
for _area in (auth, home, batch, projects, editor, evaluation, selfeval_review, imports, jobs, public, deadlines,
              recheck, library, results, department_reports, rectifications, history, analytics, account, admin):
    router.include_router(_area.router)
