"""跨年度 through the API: a project's link to the year before (how it was found) and each indicator's history, and
the finance reviewer's correction of the link (JSON).

The same services as the project page and the 跨年度 page (``services.project_history``): a project the caller
may not see is a 404, and the public is refused (403) as the project page shows it no history; only a finance
reviewer may correct a link (403 otherwise), with a reason, audited.
"""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from jixiao.services import project_history
from jixiao.services.permissions import PermissionDenied
from jixiao.web.api.models import Model
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()
Code = Annotated[str, Path(min_length=1, max_length=64)]


class LinkedProjectOut(Model):
    code: str
    name: str | None
    year: int | None


class LineEntryOut(Model):
    code: str
    year: int | None


class YearPointOut(Model):
    year: int
    operator: str | None
    target: str | None = Field(description="目标值（数字）")
    target_text: str | None = Field(description="目标值（原文）")
    unit: str | None
    actual: str | None = Field(description="实际完成值（数字；来自该年度的自评）")
    actual_text: str | None
    score: str | None
    weight: str | None
    met: bool | None = Field(description="是否完成：按指标方向比较实际与目标，或得分是否达到分值")


class IndicatorHistoryOut(Model):
    index: int = Field(description="本年目标表中的指标序号（从 0 起）")
    name: str
    unit: str | None
    years: list[YearPointOut] = Field(description="历年（由早到晚，最后一项为本年）")


class ProjectHistoryOut(Model):
    previous: LinkedProjectOut | None = Field(description="上一年度（或更早最近年度）的同一项目")
    by: str | None = Field(description="serial（编码序号相同）、name_unit（同一单位名称相近）或 manual（人工确定）")
    by_label: str | None
    score: float | None = Field(description="按名称关联时的名称相似度（0–100）")
    line: list[LineEntryOut] = Field(description="历年的前序项目，由近及远")
    indicators: list[IndicatorHistoryOut]
    may_correct: bool = Field(description="调用者能否更正关联")


class LinkIn(BaseModel):
    previous: str | None = Field(default=None, max_length=64,
                                 description="上年项目的编码；空：本项目没有上年项目")
    reason: str = Field(max_length=2000, description="理由（必填，记入审计日志）")


@router.get("/projects/{code}/history", response_model=ProjectHistoryOut,
            summary="项目的跨年度关联和各指标的历年目标、实际")
def project_history_view(db: DbSession, who: Who, code: Code) -> dict[str, Any]:
    if who.is_public:  # as on the project page: the units' own self-evaluations are not for the public
        raise PermissionDenied("项目的跨年度情况（含单位自评的实际完成值）仅供登录用户查看")
    return project_history.link_view(db, who, code)


@router.post("/projects/{code}/history/link", response_model=ProjectHistoryOut,
             summary="更正跨年度关联（财政部门审核人；须写明理由，记入审计日志）")
def correct_project_link(body: LinkIn, who: Who, context: Context, code: Code) -> dict[str, Any]:
    return project_history.correct_link(context.sessions, who, code, body.previous, body.reason)
