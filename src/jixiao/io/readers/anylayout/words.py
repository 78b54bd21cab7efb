"""The words the layout-independent reader knows, as data: a new regional variant is an entry here, not code.

Keys are in matching form (:func:`jixiao.io.readers.selfeval.text.key`: simplified, width-folded, no spaces, no
bracketed notes, no end colon). The column headings of both table kinds are read through the two kinds'
vocabularies (:mod:`jixiao.io.readers.vocabulary`, :mod:`jixiao.io.readers.selfeval_vocabulary`) first; the
entries below are the regional variants met in published tables that neither form prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# Indicator column headings → the column's kind. A kind the model does not keep ("standard", "note") is read
# and dropped: it still takes its place in the row, so the cells after it land in the right columns.
COLUMNS: Final[Mapping[str, str]] = MappingProxyType({
    "一级指标": "level1", "二级指标": "level2", "三级指标": "name", "指标名称": "name", "指标内容": "name",
    "指标": "name", "绩效指标名称": "name",
    "指标值及单位": "target", "年度指标值": "target", "全年绩效目标": "target", "指标值": "target",
    "目标值": "target", "年度目标值": "target", "年初目标值": "target", "年初指标值": "target",
    "预期值": "target", "本年度指标值": "target", "本年指标值": "target", "指标目标值": "target",
    "计算符号": "operator", "指标性质": "operator", "指标类型": "operator", "指标值类型": "operator",
    "度量单位": "unit_of_measure", "计量单位": "unit_of_measure",
    "权重": "weight", "分值": "weight", "指标权重": "weight", "指标分值": "weight",
    "实际完成值": "actual", "全年实际值": "actual", "全年完成值": "actual", "实际值": "actual", "完成值": "actual",
    "实际完成情况": "actual", "全年实际完成值": "actual", "实际完成指标值": "actual", "完成情况": "actual",
    "得分": "score", "自评分": "score", "自评得分": "score", "指标得分": "score",
    "偏差原因分析及改进措施": "deviation_reason", "未完成原因分析及改进措施": "deviation_reason",
    "未完成原因及改进措施": "deviation_reason", "偏差原因": "deviation_reason",
    "绩效标准": "standard", "指标标准或依据": "standard", "指标值说明": "note", "指标值内容": "note",
    "指标说明": "note", "指标解释": "note", "备注": "note", "绩效指标描述": "note", "评分标准": "criteria",
    "评价标准": "criteria", "自评内容": "note", "指标方向": "direction", "指标方向性": "direction",
})
# Heading words only a split two-line heading prints ("年度 / 指标值", "实际 / 完成值"): a column only inside a
# run of headings, never on their own.
HEADING_PARTS: Final[Mapping[str, str]] = MappingProxyType({"年度": "target", "实际": "actual", "一级": "level1",
                                                            "二级": "level2", "三级": "name"})
# The kinds of columns; the self-evaluation's own (a heading naming one makes the table a self-evaluation).
LEVEL_KINDS: Final[frozenset[str]] = frozenset({"level1", "level2", "name"})
SELFEVAL_KINDS: Final[frozenset[str]] = frozenset({"actual", "score", "deviation_reason"})
KEPT_KINDS: Final[frozenset[str]] = frozenset({"operator", "target", "unit_of_measure", "weight", "actual", "score",
                                               "deviation_reason"})
# The merged cell on the left of the headings ("绩效指标", "本年度绩效指标", "年度绩效目标(90分)").
OPENERS: Final[tuple[str, ...]] = ("绩效指标", "年度绩效指标", "本年度绩效指标", "项目绩效指标", "年度绩效目标",
                                   "绩效目标", "年度绩效指标完成情况")

# 一级 and 二级 names: a stem, then one of the endings (产出指标, 产出目标, 产出). Stems that are both (成本,
# 满意度) are 一级 when a 二级 name follows them, else 二级 under the current 一级.
LEVEL1_STEMS: Final[tuple[str, ...]] = ("产出", "效益", "满意度", "成本", "投入", "过程", "决策", "项目完成",
                                        "项目效益", "项目产出", "项目管理", "影响")
LEVEL2_STEMS: Final[tuple[str, ...]] = (
    "数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "环境效益", "可持续影响", "可持续发展",
    "服务对象满意度", "社会公众或服务对象满意度", "群众满意度", "满意度", "经济成本", "社会成本", "生态环境成本",
    "产出数量", "产出质量", "产出时效", "产出成本", "项目成本", "预算执行", "资金投入", "资金管理",
)
LEVEL_ENDINGS: Final[tuple[str, ...]] = ("指标", "目标", "")
LEVEL2_SUFFIXES: Final[tuple[str, ...]] = ("满意度指标等",)  # template wording kept as printed
# A level name broken over two cells ("项目完成" / "指标"): the second cell is one of these.
LEVEL_TAILS: Final[frozenset[str]] = frozenset({"指标", "目标"})
# The 一级 a 二级 belongs to in the national framework (财预〔2020〕10号), by the 二级's stem: a table whose first
# rows print no 一级 has it inferred from here, and the guess is reported.
LEVEL1_OF_LEVEL2: Final[Mapping[str, str]] = MappingProxyType({
    "数量": "产出指标", "质量": "产出指标", "时效": "产出指标", "成本": "产出指标",
    "经济效益": "效益指标", "社会效益": "效益指标", "生态效益": "效益指标", "可持续影响": "效益指标",
    "服务对象满意度": "满意度指标", "社会公众或服务对象满意度": "满意度指标",
})
# Template hints printed in a level cell ("数量指标（必填硬性指标）"): dropped from the level's name.
LEVEL_HINTS: Final[tuple[str, ...]] = ("必填", "选填")

# Cells that end an indicator table (a sign-off, a note, the reviewer's opinion, the next table's labels).
TABLE_END: Final[frozenset[str]] = frozenset({
    "合计", "总分", "其他需要说明事项", "评价结论", "存在问题", "改进措施", "说明", "财务负责人", "填表人", "备注",
    "财政部门审核意见", "审核意见", "主管部门审核意见", "附件", "填报说明", "项目负责人", "单位负责人",
})
END_PREFIXES: Final[tuple[str, ...]] = ("注:", "注1", "说明:", "填表人:", "填报人:", "填表说明", "财政部门审核意见")
# Titles: a cell ending with one of these starts a new table.
TITLES: Final[tuple[str, ...]] = ("绩效目标表", "绩效目标申报表", "绩效自评表", "自评表", "目标表", "申报表",
                                  "批复表", "绩效目标审批表")
# Header labels whose value is the project's name (a target table's header is read only for its name).
PROJECT_LABELS: Final[frozenset[str]] = frozenset({"项目名称", "专项资金名称", "资金名称", "预算项目", "项目支出名称",
                                                   "项目(政策)名称"})

# A row's cells that are never an indicator name: template fillers and the 分 notes of a block.
NOT_NAMES: Final[frozenset[str]] = frozenset({"……", "…", "...", "......", "/", "-", "—", "无"})

# OCR confusions in value cells (scanned tables): letters read for digits inside a figure ("1O0%", "IO次"),
# characters read for a unit ("万兀"). A cell is read with them only when the result is a figure, and the
# reading is reported (ocr-reading), never silent.
OCR_DIGITS: Final[Mapping[str, str]] = MappingProxyType({"O": "0", "o": "0", "l": "1", "I": "1"})
OCR_UNIT_CHARACTERS: Final[Mapping[str, str]] = MappingProxyType({"兀": "元"})
