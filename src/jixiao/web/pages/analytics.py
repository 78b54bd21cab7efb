"""统计分析 pages: one view at a time (tabs), its chart with the figures as a table below, filters, drill-down to
the project list and an xlsx export of the view as filtered (:mod:`jixiao.services.analytics`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from jixiao.services import analytics
from jixiao.services.analytics import filters_of
from jixiao.services.exports import analytics_file
from jixiao.services.permissions import Ability, require
from jixiao.web.deps import DbSession, SignedIn
from jixiao.web.pages.common import download, render

router = APIRouter()

Year = Annotated[str | None, Query(max_length=4)]
Department = Annotated[str | None, Query(max_length=32)]
Category = Annotated[str | None, Query(max_length=2)]


@router.get("/analytics")
def analytics_home(viewer: SignedIn) -> Response:
    require(viewer.actor, Ability.ANALYTICS)
    return RedirectResponse("/analytics/money", status_code=303)


@router.get("/analytics/{key}")
def analytics_page(request: Request, key: str, viewer: SignedIn, session: DbSession, year: Year = None,
                   department: Department = None, category: Category = None) -> Response:
    chosen = filters_of(year, department, category)
    found = analytics.view(session, viewer.actor, key, chosen)
    choices = analytics.filter_choices(session, viewer.actor)
    kept = {k: v for k, v in {"year": year, "department": department, "category": category}.items() if v}
    return render(request, "analytics.html.j2", viewer, view=found, data=analytics.as_dict(found), choices=choices,
                  chosen=kept, query=("?" + urlencode(kept)) if kept else "",
                  drill=lambda link: "/projects?" + urlencode(link))


@router.get("/analytics/{key}/export.xlsx")
def analytics_export(key: str, viewer: SignedIn, session: DbSession, year: Year = None,
                     department: Department = None, category: Category = None) -> Response:
    """The view as filtered on screen, as a workbook (its figures, the filters, the note)."""
    return download(analytics_file(session, viewer.actor, key, filters_of(year, department, category)), "xlsx")
