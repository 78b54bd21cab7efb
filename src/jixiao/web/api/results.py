"""结果应用 through the API: a year's 下年预算安排建议表 and the finance reviewer's decisions (JSON).

The same services as the page (``services.results_use``): only a finance bureau reviewer may call them (403
otherwise, with the reason), on its own region's projects (404 for others').
"""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from jixiao.services import results_use
from jixiao.web.api.models import BudgetRowOut, BudgetSheetOut
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()


class DecisionIn(BaseModel):
    action: str = Field(max_length=16, description="优先保障、据实保障、核减、暂停、取消或约谈")
    amount: str | None = Field(default=None, max_length=40,
                               description="下年金额（万元），如 120.50；暂停、取消为 0 或不填")
    reason: str = Field(max_length=4000, description="理由（必填）")


@router.get("/budget/{year}", response_model=BudgetSheetOut, summary="下年预算安排建议表（绩效结果应用）")
def budget_sheet(db: DbSession, who: Who, context: Context,
                 year: Annotated[int, Path(ge=1900, le=2200)]) -> dict[str, Any]:
    return results_use.sheet(db, who, year, context.profile)


@router.post("/budget/projects/{code}/decision", response_model=BudgetRowOut,
             summary="以决定代替建议（须写明理由，记入审计日志）")
def budget_decision(body: DecisionIn, who: Who, context: Context,
                    code: Annotated[str, Path(min_length=1, max_length=64)]) -> dict[str, Any]:
    return results_use.decide(context.sessions, who, code, body.action, body.amount, body.reason, context.profile)
