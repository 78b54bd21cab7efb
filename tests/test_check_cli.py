"""``jixiao check`` as a reviewer runs it, and what it finds in the real seed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import SEED, run

# What a careful reviewer raises on the seed (checked by hand against the source, see the note
# on issue 3): the goal's amounts against the totals, the blank totals of 免费邮寄, a 定性
# indicator with a bare number, and an 二级指标 outside the catalogue.
SEED_FINDINGS = [
    ("50011522T000000157087", "T002"),
    ("50011522T000000132376", "C006"),
    ("50011522T000000132376", "C007"),
    ("50011522T000000132350", "Q003"),
    ("50011522T000000132149", "S003"),
    ("50011522T000000132149", "T002"),
]


def test_seed_findings_are_exactly_the_real_defects() -> None:
    done = run("check", str(SEED), "--format", "json")
    assert done.returncode == 1  # C006/C007 are errors
    report = json.loads(done.stdout)
    found = sorted((f["project_code"], f["code"]) for f in report["findings"])
    assert found == sorted(SEED_FINDINGS)
    for finding in report["findings"]:
        assert {"code", "category", "severity", "project_code", "message", "location"} <= set(finding)
    by_code = {(f["project_code"], f["code"]): f for f in report["findings"]}
    copy = by_code[("50011522T000000157087", "T002")]
    assert "152240元" in copy["message"] and "15.00 万元" in copy["message"]
    water = by_code[("50011522T000000132149", "T002")]
    assert "177.12万元" in water["message"] and "相差 30 万元" in water["message"]
    assert water["location"]["line"] == 317
    assert report["summary"]["grades"] == {"优": 7, "良": 1, "中": 1, "差": 0}


def test_text_report_groups_by_project() -> None:
    done = run("check", str(SEED))
    assert done.returncode == 1
    assert "50011522T000000132376-免费邮寄　建议等级 中（60 分）" in done.stdout
    assert "未发现问题" in done.stdout
    assert "共审核 9 张表：错误 2 条，警告 4 条，提示 0 条" in done.stdout


def test_select_ignore_and_exit_code() -> None:
    done = run("check", str(SEED), "--select", "T", "-f", "json")
    assert done.returncode == 0  # T rules raise only warnings on the seed
    assert {f["code"] for f in json.loads(done.stdout)["findings"]} == {"T002"}
    done = run("check", str(SEED), "--ignore", "C006,C007", "-f", "json")
    assert done.returncode == 0


def test_unknown_rule_code_and_profile_are_usage_errors(tmp_path: Path) -> None:
    done = run("check", str(SEED), "--select", "Z999")
    assert done.returncode == 2 and "Z999" in done.stderr
    done = run("check", str(SEED), "--profile", "nowhere")
    assert done.returncode == 2 and "找不到审核配置" in done.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\ntitle = "x"\nversion = "1"\n[catalogue]\n"产出指标" = ["数量指标"]\n'
                   '[rules]\ndisabled = ["NOPE1"]\n', "utf-8")
    done = run("check", str(SEED), "--profile", str(bad))
    assert done.returncode == 2 and "NOPE1" in done.stderr and "Traceback" not in done.stderr


def test_profiles_change_the_verdict() -> None:
    done = run("check", str(SEED), "--profile", "central-2021", "-f", "json")
    codes = {f["code"] for f in json.loads(done.stdout)["findings"]}
    assert "S004" in codes  # 101号 requires 成本指标
    done = run("check", str(SEED), "--profile", "national", "-f", "json")
    codes = {f["code"] for f in json.loads(done.stdout)["findings"]}
    assert "C012" in codes and "W006" in codes  # contacts and the 50/30/10 split


def test_html_and_xlsx_reports_are_written(tmp_path: Path) -> None:
    html = tmp_path / "review.html"
    assert run("check", str(SEED), "-f", "html", "-o", str(html)).returncode == 1
    assert "152240元" in html.read_text("utf-8")
    xlsx = tmp_path / "review.xlsx"
    assert run("check", str(SEED), "-f", "xlsx", "-o", str(xlsx)).returncode == 1
    assert xlsx.read_bytes()[:2] == b"PK"
    done = run("check", str(SEED), "-f", "xlsx")
    assert done.returncode == 2 and "--output" in done.stderr
