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


# The request's own fields (the API's identifiers) by what people call them, for the messages of InvalidRequest.
REQUEST_LABELS = {
    "actuals": "实际完成值", "progress": "监控进度", "budget": "预算执行", "month": "月份", "achieved": "实际完成情况",
    "indicator": "三级指标", "actual": "实际完成值", "points": "定性得分", "reason": "偏差原因",
    "to_date": "截至目前完成", "forecast": "预计全年完成", "likelihood": "完成可能性",
    "initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数", "current_year": "当年财政拨款",
    "carried_over": "上年结转资金", "other": "其他资金", "executed_to_date": "累计执行数",
    "content": "绩效目标表", "based_on": "所依据的版本", "action": "操作", "comment": "意见",
    "override_reason": "强制提交理由", "expected_state": "所见状态", "field": "字段", "file_name": "文件名",
    "username": "用户名", "password": "密码", "label": "说明", "page": "页码", "per_page": "每页条数", "year": "年度",
    "state": "状态", "grade": "等级", "severity": "问题级别", "sort": "排序", "q": "搜索词", "unit": "单位",
    "department": "主管部门", "code": "项目编码", "record": "自评记录编号",
    "sample_id": "复核样本编号", "item_id": "样本中的表编号", "size": "样本量", "risk_share": "按风险抽取的比例（%）",
    "seed": "随机种子", "rows": "复核评分", "row": "行", "score": "复核分",
}
_PROBLEMS = {
    "missing": "必须填写", "string_type": "应为文字", "int_type": "应为整数", "int_parsing": "应为整数",
    "dict_type": "应为对象（键值表）", "list_type": "应为数组", "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false", "string_too_long": "过长", "string_too_short": "不能为空",
    "too_long": "项数过多", "greater_than_equal": "过小", "greater_than": "过小", "less_than_equal": "过大",
    "less_than": "过大", "enum": "不是可选的值", "literal_error": "不是可选的值", "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为对象（键值表）",
}
_LIMITS = {"max_length": "最多 {} 个", "min_length": "至少 {} 个", "ge": "最小 {}", "gt": "应大于 {}", "le": "最大 {}",
           "lt": "应小于 {}", "expected": "可选：{}"}


def validation_message(location: tuple[object, ...], problem: str, context: dict[str, object] | None) -> str:
    """A Chinese sentence for one of FastAPI's validation errors: ``("body", "actuals", 0, "actual")`` with
    ``string_type`` → ``「实际完成值」第 1 项的「实际完成值」应为文字``."""
    parts = [part for part in location if part not in ("body", "query", "path", "header", "cookie")]
    words = ""
    for part in parts:
        if isinstance(part, int):
            words += f"第 {part + 1} 项"
        else:
            words += ("的" if words else "") + f"「{REQUEST_LABELS.get(str(part), str(part))}」"
    limits = [text.format(context[key]) for key, text in _LIMITS.items() if context and key in context]
    return (words or "请求") + _PROBLEMS.get(problem, "不符合要求") + (f"（{'，'.join(limits)}）" if limits else "")


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
