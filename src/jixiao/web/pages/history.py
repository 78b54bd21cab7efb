"""跨年度: the page of cross-year flags (P007–P010) over the viewer's projects, and the correction of a link.

Every route asks :mod:`jixiao.services.project_history`: the flags of the projects the viewer may see, and a
correction only by a finance bureau reviewer (403 with the reason), audited, with its required reason.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from jixiao.services import history_flags, project_history
from jixiao.services.permissions import PermissionDenied
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, SignedIn, SignedInPost
from jixiao.web.pages.common import csrf_ok, render, small_int

router = APIRouter()
Code = Annotated[str, PathParam(min_length=1, max_length=64)]
PAGE = 200  # flags a page lists
RULE_TITLES = {"P007": "目标低于上年且上年已超额完成", "P008": "目标历年等于上年实际",
               "P009": "历年实际恰为 100% 或恰等于目标", "P010": "上年未完成的指标本年被删除"}


@router.get("/history")
def history_page(request: Request, viewer: SignedIn, context: Context, year: str = "", code: str = "",
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    chosen = small_int(year.strip(), 1900, 2200) if year.strip() else None
    problems = []
    if year.strip() and chosen is None:
        problems.append(f"「年度」应为四位数字的年份，收到“{year[:20]}”")
    rule = code.strip() or None
    if rule is not None and rule not in project_history.HISTORY_RULES:
        problems.append(f"「规则」应为 {'、'.join(project_history.HISTORY_RULES)} 之一，收到“{rule[:20]}”")
        rule = None
    found = history_flags.flags(context.sessions, viewer.actor, chosen, rule, context.profile.rules)
    pages = max(1, -(-len(found["flags"]) // PAGE))
    chosen_page = min(page, pages)
    rows = found["flags"][(chosen_page - 1) * PAGE:chosen_page * PAGE]
    answer = render(request, "history.html.j2", viewer, 422 if problems else 200, data=found, titles=RULE_TITLES,
                    problems=problems, msg=flash(request), shown=rows, page=chosen_page, pages=pages)
    return shown(answer, request)


@router.post("/history/{code}/link")
async def correct_link(request: Request, code: Code, viewer: SignedInPost, context: Context,
                       previous: Annotated[str, Form(max_length=64)] = "",
                       reason: Annotated[str, Form(max_length=4000)] = "",
                       csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    back = f"/projects/{quote(code)}#history-h"
    if not csrf_ok(viewer, request, csrf_token):
        return render(request, "error.html.j2", viewer, 403, message="页面已过期，请返回项目页重新提交")
    try:
        await run_in_threadpool(project_history.correct_link, context.sessions, viewer.actor, code, previous, reason)
    except project_history.LinkRefused as refused:
        return render(request, "error.html.j2", viewer, 422,
                      message="；".join(str(problem["message"]) for problem in refused.details))
    except PermissionDenied as denied:
        return render(request, "error.html.j2", viewer, denied.status, message=str(denied))
    return see_other(request, back, "跨年度关联已更正" if previous.strip() else "已取消与上年项目的关联")
