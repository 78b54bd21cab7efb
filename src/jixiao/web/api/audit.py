"""The audit log (finance bureau and administrators)."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Query

from jixiao.services import queries
from jixiao.services.local_time import all_local
from jixiao.web.api.models import AuditPageOut
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()


@router.get("/audit", response_model=AuditPageOut, response_model_exclude_unset=True, summary="审计日志")
def audit(db: DbSession, who: Who, context: Context, page: Annotated[int, Query(ge=1, le=100_000)] = 1,
          per_page: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = 50) -> dict[str, Any]:
    found = queries.list_audit(db, who, page, per_page)
    return found | {"items": all_local(found["items"], context.profile.timezone)}
