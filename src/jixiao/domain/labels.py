"""Chinese labels of the table's fields, keyed by the glossary identifiers (domain.md §7).

One place for the words the published layout, the readers, the rules and the reports use.
"""

from __future__ import annotations

INDICATOR_FIELDS: tuple[str, ...] = (
    "level1",
    "level2",
    "name",
    "operator",
    "history",
    "target",
    "current_target",
    "unit_of_measure",
    "weight",
    "current_weight",
    "direction",
)

# Column headings as the published indicator table prints them.
COLUMN_LABELS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "operator": "指标性质",
    "history": "历史参考值",
    "target": "指标值",
    "current_target": "本年指标值",
    "unit_of_measure": "度量单位",
    "weight": "权重(%)",
    "current_weight": "本年权重(%)",
    "direction": "指标方向性",
}

# Header lines in the order the published layout prints them.
HEADER_FIELDS: dict[str, str] = {
    "unit": "单位信息",
    "project": "预算项目",
    "function": "职能职责与活动",
    "department": "主管部门",
    "contact_person": "项目经办人",
    "total_wan": "项目总额",
    "execution_weight": "预算执行率权重",
    "contact_phone": "项目经办人电话",
    "fiscal": "财政资金",
    "annual_goal": "年度目标",
    "special_account": "财政专户管理资金",
    "unit_own": "单位资金",
    "social": "社会投入资金",
    "bank_loan": "银行贷款",
}

# Every field a message may point at.
FIELD_LABELS: dict[str, str] = {
    **HEADER_FIELDS,
    "project_code": "项目编码",
    "contact_phone": "项目经办人电话",
    "funding": "资金来源",
    "indicators": "绩效指标",
    **{key: label.removesuffix("(%)") for key, label in COLUMN_LABELS.items()},
}


# Fields of a self-evaluation table (项目支出绩效自评表) a finding may point at, beside FIELD_LABELS.
SELFEVAL_FIELD_LABELS: dict[str, str] = {
    "budget": "年度资金总额",
    "funding.fiscal": "本年财政拨款",
    "funding.carryover": "上年结转资金",
    "funding.other": "其他资金",
    "funding_rows": "其中各项资金",
    "goal_expected": "年度总体目标（预期目标）",
    "goal_actual": "年度总体目标（实际完成情况）",
    "published_total_score": "总分",
    "published_grade": "自评等级",
}


# The header of a stored table (JSON format v1 paths) in reading order, for comparisons and CSV.
TABLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("project_code", "项目编码"), ("project_name", "项目名称"), ("unit", "单位信息"), ("department", "主管部门"),
    ("function", "职能职责与活动"), ("contact_person", "项目经办人"), ("contact_phone", "项目经办人电话"),
    ("total_wan", "项目总额（万元）"), ("execution_weight", "预算执行率权重"), ("funding.fiscal", "财政资金"),
    ("funding.special_account", "财政专户管理资金"), ("funding.unit_own", "单位资金"),
    ("funding.social", "社会投入资金"), ("funding.bank_loan", "银行贷款"), ("annual_goal", "年度目标"),
)


# Parts of a table document (JSON format v1 paths) beyond the header fields above, by their Chinese label.
PATH_LABELS: dict[str, str] = {
    "format_version": "格式版本", "kind": "表的种类", "project_name": "项目名称", "project_suffix": "项目名称后缀",
    "unit.code": "单位编码", "unit.name": "单位名称", "department.code": "主管部门编码",
    "department.name": "主管部门名称", "function.code": "职能职责编码", "function.name": "职能职责与活动",
    **{f"funding.{key}": HEADER_FIELDS[key] for key in ("fiscal", "special_account", "unit_own", "social",
                                                         "bank_loan")},
}


def path_label(path: str) -> str:
    """A document path as people name the field: ``indicators[0].weight`` → ``指标 1「权重」``,
    ``total_wan`` → ``「项目总额」``, ``funding.fiscal`` → ``「财政资金」``, the root → ``本表``."""
    path = path.lstrip(".")
    if path in ("", "（根）"):
        return "本表"
    if path.startswith("indicators["):
        index, _, rest = path[len("indicators["):].partition("]")
        row = f"指标 {int(index) + 1}" if index.isdigit() else "指标"
        key = rest.lstrip(".")
        return f"{row}「{FIELD_LABELS.get(key, key)}」" if key else row
    name = PATH_LABELS.get(path) or FIELD_LABELS.get(path)
    if name is None:
        head, _, rest = path.partition(".")
        name = FIELD_LABELS.get(head, PATH_LABELS.get(head, head)) + (f"的“{rest}”" if rest else "")
    return f"「{name}」"
