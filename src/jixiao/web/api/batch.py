"""Batch workflow moves: one action on many tables, a result per table (each checked as if done alone)."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from jixiao.domain.workflow import Action
from jixiao.services.batch import MAX_BATCH, batch_transition
from jixiao.web.api.models import BatchOut
from jixiao.web.deps import Context, Who

router = APIRouter()


class BatchIn(BaseModel):
    action: Action = Field(description="submit、start_review、forward、return 或 approve（调整须逐张进行）")
    codes: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=MAX_BATCH, description=f"项目编码（一次最多 {MAX_BATCH} 个）")
    comment: str | None = Field(default=None, max_length=5000, description="退回意见（退回时必填，记入每张表）")


@router.post("/transitions", response_model=BatchOut, summary="批量流转：多张表同一操作，逐张检查，逐张给出结果")
def batch(who: Who, body: BatchIn, context: Context) -> dict[str, Any]:
    return batch_transition(context.sessions, who, body.codes, body.action, body.comment, region=context.profile,
                            now=context.clock()).to_dict()
