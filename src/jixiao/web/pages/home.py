"""The home page ("my work") and the region overview with charts."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.services.dashboard import home, overview
from jixiao.web.pages.common import login_url, render, viewer_for


def router(sessions: sessionmaker[Session]) -> APIRouter:
    pages = APIRouter()
    calendar = profiles.load().calendar  # the default profile's dates

    @pages.get("/")
    def home_page(request: Request) -> Response:
        viewer = viewer_for(sessions, request)
        if viewer.is_public:
            return RedirectResponse("/public" if not request.cookies.get("jixiao_session") else
                                    "/login?expired=1", status_code=303)
        with sessions() as session:
            data = home(session, viewer.actor, date.today(), calendar)
        return render(request, "home.html.j2", viewer, **data)

    @pages.get("/overview")
    def overview_page(request: Request) -> Response:
        viewer = viewer_for(sessions, request)
        if viewer.is_public:
            return RedirectResponse(login_url(request), status_code=303)
        with sessions() as session:
            data = overview(session, viewer.actor)
        return render(request, "overview.html.j2", viewer, data=data)

    return pages
