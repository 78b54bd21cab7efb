"""The finance bureau's 复核 through the API: samples, re-scoring, completion and the report (JSON).

The same services as the pages (``services.recheck``): only a finance bureau reviewer may call them (403
otherwise, with the reason), on its own region's samples (404 for others').
"""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from jixiao.services import recheck
from jixiao.services.local_time import local_iso
from jixiao.services.published_selfeval import project_self_evaluations
from jixiao.services.recheck_report import recheck_report
from jixiao.services.recheck_sampling import MAX_SEED, MAX_SIZE
from jixiao.web.api.models import (
    PublishedSelfEvaluationOut,
    RecheckItemOut,
    RecheckReportOut,
    RecheckSampleOut,
    RecheckSampleSummaryOut,
)
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class SampleIn(BaseModel):
    year: int = Field(ge=1900, le=2200, description="自评表的年度")
    size: int = Field(ge=1, le=MAX_SIZE, description="样本量（张）")
    risk_share: int = Field(default=50, ge=0, le=100, description="按风险（审核发现的问题）抽取的比例（%）")
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED, description="随机种子；不填则生成并记录")


class RowScoreIn(BaseModel):
    row: str = Field(max_length=40, description="execution（预算执行率）或 indicator-N（第 N+1 行指标）")
    score: str = Field(max_length=40, description="复核分，如 \"8.5\"：0 到该行分值之间，最多两位小数")
    reason: str | None = Field(default=None, max_length=2000, description="复核理由：与自评分不同时必填")


class ScoresIn(BaseModel):
    rows: list[RowScoreIn] = Field(max_length=500)


def _iso(data: dict[str, Any], zone: str) -> dict[str, Any]:
    """``created_at`` in the region's time zone, with its offset (:func:`local_iso`)."""
    return data | {"created_at": local_iso(data["created_at"], zone)} if "created_at" in data else data


def _at(data: dict[str, Any] | None, zone: str) -> dict[str, Any] | None:
    return None if data is None else data | {"at": local_iso(data["at"], zone)}


@router.get("/projects/{code}/published-self-evaluation", response_model=PublishedSelfEvaluationOut,
            response_model_exclude_unset=True, summary="项目公开的绩效自评表（最新版本）、其审核问题和单位的自评填报")
def published_self_evaluation(db: DbSession, who: Who, code: str, context: Context) -> dict[str, Any]:
    found = project_self_evaluations(db, who, code, context.profile)
    zone = context.profile.timezone
    found["published"] = _at(found.get("published"), zone)
    found["versions"] = [_at(v, zone) for v in found.get("versions", [])]
    if "own" in found:
        found["own"] = _at(found["own"], zone)
    return {key: found[key] for key in ("published", "versions", "findings", "own") if key in found}


@router.get("/rechecks", response_model=list[RecheckSampleSummaryOut], summary="复核样本（本地区，新的在前）")
def samples(db: DbSession, who: Who, context: Context) -> list[dict[str, Any]]:
    return [_iso(s, context.profile.timezone) for s in recheck.list_samples(db, who)]


@router.post("/rechecks", response_model=RecheckSampleOut, summary="抽取复核样本（按风险加权和随机，可复现）")
def draw(who: Who, body: SampleIn, context: Context) -> dict[str, Any]:
    return _iso(recheck.draw_sample(context.sessions, who, body.year, body.size, body.seed, body.risk_share,
                                    context.profile), context.profile.timezone)


@router.get("/rechecks/{sample_id}", response_model=RecheckSampleOut, summary="复核样本：每张表为什么抽到、自评与复核")
def sample(db: DbSession, who: Who, sample_id: RecordId, context: Context) -> dict[str, Any]:
    return _iso(recheck.show_sample(db, who, sample_id, context.profile), context.profile.timezone)


@router.get("/rechecks/{sample_id}/items/{item_id}", response_model=RecheckItemOut,
            summary="样本中的一张表：可复核的行、自评分、复核分及理由、审核问题")
def item(db: DbSession, who: Who, sample_id: RecordId, item_id: RecordId, context: Context) -> dict[str, Any]:
    return recheck.show_item(db, who, sample_id, item_id, context.profile)


@router.put("/rechecks/{sample_id}/items/{item_id}/scores", response_model=RecheckItemOut,
            summary="复核评分：改动的行须有理由；任何一行有误则都不保存")
def scores(who: Who, sample_id: RecordId, item_id: RecordId, body: ScoresIn, context: Context) -> dict[str, Any]:
    return recheck.rescore(context.sessions, who, sample_id, item_id, [row.model_dump() for row in body.rows])


@router.post("/rechecks/{sample_id}/items/{item_id}/complete", response_model=RecheckItemOut,
             summary="完成一张表的复核：复核总分和等级确定")
def complete(who: Who, sample_id: RecordId, item_id: RecordId, context: Context) -> dict[str, Any]:
    return recheck.complete(context.sessions, who, sample_id, item_id, context.profile)


@router.get("/rechecks/{sample_id}/report", response_model=RecheckReportOut,
            summary="复核报告：按主管部门和单位的自评与复核对比、改分的行及理由")
def report(db: DbSession, who: Who, sample_id: RecordId, context: Context) -> dict[str, Any]:
    return recheck_report(db, who, sample_id, context.profile)
