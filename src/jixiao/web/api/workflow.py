"""Workflow moves and review comments (writes: they run in the thread pool)."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from jixiao.domain.workflow import Action, State
from jixiao.services.workflow import comment, transition
from jixiao.web.api.models import CommentOut, TransitionOut
from jixiao.web.deps import Context, Who

router = APIRouter()


class TransitionIn(BaseModel):
    action: Action
    comment: str | None = Field(default=None, max_length=5000)
    override_reason: str | None = Field(default=None, max_length=5000)
    expected_state: State | None = Field(
        default=None, description="调用方看到的状态：项目已被他人改到别的状态时拒绝（409 changed_meanwhile）")


class CommentIn(BaseModel):
    comment: str = Field(min_length=1, max_length=5000)
    field: str | None = Field(default=None, max_length=40, description="表头字段，如 total_wan、annual_goal")
    indicator: int | None = Field(default=None, ge=0, le=1000, description="指标行序号（从 0 开始）")


@router.post("/projects/{code}/transitions", response_model=TransitionOut, response_model_exclude_unset=True,
             summary="流转：提交、审核、报送、批复、退回、调整")
def move(who: Who, code: str, body: TransitionIn, context: Context) -> dict[str, Any]:
    result = transition(context.sessions, who, code, body.action, body.comment, body.override_reason,
                        expected_state=body.expected_state, region=context.profile, now=context.clock())
    return {"project": result.project, "action": result.action, "from_state": result.from_state,
            "to_state": result.to_state, "version": result.version, "errors_overridden": result.errors_overridden}


@router.post("/projects/{code}/comments", response_model=CommentOut, response_model_exclude_unset=True,
             summary="审核意见（可指向某个字段或某条指标）")
def add_comment(who: Who, code: str, body: CommentIn, context: Context) -> dict[str, Any]:
    return comment(context.sessions, who, code, body.comment, body.field, body.indicator)
