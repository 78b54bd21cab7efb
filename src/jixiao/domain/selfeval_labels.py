"""Chinese labels of the self-evaluation table's fields (JSON format v1 keys → the words the form prints).

One place for the words the self-evaluation readers, writers, schema messages and reports use, like
:mod:`jixiao.domain.labels` for the target table.
"""

from __future__ import annotations

from typing import Final

# Columns of the funding block (年度资金总额 and its 其中 rows), as the official form prints them.
FUNDING_COLUMN_LABELS: Final[dict[str, str]] = {
    "initial_wan": "年初预算数",
    "adjusted_wan": "全年预算数",
    "spent_wan": "全年执行数",
    "execution_weight": "分值",
    "execution_rate": "执行率",
    "execution_score": "得分",
}

# Columns of the indicator table (the form; the score sheet adds 评价标准 and 复核分).
INDICATOR_COLUMN_LABELS: Final[dict[str, str]] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "operator": "指标性质",
    "target": "年度指标值",
    "unit_of_measure": "度量单位",
    "weight": "分值",
    "actual": "实际完成值",
    "score": "得分",
    "deviation_reason": "偏差原因分析及改进措施",
    "parent": "所属指标（其中）",
    "level1_weight": "一级指标分值",
    "criteria": "评价标准",
    "recheck_score": "复核分",
}

# Header fields and the parts of a document, by their JSON key.
SELFEVAL_FIELD_LABELS: Final[dict[str, str]] = {
    "format_version": "格式版本",
    "kind": "表的种类",
    "variant": "表样",
    "project_code": "项目编码",
    "project_name": "项目名称",
    "project_suffix": "项目名称后缀",
    "department": "主管部门",
    "department.code": "主管部门编码",
    "department.name": "主管部门名称",
    "implementing_unit": "实施单位",
    "implementing_unit.code": "实施单位编码",
    "implementing_unit.name": "实施单位名称",
    "contact_person": "项目负责人",
    "contact_phone": "联系电话",
    "year": "年度",
    "budget": "年度资金总额",
    "funding_rows": "资金来源（其中）",
    "goal_expected": "预期目标",
    "goal_actual": "实际完成情况",
    "indicators": "绩效指标",
    "published_total_score": "总分",
    "published_grade": "自评等级",
    "evaluator": "填报人",
    "evaluated_on": "填报日期",
    "source": "来源",
    "source.file": "来源文件",
    "source.line": "来源行号",
}
ROW_FIELD_LABELS: Final[dict[str, str]] = {"key": "资金行", "label": "资金名称", **FUNDING_COLUMN_LABELS}


def _indexed(path: str, prefix: str) -> tuple[int | None, str]:
    index, _, rest = path[len(prefix):].partition("]")
    return (int(index) if index.isdigit() else None), rest.lstrip(".")


def selfeval_path_label(path: str) -> str:
    """A self-evaluation document path as people name the field: ``indicators[0].actual`` → ``指标 1「实际完成值」``,
    ``budget.spent_wan`` → ``「年度资金总额·全年执行数」``, ``funding_rows[1].initial_wan`` →
    ``资金来源第 2 行「年初预算数」``, the root → ``本表``."""
    path = path.lstrip(".")
    if path in ("", "（根）"):
        return "本表"
    if path.startswith("indicators["):
        index, key = _indexed(path, "indicators[")
        row = "指标" if index is None else f"指标 {index + 1}"
        return f"{row}「{INDICATOR_COLUMN_LABELS.get(key, key)}」" if key else row
    if path.startswith("funding_rows["):
        index, key = _indexed(path, "funding_rows[")
        row = "资金来源行" if index is None else f"资金来源第 {index + 1} 行"
        return f"{row}「{ROW_FIELD_LABELS.get(key, key)}」" if key else row
    if path.startswith("budget."):
        key = path[len("budget."):]
        return f"「年度资金总额·{ROW_FIELD_LABELS.get(key, key)}」"
    name = SELFEVAL_FIELD_LABELS.get(path) or INDICATOR_COLUMN_LABELS.get(path) or ROW_FIELD_LABELS.get(path)
    if name is None:
        head, _, rest = path.partition(".")
        name = SELFEVAL_FIELD_LABELS.get(head, head) + (f"的“{rest}”" if rest else "")
    return f"「{name}」"
