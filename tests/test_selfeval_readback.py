"""What ``jixiao score … -f xlsx|html|pdf`` prints reads back as the self-evaluation table that was scored.

The seed is scored with the actuals and budget a unit might report (tests/data/selfeval); each format is read
back through the one reader registry and compared with :func:`services.selfeval_tables.scored_tables`, the
table the scoring printed. A run with rows left to fill (须填写, 待填, 未计分) reads back with those cells blank.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jixiao import profiles, reports
from jixiao.domain import SelfEvaluationTable, Severity, Value
from jixiao.io.limits import Limits
from jixiao.io.reading import read_bytes, read_path
from jixiao.scoring import ProjectScore, ScoringPolicy
from jixiao.services.selfeval import score_files
from jixiao.services.selfeval_tables import scored_table, scored_tables
from tests.test_cli import SEED, run

DATA = Path(__file__).resolve().parent / "data" / "selfeval"
FORMATS = ("html", "xlsx", "pdf")


@cache
def _policy() -> ScoringPolicy:
    return profiles.load("chongqing").scoring


@cache
def _scored(actuals: str, budget: str | None) -> tuple[ProjectScore, ...]:
    done = score_files([SEED], DATA / actuals, DATA / budget if budget else None, _policy())
    return tuple(done.projects)


def _read_back(projects: tuple[ProjectScore, ...], fmt: str) -> tuple[list[SelfEvaluationTable], list[str]]:
    content = reports.render(reports.Scores(list(projects), _policy()), fmt)
    data = content.encode("utf-8") if isinstance(content, str) else content
    results = list(read_bytes(data, f"自评.{fmt}", limits=Limits(isolate=False)))
    notes = [d.render() for r in results for d in r.diagnostics if d.severity is not Severity.INFO]
    return [r.table for r in results if isinstance(r.table, SelfEvaluationTable)], notes


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_scored_seed_reads_back_as_the_table_that_was_scored(fmt: str) -> None:
    projects = _scored("actuals_good.csv", "budget_good.csv")
    expected = scored_tables(list(projects), _policy())
    tables, notes = _read_back(projects, fmt)
    assert not notes
    assert len(tables) == len(projects) == 9
    assert tables == expected


def test_the_scored_table_says_what_the_form_prints() -> None:
    copying = next(p for p in _scored("actuals_good.csv", "budget_good.csv") if p.project_code ==
                   "50011522T000000157087")
    table = scored_table(copying, _policy())
    assert table.project == copying.table.project and table.implementing_unit == copying.table.unit
    assert table.year == 2022 and table.variant == "form"
    budget = table.budget
    assert budget is not None and (budget.adjusted_wan, budget.spent_wan) == (Decimal("15.00"), Decimal("14.25"))
    assert budget.execution_rate == 95 and budget.execution_score == copying.execution.score  # 95%, as printed
    assert [(row.key, row.label) for row in table.funding_rows] == [
        ("fiscal", "当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金")]
    paper = table.indicators[0]
    assert (paper.operator, paper.target, paper.unit_of_measure) == ("≥", Value("720000"), "张")
    assert paper.actual == Value("650000张") and paper.score == copying.indicators[0].score
    assert paper.deviation_reason and paper.deviation_reason.startswith("群众自带材料增多")
    assert table.published_total_score == copying.total and table.published_grade == copying.grade


@pytest.mark.parametrize("fmt", FORMATS)
def test_cells_left_to_fill_read_back_blank(fmt: str) -> None:
    """No budget and a 定性 row without its points: 未计分, 须填写 and 待填 are jixiao's prompts, not values."""
    projects = _scored("actuals_no_score.csv", None)
    expected = scored_tables(list(projects), _policy())
    unscored = [item for table in expected for item in table.indicators if item.score is None]
    assert unscored and all(table.budget and table.budget.execution_score is None for table in expected)
    tables, notes = _read_back(projects, fmt)
    assert not notes
    assert tables == expected


def test_score_cli_output_parses_as_self_evaluation_tables(tmp_path: Path) -> None:
    out = tmp_path / "自评.xlsx"
    done = run("score", str(SEED), "-a", str(DATA / "actuals_good.csv"), "-b", str(DATA / "budget_good.csv"),
               "-f", "xlsx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    tables = [r.table for r in read_path(out) if r.table is not None]
    assert len(tables) == 9 and all(isinstance(t, SelfEvaluationTable) for t in tables)
    assert tables == scored_tables(list(_scored("actuals_good.csv", "budget_good.csv")), _policy())


def test_parse_of_the_score_workbook_notes_its_summary_sheets_and_exits_0(tmp_path: Path) -> None:
    """The 汇总 and 计分说明 sheets jixiao writes beside the 自评表 sheets are said (提示), not a failure."""
    out = tmp_path / "自评.xlsx"
    done = run("score", str(SEED), "-a", str(DATA / "actuals_good.csv"), "-b", str(DATA / "budget_good.csv"),
               "-f", "xlsx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    parsed = run("parse", str(out), "-f", "json")
    assert parsed.returncode == 0, parsed.stderr
    notes = [line for line in parsed.stderr.splitlines() if "selfeval-list-skipped" in line]
    assert len(notes) == 2 and all("提示" in line for line in notes)
    assert any("汇总!A1" in line for line in notes) and any("计分说明!A1" in line for line in notes)
    assert "9 张表" in parsed.stderr and "诊断 2 条（均为提示）" in parsed.stderr


def test_parse_still_exits_1_on_a_warning(tmp_path: Path) -> None:
    table = tmp_path / "表.txt"
    table.write_text("项目支出绩效自评表\n项目名称：某项目\n这一行不是自评表的内容\n", "utf-8")
    parsed = run("parse", str(table))
    assert parsed.returncode == 1 and "（均为提示）" not in parsed.stderr
