"""The home page ("my work") and the region overview with charts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from jixiao.services.dashboard import home, overview
from jixiao.web.deps import Context, DbSession, Seen, SignedIn
from jixiao.web.pages.common import render

router = APIRouter()
@router.get("/")
def home_page(request: Request, viewer: Seen, context: Context) -> Response:
    if viewer.is_public:
        return RedirectResponse("/public" if not request.cookies.get("jixiao_session") else
                                "/login?expired=1", status_code=303)
    calendar = context.profile.calendar
    with context.sessions() as session:
        data = home(session, viewer.actor, context.today(), calendar)
    return render(request, "home.html.j2", viewer, **data)


@router.get("/overview")
def overview_page(request: Request, viewer: SignedIn, session: DbSession) -> Response:
    return render(request, "overview.html.j2", viewer, data=overview(session, viewer.actor))
