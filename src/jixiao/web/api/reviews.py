"""Workflow hardening: reopening a closed submission window, the self-evaluation's review, correction requests."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from jixiao.services.corrections import decide, list_corrections, request_correction
from jixiao.services.reopenings import list_reopenings, reopen
from jixiao.services.selfeval_review import review
from jixiao.web.api.models import CorrectionOut, ReopeningOut, SelfEvalReviewOut
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()
MAX_ID = 2**31 - 1


class ReopenIn(BaseModel):
    task: Literal["targets", "monitoring", "selfeval"]
    fiscal_year: int = Field(ge=1900, le=2200)
    until: str = Field(max_length=20, description="重新开放至（如 2026-12-31，含当日）")
    reason: str = Field(max_length=2000)
    unit: str | None = Field(default=None, max_length=32, description="单位代码（与 project 二选一）")
    project: str | None = Field(default=None, max_length=64, description="项目代码（与 unit 二选一）")


class ReviewIn(BaseModel):
    action: Literal["approve", "return"]
    comment: str | None = Field(default=None, max_length=5000)


class CorrectionIn(BaseModel):
    indicator: str | None = Field(default=None, max_length=300, description="指标名称；空：预算执行或实际完成情况")
    field: str = Field(max_length=32, description="actual|points|reason，或 executed 等、achieved")
    new_value: str = Field(max_length=2000)
    reason: str = Field(max_length=2000)


class DecisionIn(BaseModel):
    approve: bool
    comment: str | None = Field(default=None, max_length=5000)


@router.post("/reopenings", response_model=ReopeningOut, response_model_exclude_unset=True,
             summary="重新开放提交（截止日期已过）：指定单位或项目、截止日期和理由")
def reopen_window(who: Who, body: ReopenIn, context: Context) -> dict[str, Any]:
    return reopen(context.sessions, who, body.task, body.fiscal_year, body.until, body.reason, body.unit,
                  body.project, region=context.profile, now=context.clock())


@router.get("/reopenings", response_model=list[ReopeningOut], response_model_exclude_unset=True,
            summary="某年度的重新开放记录（财政部门）")
def reopenings(db: DbSession, who: Who, year: int = Query(ge=1900, le=2200)) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "at"} | {"fiscal_year": year}
            for row in list_reopenings(db, who, year)]


@router.post("/projects/{code}/self-evaluations/{record}/review", response_model=SelfEvalReviewOut,
             response_model_exclude_unset=True, summary="审核自评：通过或退回（不能审核自己提交的自评）")
def review_self_evaluation(who: Who, code: str, body: ReviewIn, context: Context,
                           record: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    return review(context.sessions, who, code, record, body.action, body.comment, now=context.clock())


@router.post("/projects/{code}/self-evaluations/{record}/corrections", response_model=CorrectionOut,
             response_model_exclude_unset=True, summary="更正申请：已审核通过的自评中的一项（原值、新值、理由）")
def file_correction(who: Who, code: str, body: CorrectionIn, context: Context,
                    record: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    return request_correction(context.sessions, who, code, record, body.field, body.new_value, body.reason,
                              body.indicator)


@router.get("/projects/{code}/corrections", response_model=list[CorrectionOut], response_model_exclude_unset=True,
            summary="项目的更正申请")
def corrections(db: DbSession, who: Who, code: str) -> list[dict[str, Any]]:
    return list_corrections(db, who, code)


@router.post("/corrections/{correction}/decision", response_model=CorrectionOut, response_model_exclude_unset=True,
             summary="批准（重新计分）或驳回更正申请（不能处理自己提交的申请）")
def decide_correction(who: Who, body: DecisionIn, context: Context,
                      correction: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    return decide(context.sessions, who, correction, body.approve, body.comment, now=context.clock())
