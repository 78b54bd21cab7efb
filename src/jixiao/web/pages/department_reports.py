"""The 部门自评综合报告 page: a department and a year chosen, the projects it covers, and the draft to download.

Department reviewers see their own department, finance reviewers their region's and administrators all
(:mod:`jixiao.services.department_reports`); a unit is refused with the reason.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from jixiao.services import department_reports
from jixiao.services.department_reports import REPORT_FORMATS
from jixiao.services.exports import department_report_file
from jixiao.services.permissions import Ability, require
from jixiao.web.cookies import shown
from jixiao.web.deps import Context, SignedIn
from jixiao.web.pages.common import download, render, small_int

router = APIRouter()


@router.get("/department-reports")
def department_reports_page(request: Request, viewer: SignedIn, context: Context, department: str = "",
                            year: str = "") -> Response:
    require(viewer.actor, Ability.DEPARTMENT_REPORT)
    with context.sessions() as session:
        choices = department_reports.departments(session, viewer.actor)
        years = department_reports.years(session, viewer.actor)
        chosen_year = small_int(year.strip(), 1900, 2200) if year.strip() else (years[0] if years else None)
        code = department.strip() or (choices[0]["code"] if choices else "")
        error = None
        if year.strip() and chosen_year is None:
            error = f"「年度」应为四位数字的年份，收到“{year[:20]}”"
        summary = (department_reports.department_summary(session, viewer.actor, code, chosen_year)
                   if chosen_year is not None and code else None)
    page = render(request, "department_reports.html.j2", viewer, 422 if error else 200, choices=choices,
                  years=years, year=chosen_year, code=code, summary=summary, error=error)
    return shown(page, request)


@router.get("/department-reports/{department}/{year}/report.{report_format}")
def department_report_download(request: Request, department: Annotated[str, PathParam(min_length=1, max_length=32)],
                               year: Annotated[int, PathParam(ge=1900, le=2200)], report_format: str,
                               viewer: SignedIn, context: Context) -> Response:
    """The drafted 自评综合报告: every figure traced, the department's paragraphs left to write."""
    if report_format not in REPORT_FORMATS:
        return render(request, "error.html.j2", viewer, 404,
                      message=f"没有“{report_format}”格式的部门自评综合报告：可选 Word（docx）、PDF（pdf）")
    with context.sessions() as session:
        found = department_report_file(session, viewer.actor, department, year, report_format, context.profile)
    return download(found, report_format)
