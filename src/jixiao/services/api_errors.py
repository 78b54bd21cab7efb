"""The HTTP-level errors of the API: part of its documented contract, like the services' own errors.

The web layer raises these for what only HTTP can go wrong (a malformed request, an unknown route, an
oversized body, a crash); they live here, beside :mod:`jixiao.services.errors`, so that
``docs/api-errors.md`` is generated from the services alone (the CLI's ``docgen`` may not import the web).
"""

from __future__ import annotations

from jixiao.services.errors import NotFound, ServiceError, error_classes

MAX_BODY = 5 * 1024 * 1024  # 5 MB: far above any real file of target tables (the web's upload limit)
MAX_SMALL_BODY = 1024 * 1024  # every other request: forms and JSON (the editor's 500 rows are well under this)


class InvalidRequest(ServiceError):
    """The request does not match the API's schema (FastAPI's validation)."""

    code = "invalid_request"
    status = 422
    summary = "请求内容不符合要求，请检查 details 所列字段"


class MalformedRequest(ServiceError):
    """A body the server cannot parse at all (a form with too many fields, a broken multipart body)."""

    code = "http_400"
    status = 400
    summary = "请求格式无法解析（如表单字段过多或格式错误），请刷新页面后重试"


class RouteNotFound(NotFound):
    code = "http_404"
    summary = "没有这个地址"


class MethodNotAllowed(ServiceError):
    code = "http_405"
    status = 405
    summary = "不支持这个请求方法"


class BodyTooLarge(ServiceError):
    code = "body_too_large"
    status = 413
    summary = (f"请求体过大（上传文件合计上限 {MAX_BODY // 1024 // 1024} MB，"
               f"其他请求 {MAX_SMALL_BODY // 1024 // 1024} MB）")


class InternalError(ServiceError):
    code = "internal_error"
    status = 500
    summary = "服务器内部错误，已记录；请稍后重试"


HTTP_ERRORS: dict[int, type[ServiceError]] = {400: MalformedRequest, 404: RouteNotFound, 405: MethodNotAllowed}


def documented_classes() -> list[type[ServiceError]]:
    """Every error class the API can answer with (all defined under ``jixiao.services``)."""
    return error_classes()


def generate_api_errors() -> str:
    """docs/api-errors.md: one row per error code, from the classes themselves."""
    lines = [
        "# API 错误代码（API error codes）",
        "",
        "本文件由 `make docs`（`python -m jixiao.cli.docgen`）根据错误类生成，请勿手工修改。",
        "",
        "`/api/v1` 的每个错误响应都是 `{\"error\": {\"code\": …, \"message\": …, \"details\": […]}}`："
        "`code` 稳定，供程序判断；`message` 是给人看的中文说明；`details` 列出具体字段或问题（可为空）。"
        "HTTP 状态码和 `code` 由错误的类别决定，不取决于消息文字。",
        "",
        "| HTTP 状态 | 代码 | 含义 | 错误类 |",
        "| --- | --- | --- | --- |",
    ]
    seen: set[tuple[int, str]] = set()
    rows: list[tuple[int, str, str, list[str]]] = []
    for cls in documented_classes():
        key = (cls.status, cls.code)
        name = f"`{cls.__module__}.{cls.__qualname__}`"
        if key in seen:
            next(r for r in rows if (r[0], r[1]) == key)[3].append(name)
            continue
        seen.add(key)
        rows.append((cls.status, cls.code, cls.summary, [name]))
    for status, code, summary, names in rows:
        lines.append(f"| {status} | `{code}` | {summary} | {'<br>'.join(names)} |")
    lines += ["| 其他 4xx | `http_<状态码>` | 其他 HTTP 错误（如请求格式无法解析） | — |", ""]
    return "\n".join(lines)
