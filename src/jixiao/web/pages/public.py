"""Public pages under /public (no login): approved tables only, by department and unit, searchable,
each in the published layout with JSON and CSV links. No phones, no review comments, no drafts:
every read goes through the services as the public actor, which enforce exactly that."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from jixiao.services import opendata, queries
from jixiao.services.context import AppContext
from jixiao.services.errors import NotFound
from jixiao.services.exports import NothingToExport, table_file
from jixiao.services.permissions import PUBLIC, PermissionDenied
from jixiao.services.tables import table_csv
from jixiao.web.deps import Context, DbSession, Seen, Web, viewer_for
from jixiao.web.errors import envelope
from jixiao.web.pages.common import ANONYMOUS, bad_filters, download, render, small_int

PER_PAGE = 50


def _disposition(kind: str, code: str, suffix: str) -> str:
    """A download name that survives any code (codes of tables without one are Chinese): RFC 6266."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in code) or "table"
    return f"{kind}; filename=\"{fallback}.{suffix}\"; filename*=UTF-8''{quote(code)}.{suffix}"


router = APIRouter()
# 16×16, generated (the info colour with three white bars): browsers ask for it on every page, a 404 each time
FAVICON = (Path(__file__).resolve().parents[1] / "static" / "favicon.ico").read_bytes()


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/public")
def public_list(request: Request, viewer: Seen, web: Web, session: DbSession,
                q: Annotated[str | None, Query(max_length=100)] = None,
                department: Annotated[str | None, Query(max_length=32)] = None,
                unit: Annotated[str | None, Query(max_length=32)] = None,
                year: Annotated[str | None, Query(max_length=4)] = None,
                page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    chosen = {"q": q, "department": department, "unit": unit, "year": year}
    wrong = bad_filters({"year": year})
    if wrong is not None:
        return render(request, "error.html.j2", viewer, 400, message=wrong, status=400)
    choices = web.cache("public-choices", seconds=60)
    listing = queries.list_projects(session, PUBLIC, q=(q or "").strip() or None, department=department or None,
                                    unit=unit or None, year=small_int(year, 1900, 2200),
                                    page=page, per_page=PER_PAGE, with_units=True)
    options = queries.cached_filter_options(session, PUBLIC, choices, ("public",))
    kept = {k: v for k, v in chosen.items() if v}

    def link(**change: Any) -> str:
        return "/public?" + urlencode({**kept, **change})

    return render(request, "public_list.html.j2", viewer, listing=listing,
                  options=options, chosen=chosen, link=link, pages_total=max(1, -(-listing["total"] // PER_PAGE)))


def _published(context: AppContext, code: str) -> dict[str, Any] | None:
    with context.sessions() as session:
        try:
            return queries.show_project(session, PUBLIC, code)
        except PermissionDenied:
            return None


def _not_published(code: str) -> str:
    return f"没有已公开的项目“{code}”"


@router.api_route("/public/data/datapackage.json", methods=["GET", "HEAD"])
def public_datapackage(request: Request) -> Response:
    """The open-data description of the two tables below (Frictionless Data Package); HEAD as GET, no body
    (open-data tools and link checkers ask HEAD first)."""
    found = JSONResponse(opendata.datapackage(), media_type="application/json",
                         headers={"Content-Disposition": 'inline; filename="datapackage.json"'})
    if request.method == "HEAD":
        return Response(status_code=200, headers=dict(found.headers))  # the GET's length and type, no body
    return found


@router.api_route("/public/data/{name}.csv", methods=["GET", "HEAD"])
def public_table(request: Request, name: str, context: Context) -> Response:
    if name not in opendata.RESOURCES:
        return Response(f"没有公开数据表“{name}”（有：projects.csv、indicators.csv）\n", status_code=404,
                        media_type="text/plain; charset=utf-8")
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    if request.method == "HEAD":  # the GET's headers without writing the whole table out
        return Response(status_code=200, media_type="text/csv; charset=utf-8", headers=headers)
    return StreamingResponse(opendata.csv_chunks(context.sessions, name, context.profile.timezone),
                             media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/public/projects/{code}.json")
def public_json(code: str, context: Context) -> Response:
    found = _published(context, code)
    if found is None:
        return envelope(NotFound(_not_published(code)))
    return JSONResponse(found["table"], headers={"Content-Disposition": _disposition("inline", code, "json")})


@router.get("/public/projects/{code}.csv")
def public_csv(code: str, context: Context) -> Response:
    found = _published(context, code)
    if found is None:
        return Response(_not_published(code) + "\n", status_code=404, media_type="text/plain; charset=utf-8")
    return Response(table_csv(found["table"] or {}), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": _disposition("attachment", code, "csv")})


@router.get("/public/projects/{code}.pdf")
def public_pdf(code: str, context: Context) -> Response:
    """The approved table as the official PDF (A4 landscape), as the public page shows it (no phone)."""
    with context.sessions() as session:
        try:
            found = table_file(session, PUBLIC, code, "pdf")
        except (PermissionDenied, NothingToExport):
            found = None
    if found is None:
        return Response(_not_published(code) + "\n", status_code=404, media_type="text/plain; charset=utf-8")
    return download(found, "pdf")


@router.get("/public/projects/{code}")
def public_project(request: Request, code: str, context: Context) -> Response:
    found = _published(context, code)
    if found is None:
        return render(request, "error.html.j2", ANONYMOUS, 404,
                      message=f"{_not_published(code)}（只公开已批复的绩效目标）")
    return render(request, "public_project.html.j2", viewer_for(context, request), project=found,
                  table=found["table"] or {})
