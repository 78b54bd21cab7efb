"""Build the committed corpus of self-evaluation tables from the seed's nine target tables.

Each seed table is filled in as its unit would after the year (:func:`bench.generate_selfeval.evaluate`: actuals,
the points jixiao's scoring gives them, reasons where points were lost, total and grade), then written:

- ``seed_form.txt`` / ``.json``: the official form (财预〔2020〕10号 附件); every other table prints block weights
  in the 一级 cell ("产出指标(50分)"), and a quantity is broken into 其中 sub-rows where it can be;
- ``seed_score_sheet.txt`` / ``.json``: the 决策/过程/产出/效益 score sheet (评价标准, 自评分, some with 复核分);
- ``sheet_layout.txt`` / ``.json``: three forms laid out the way a sheet copied from a web page looks — ``|`` between
  cells, label and value cells side by side, merged 一级/二级 cells left blank, amounts in 元, "—" in blank cells,
  "其中" without a colon, the 总分 row with its 分值, 得分 and 等级;
- ``mixed.json``: the seed's target tables and their self-evaluations in one array (the kinds interleaved).

Run from the repository root (the output depends only on the seed and the fixed random seeds)::

    PYTHONPATH=src:. python tests/data/selfeval_tables/make_corpus.py
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from bench.generate_selfeval import evaluate

from jixiao.domain import AnyTable, SelfEvaluationTable, TargetTable
from jixiao.domain.text import format_decimal
from jixiao.io.json_any import dumps_any
from jixiao.io.reading import read_path
from jixiao.io.writers.selfeval_text import format_selfeval

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[2] / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
RANDOM_SEED = 2023


def seed_tables() -> list[TargetTable]:
    return [r.table for r in read_path(SEED) if isinstance(r.table, TargetTable)]


def form_tables() -> list[SelfEvaluationTable]:
    rng = random.Random(RANDOM_SEED)
    return [evaluate(target, rng, "form", block_weights=index % 2 == 1, subrows=True)
            for index, target in enumerate(seed_tables())]


def score_sheets() -> list[SelfEvaluationTable]:
    rng = random.Random(RANDOM_SEED + 1)
    return [evaluate(target, rng, "score_sheet") for target in seed_tables()]


def _yuan(value: Decimal | None) -> str:
    return "—" if value is None else format_decimal(value * 10000) or "—"


def _cell(value: object) -> str:
    if value is None:
        return ""
    return format_decimal(value) or "" if isinstance(value, Decimal) else str(value)


def sheet_layout(table: SelfEvaluationTable) -> str:
    """The form as a sheet copied from a web page: pipes, label/value cells side by side, merged cells blank."""
    def row(*cells: str) -> str:
        return "| " + " | ".join(cells) + " |"

    project = table.project.display() if table.project else ""
    department = table.department.display() if table.department else ""
    unit = table.implementing_unit.display() if table.implementing_unit else ""
    lines = [row(f"{table.year}年度项目支出绩效自评表"),
             row("项目名称", project, "主管部门", department, "实施单位", unit),
             row("项目负责人及电话", f"{table.contact_person or ''}{table.contact_phone or ''}"),
             row("项目资金（元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")]
    for funding in ([table.budget] if table.budget else []) + list(table.funding_rows):
        label = funding.label or ""
        label = f"其中:{label}" if funding.key == "fiscal" else label
        rate = format_decimal(funding.execution_rate)
        lines.append(row(label, _yuan(funding.initial_wan), _yuan(funding.adjusted_wan), _yuan(funding.spent_wan),
                         _cell(funding.execution_weight) or "—", f"{rate}%" if rate else "—",
                         _cell(funding.execution_score) or "—"))
    lines += [row("年度总体目标", "预期目标", "实际完成情况"),
              row("", " ".join((table.goal_expected or "").split("\n")), table.goal_actual or ""),
              row("绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值",
                  "分值", "得分", "偏差原因分析及改进措施")]
    previous: tuple[str | None, Decimal | None, str | None] = (None, None, None)
    for item in table.indicators:
        level1 = f"{item.level1}（{format_decimal(item.level1_weight)}分）" if item.level1_weight else item.level1 or ""
        same_block = (item.level1, item.level1_weight) == previous[:2]
        name = f"其中{item.name}" if item.parent else item.name or ""
        lines.append(row("", "" if same_block else level1,
                         "" if same_block and item.level2 == previous[2] else item.level2 or "", name,
                         item.operator or "", _cell(item.target), item.unit_of_measure or "", _cell(item.actual),
                         _cell(item.weight), _cell(item.score), item.deviation_reason or ""))
        previous = (item.level1, item.level1_weight, item.level2)
    lines.append(row("总分", "100", _cell(table.published_total_score), table.published_grade or ""))
    return "\n".join(lines) + "\n"


def sheet_layout_tables() -> list[SelfEvaluationTable]:
    """The forms ``sheet_layout.txt`` holds: contact person and phone in one cell, goals on one line each."""
    import msgspec

    chosen = [table for index, table in enumerate(form_tables()) if index in (0, 3, 5)]
    return [msgspec.structs.replace(table, goal_expected=" ".join((table.goal_expected or "").split("\n")),
                                    evaluator=None, evaluated_on=None) for table in chosen]


def mixed() -> list[AnyTable]:
    tables: list[AnyTable] = []
    for target, evaluation in zip(seed_tables(), form_tables(), strict=True):
        tables += [target, evaluation]
    return tables


def files() -> dict[str, str]:
    """Every file of the corpus: name → text."""
    forms, sheets, layout = form_tables(), score_sheets(), sheet_layout_tables()
    return {
        "seed_form.txt": "\n".join(map(format_selfeval, forms)),
        "seed_form.json": dumps_any(forms, with_source=False) + "\n",
        "seed_score_sheet.txt": "\n".join(map(format_selfeval, sheets)),
        "seed_score_sheet.json": dumps_any(sheets, with_source=False) + "\n",
        "sheet_layout.txt": "\n".join(map(sheet_layout, layout)),
        "sheet_layout.json": dumps_any(layout, with_source=False) + "\n",
        "mixed.json": dumps_any(mixed(), with_source=False) + "\n",
    }


def main() -> None:
    for name, text in files().items():
        (HERE / name).write_text(text, "utf-8")
        print(f"{name}: {len(text.encode('utf-8')):,} bytes")


if __name__ == "__main__":
    main()
