"""Administration pages (管理): users, roles, the organisation tree, API tokens, the audit trail.

Every route asks :mod:`jixiao.services.admin`, which refuses anyone but an administrator (403, the reason
on the page); forms carry the CSRF token like every other form. A refused action re-renders the page
with what was typed (never a password); a done one redirects with a flash message. A new API token is
shown in the answer to the POST that made it, once: it never travels in a cookie or a link.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from jixiao.domain.workflow import ROLE_LABELS, Role
from jixiao.services import admin
from jixiao.services.accounts import KIND_LABELS, PASSWORD_MAX, AccountError
from jixiao.services.context import AppContext
from jixiao.services.organizations import TEMPLATE_HEADER, template
from jixiao.web.cookies import flash, see_other, shown
from jixiao.web.deps import Context, CsrfPassed, SignedIn, SignedInPost
from jixiao.web.pages.common import Viewer, csrf_ok, render
from jixiao.web.settings import MAX_FILES

router = APIRouter()
EXPIRED = "页面已过期，未作改动；请刷新页面后重试"
ROLES = [(r.value, ROLE_LABELS[r]) for r in Role]


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AccountError("请选择角色") from None


def _users_page(request: Request, context: AppContext, viewer: Viewer, status: int = 200, /,
                **extra: Any) -> Response:
    found = admin.users(context.sessions, viewer.actor)
    with context.sessions() as session:
        choices = admin.organization_choices(session, viewer.actor)
    return render(request, "admin_users.html.j2", viewer, status, users=found, roles=ROLES, organizations=choices,
                  kind_labels=KIND_LABELS, tab="users", msg=extra.pop("msg", None), kept=extra.pop("kept", {}),
                  **extra)


@router.get("/admin")
def admin_home(viewer: SignedIn) -> Response:
    admin.require_admin(viewer.actor)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/users")
def users_page(request: Request, viewer: SignedIn, context: Context) -> Response:
    return shown(_users_page(request, context, viewer, msg=flash(request)), request)


@router.post("/admin/users")
def add_user(request: Request, viewer: SignedInPost, context: Context,
             username: Annotated[str, Form(max_length=64)] = "",
             display_name: Annotated[str, Form(max_length=100)] = "",
             role: Annotated[str, Form(max_length=32)] = "",
             organization: Annotated[str, Form(max_length=32)] = "",
             password: Annotated[str, Form(max_length=PASSWORD_MAX)] = "",
             csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    admin.require_admin(viewer.actor)
    kept = {"username": username, "display_name": display_name, "role": role, "organization": organization}
    if not csrf_ok(viewer, request, csrf_token):
        return _users_page(request, context, viewer, 403, error=EXPIRED, kept=kept)
    try:
        admin.add_user(context.sessions, viewer.actor, username, display_name, _role(role), organization.strip(),
                       password)
    except AccountError as refused:
        return _users_page(request, context, viewer, refused.status, error=f"未新建账号：{refused.message}",
                           kept=kept)
    return see_other(request, "/admin/users", f"已新建账号 {username.strip()}（{ROLE_LABELS[Role(role)]}）")


@router.post("/admin/users/{user_id}/active")
def set_active(request: Request, user_id: int, viewer: SignedInPost, context: Context,
               active: Annotated[str, Form(max_length=1)] = "",
               csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    admin.require_admin(viewer.actor)
    if not csrf_ok(viewer, request, csrf_token):
        return _users_page(request, context, viewer, 403, error=EXPIRED)
    try:
        username, changed = admin.set_active(context.sessions, viewer.actor, user_id, active == "1")
    except AccountError as refused:
        return _users_page(request, context, viewer, refused.status, error=refused.message)
    if active == "1":
        message = f"已启用账号 {username}" if changed else f"账号 {username} 本来就是启用状态"
    else:
        message = f"已停用账号 {username}，其登录已全部结束" if changed else f"账号 {username} 已是停用状态"
    return see_other(request, "/admin/users", message)


@router.post("/admin/users/{user_id}/password")
def reset_password(request: Request, user_id: int, viewer: SignedInPost, context: Context,
                   password: Annotated[str, Form(max_length=PASSWORD_MAX)] = "",
                   csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    admin.require_admin(viewer.actor)
    if not csrf_ok(viewer, request, csrf_token):
        return _users_page(request, context, viewer, 403, error=EXPIRED)
    try:
        username = admin.reset_password(context.sessions, viewer.actor, user_id, password)
    except AccountError as refused:
        return _users_page(request, context, viewer, refused.status, error=f"密码未重设：{refused.message}",
                           open_row=user_id)
    return see_other(request, "/admin/users",
                     f"已重设 {username} 的密码，其登录已全部结束；请把新密码当面或电话告知本人")


@router.post("/admin/users/{user_id}/role")
def set_role(request: Request, user_id: int, viewer: SignedInPost, context: Context,
             role: Annotated[str, Form(max_length=32)] = "",
             organization: Annotated[str, Form(max_length=32)] = "",
             csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    admin.require_admin(viewer.actor)
    if not csrf_ok(viewer, request, csrf_token):
        return _users_page(request, context, viewer, 403, error=EXPIRED)
    try:
        username, changed = admin.set_role(context.sessions, viewer.actor, user_id, _role(role), organization.strip())
    except AccountError as refused:
        return _users_page(request, context, viewer, refused.status, error=f"角色未变更：{refused.message}",
                           open_row=user_id)
    label = ROLE_LABELS[Role(role)]
    return see_other(request, "/admin/users", f"已把 {username} 的角色改为{label}" if changed
                     else f"{username} 的角色和所属单位没有变化")


# -- organisations ------------------------------------------------------------------------------------------
def _orgs_page(request: Request, context: AppContext, viewer: Viewer, status: int = 200, /,
               **extra: Any) -> Response:
    with context.sessions() as session:
        tree = admin.organization_tree(session, viewer.actor)
    return render(request, "admin_orgs.html.j2", viewer, status, tree=tree, kind_labels=KIND_LABELS, tab="orgs",
                  header=TEMPLATE_HEADER, **extra)


@router.get("/admin/organizations")
def organizations_page(request: Request, viewer: SignedIn, context: Context) -> Response:
    return shown(_orgs_page(request, context, viewer, msg=flash(request)), request)


@router.get("/admin/organizations/template.xlsx")
def organizations_template(viewer: SignedIn) -> Response:
    admin.require_admin(viewer.actor)
    return Response(template(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename*=UTF-8''%E7%BB%84%E7%BB%87%E6%9C%BA%E6%9E%84"
                             "%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"})  # 组织机构导入模板.xlsx


@router.post("/admin/organizations/import")
async def import_organizations(request: Request, viewer: SignedInPost, context: Context,
                               csrf: CsrfPassed) -> Response:
    admin.require_admin(viewer.actor)
    if not csrf:
        return _orgs_page(request, context, viewer, 403, error=EXPIRED)
    form = await request.form(max_files=MAX_FILES)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _orgs_page(request, context, viewer, 400, error="请选择要导入的 .xlsx 或 CSV 文件")
    data = await upload.read()
    name = upload.filename
    result = await run_in_threadpool(admin.import_organizations, context.sessions, viewer.actor, data, name)
    if result.diagnostics:
        return _orgs_page(request, context, viewer, 422, error=f"“{name}”有 {len(result.diagnostics)} 处错误，"
                          "整个文件未导入，系统中的组织机构没有任何改动：", problems=result.diagnostics)
    return see_other(request, "/admin/organizations",
                     f"已导入“{name}”：新增 {result.created} 个，更新 {result.updated} 个组织")


# -- API tokens ---------------------------------------------------------------------------------------------
def _tokens_page(request: Request, context: AppContext, viewer: Viewer, status: int = 200, /,
                 **extra: Any) -> Response:
    found = admin.tokens(context.sessions, viewer.actor)
    people = [u for u in admin.users(context.sessions, viewer.actor) if u.active]
    return render(request, "admin_tokens.html.j2", viewer, status, tokens=found, people=people, tab="tokens",
                  **extra)


@router.get("/admin/tokens")
def tokens_page(request: Request, viewer: SignedIn, context: Context) -> Response:
    return shown(_tokens_page(request, context, viewer, msg=flash(request)), request)


@router.post("/admin/tokens")
def issue_token(request: Request, viewer: SignedInPost, context: Context,
                user: Annotated[str, Form(max_length=12)] = "",
                label: Annotated[str, Form(max_length=200)] = "",
                csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    admin.require_admin(viewer.actor)
    kept = {"user": user, "label": label}
    if not csrf_ok(viewer, request, csrf_token):
        return _tokens_page(request, context, viewer, 403, error=EXPIRED, kept=kept)
    try:
        if not (user.isascii() and user.isdigit()):
            raise AccountError("请选择令牌的持有人")
        username, token = admin.issue_token(context.sessions, viewer.actor, int(user), label)
    except AccountError as refused:
        return _tokens_page(request, context, viewer, refused.status, error=f"未签发令牌：{refused.message}",
                            kept=kept)
    return _tokens_page(request, context, viewer, 200, issued={"username": username, "token": token,
                                                               "label": label.strip()})


@router.post("/admin/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, viewer: SignedInPost, context: Context,
                 csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    admin.require_admin(viewer.actor)
    if not csrf_ok(viewer, request, csrf_token):
        return _tokens_page(request, context, viewer, 403, error=EXPIRED)
    try:
        changed = admin.revoke_token(context.sessions, viewer.actor, token_id)
    except AccountError as refused:
        return _tokens_page(request, context, viewer, refused.status, error=refused.message)
    return see_other(request, "/admin/tokens", f"已撤销令牌 #{token_id}，立即失效" if changed
                     else f"令牌 #{token_id} 早已撤销")


# -- audit --------------------------------------------------------------------------------------------------
@router.get("/admin/audit")
def audit_page(request: Request, viewer: SignedIn, context: Context,
               page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
               everything: Annotated[str, Query(alias="all", max_length=1)] = "") -> Response:
    with context.sessions() as session:
        trail = admin.audit_trail(session, viewer.actor, page, only_admin=everything != "1")
    return render(request, "admin_audit.html.j2", viewer, trail=trail, everything=everything == "1", tab="audit")
