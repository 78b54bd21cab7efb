"""``/healthz`` (the process answers), ``/readyz`` (and its database does) and ``/metrics`` (Prometheus).

Outside ``/api`` so that a load balancer or an orchestrator probes them without a token; ``/metrics`` is kept
from the outside by the reverse proxy (``deploy/nginx/jixiao.conf``).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from jixiao import __version__
from jixiao.services.health import NotReady, check_database, check_queue
from jixiao.services.metrics import exposition, observe_jobs
from jixiao.web.api.models import ErrorOut
from jixiao.web.deps import Context
from jixiao.web.errors import envelope

router = APIRouter(tags=["运维"])


class Health(BaseModel):
    status: Literal["ok"] = Field(description="进程正在运行")
    version: str = Field(description="jixiao 的版本")


class Ready(BaseModel):
    status: Literal["ok"] = Field(description="可以处理请求")
    database: Literal["ok"] = Field(description="数据库可以连接")
    queue: Literal["ok", "none"] = Field("none", description="后台任务队列可以连接（none：本进程没有任务队列）")


@router.get("/healthz", response_model=Health, summary="存活检查：进程正在运行（不访问数据库）")
async def healthz() -> Health:
    return Health(status="ok", version=__version__)


@router.get("/readyz", response_model=Ready, summary="就绪检查：数据库和后台任务队列可以连接",
            responses={503: {"model": ErrorOut, "description": "数据库或任务队列不可用"}})
def readyz(context: Context) -> Ready | Response:
    try:
        check_database(context.sessions)
        waiting = check_queue(context.jobs)
    except NotReady as error:
        return envelope(error)
    return Ready(status="ok", database="ok", queue="none" if waiting is None else "ok")


@router.get("/metrics", include_in_schema=False)
def metrics(context: Context) -> Response:
    observe_jobs(context.sessions)  # jobs by state: read from the database at each scrape, the same in any process
    body, content_type = exposition()
    return Response(body, media_type=content_type)
