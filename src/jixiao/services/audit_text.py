"""The audit trail as sentences people read ("主管部门审核人 张三 退回 第1版：理由…"), not JSON.

One formatter for every page that shows audit entries or review comments; the API keeps the data
form (``before``/``after``) and may add the sentence next to it. ``anchor_label`` names the row or
field a review comment belongs to ("第2行 · 产出指标/数量指标/纸张使用量").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jixiao.domain.labels import FIELD_LABELS
from jixiao.domain.rectification import STATE_LABELS as RECT_STATE_LABELS
from jixiao.domain.rectification import RectState
from jixiao.domain.workflow import ACTION_LABELS, STATE_LABELS, Action, State

AUDIT_LABELS = {f"workflow.{a.value}": ACTION_LABELS[a] for a in Action} | {
    "review.comment": "审核意见", "draft.save": "保存草稿", "import": "导入", "selfeval.submit": "提交自评",
    "monitoring.submit": "提交监控", "deadline.set": "修改截止日期", "import_batch": "导入文件",
    "selfeval.import": "导入绩效自评表", "recheck.sample": "抽取复核样本", "recheck.score": "复核评分",
    "recheck.complete": "完成复核", "rectification.create": "生成整改事项", "rectification.start": "开始整改",
    "rectification.respond": "提交整改情况", "rectification.confirm": "确认整改完成",
    "rectification.return": "退回整改", "rectification.deadline": "调整整改期限",
    "organizations.import": "导入组织机构", "account.revoke_tokens": "吊销令牌", "account.activate": "启用账户",
    "account.deactivate": "停用账户", "account.reset_password": "重置密码"}

Contents = Callable[[int], Mapping[str, Any] | None]  # version number → that version's table (or None)


def anchor_label(anchor: Mapping[str, Any] | None, table: Mapping[str, Any] | None) -> str:
    """What a comment is about: "第2行 · 产出指标/数量指标/纸张使用量", a field's label, or "整张表"."""
    if not anchor:
        return "整张表"
    if anchor.get("field"):
        field = str(anchor["field"])
        return FIELD_LABELS.get(field, field)
    index = anchor.get("indicator")
    if index is None:
        return "整张表"
    rows = (table or {}).get("indicators") or []
    row = rows[int(index)] if 0 <= int(index) < len(rows) else {}
    path = "/".join(str(row.get(key) or "—") for key in ("level1", "level2", "name")) if row else ""
    return f"第{int(index) + 1}行" + (f" · {path}" if path else "")


def _state(value: Any) -> str:
    if value in {s.value for s in State}:
        return STATE_LABELS[State(value)]
    if value in {s.value for s in RectState}:
        return RECT_STATE_LABELS[RectState(value)]
    return str(value or "")


def _version(data: Mapping[str, Any] | None, key: str = "version") -> int | None:
    value = (data or {}).get(key)
    return int(value) if isinstance(value, int) else None


def sentence(action: str, who: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
             note: str | None, contents: Contents | None = None) -> str:
    """One audit entry as a sentence; ``who`` is "角色 姓名" (:func:`jixiao.services.returns.person`)."""
    said = f"：{note.strip()}" if note and note.strip() else ""
    if action.startswith("workflow."):
        verb = AUDIT_LABELS.get(action, action)
        old, new = _version(before), _version(after)
        moved = f"（{_state((before or {}).get('state'))} → {_state((after or {}).get('state'))}）" \
            if before and after and before.get("state") != after.get("state") else ""
        fresh = f"，新建第{new}版" if old is not None and new is not None and new != old else ""
        return f"{who} {verb} 第{old or new or '?'}版{moved}{fresh}{said}"
    if action == "review.comment":
        number = _version(after)
        table = contents(number) if contents is not None and number is not None else None
        about = anchor_label((after or {}).get("anchor"), table)
        return f"{who} 对第{number or '?'}版 {about} 提出审核意见{said}"
    if action == "draft.save":
        return f"{who} 保存草稿：第{_version(before) or '?'}版 → 第{_version(after) or '?'}版"
    if action == "import":
        batch = (after or {}).get("batch")
        return f"{who} 导入 第{_version(after, 'number') or '?'}版" + (f"（导入批次 {batch}）" if batch else "")
    if action == "selfeval.import":
        data = after or {}
        how = "，按项目名称和单位对应" if data.get("matched_by") == "name_unit" else ""
        return f"{who} 导入 绩效自评表第{_version(after, 'number') or '?'}版（导入批次 {data.get('batch', '?')}{how}）"
    if action == "recheck.score":
        data = after or {}
        return (f"{who} 复核评分 {data.get('row_label', data.get('row', ''))}：{data.get('published') or '（空）'} → "
                f"{data.get('score', '?')} 分，理由：{data.get('reason', '')}")
    if action == "recheck.complete":
        data = after or {}
        return f"{who} 完成复核：复核总分 {data.get('total', '?')} 分（{data.get('grade', '')}）"
    if action == "selfeval.submit":
        grade = (after or {}).get("grade")
        return f"{who} 提交 绩效自评：{(after or {}).get('total', '?')} 分" + (f"（{grade}）" if grade else "")
    if action == "monitoring.submit":
        return f"{who} 提交 运行监控（截至{(after or {}).get('month', '?')}月）"
    if action == "deadline.set":
        data = after or {}
        was = (before or {}).get("due") or "默认日期"
        now = data.get("due") or f"默认日期（{data.get('default', '')}）"
        return f"{who} 将{data.get('fiscal_year', '')}年度“{data.get('label', '')}”的截止日期由 {was} 改为 {now}"
    return f"{who} {AUDIT_LABELS.get(action, action)}{said}"
