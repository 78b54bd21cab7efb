"""The ASGI application: middleware, error handlers, the API and page routers, static files.

:func:`create_app` takes the :class:`~jixiao.services.context.AppContext` built once per process;
:func:`create_app_from_env` builds it from ``JIXIAO_DATABASE_URL`` (for ``uvicorn --factory`` and
several workers; ``jixiao serve`` has migrated the database before).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from jixiao import __version__
from jixiao.services.context import AppContext
from jixiao.web import api, errors, health, pages
from jixiao.web.deps import WebState
from jixiao.web.inputs import NulGuard
from jixiao.web.middleware import BodyLimit, SecurityHeaders
from jixiao.web.observe import Observe

STATIC = Path(__file__).resolve().parent / "static"


def create_app(context: AppContext) -> FastAPI:
    app = FastAPI(title="jixiao 绩效 API", version=__version__, openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, default_response_class=JSONResponse)
    app.state.web = WebState(context)
    app.add_middleware(NulGuard)  # inside the body limit: it reads only bodies the limit let through
    app.add_middleware(BodyLimit)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(health.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Observe)  # outermost: the request id and the metrics see every answer
    return app


def create_app_from_env() -> FastAPI:
    """The application on the database named by ``JIXIAO_DATABASE_URL`` (already migrated by ``jixiao serve``),
    logging as ``JIXIAO_LOG_FORMAT`` and ``JIXIAO_LOG_LEVEL`` say (each worker process configures its own)."""
    from jixiao.services.logs import configure

    configure()
    return create_app(AppContext.from_url())
