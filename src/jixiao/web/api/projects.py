"""Project reads: the list (paged, filtered, sorted), one project, its versions and its findings."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from jixiao.domain.workflow import State
from jixiao.services import queries
from jixiao.services.editing import save_draft
from jixiao.services.local_time import all_local, with_local
from jixiao.services.opened import note_view
from jixiao.web.api.models import DraftOut, FindingOut, ProjectDetailOut, ProjectPageOut, VersionOut
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()


@router.get("/projects", response_model=ProjectPageOut, response_model_exclude_unset=True,
            summary="项目列表（分页、筛选、排序）")
async def projects(db: DbSession, who: Who, state: Annotated[State | None, Query()] = None,
                   year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                   unit: Annotated[str | None, Query(max_length=32)] = None,
                   department: Annotated[str | None, Query(max_length=32)] = None,
                   grade: Annotated[Literal["优", "良", "中", "差"] | None, Query()] = None,
                   severity: Annotated[Literal["error", "warning", "info", "none"] | None, Query()] = None,
                   q: Annotated[str | None, Query(max_length=100)] = None,
                   sort: Literal["code", "-code", "name", "-name", "year", "-year", "state", "-state"] = "code",
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                   per_page: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = 50) -> dict[str, Any]:
    return queries.list_projects(db, who, state=state.value if state else None, year=year, unit=unit,
                                 department=department, grade=grade,
                                 severity=severity, q=q, sort=sort, page=page, per_page=per_page)


@router.get("/projects/{code}", response_model=ProjectDetailOut, response_model_exclude_unset=True,
            summary="项目详情（当前版本的绩效目标表）")
def project(who: Who, code: str, context: Context) -> dict[str, Any]:
    note_view(context.sessions, who, code)  # a reviewer has opened the submission: no withdrawal after this
    with context.sessions() as db:
        detail = queries.show_project(db, who, code)
    zone = context.profile.timezone  # every moment in the region's time zone, with its offset
    if "reviews" in detail:
        detail["reviews"] = all_local(detail["reviews"], zone)
    if "last_return" in detail:
        detail["last_return"] = with_local(detail["last_return"], zone)
    return detail


@router.get("/projects/{code}/versions", response_model=list[VersionOut], response_model_exclude_unset=True,
            summary="项目的全部版本")
async def versions(db: DbSession, who: Who, code: str, context: Context) -> list[dict[str, Any]]:
    return all_local(queries.list_versions(db, who, code), context.profile.timezone, ("created_at",))


@router.get("/projects/{code}/findings", response_model=list[FindingOut], response_model_exclude_unset=True,
            summary="提交时自动审核发现的问题")
async def findings(db: DbSession, who: Who, code: str) -> list[dict[str, Any]]:
    return queries.list_findings(db, who, code)


class DraftIn(BaseModel):
    content: dict[str, Any] = Field(description="绩效目标表（JSON 交换格式第1版）")
    based_on: int | None = Field(default=None, ge=0, le=2**31 - 1,
                                 description="在第几版上修改：已有更新的版本时拒绝，不覆盖他人的修改")


@router.put("/projects/{code}/draft", response_model=DraftOut, summary="保存草稿（与编辑器的保存相同的检查）")
def draft(who: Who, code: str, body: DraftIn, context: Context) -> dict[str, Any]:
    return save_draft(context.sessions, who, code, body.content, body.based_on)
