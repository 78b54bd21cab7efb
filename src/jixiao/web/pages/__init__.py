"""Server-rendered pages (Jinja2 + htmx) over the same services as the API."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session, sessionmaker

from jixiao.web.pages import auth, editor, evaluation, home, imports, projects, public


def page_router(sessions: sessionmaker[Session]) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for module in (auth, home, projects, editor, evaluation, imports, public):
        router.include_router(module.router(sessions))
    return router
