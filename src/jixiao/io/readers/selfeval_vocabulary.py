"""The one vocabulary of the self-evaluation table (项目支出绩效自评表): every word its readers know, as data.

Every reader of the kind looks its words up here, whatever the layout — the text form and the office grids
(through :mod:`selfeval_words`), and the real published text layouts (:mod:`jixiao.io.readers.selfeval`) — so a
spelling learnt once (当年财政拨款 for 本年财政拨款, 全年实际值 for 实际完成值, 填表人 for 填报人) is understood in
every format, and a table read from any format compares equal. Keys are in matching form: simplified characters,
width-folded, no spaces, no bracketed notes, no end colon. A region with other wording adds entries here; no
reader changes. Field names are the model's (:class:`~jixiao.domain.selfeval_table.SelfEvaluationTable`,
:class:`~jixiao.domain.selfeval_table.FundingRow`, :class:`~jixiao.domain.selfeval_table.EvaluatedIndicator`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from jixiao.domain.selfeval_table import FundingKey

# -- titles and the header labels -------------------------------------------------------------------------
# A title ends with one of these (after a year or a department: "2022年度项目支出绩效自评表"); the score sheet's
# title names 评分.
TITLES: Final[tuple[str, ...]] = ("自评表", "自评评分表")
SCORE_SHEET_TITLE_WORD: Final[str] = "评分"

# Header labels (a label cell and the value beside it, or 标签：值) → field. "contact": a person and a phone in
# one cell; "skip": a label whose value is not read (部门整体绩效自评表's finance office).
LABELS: Final[Mapping[str, str]] = MappingProxyType({
    "项目名称": "project", "专项资金名称": "project", "资金名称": "project", "预算项目": "project",
    "项目编码": "project_code", "项目代码": "project_code",
    "主管部门": "department", "县级主管部门": "department", "主管单位": "department", "项目主管部门": "department",
    "主管部门及代码": "department",
    "实施单位": "implementing_unit", "项目实施单位": "implementing_unit", "预算单位": "implementing_unit",
    "项目单位": "implementing_unit", "项目执行单位": "implementing_unit",
    "项目负责人": "contact_person", "负责人": "contact_person", "项目联系人": "contact_person",
    "部门联系人": "contact_person",
    "项目负责人及电话": "contact", "负责人及电话": "contact", "项目负责人及联系电话": "contact",
    "联系电话": "contact_phone", "负责人电话": "contact_phone", "项目负责人电话": "contact_phone",
    "年度": "year",
    "总分": "total", "自评总分": "total", "合计": "total", "总计": "total", "综合得分": "total", "自评得分": "total",
    "自评等级": "grade", "评价等级": "grade", "自评结果等级": "grade", "等级": "grade",
    "填报人": "evaluator", "评价人": "evaluator", "自评人": "evaluator", "填表人": "evaluator",
    "填报日期": "evaluated_on", "评价日期": "evaluated_on", "自评日期": "evaluated_on", "填表日期": "evaluated_on",
    "日期": "evaluated_on",
    "财政处室": "skip",
})
# Labels of the lines under the table (seal, notes) that carry nothing the model keeps.
IGNORED_LABELS: Final[frozenset[str]] = frozenset({"填报单位", "填报单位盖章", "单位盖章", "其他需要说明事项", "说明",
                                                   "备注"})
# Labels a 总分 row may carry in front of its grade.
GRADE_LABELS: Final[frozenset[str]] = frozenset({"自评等级", "等级"})

# -- the funding block --------------------------------------------------------------------------------------
# The cell that opens the funding block, on its left (its bracketed note says 元 or 万元).
FUNDING_OPENERS: Final[frozenset[str]] = frozenset({
    "项目资金", "资金情况", "预算执行情况", "年度预算数", "部门预算执行情况", "预算资金", "项目资金情况", "年度资金",
})
FUNDING_BLOCK_PREFIX: Final[str] = "资金"  # a grid's merged block label beside the rows ("资金（万元）")

# Funding column headings → FundingRow field ("reason": a 原因 column some forms add, read and dropped).
FUNDING_COLUMNS: Final[Mapping[str, str]] = MappingProxyType({
    "年初预算数": "initial_wan", "年初预算": "initial_wan",
    "全年预算数": "adjusted_wan", "全年预算": "adjusted_wan", "全年调整预算数": "adjusted_wan",
    "调整后预算数": "adjusted_wan",
    "全年执行数": "spent_wan", "预算执行数": "spent_wan", "实际执行数": "spent_wan", "执行数": "spent_wan",
    "分值": "execution_weight", "权重": "execution_weight", "执行率权重": "execution_weight",
    "执行率": "execution_rate", "预算执行率": "execution_rate",
    "得分": "execution_score", "执行率得分": "execution_score",
    "原因": "reason",
})
# The funding columns the model keeps (a heading row names at least two of the core ones).
FUNDING_FIELDS: Final[frozenset[str]] = frozenset({"initial_wan", "adjusted_wan", "spent_wan", "execution_weight",
                                                   "execution_rate", "execution_score"})
FUNDING_CORE: Final[frozenset[str]] = frozenset({"initial_wan", "adjusted_wan", "spent_wan", "execution_rate"})

# Funding row labels (after 其中 is dropped) → FundingRow.key; None: a row read with its label, no key.
FUNDING_ROWS: Final[Mapping[str, FundingKey | None]] = MappingProxyType({
    "年度资金总额": "total", "资金总额": "total", "总额": "total",
    "本年财政拨款": "fiscal", "当年财政拨款": "fiscal", "财政拨款": "fiscal", "本年财政资金": "fiscal",
    "财政资金": "fiscal", "中央、省、市补助县级资金": "fiscal", "上级补助资金": "fiscal",
    "上年结转资金": "carryover", "上年结转": "carryover", "结转资金": "carryover",
    "其他资金": "other",
    "财政专户管理资金": None, "单位资金": None, "社会投入资金": None, "银行贷款": None,
})
SUBROW_PREFIX: Final[str] = "其中"

# -- the annual goal ----------------------------------------------------------------------------------------
# The cell that opens the goal block, then the headings whose texts follow (预期目标 | 实际完成情况).
GOAL_OPENERS: Final[frozenset[str]] = frozenset({
    "年度总体目标", "总体目标", "年度目标", "项目年度目标完成情况", "1.项目年度目标完成情况", "当年绩效目标",
})
GOAL_EXPECTED: Final[frozenset[str]] = frozenset({
    "预期目标", "年初设定目标", "项目年度目标", "年初绩效目标", "年度目标",
})
GOAL_ACTUAL: Final[frozenset[str]] = frozenset({
    "实际完成情况", "全年实际完成情况", "年度总体目标完成情况综述", "年度目标完成情况", "全年目标实际完成情况",
    "目标完成情况", "实际完成",
})
GOAL_SKIPPED: Final[frozenset[str]] = frozenset({"全年绩效目标", "全年调整绩效目标", "2.项目实施内容及过程概述"})

# -- the indicator table ------------------------------------------------------------------------------------
INDICATOR_OPENERS: Final[frozenset[str]] = frozenset({"绩效指标", "项目绩效指标"})  # the merged cell on the left

# Indicator column headings → EvaluatedIndicator field; adjusted_target, coefficient and core are columns
# some forms print that the model does not keep.
INDICATOR_COLUMNS: Final[Mapping[str, str]] = MappingProxyType({
    "一级指标": "level1", "二级指标": "level2", "三级指标": "name", "指标名称": "name", "指标内容": "name",
    "指标性质": "operator", "指标类型": "operator",
    "年度指标值": "target", "指标值": "target", "年度目标值": "target", "目标值": "target", "预期值": "target",
    "年初指标值": "target",
    "调整指标值": "adjusted_target",
    "度量单位": "unit_of_measure", "计量单位": "unit_of_measure", "单位": "unit_of_measure",
    "实际完成值": "actual", "全年实际值": "actual", "全年完成值": "actual", "实际值": "actual", "完成值": "actual",
    "实际完成情况": "actual", "全年实际完成值": "actual",
    "年成值全完值": "actual",  # OCR of 全年完成值 with its two printed lines interleaved
    "分值": "weight", "权重": "weight", "指标分值": "weight", "指标权重": "weight",
    "得分": "score", "自评分": "score", "自评得分": "score", "自评分值": "score", "指标得分": "score",
    "得分系数": "coefficient",
    "偏差原因分析及改进措施": "deviation_reason", "未完成原因分析及改进措施": "deviation_reason",
    "未完成原因及拟采取的改进措施": "deviation_reason", "未完成原因和改进措施": "deviation_reason",
    "未完成原因分析": "deviation_reason", "偏差原因": "deviation_reason",
    "是否核心指标": "core",
    "评价标准": "criteria", "评分标准": "criteria", "评分细则": "criteria", "评分规则": "criteria",
    "复核分": "recheck_score", "复核得分": "recheck_score", "复核评分": "recheck_score",
})
# The indicator columns the model keeps; the columns only a self-evaluation has (not a target table).
INDICATOR_FIELDS: Final[frozenset[str]] = frozenset({
    "level1", "level2", "name", "operator", "target", "unit_of_measure", "actual", "weight", "score",
    "deviation_reason", "criteria", "recheck_score",
})
SELFEVAL_ONLY: Final[frozenset[str]] = frozenset({"actual", "score", "recheck_score", "criteria", "deviation_reason"})
# Words of a deviation column too long to list ("偏差原因及整改措施"): 原因 with one of these.
DEVIATION_WORD: Final[str] = "原因"
DEVIATION_MARKS: Final[tuple[str, ...]] = ("偏差", "未完成", "改进")

# The score sheet: the headings only it prints, and its first levels (决策/过程/产出/效益).
SCORE_SHEET_COLUMNS: Final[frozenset[str]] = frozenset({"评价标准", "评分标准", "评分细则", "评分规则", "自评分",
                                                        "复核分", "复核得分"})
SCORE_SHEET_FIELDS: Final[frozenset[str]] = frozenset({"criteria", "recheck_score"})
SCORE_SHEET_LEVEL1: Final[frozenset[str]] = frozenset({"决策", "过程", "产出", "效益", "项目决策", "项目管理",
                                                       "项目过程", "项目产出", "项目效益", "项目绩效"})

# The names of the form's 一级 and 二级 cells (merged cells printed once in flattened text).
LEVEL1: Final[frozenset[str]] = frozenset({"产出指标", "效益指标", "满意度指标"})
LEVEL2: Final[frozenset[str]] = frozenset({
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "可持续影响指标", "服务对象满意度指标", "社会公众或服务对象满意度指标", "满意度指标",
    "经济效益", "社会效益", "生态效益", "可持续影响", "经济成本指标", "社会成本指标", "生态环境成本指标",
})
LEVEL2_SUFFIXES: Final[tuple[str, ...]] = ("满意度指标等",)  # template wording kept as printed

# -- the total and the sign-off -----------------------------------------------------------------------------
# Cells that end the indicator table, and what follows it.
TABLE_END: Final[frozenset[str]] = frozenset({
    "合计", "总分", "其他需要说明事项", "评价结论", "存在问题", "改进措施", "说明", "项目负责人", "财务负责人",
    "填表人", "备注",
})
TOTAL_LABELS: Final[frozenset[str]] = frozenset({"总分", "合计"})
# 自评等级 words (a 总分 row may carry one after its figures: "总分 | 100 | 96 | 优").
GRADES: Final[frozenset[str]] = frozenset({"优", "良", "中", "差", "优秀", "良好", "较好", "合格", "不合格", "较差",
                                           "一般", "A", "B", "C", "D"})

# -- cell values --------------------------------------------------------------------------------------------
# Printed marks of a blank cell (dashes, slashes), in every layout; a form's placeholders and template rows.
BLANK_MARKS: Final[frozenset[str]] = frozenset({"-", "－", "–", "—", "——", "--", "/", "／", "\\"})
BLANK_WORDS: Final[frozenset[str]] = frozenset({"无", "—/—"})  # a cell saying there is nothing to say
PLACEHOLDERS: Final[frozenset[str]] = BLANK_MARKS | frozenset({
    "……", "…", "待填", "待填写", "须填写", "（未填写）", "(未填写)", "未填写", "未计分", "无数据", "（未命名指标）"})
FIGURE_BLANKS: Final[frozenset[str]] = BLANK_MARKS | {"无数据"}  # a figure's cell with nothing in it (real layouts)
PROMPT_PREFIXES: Final[tuple[str, ...]] = ("须填写：", "须填写:")  # jixiao's own prompts to the unit
SKIPPED_CELLS: Final[frozenset[str]] = frozenset({"……", "…", "...", "......"})  # template rows left in

# Operators as printed → canonical spelling (besides jixiao.domain.parse_operator's spellings).
OPERATORS: Final[Mapping[str, str]] = MappingProxyType({
    "﹦": "=", "═": "=", "=": "=", "≧": "≥", "≦": "≤", "＞": "＞", "＜": "＜",
    "定性指标": "定性", "定性": "定性",
})
# A leading comparison of a one-cell 年度指标值 ("≥720000张"), longest first.
OPERATOR_PREFIXES: Final[tuple[str, ...]] = (
    "大于等于", "小于等于", "大于", "小于", "等于", ">=", "<=", "≥", "≤", "≧", "≦", "⩾", "⩽", "＞", "＜", ">", "<", "═",
    "﹦", "=", "＝")
QUANTITATIVE_KINDS: Final[frozenset[str]] = frozenset({"定量指标", "定量"})  # 指标性质 that names no operator
OPERATOR_SUFFIXES: Final[Mapping[str, str]] = MappingProxyType({"以上": "≥", "以下": "≤", "及以上": "≥",
                                                                "及以下": "≤"})

# OCR misreadings seen in scanned tables: a 指标性质 read backwards, ≥ read as a digit or a character.
OCR_KINDS: Final[Mapping[str, str]] = MappingProxyType({
    "性标定指": "定性指标", "标指性定": "定性指标", "性标量指": "定量指标",
})
OCR_GE: Final[tuple[str, ...]] = ("到", "第")  # "到0次" is ≥?0次: the operator is clear, the figure is not
OCR_GE_DIGIT: Final[str] = "2"  # "290%" (a rate above 100) is ≥90%

# Units of measure, for telling a unit cell from a short value.
UNITS: Final[frozenset[str]] = frozenset({
    "%", "％", "百分比", "个", "人", "人次", "元", "万元", "亩", "次", "份", "篇", "天", "日", "年", "月", "起", "头",
    "只", "公里", "千米", "米", "吨", "项", "户", "家", "所", "间", "件", "台", "套", "座", "处", "场", "期", "批",
    "名", "元/亩", "元/人", "元/生", "平方米", "立方米", "株", "棵", "公斤", "千克", "小时", "分", "册", "本",
})

# -- telling the kind -----------------------------------------------------------------------------------------
# Words a self-evaluation table has and a target table has not. The text form's reader is sure of its own
# layout's words; the real layouts' readers count the looser words in the spellings they meet (simplified or
# traditional: no OpenCC at sniffing time, it must stay cheap).
SIGNATURE: Final[tuple[str, ...]] = ("全年执行数", "实际完成值", "年初预算数", "全年预算数", "偏差原因", "自评等级",
                                     "自评表", "自评分", "复核分", "全年实际值", "实际完成情况")
SIGNATURE_FORMS: Final[tuple[tuple[str, ...], ...]] = (
    ("执行数", "執行數"), ("执行率", "執行率"), ("完成值", "完成值"), ("实际值", "實際值"), ("得分", "得分"),
    ("自评", "自評"), ("实际完成情况", "實際完成情況"),
)
# A list of results (汇总, 计分说明), not a form: a 项目名称 column beside two of these.
LIST_COLUMNS: Final[frozenset[str]] = frozenset({"全年预算数", "全年执行数", "执行率", "执行率得分", "总分", "自评等级",
                                                 "得分", "分值", "自评分", "复核分"})

# Run-together text (OCR, document-sharing sites): short qualitative values, and the lines such sites add.
QUALITATIVE_VALUES: Final[tuple[str, ...]] = ("有效", "良好", "达标", "完成", "显著", "明显", "较高", "高", "好", "中",
                                              "低", "优", "良", "无")
SITE_LINE_MARKERS: Final[tuple[str, ...]] = ("由会员分享", "可在线阅读", "更多相关", "下载文档", "文档格式")
