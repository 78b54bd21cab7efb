"""Organisations are public facts: who spends, who reviews."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Any

from fastapi import APIRouter

from jixiao.services import queries
from jixiao.web.api.models import OrganizationOut
from jixiao.web.deps import DbSession

router = APIRouter()


@router.get("/organizations", response_model=list[OrganizationOut], response_model_exclude_unset=True,
            summary="组织（财政部门、主管部门、单位）")
async def organizations(db: DbSession) -> list[dict[str, Any]]:
    return queries.list_organizations(db)
