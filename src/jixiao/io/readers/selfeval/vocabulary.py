"""The words a published self-evaluation table is recognised by: data, not code.

Every key is in its matching form (:func:`~jixiao.io.readers.selfeval.text.key`: simplified characters,
width-folded, no spaces, no bracketed notes), so "項目資金 (萬元)", "项目资金（万元）" and "项目资金" are
one word. A region with other wording adds entries here; no reader changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from jixiao.io.readers import selfeval_shared as shared

# Header labels → field of SelfEvaluationTable (contact: "负责人及电话", split into person and phone).
LABELS: Mapping[str, str] = MappingProxyType({
    "项目名称": "project",
    "专项资金名称": "project",
    "项目代码": "project_code",
    "项目编码": "project_code",
    "主管部门": "department",
    "县级主管部门": "department",
    "项目主管部门": "department",
    "主管部门及代码": "department",
    "实施单位": "implementing_unit",
    "项目执行单位": "implementing_unit",
    "项目负责人及电话": "contact",
    "负责人及电话": "contact",
    "项目负责人": "contact_person",
    "部门联系人": "contact_person",
    "联系电话": "contact_phone",
    "自评总分": "total",
    "自评得分": "total",
    "自评等级": "grade",
    "评价等级": "grade",
    "填表人": "evaluator",
    "评价人": "evaluator",
    "填报日期": "evaluated_on",
    "填表日期": "evaluated_on",
    "财政处室": "skip",  # 部门整体绩效自评表: the finance office's column, not read
})

# The cell that opens the funding block (its bracketed note says 元 or 万元).
FUNDING_OPENERS: frozenset[str] = frozenset({
    "项目资金", "资金情况", "预算执行情况", "年度预算数", "部门预算执行情况", "预算资金", "项目资金情况",
})

# Funding column headings → FundingRow field (reason: 原因 column, read and dropped).
FUNDING_COLUMNS: Mapping[str, str] = MappingProxyType({**shared.FUNDING_COLUMNS, "原因": "reason"})

# Funding row labels (after "其中:" is dropped) → FundingRow.key; None keeps the label without a key.
FUNDING_ROWS: Mapping[str, str | None] = shared.FUNDING_ROWS

# The goal block: its opener, then the two headings whose texts follow.
GOAL_OPENERS: frozenset[str] = frozenset({
    "年度总体目标", "总体目标", "年度目标", "项目年度目标完成情况", "1.项目年度目标完成情况", "当年绩效目标",
})
GOAL_EXPECTED: frozenset[str] = frozenset({
    "预期目标", "年初设定目标", "项目年度目标", "年初绩效目标", "年度目标",
})
GOAL_ACTUAL: frozenset[str] = frozenset({
    "实际完成情况", "全年实际完成情况", "年度总体目标完成情况综述", "年度目标完成情况", "全年目标实际完成情况",
})
GOAL_SKIPPED: frozenset[str] = frozenset({"全年绩效目标", "全年调整绩效目标", "2.项目实施内容及过程概述"})

# Indicator column headings → column kind (see rows.COLUMN_KINDS).
INDICATOR_COLUMNS: Mapping[str, str] = MappingProxyType({
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标名称": "name",
    "指标内容": "name",
    "指标性质": "operator",
    "年度指标值": "target",
    "指标值": "target",
    "年初指标值": "target",
    "目标值": "target",
    "调整指标值": "adjusted_target",
    "度量单位": "unit",
    "计量单位": "unit",
    "实际完成值": "actual",
    "完成值": "actual",
    "全年完成值": "actual",
    "全年实际值": "actual",
    "实际值": "actual",
    "分值": "weight",
    "权重": "weight",
    "指标权重": "weight",
    "得分": "score",
    "指标得分": "score",
    "自评得分": "score",
    "得分系数": "coefficient",
    "偏差原因分析及改进措施": "reason",
    "未完成原因分析": "reason",
    "未完成原因和改进措施": "reason",
    "未完成原因及拟采取的改进措施": "reason",
    "偏差原因": "reason",
    "是否核心指标": "core",
    "年成值全完值": "actual",  # OCR of 全年完成值 with its two printed lines interleaved
})
INDICATOR_OPENERS: frozenset[str] = frozenset({"绩效指标"})  # the merged cell left of the header

LEVEL1: frozenset[str] = frozenset({"产出指标", "效益指标", "满意度指标"})
LEVEL2: frozenset[str] = frozenset({
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "可持续影响指标", "服务对象满意度指标", "社会公众或服务对象满意度指标", "满意度指标",
    "经济效益", "社会效益", "生态效益", "可持续影响", "经济成本指标", "社会成本指标", "生态环境成本指标",
})
LEVEL2_SUFFIXES: tuple[str, ...] = ("满意度指标等",)  # template wording kept as printed ("服务对象满意度指标等")

# Cells that end the indicator table, and what follows it.
TABLE_END: frozenset[str] = frozenset({
    "合计", "总分", "其他需要说明事项", "评价结论", "存在问题", "改进措施", "说明", "项目负责人", "财务负责人",
    "填表人", "备注",
})
TOTAL_LABELS: frozenset[str] = frozenset({"总分", "合计"})
GRADES: frozenset[str] = shared.GRADES

# Printed placeholders of a blank cell.
BLANKS: frozenset[str] = shared.BLANK_MARKS | {"无数据"}
SKIPPED_CELLS: frozenset[str] = frozenset({"……", "…", "...", "......"})  # template rows left in

# Operators as printed → canonical spelling (besides jixiao.domain.parse_operator's spellings).
OPERATORS: Mapping[str, str] = MappingProxyType({
    "﹦": "=", "═": "=", "=": "=", "≧": "≥", "≦": "≤", "＞": "＞", "＜": "＜",
    "定性指标": "定性", "定性": "定性",
})
QUANTITATIVE_KINDS: frozenset[str] = frozenset({"定量指标", "定量"})  # 指标性质 that names no operator
OPERATOR_SUFFIXES: Mapping[str, str] = MappingProxyType({"以上": "≥", "以下": "≤", "及以上": "≥", "及以下": "≤"})

# OCR misreadings seen in scanned tables: a 指标性质 read backwards, ≥ read as a digit or a character.
OCR_KINDS: Mapping[str, str] = MappingProxyType({
    "性标定指": "定性指标", "标指性定": "定性指标", "性标量指": "定量指标",
})
OCR_GE: tuple[str, ...] = ("到", "第")  # "到0次" is ≥?0次: the operator is clear, the figure is not
OCR_GE_DIGIT = "2"  # "290%" (a rate above 100) is ≥90%

# Units of measure, for telling a unit cell from a short value.
UNITS: frozenset[str] = frozenset({
    "%", "％", "百分比", "个", "人", "人次", "元", "万元", "亩", "次", "份", "篇", "天", "日", "年", "月", "起", "头",
    "只", "公里", "千米", "米", "吨", "项", "户", "家", "所", "间", "件", "台", "套", "座", "处", "场", "期", "批",
    "名", "元/亩", "元/人", "元/生", "平方米", "立方米", "株", "棵", "公斤", "千克", "小时", "分", "册", "本",
})

# Words a self-evaluation table has and a target table has not: sniffing counts them.
SIGNATURE: tuple[str, ...] = ("执行数", "执行率", "完成值", "实际值", "得分", "自评", "实际完成情况")
TITLES: tuple[str, ...] = ("自评表",)

# SIGNATURE in the spellings sniffing meets (no OpenCC at sniffing time: it must stay cheap).
SIGNATURE_FORMS: tuple[tuple[str, ...], ...] = (
    ("执行数", "執行數"), ("执行率", "執行率"), ("完成值", "完成值"), ("实际值", "實際值"), ("得分", "得分"),
    ("自评", "自評"), ("实际完成情况", "實際完成情況"),
)

# Run-together text (OCR, document-sharing sites): short qualitative values, and the lines such sites add.
QUALITATIVE_VALUES: tuple[str, ...] = ("有效", "良好", "达标", "完成", "显著", "明显", "较高", "高", "好", "中", "低",
                                       "优", "良", "无")
SITE_LINE_MARKERS: tuple[str, ...] = ("由会员分享", "可在线阅读", "更多相关", "下载文档", "文档格式")
