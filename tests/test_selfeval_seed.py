"""A worked self-evaluation of the seed: actuals a unit might report, scores checked by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from jixiao import profiles
from jixiao.services.selfeval import score_files
from tests.test_cli import SEED, run

DATA = Path(__file__).resolve().parent / "data" / "selfeval"
ACTUALS, BUDGET = DATA / "actuals_good.csv", DATA / "budget_good.csv"

# project → (execution score, indicator scores, total), worked out by hand:
HAND = {
    # 14.25 ÷ 15.00 = 95 % → 9.50; 20 × 650000 ÷ 720000 = 18.06; 192 ≥ 192; 380000 ≥ 360000; 97 ≥ 95
    "50011522T000000157087": ("9.50", ["18.06", "20.00", "25.00", "25.00"], "97.56"),
    # 1452 ≥ 1400 (= scored like 正向); 25 × 196 ÷ 208 = 23.56
    "50011522T000000132369": ("10.00", ["25.00", "23.56", "20.00", "20.00"], "98.56"),
    # 60.12 ÷ 62.68 = 95.92 % → 9.59; "１２" (full-width) = 12
    "50011522T000000133119": ("9.59", ["25.00", "25.00", "20.00", "20.00"], "99.59"),
    # adjusted budget 170.00 (not the year-start 175.65): 168.30 ÷ 170 = 99 %; 25 × 23 ÷ 24 = 23.96
    "50011522T000000132340": ("9.90", ["25.00", "23.96", "20.00", "20.00"], "98.86"),
    # no execution weight in the table → the profile's 10; 18.40 ÷ 20 = 92 %; 25 × 7.6 ÷ 8 = 23.75
    "50011522T000000132376": ("9.20", ["25.00", "23.75", "20.00", "20.00"], "97.95"),
    "50011522T000000132158": ("10.00", ["30.00", "30.00", "15.00", "15.00"], "100.00"),
    # 35.91 ÷ 37.80 = 95 %; 25 × 86.5 ÷ 100 = 21.625 → 21.63 (half up)
    "50011522T000000132359": ("9.50", ["25.00", "21.63", "20.00", "20.00"], "96.13"),
    # 120.05 ÷ 126.64 = 94.80 % → 9.48; 定性 达成 with 18 of 20 points
    "50011522T000000132350": ("9.48", ["25.00", "25.00", "18.00", "20.00"], "97.48"),
    # 20 × 1298400 ÷ 1307692 = 19.86 ("1,298,400" with thousands separators)
    "50011522T000000132149": ("10.00", ["20.00", "19.86", "30.00", "20.00"], "99.86"),
}


def test_seed_scores_match_the_hand_calculation() -> None:
    result = score_files([SEED], ACTUALS, BUDGET, profiles.load("chongqing").scoring)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    assert len(result.projects) == 9
    for project in result.projects:
        execution, indicators, total = HAND[project.project_code or ""]
        assert project.execution.score == Decimal(execution), project.project_code
        assert [str(i.score) for i in project.indicators] == indicators, project.project_code
        assert project.total == Decimal(total)
        assert project.grade == "优" and project.complete


def test_lost_points_name_the_actual_that_earns_full_marks() -> None:
    result = score_files([SEED], ACTUALS, BUDGET, profiles.load("chongqing").scoring)
    paper = result.projects[0].indicators[0]
    assert paper.explanation.arithmetic == "20 × 650000 ÷ 720000 = 18.06"
    assert paper.explanation.full_marks_at == "B ≥ 720000"
    assert paper.needs_reason and paper.actual is not None and paper.actual.reason


def test_score_cli_json_and_exit_codes(tmp_path: Path) -> None:
    done = run("score", str(SEED), "--actuals", str(ACTUALS), "--budget", str(BUDGET), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    first = data["projects"][0]
    keys = {"project_code", "execution_rate", "execution_score", "indicators", "total", "grade", "warnings"}
    assert keys <= set(first)
    assert first["execution_rate"] == "0.95" and first["total"] == "97.56"
    assert {"name", "weight", "actual", "score", "explanation"} <= set(first["indicators"][0])
    partial = tmp_path / "partial.csv"
    partial.write_text("\n".join(ACTUALS.read_text("utf-8").splitlines()[:5]) + "\n", "utf-8")
    done = run("score", str(SEED), "--actuals", str(partial), "-f", "json")
    assert done.returncode == 1 and "缺少实际完成值" in done.stderr


def test_score_cli_writes_the_official_forms(tmp_path: Path) -> None:
    html, xlsx = tmp_path / "自评表.html", tmp_path / "自评表.xlsx"
    inputs = ("-a", str(ACTUALS), "-b", str(BUDGET))
    assert run("score", str(SEED), *inputs, "-f", "html", "-o", str(html)).returncode == 0
    assert "项目支出绩效自评表" in html.read_text("utf-8")
    assert run("score", str(SEED), *inputs, "-f", "xlsx", "-o", str(xlsx)).returncode == 0
    assert xlsx.read_bytes()[:2] == b"PK"


def test_template_then_score(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    done = run("selfeval", "template", str(SEED), "-o", str(template))
    assert done.returncode == 0 and "9 个项目、36 个指标" in done.stderr
    done = run("score", str(SEED), "--actuals", str(template), "-f", "json")
    assert done.returncode == 1  # nothing filled in yet: every actual is missing, reported per row
    assert "缺少实际完成值" in done.stderr


def test_monitor_cli(tmp_path: Path) -> None:
    progress, money = DATA / "progress_good.csv", DATA / "monitor_budget.csv"
    done = run("monitor", str(SEED), "--progress", str(progress), "--budget", str(money), "--month", "7",
               "-f", "json")
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout)
    assert len(data["projects"]) == 9 and data["projects"][0]["month"] == 7
    assert {"light", "arithmetic"} <= set(data["projects"][0]["spending"])
    for fmt in ("html", "xlsx"):
        out = tmp_path / f"monitor.{fmt}"
        assert run("monitor", str(SEED), "--progress", str(progress), "-f", fmt, "-o", str(out)).returncode in (0, 1)
        assert out.stat().st_size > 0


def test_one_project_only(tmp_path: Path) -> None:
    done = run("score", str(SEED), "-a", str(ACTUALS), "-b", str(BUDGET), "--project", "50011522T000000132149",
               "-f", "json")
    assert done.returncode == 0, done.stderr
    projects = json.loads(done.stdout)["projects"]
    assert [p["project_code"] for p in projects] == ["50011522T000000132149"]
    assert projects[0]["total"] == "99.86"
    missing = run("score", str(SEED), "-a", str(ACTUALS), "--project", "NOPE")
    assert missing.returncode == 2 and "NOPE" in missing.stderr
