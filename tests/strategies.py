"""Hypothesis strategies: realistic performance target tables.

Values look like the published ones (Chinese names, 21-character project codes, money in 万元
with two decimals, integer weights, canonical operators and directions) and stay unambiguous in
the published text layout: no tabs, newlines or colons in names, no name that starts with a
header label, and an alphabet without 级 and 表, so no generated text can pass for the
"一级指标…三级指标" header row or a "…绩效目标表" title.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec
from hypothesis import strategies as st

from jixiao.domain import (
    CodedName,
    Direction,
    EvaluatedIndicator,
    Funding,
    FundingRow,
    Indicator,
    Operator,
    ProjectCode,
    ProjectRef,
    SelfEvaluationTable,
    SourceRef,
    TargetTable,
    Value,
)
from jixiao.domain.selfeval_table import FUNDING_ROW_LABELS, FundingKey

HAN = (
    "重庆市长寿区政务服务管理办公室本中心人民政府财政教育卫生健康交通水利农业环境保护城乡建设文化"
    "旅游体育科技信息网络平台运维窗口队伍作风培训物业绿化电维免费复印邮寄协税员聘用技术数量质量时效"
    "成本效益满意度群众社会经济可持续发展受理事项用纸张墨粉光纤短信面积覆盖率开展行政审批制度改革创新"
)
DIGITS = "0123456789"
PUNCTUATION = "，。；、“”（）《》%-"
ALPHABET = HAN + DIGITS
assert "级" not in HAN and "表" not in HAN

# Labels the reader recognises at the start of a line (and the title); see readers/vocabulary.py.
HEADER_LABELS = (
    "单位信息", "预算单位", "单位名称", "预算项目", "项目名称", "职能职责与活动", "主管部门",
    "项目经办人", "项目负责人", "经办人电话", "联系电话", "项目总额", "预算执行率权重", "执行率权重",
    "财政资金", "财政专户管理资金", "单位资金", "社会投入资金", "银行贷款", "年度目标", "年度绩效目标",
    "其中", "绩效目标表",
)

OPERATORS = tuple(str(op) for op in Operator if op is not Operator.OTHER_QUANTITATIVE)  # ≥ ＞ = ＜ ≤ 定性
DIRECTIONS = tuple(str(direction) for direction in Direction)
LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL2 = ("数量指标", "质量指标", "时效指标", "经济成本指标", "社会效益指标", "经济效益指标",
          "生态效益指标", "可持续影响指标", "服务对象满意度指标")
UNITS = ("张", "盒", "元", "%", "项", "名", "次", "万件次", "平方米", "千瓦时", "人次", "年")
TEXT_VALUES = ("有效", "显著提升", "≥100公里", "100%", "按时完成", "不低于90", "良好")
SUFFIXES = ("（一般性）", "（专项）", "(续建)")


def _unambiguous(text: str) -> bool:
    return not text.startswith(HEADER_LABELS)


def names(max_size: int = 16) -> st.SearchStrategy[str]:
    return st.text(ALPHABET, min_size=1, max_size=max_size).filter(_unambiguous)


def paragraphs() -> st.SearchStrategy[str]:
    return st.text(ALPHABET + PUNCTUATION, min_size=1, max_size=80).filter(_unambiguous)


def annual_goals(max_paragraphs: int = 3) -> st.SearchStrategy[str | None]:
    return st.none() | st.lists(paragraphs(), min_size=1, max_size=max_paragraphs).map("\n".join)


def money() -> st.SearchStrategy[Decimal | None]:
    """万元 with two decimals ("15.00", "0.05"), or blank."""
    return st.none() | st.integers(0, 10**9).map(lambda cents: Decimal(cents).scaleb(-2))


def weights() -> st.SearchStrategy[Decimal]:
    return st.integers(0, 100).map(Decimal)


def values() -> st.SearchStrategy[Value]:
    numbers = st.integers(0, 10**7).map(str) | st.builds(
        lambda whole, tenths: f"{whole}.{tenths}", st.integers(0, 999), st.integers(0, 9))
    return st.one_of(numbers, st.sampled_from(TEXT_VALUES), names(6)).map(Value)


def coded_names(code_digits: tuple[int, int] = (2, 6)) -> st.SearchStrategy[CodedName | None]:
    low, high = code_digits
    codes = st.text(DIGITS, min_size=low, max_size=high)
    full_names = st.builds(lambda name, own: name + own, names(), st.sampled_from(("", "（本级）")))
    return st.none() | st.builds(CodedName, codes, full_names)


def project_codes() -> st.SearchStrategy[ProjectCode]:
    """The usual 21 characters: region (6 digits), year (2), category letter, serial (12)."""
    return st.builds(
        lambda region, year, letter, serial: ProjectCode(f"{region:06d}{year:02d}{letter}{serial:012d}"),
        st.integers(110000, 659999), st.integers(15, 30), st.sampled_from("RTG"), st.integers(0, 10**12 - 1),
    )


def project_refs() -> st.SearchStrategy[ProjectRef | None]:
    return st.none() | st.builds(ProjectRef, project_codes(), names(), st.none() | st.sampled_from(SUFFIXES))


def indicators() -> st.SearchStrategy[Indicator]:
    return st.builds(
        Indicator,
        level1=st.sampled_from(LEVEL1),
        level2=st.sampled_from(LEVEL2),
        name=names(),
        operator=st.sampled_from(OPERATORS),
        history=st.none() | values(),
        target=values(),
        current_target=st.none() | values(),
        unit_of_measure=st.none() | st.sampled_from(UNITS),
        weight=weights(),
        current_weight=st.none() | weights(),
        direction=st.sampled_from(DIRECTIONS),
    )


def phones() -> st.SearchStrategy[str]:
    return st.from_regex(r"023-[0-9]{8}|1[3-9][0-9]{9}", fullmatch=True)


def sources() -> st.SearchStrategy[SourceRef | None]:
    files = st.text(ALPHABET + "_.", min_size=1, max_size=20)
    return st.none() | st.builds(SourceRef, files, st.none() | st.integers(1, 10**6))


def target_tables(*, max_paragraphs: int = 3, min_indicators: int = 1,
                  max_indicators: int = 6) -> st.SearchStrategy[TargetTable]:
    """Tables with at least one indicator (an empty indicator table is rightly warned about)."""
    return st.builds(
        TargetTable,
        unit=coded_names((6, 6)),
        project=project_refs(),
        function=coded_names((2, 2)),
        department=coded_names((3, 3)),
        contact_person=st.none() | names(4),
        contact_phone=st.none() | phones(),
        total_wan=money(),
        execution_weight=st.none() | weights(),
        funding=st.builds(Funding, money(), money(), money(), money(), money()),
        annual_goal=annual_goals(max_paragraphs),
        indicators=st.lists(indicators(), min_size=min_indicators, max_size=max_indicators).map(tuple),
        source=sources(),
    )


# -- self-evaluation tables ------------------------------------------------------------------------
GRADES = ("优", "良", "中", "差")
REASONS = ("无偏差", "按计划完成", "受疫情影响部分延期，下年度加快进度", "采购价格下降，节约资金")


def _scores() -> st.SearchStrategy[Decimal | None]:
    return st.none() | st.integers(0, 1000).map(lambda tenths: Decimal(tenths).scaleb(-1))


def funding_rows(key: FundingKey | None) -> st.SearchStrategy[FundingRow]:
    label = FUNDING_ROW_LABELS[key] if key else None
    return st.builds(FundingRow, st.just(key), st.just(label), money(), money(), money(), st.none() | weights(),
                     _scores(), _scores())


def evaluated_indicators(parent: str | None = None) -> st.SearchStrategy[EvaluatedIndicator]:
    return st.builds(
        EvaluatedIndicator,
        level1=st.sampled_from(LEVEL1),
        level2=st.sampled_from(LEVEL2),
        name=names(),
        operator=st.none() | st.sampled_from(OPERATORS),
        target=st.none() | values(),
        unit_of_measure=st.none() | st.sampled_from(UNITS),
        weight=st.none() | weights(),
        actual=st.none() | values(),
        score=_scores(),
        deviation_reason=st.none() | st.sampled_from(REASONS),
        parent=st.just(parent),
        level1_weight=st.none() | weights(),
    )


@st.composite
def _indicator_rows(draw: st.DrawFn, max_indicators: int, score_sheet: bool) -> tuple[EvaluatedIndicator, ...]:
    """Top-level rows, each followed by up to two 其中 sub-rows naming it as their parent."""
    rows: list[EvaluatedIndicator] = []
    for _ in range(draw(st.integers(1, max_indicators))):
        item = draw(evaluated_indicators())
        if score_sheet:
            item = msgspec.structs.replace(
                item, level1=draw(st.sampled_from(SHEET_LEVEL1)), criteria=draw(st.none() | paragraphs()),
                recheck_score=draw(_scores()))
        rows.append(item)
        if item.name is not None and not score_sheet:
            rows += draw(st.lists(evaluated_indicators(item.name), max_size=2))
    return tuple(rows)


SHEET_LEVEL1 = ("决策", "过程", "产出", "效益")


def selfeval_tables(*, max_indicators: int = 6, variant: str = "form") -> st.SearchStrategy[SelfEvaluationTable]:
    """Self-evaluation tables as a unit publishes them, in any state of completeness: the form (with 其中
    sub-rows and block weights) or the score sheet (决策/过程/产出/效益, 评价标准, 复核分)."""
    rows = st.tuples(funding_rows("fiscal"), funding_rows("carryover"), funding_rows("other")).map(tuple)
    return st.builds(
        SelfEvaluationTable,
        variant=st.just(variant),
        project=project_refs(),
        department=coded_names((3, 3)),
        implementing_unit=coded_names((6, 6)),
        contact_person=st.none() | names(4),
        contact_phone=st.none() | phones(),
        year=st.none() | st.integers(2015, 2030),
        budget=st.none() | funding_rows("total"),
        funding_rows=rows,
        goal_expected=st.none() | annual_goals(),
        goal_actual=st.none() | annual_goals(),
        indicators=_indicator_rows(max_indicators, variant == "score_sheet"),
        published_total_score=_scores(),
        published_grade=st.none() | st.sampled_from(GRADES),
        evaluator=st.none() | names(4),
        evaluated_on=st.none() | st.sampled_from(("2023-02-15", "2023年3月1日")),
        source=sources(),
    )
