"""The ASGI application built from the environment (for ``uvicorn --factory`` and several workers)."""

from __future__ import annotations

from fastapi import FastAPI

from jixiao.storage.db import make_engine, session_factory
from jixiao.web.api import create_app


def create_app_from_env() -> FastAPI:
    """The API on the database named by ``JIXIAO_DATABASE_URL`` (already migrated by ``jixiao serve``)."""
    return create_app(session_factory(make_engine()))
