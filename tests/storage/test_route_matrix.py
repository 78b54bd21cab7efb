"""Who may read and write what: every route × every role of three regions (issue 12).

The routes come from the application itself — the OpenAPI document (``/api/v1/openapi.json``) for
the API and ``app.routes`` for the pages — and must be exactly the routes of :data:`MATRIX`, so a
route added later without a line here fails :func:`test_the_matrix_names_every_route`.

Each line is one request on a project of region 500115 (``target``: the state it is put in first,
so writes are repeatable; ``-``: no project) and the status each caller gets: the public (no
login), the unit, department and finance bureau of 500115 and the administrator, then the unit,
department and finance bureau of *another* region (the last three columns are checked for both
500116 and 500117). The request bodies are in :data:`BODIES`: valid requests where the caller may
act, so a 200 means "allowed" and 403/404 "refused" (404: a project the caller may not see is
not told apart from none); 409 and 422 mean the caller got past the permission checks and the
workflow or the content refused it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import State
from jixiao.services.accounts import login
from jixiao.services.context import AppContext
from jixiao.services.job_queue import JobQueue
from jixiao.storage.models import Project, User
from jixiao.web.app import create_app
from jixiao.web.deps import csrf_for
from jixiao.web.settings import SESSION_COOKIE
from tests.storage.regions import ACTUALS, BUDGET, PASSWORD, PROGRESS, World, build

HOME, OTHERS = "500115", ("500116", "500117")
COLUMNS = ("public", "unit", "department", "finance", "admin", "unit*", "department*", "finance*")

# "200r": 200, but the answer is a refusal shown in place (an htmx partial: htmx swaps only 2xx answers).
# Pages: 303 is a redirect (to the login page for the public, back to the project after a write).
# Signed in, a caller is its region: another region's approved table is a 404 on the API (the public
# pages show it to everyone); the editor's save answers a refusal of any kind with 422.
MATRIX = """
# method path                                     target            pub  unit dept fin  adm  unit* dept* fin*
GET    /                                          -                 303  200  200  200  200  200  200  200
GET    /login                                     -                 200  200  200  200  200  200  200  200
POST   /login                                     -                 400  400  400  400  400  400  400  400
POST   /logout                                    -                 303  303  303  303  303  303  303  303
GET    /overview                                  -                 303  200  200  200  200  200  200  200
GET    /projects                                  -                 303  200  200  200  200  200  200  200
GET    /projects/{code}                           department_review 303  200  200  200  200  404  404  404
GET    /projects/{code}/diff                      department_review 303  200  200  200  200  404  404  404
GET    /projects.xlsx                             -                 303  200  200  200  200  200  200  200
GET    /projects/{code}/table.{output_format}     department_review 303  200  200  200  200  404  404  404
POST   /projects/{code}/transition                department_review 303  409  303  409  303  404  404  404
POST   /projects/{code}/comment                   department_review 303  403  303  303  303  404  404  404
POST   /projects/batch                            department_review 303  409  200  409  200  404  404  404
GET    /projects/{code}/edit                      draft             303  200  403  403  200  404  404  404
GET    /projects/{code}/edit                      department_review 303  403  403  403  403  404  404  404
POST   /projects/{code}/edit/check                draft             200  200  200  200  200  200  200  200
POST   /projects/{code}/edit                      draft             401  303  422  422  303  422  422  422
GET    /projects/{code}/selfeval                  approved          303  200  200  200  200  404  404  404
GET    /projects/{code}/monitoring                approved          303  200  200  200  200  404  404  404
POST   /projects/{code}/{kind}/preview            approved          200r 200  200r 200r 200  200r 200r 200r
POST   /projects/{code}/{kind}                    approved          303  303  403  403  303  404  404  404
GET    /projects/{code}/selfeval/{record}/print   approved          303  200  200  200  200  404  404  404
POST   /projects/{code}/selfeval/{record}/review  approved          303  403  409  409  409  403  404  404
POST   /projects/{code}/selfeval/{record}/correction approved       303  422  403  403  422  404  403  403
POST   /corrections/{correction}/decision         -                 303  403  404  404  404  403  404  404
GET    /projects/{code}/selfeval/{record}/report.{report_format} approved 303 200 200 200 200 404 404 404
GET    /import                                    -                 303  200  403  403  200  200  403  403
GET    /recheck                                   -                 303  403  403  200  403  403  403  200
POST   /recheck                                   -                 303  403  403  422  403  403  403  422
GET    /recheck/{sample_id}                       -                 303  403  403  404  403  403  403  404
GET    /recheck/{sample_id}/items/{item_id}       -                 303  403  403  404  403  403  403  404
POST   /recheck/{sample_id}/items/{item_id}       -                 303  403  403  404  403  403  403  404
POST   /recheck/{sample_id}/items/{item_id}/complete -              303  403  403  404  403  403  403  404
GET    /recheck/{sample_id}/report.{output_format} -                303  403  403  404  403  403  403  404
GET    /results                                   -                 303  403  403  200  403  403  403  200
POST   /results/{code}/decision                   approved          303  403  403  200  403  403  403  404
GET    /results/{year}/sheet.{output_format}      -                 303  403  403  200  403  403  403  200
GET    /department-reports                        -                 303  403  200  200  200  403  200  200
GET    /department-reports/{department}/{year}/report.{report_format} -  303  403  200  200  200  403  404  404
GET    /rectifications                            -                 303  200  200  200  200  200  200  200
GET    /rectifications/summary                    -                 303  403  403  200  200  403  403  200
GET    /rectifications/summary.xlsx               -                 303  403  403  200  200  403  403  200
GET    /projects/{code}/rectifications/new        approved          303  403  200  200  200  403  404  404
POST   /rectifications/projects/{code}            approved          303  403  422  422  422  403  404  404
GET    /rectifications/{item_id}                  -                 303  404  404  404  404  404  404  404
GET    /rectifications/{item_id}/files/{file_id}  -                 303  404  404  404  404  404  404  404
POST   /rectifications/{item_id}/{action}         -                 303  404  404  404  404  404  404  404
POST   /rectifications/{item_id}/deadline         -                 303  403  404  404  404  403  404  404
POST   /rectifications/respond                    -                 303  404  404  404  404  404  404  404
GET    /history                                   -                 303  200  200  200  200  200  200  200
GET    /analytics                                 -                 303  403  303  303  303  403  303  303
GET    /analytics/{key}                           -                 303  403  200  200  200  403  200  200
GET    /analytics/{key}/export.xlsx               -                 303  403  200  200  200  403  200  200
POST   /history/{code}/link                       approved          303  403  403  303  403  403  403  404
GET    /deadlines                                 -                 303  200  200  200  200  200  200  200
POST   /deadlines                                 -                 303  403  403  303  303  403  403  303
POST   /deadlines/reopen                          -                 303  403  403  422  422  403  403  422
POST   /import                                    -                 303  200  403  403  200  200  403  403
GET    /public                                    -                 200  200  200  200  200  200  200  200
GET    /public/projects/{code}                    approved          200  200  200  200  200  200  200  200
GET    /public/projects/{code}                    finance_review    404  404  404  404  404  404  404  404
GET    /public/projects/{code}.json               approved          200  200  200  200  200  200  200  200
GET    /public/projects/{code}.json               finance_review    404  404  404  404  404  404  404  404
GET    /public/projects/{code}.csv                approved          200  200  200  200  200  200  200  200
GET    /public/projects/{code}.csv                finance_review    404  404  404  404  404  404  404  404
GET    /public/data/datapackage.json              -                 200  200  200  200  200  200  200  200
GET    /public/data/{name}.csv                    -                 200  200  200  200  200  200  200  200
GET    /public/projects/{code}.pdf                approved          200  200  200  200  200  200  200  200
GET    /public/projects/{code}.pdf                finance_review    404  404  404  404  404  404  404  404
GET    /static/{path}                             -                 200  200  200  200  200  200  200  200
GET    /favicon.ico                               -                 200  200  200  200  200  200  200  200
GET    /healthz                                   -                 200  200  200  200  200  200  200  200
GET    /readyz                                    -                 200  200  200  200  200  200  200  200
GET    /metrics                                   -                 200  200  200  200  200  200  200  200
GET    /api/v1/openapi.json                       -                 200  200  200  200  200  200  200  200
GET    /api/v1/docs                               -                 200  200  200  200  200  200  200  200
POST   /api/v1/session                            -                 422  422  422  422  422  422  422  422
DELETE /api/v1/session                            -                 200  200  200  200  200  200  200  200
GET    /api/v1/organizations                      -                 200  200  200  200  200  200  200  200
GET    /api/v1/projects                           -                 200  200  200  200  200  200  200  200
GET    /api/v1/projects/{code}                    approved          200  200  200  200  200  404  404  404
GET    /api/v1/projects/{code}                    department_review 404  200  200  200  200  404  404  404
GET    /api/v1/projects/{code}/versions           approved          200  200  200  200  200  404  404  404
GET    /api/v1/projects/{code}/versions           department_review 404  200  200  200  200  404  404  404
GET    /api/v1/projects/{code}/findings           approved          403  200  200  200  200  404  404  404
GET    /api/v1/projects/{code}/findings           department_review 404  200  200  200  200  404  404  404
PUT    /api/v1/projects/{code}/draft              draft             403  200  403  403  200  404  403  403
POST   /api/v1/projects/{code}/transitions        department_review 403  409  200  409  200  404  404  404
POST   /api/v1/projects/{code}/comments           department_review 403  403  200  200  200  403  404  404
POST   /api/v1/transitions                        department_review 403  200  200  200  200  200  200  200
POST   /api/v1/projects/{code}/self-evaluations   approved          403  200  403  403  200  404  403  403
GET    /api/v1/projects/{code}/self-evaluations   approved          403  200  200  200  200  404  404  404
GET    /api/v1/projects/{code}/self-evaluations   department_review 404  200  200  200  200  404  404  404
POST   /api/v1/projects/{code}/monitoring         approved          403  200  403  403  200  404  403  403
GET    /api/v1/projects/{code}/monitoring         approved          403  200  200  200  200  404  404  404
GET    /api/v1/projects/{code}/monitoring         department_review 404  200  200  200  200  404  404  404
POST   /api/v1/reopenings                         -                 403  403  403  422  422  403  403  422
GET    /api/v1/reopenings                         -                 200  200  200  200  200  200  200  200
POST   /api/v1/projects/{code}/self-evaluations/{record}/review approved 403 403 409 409 409 403 404 404
POST   /api/v1/projects/{code}/self-evaluations/{record}/corrections approved 403 422 403 403 422 404 403 403
GET    /api/v1/projects/{code}/corrections        approved          403  200  200  200  200  404  404  404
POST   /api/v1/corrections/{correction}/decision  -                 403  403  404  404  404  403  404  404
POST   /api/v1/imports                            -                 403  200  403  403  200  200  403  403
POST   /api/v1/jobs/imports                       -                 403  202  403  403  202  202  403  403
POST   /api/v1/jobs/exports                       -                 403  202  202  202  202  202  202  202
POST   /api/v1/jobs/reports                       -                 403  202  202  202  202  202  202  202
POST   /api/v1/jobs/rereviews                     -                 403  403  403  202  202  403  403  202
GET    /api/v1/jobs                               -                 200  200  200  200  200  200  200  200
GET    /api/v1/jobs/{job_id}                      -                 404  404  404  404  404  404  404  404
POST   /api/v1/jobs/{job_id}/cancel               -                 404  404  404  404  404  404  404  404
GET    /api/v1/jobs/{job_id}/result               -                 404  404  404  404  404  404  404  404
GET    /jobs                                      -                 303  200  200  200  200  200  200  200
GET    /jobs/rows                                 -                 303  200  200  200  200  200  200  200
POST   /jobs/{job_id}/cancel                      -                 303  404  404  404  404  404  404  404
POST   /jobs/exports                              -                 303  303  303  303  303  303  303  303
GET    /jobs/{job_id}/result                      -                 303  404  404  404  404  404  404  404
GET    /api/v1/projects/{code}/published-self-evaluation approved   200  200  200  200  200  404  404  404
GET    /api/v1/rechecks                           -                 403  403  403  200  403  403  403  200
POST   /api/v1/rechecks                           -                 403  403  403  422  403  403  403  422
GET    /api/v1/rechecks/{sample_id}               -                 403  403  403  404  403  403  403  404
GET    /api/v1/rechecks/{sample_id}/items/{item_id} -               403  403  403  404  403  403  403  404
PUT    /api/v1/rechecks/{sample_id}/items/{item_id}/scores -        403  403  403  404  403  403  403  404
POST   /api/v1/rechecks/{sample_id}/items/{item_id}/complete -      403  403  403  404  403  403  403  404
GET    /api/v1/rechecks/{sample_id}/report        -                 403  403  403  404  403  403  403  404
GET    /api/v1/budget/{year}                      -                 403  403  403  200  403  403  403  200
GET    /api/v1/departments/reportable             -                 403  403  200  200  200  403  200  200
GET    /api/v1/analytics                          -                 403  403  200  200  200  403  200  200
GET    /api/v1/analytics/{view}                   -                 403  403  200  200  200  403  200  200
GET    /api/v1/projects/{code}/history            approved          403  200  200  200  200  404  404  404
POST   /api/v1/projects/{code}/history/link       approved          403  403  403  200  403  403  403  404
GET    /api/v1/departments/{department}/selfeval-summary/{year} - 403  403  200  200  200  403  404  404
POST   /api/v1/budget/projects/{code}/decision    approved          403  403  403  200  403  403  403  404
GET    /api/v1/rectifications                     -                 403  200  200  200  200  200  200  200
GET    /api/v1/rectifications/summary             -                 403  403  403  200  200  403  403  200
GET    /api/v1/rectifications/findings/{code}     approved          403  403  200  200  200  403  404  404
GET    /api/v1/rectifications/{item_id}           -                 403  404  404  404  404  404  404  404
POST   /api/v1/rectifications                     approved          403  403  201  201  201  403  404  404
POST   /api/v1/rectifications/responses           -                 403  404  404  404  404  404  404  404
POST   /api/v1/rectifications/{item_id}/start     -                 403  404  404  404  404  404  404  404
POST   /api/v1/rectifications/{item_id}/confirm   -                 403  404  404  404  404  404  404  404
POST   /api/v1/rectifications/{item_id}/return    -                 403  404  404  404  404  404  404  404
POST   /api/v1/rectifications/{item_id}/deadline  -                 403  403  404  404  404  403  404  404
GET    /api/v1/audit                              -                 403  403  403  200  200  403  403  200
GET    /admin                                     -                 303  403  403  403  303  403  403  403
GET    /admin/users                               -                 303  403  403  403  200  403  403  403
POST   /admin/users                               -                 303  403  403  403  303  403  403  403
POST   /admin/users/{user_id}/active              -                 303  403  403  403  303  403  403  403
POST   /admin/users/{user_id}/password            -                 303  403  403  403  400  403  403  403
POST   /admin/users/{user_id}/role                -                 303  403  403  403  303  403  403  403
GET    /admin/organizations                       -                 303  403  403  403  200  403  403  403
GET    /admin/organizations/template.xlsx         -                 303  403  403  403  200  403  403  403
POST   /admin/organizations/import                -                 303  403  403  403  422  403  403  403
GET    /admin/tokens                              -                 303  403  403  403  200  403  403  403
POST   /admin/tokens                              -                 303  403  403  403  400  403  403  403
POST   /admin/tokens/{token_id}/revoke            -                 303  403  403  403  400  403  403  403
GET    /admin/audit                               -                 303  403  403  403  200  403  403  403
GET    /account/password                          -                 303  200  200  200  200  200  200  200
GET    /library                                   -                 303  200  200  200  200  200  200  200
GET    /library/export.xlsx                       -                 303  200  200  200  200  200  200  200
GET    /library/suggest                           -                 303  200  200  200  200  200  200  200
GET    /library/{entry_id}                        -                 303  404  404  404  404  404  404  404
POST   /library/{entry_id}                        -                 303  403  403  404  403  403  403  404
POST   /library/propose                           -                 303  403  422  422  403  403  422  422
POST   /library/build                             -                 303  403  403  303  403  403  403  303
POST   /library/import                            -                 303  403  403  400  403  403  403  400
GET    /api/v1/library                            -                 403  200  200  200  200  200  200  200
GET    /api/v1/library/suggest                    -                 403  200  200  200  200  200  200  200
GET    /api/v1/library/{entry_id}                 -                 403  404  404  404  404  404  404  404
POST   /api/v1/library                            -                 403  403  422  422  403  403  422  422
POST   /api/v1/library/build                      -                 403  403  403  200  403  403  403  200
POST   /api/v1/library/import                     -                 403  403  403  422  403  403  403  422
POST   /api/v1/library/{entry_id}/actions         -                 403  403  403  404  403  403  403  404
POST   /account/password                          -                 303  400  400  400  400  400  400  400
"""


@dataclass(frozen=True)
class Line:
    method: str
    path: str
    target: str  # a State value, or "-"
    expected: tuple[str, ...]  # a status, with "r" for a refusal shown in a 200 partial


def lines() -> list[Line]:
    found = []
    for text in MATRIX.strip().splitlines():
        if text.startswith("#"):
            continue
        method, path, target, *cells = text.split()
        assert len(cells) == len(COLUMNS), text
        found.append(Line(method, path, target, tuple(cells)))
    return found


def _form(**fields: str) -> dict[str, Any]:
    return {"data": fields}


TEXT_WITHOUT_TABLE = "绩效目标表\n单位信息：145001-单位\n"
# What each request sends (besides the caller's CSRF token on page forms); {csrf} is filled in per caller.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/session"): {"json": {"username": "nobody"}},  # no password: refused before any check
    ("POST", "/api/v1/projects/{code}/transitions"): {"json": {"action": "forward"}},
    ("POST", "/api/v1/transitions"): {"json": {"action": "forward", "codes": ["{code}"]}},  # a result per table
    ("PUT", "/api/v1/projects/{code}/draft"): {"json": {"content": {
        "format_version": 1, "project_code": None, "project_name": "改名", "total_wan": "15.00", "indicators": []}}},
    ("POST", "/api/v1/projects/{code}/comments"): {"json": {"comment": "请补充测算依据", "field": "total_wan"}},
    ("POST", "/api/v1/projects/{code}/self-evaluations"): {"json": {"actuals": ACTUALS, "budget": BUDGET}},
    ("POST", "/api/v1/projects/{code}/monitoring"): {"json": {
        "month": 7, "progress": PROGRESS, "budget": {"adjusted": "15.00", "executed_to_date": "8.75"}}},
    ("POST", "/api/v1/imports"): {"json": {"file_name": "空.txt", "content": TEXT_WITHOUT_TABLE}},
    # 复核: no published self-evaluation in these regions, so a draw is refused past the permission check (422);
    # {sample_id} and {item_id} name no sample (404 for the finance bureau, 403 for everyone else)
    ("POST", "/api/v1/rechecks"): {"json": {"year": 2022, "size": 1}},
    ("PUT", "/api/v1/rechecks/{sample_id}/items/{item_id}/scores"): {"json": {"rows": []}},
    ("POST", "/recheck"): _form(year="2022", size="1"),
    ("POST", "/recheck/{sample_id}/items/{item_id}"): _form(**{"score-execution": "9", "reason-execution": "核减"}),
    ("POST", "/recheck/{sample_id}/items/{item_id}/complete"): _form(),
    ("POST", "/login"): _form(username="nobody"),
    ("POST", "/projects/{code}/transition"): _form(action="forward"),
    ("POST", "/projects/batch"): _form(action="forward", codes="{code}"),  # a batch of one: as the single step
    ("POST", "/projects/{code}/comment"): _form(text="请补充测算依据", anchor="total_wan"),
    ("POST", "/projects/{code}/edit/check"): _form(project_name="改名"),
    ("POST", "/projects/{code}/edit"): _form(project_name="改名", unit_code="145001", department_code="145"),  # HOME's
    ("POST", "/logout"): _form(),  # with the caller's CSRF token (without it a logout is refused: test_edge_headers)
    ("POST", "/projects/{code}/{kind}/preview"): _form(**{f"actual-{n}": a["actual"] for n, a in enumerate(ACTUALS)},
                                                       **BUDGET),
    ("POST", "/projects/{code}/{kind}"): _form(**{f"actual-{n}": a["actual"] for n, a in enumerate(ACTUALS)},
                                               **BUDGET),
    ("GET", "/projects/{code}/diff"): {"params": {"a": 1, "b": 1}},
    ("POST", "/results/{code}/decision"): _form(action="核减", amount="1", reason="矩阵测试"),
    ("POST", "/api/v1/budget/projects/{code}/decision"): {"json": {"action": "核减", "amount": "1",
                                                                    "reason": "矩阵测试"}},
    ("POST", "/rectifications/projects/{code}"): _form(pick="", requirement="矩阵测试", deadline="2999-01-01"),
    ("POST", "/rectifications/{item_id}/{action}"): _form(text="矩阵测试"),
    ("POST", "/rectifications/respond"): _form(item="999999", text="矩阵测试"),
    ("POST", "/rectifications/{item_id}/deadline"): _form(due="2999-01-01", reason="矩阵测试"),
    ("POST", "/api/v1/rectifications/{item_id}/deadline"): {"json": {"deadline": "2999-01-01", "reason": "矩阵测试"}},
    ("POST", "/api/v1/rectifications"): {"json": {"code": "{code}", "source": "other", "finding": "矩阵测试",
                                                  "requirement": "矩阵测试", "deadline": "2999-01-01"}},
    ("POST", "/api/v1/rectifications/responses"): {"json": {"item": 999999, "text": "矩阵测试"}},
    ("POST", "/api/v1/rectifications/{item_id}/return"): {"json": {"text": "矩阵测试"}},
    ("POST", "/history/{code}/link"): _form(previous="", reason="矩阵测试"),
    ("POST", "/api/v1/projects/{code}/history/link"): {"json": {"previous": None, "reason": "矩阵测试"}},
    ("POST", "/deadlines"): _form(year="2023", **{"date-0": "2022-10-20"}),
    # 重新开放: a date more than a year ahead is refused past the permission check (422), so nothing is stored;
    # a 自评 is reviewed with 退回 and no comment, a correction asked of one not approved (409, 422 past the checks)
    ("POST", "/deadlines/reopen"): _form(year="2022", task="targets", unit="145001", until="2099-01-01",
                                         reason="矩阵测试"),
    ("POST", "/api/v1/reopenings"): {"json": {"task": "targets", "fiscal_year": 2022, "until": "2099-01-01",
                                              "reason": "矩阵测试", "unit": "145001"}},
    ("GET", "/api/v1/reopenings"): {"params": {"year": 2022}},
    ("POST", "/api/v1/projects/{code}/self-evaluations/{record}/review"): {"json": {"action": "return"}},
    ("POST", "/api/v1/projects/{code}/self-evaluations/{record}/corrections"): {"json": {
        "field": "executed", "new_value": "15.00", "reason": "矩阵测试"}},
    ("POST", "/api/v1/corrections/{correction}/decision"): {"json": {"approve": False, "comment": "矩阵测试"}},
    ("POST", "/projects/{code}/selfeval/{record}/review"): _form(action="return"),
    ("POST", "/projects/{code}/selfeval/{record}/correction"): _form(field="executed", new_value="15.00",
                                                                    reason="矩阵测试"),
    ("POST", "/corrections/{correction}/decision"): _form(approve="0", comment="矩阵测试"),
    # 指标库: {entry_id} names no entry; a proposal with a bad 指标方向 is refused past the permission check (422)
    ("POST", "/library/{entry_id}"): _form(action="approve"),
    ("POST", "/library/propose"): _form(name="窗口办件量", direction="上升"),
    ("POST", "/library/build"): _form(),
    ("POST", "/library/import"): _form(),  # no file: refused past the permission check (400)
    ("GET", "/api/v1/library/suggest"): {"params": {"name": "满意"}},
    ("POST", "/api/v1/library"): {"json": {"name": "窗口办件量", "direction": "上升"}},
    ("POST", "/api/v1/library/import"): {"json": {"file_name": "空.xlsx", "content_base64": ""}},
    ("POST", "/api/v1/library/{entry_id}/actions"): {"json": {"action": "approve"}},
    ("POST", "/import"): {"files": {"files": ("空.txt", TEXT_WITHOUT_TABLE.encode("utf-8"), "text/plain")}},
    # Administration ({user_id}: the administrator itself, so nothing changes who the callers are): a new
    # account; enabling an enabled one; a password too short (400: past the permission check); the same role.
    ("POST", "/admin/users"): _form(username="matrix-new", display_name="新账号", role="finance_reviewer",
                                    organization="", password="matrix-password-1"),
    ("POST", "/admin/users/{user_id}/active"): _form(active="1"),
    ("POST", "/admin/users/{user_id}/password"): _form(password="short"),
    ("POST", "/admin/users/{user_id}/role"): _form(role="admin", organization=""),
    ("POST", "/admin/organizations/import"): {"files": {"file": ("组织.csv", "名称\n无编码\n".encode(), "text/csv")}},
    ("POST", "/admin/tokens"): _form(user="", label="对接"),  # no holder chosen: 400 after the permission check
    ("POST", "/admin/tokens/{token_id}/revoke"): _form(),  # no such token: 400 after the permission check
    ("POST", "/api/v1/jobs/imports"): {"json": {"files": [{"file_name": "空.txt", "content": TEXT_WITHOUT_TABLE}]}},
    ("POST", "/api/v1/jobs/exports"): {"json": {"format": "xlsx"}},
    ("POST", "/api/v1/jobs/rereviews"): {"json": {"year": 2022}},
    ("POST", "/api/v1/jobs/reports"): {"json": {"format": "html"}},
    ("POST", "/jobs/{job_id}/cancel"): _form(),
    ("POST", "/jobs/exports"): _form(format="xlsx"),
    ("POST", "/account/password"): _form(old="x", new="matrix-password-2", again="matrix-password-3"),
}


def _with_code(value: Any, code: str | None) -> Any:
    """A body with ``{code}`` put in its texts (a batch names its tables in the body)."""
    if isinstance(value, str):
        return value.replace("{code}", code or "NONE")
    if isinstance(value, dict):
        return {key: _with_code(item, code) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_code(item, code) for item in value]
    return value


class Harness:
    """One client per caller (bearer token for the API, session cookie for the pages)."""

    def __init__(self, sessions: sessionmaker[Session], world: World) -> None:
        self.sessions, self.world = sessions, world
        self.app = create_app(AppContext(sessions, jobs=JobQueue.open("memory://")))  # jobs queued, never run
        self.callers = {"public": self._client(None)} | {name: self._client(name) for name in world.tokens}

    def _client(self, username: str | None) -> tuple[TestClient, dict[str, str], str]:
        """The caller's client, the headers that sign it in (API: token; pages: cookie), its CSRF token."""
        client = TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)
        if username is None:
            return client, {}, ""
        signed = login(self.sessions, username, PASSWORD)
        assert signed is not None
        return client, {"api": f"Bearer {self.world.tokens[username]}", "page": f"{SESSION_COOKIE}={signed[0]}"}, \
            csrf_for(signed[0])

    def who(self, column: str, region: str) -> str:
        if column == "public":
            return "public"
        if column == "admin":
            return self.world.admin
        return self.world.regions[region].users[column.rstrip("*")]

    def code(self, line: Line) -> str | None:
        return self.world.regions[HOME].projects[State(line.target)] if line.target != "-" else None

    def url(self, line: Line) -> str:
        home = self.world.regions[HOME]
        return (line.path.replace("{code}", self.code(line) or "NONE").replace("{kind}", "selfeval")
                .replace("{record}", str(home.selfeval)).replace("{path}", "app.css")
                .replace("{user_id}", str(self.admin_id)).replace("{token_id}", "999999")
                .replace("{name}", "projects").replace("{output_format}", "xlsx")
                .replace("{sample_id}", "999999").replace("{item_id}", "999999").replace("{entry_id}", "999999")
                .replace("{year}", "2022").replace("{report_format}", "docx").replace("{job_id}", "999999")
                .replace("{file_id}", "999999").replace("{action}", "start")
                .replace("{correction}", "999999").replace("{department}", home.department)
                .replace("{key}", "execution").replace("{view}", "credibility"))

    @property
    def admin_id(self) -> int:
        with self.sessions() as session:
            found = session.scalar(select(User.id).where(User.username == self.world.admin))
        assert found is not None
        return found

    def request(self, line: Line, who: str) -> tuple[int, str]:
        if line.target != "-":  # writes start from the same state every time
            with self.sessions.begin() as session:
                session.execute(update(Project).where(Project.code == self.code(line)).values(state=line.target))
        client, signed, csrf = self.callers[who]
        if line.path == "/logout" and who != "public":  # a session of its own, so the caller stays signed in
            client, signed, csrf = self._client(who)
        sent = BODIES.get((line.method, line.path), {})
        body = {kind: _with_code(value, self.code(line)) for kind, value in sent.items()}
        headers = {}
        if signed:
            headers = {"Authorization": signed["api"]} if line.path.startswith("/api/") else {"Cookie": signed["page"]}
        if "data" in body or "files" in body:
            body["data"] = dict(body.get("data", {})) | {"csrf_token": csrf}
            headers["X-CSRF-Token"] = csrf
        response = client.request(line.method, self.url(line), headers=headers, **body)
        return response.status_code, response.text

    def observe(self, line: Line) -> Iterator[tuple[str, str, tuple[int, str]]]:
        """(column, caller, status) for every caller the line's columns stand for."""
        for column in COLUMNS:
            for region in (OTHERS if column.endswith("*") else (HOME,)):
                who = self.who(column, region)
                yield column, who, self.request(line, who)


def app_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route: the OpenAPI document's operations and the page routes of ``app.routes``."""
    client = TestClient(app)
    spec = client.get("/api/v1/openapi.json").json()
    found = {(method.upper(), path) for path, operations in spec["paths"].items() for method in operations}
    pending = list(app.routes)
    while pending:
        route = pending.pop()
        if hasattr(route, "effective_route_contexts"):  # an included router (FastAPI 0.16x): paths with prefixes
            found |= {(method, context.path) for context in route.effective_route_contexts()
                      for method in context.original_route.methods - {"HEAD"}}
        elif hasattr(route, "app") and not hasattr(route, "methods"):  # a mount: static files
            found.add(("GET", route.path + "/{path}"))
        else:
            found |= {(method, route.path) for method in route.methods - {"HEAD"}}
    return found


@pytest.fixture
def harness(sessions: sessionmaker[Session]) -> Harness:
    return Harness(sessions, build(sessions))


def test_the_matrix_names_every_route(sessions: sessionmaker[Session]) -> None:
    """A route without a line in the matrix (or a line for a route that is gone) fails here."""
    listed = {(line.method, line.path) for line in lines()}
    routes = app_routes(create_app(AppContext(sessions)))
    assert sorted(routes - listed) == [], "routes missing from MATRIX"
    assert sorted(listed - routes) == [], "MATRIX lines for routes that do not exist"


PARTS = 4  # the matrix in parts, so that the two test workers share it (one part is every 4th line)


@pytest.mark.parametrize("part", range(PARTS))
def test_every_role_of_every_region_gets_what_the_matrix_says(harness: Harness, part: int) -> None:
    wrong = []
    for line in lines()[part::PARTS]:
        in_place = any(cell.endswith("r") for cell in line.expected)
        for column, who, (status, body) in harness.observe(line):
            got = f"{status}r" if in_place and status == 200 and 'class="alert' in body else str(status)
            if got != line.expected[COLUMNS.index(column)]:
                wrong.append(f"{line.method} {line.path} [{line.target}] as {who}: {got}, "
                             f"expected {line.expected[COLUMNS.index(column)]}")
    assert not wrong, "\n".join(wrong)
