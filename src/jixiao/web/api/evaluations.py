"""Self-evaluations (自评) and monitoring (双监控): submit with the score or lights returned, and list."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from jixiao.services.local_time import all_local
from jixiao.services.submissions import list_submissions, submit_monitoring, submit_self_evaluation
from jixiao.web.api.models import MonitoringOut, SelfEvaluationOut, SubmissionOut
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()


class SelfEvalIn(BaseModel):
    actuals: list[dict[str, str | None]] = Field(description="[{indicator, actual, points, reason}]",
                                                 max_length=500)
    budget: dict[str, str | None] | None = Field(
        default=None, description="{initial, adjusted, executed, current_year, carried_over, other}（万元）")
    achieved: str | None = Field(default=None, max_length=20_000, description="实际完成情况（年度目标的完成情况）")


class MonitoringIn(BaseModel):
    month: int = Field(ge=1, le=12)
    progress: list[dict[str, str | None]] = Field(description="[{indicator, to_date, forecast, reason, likelihood}]",
                                                  max_length=500)
    budget: dict[str, str | None] | None = Field(default=None, description="{adjusted, executed_to_date}（万元）")


@router.post("/projects/{code}/self-evaluations", response_model=SelfEvaluationOut, response_model_exclude_unset=True,
             summary="填报自评：实际完成值和预算执行，返回计分及算式")
def self_evaluate(who: Who, code: str, body: SelfEvalIn, context: Context) -> dict[str, Any]:
    return submit_self_evaluation(context.sessions, who, code, body.actuals, body.budget, achieved=body.achieved,
                                  now=context.clock(), region=context.profile)


@router.get("/projects/{code}/self-evaluations", response_model=list[SubmissionOut],
            response_model_exclude_unset=True, summary="项目的自评记录")
def self_evaluations(db: DbSession, who: Who, code: str, context: Context) -> list[dict[str, Any]]:
    return all_local(list_submissions(db, who, code, "selfeval"), context.profile.timezone)


@router.post("/projects/{code}/monitoring", response_model=MonitoringOut, response_model_exclude_unset=True,
             summary="填报运行监控（双监控），返回红黄绿灯")
def report_monitoring(who: Who, code: str, body: MonitoringIn, context: Context) -> dict[str, Any]:
    return submit_monitoring(context.sessions, who, code, body.month, body.progress, body.budget,
                             now=context.clock(), region=context.profile)


@router.get("/projects/{code}/monitoring", response_model=list[SubmissionOut], response_model_exclude_unset=True,
            summary="项目的监控记录")
def monitoring(db: DbSession, who: Who, code: str, context: Context) -> list[dict[str, Any]]:
    return all_local(list_submissions(db, who, code, "monitoring"), context.profile.timezone)
