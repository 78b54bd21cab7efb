"""``jixiao check`` on published self-evaluations: audited with the audit rules, target tables beside them
reviewed with the review rules, and every report (text, JSON, HTML, xlsx, PDF) saying which kind each table is."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from jixiao.io.selfeval_json import selfeval_to_dict
from jixiao.io.writers.selfeval_text import format_selfeval
from tests.rule_cases import AUDIT_CASES, clean_selfeval_table
from tests.test_cli import SEED, run


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """Two published self-evaluations as JSON: a clean one, and one with a total the rows do not add up to."""
    clean = clean_selfeval_table()
    broken = AUDIT_CASES["A009"][1](clean)
    path = tmp_path / "自评表.json"
    documents = [selfeval_to_dict(clean, with_source=False), selfeval_to_dict(broken, with_source=False)]
    path.write_text(json.dumps(documents, ensure_ascii=False), "utf-8")
    return path


def test_json_report_audits_self_evaluations(published: Path) -> None:
    done = run("check", str(published), "-f", "json")
    assert done.returncode == 1, done.stderr  # A009 is an error
    report = json.loads(done.stdout)
    assert [table["kind"] for table in report["tables"]] == ["self_evaluation", "self_evaluation"]
    assert {table["kind_label"] for table in report["tables"]} == {"绩效自评表"}
    assert report["summary"]["kinds"] == {"target": 0, "self_evaluation": 2}
    assert all(code.startswith("A") for code in report["rules_run"])
    assert [(f["table"], f["code"]) for f in report["findings"]] == [(1, "A009")]
    assert "公布总分 96（相差 2.84 分）" in report["findings"][0]["message"]
    evaluation = report["tables"][1]["self_evaluation"]
    assert evaluation["published_total_score"] == "96" and evaluation["recomputed_total_score"] == "98.84"
    assert evaluation["recomputed_grade"] == "优" and report["recompute_rule"]


def test_mixed_files_choose_the_rules_by_kind(published: Path) -> None:
    done = run("check", str(SEED), str(published), "-f", "json")
    report = json.loads(done.stdout)
    kinds = [table["kind"] for table in report["tables"]]
    assert kinds == ["target"] * 9 + ["self_evaluation"] * 2
    by_kind = {"target": set(), "self_evaluation": set()}
    for finding in report["findings"]:
        by_kind[kinds[finding["table"]]].add(finding["code"][0])
    assert by_kind == {"target": {"C", "Q", "S", "T"}, "self_evaluation": {"A"}}
    assert {code[0] for code in report["rules_run"]} >= {"A", "C", "W"}


def test_select_reaches_the_audit_rules(published: Path) -> None:
    done = run("check", str(published), "--select", "A011", "-f", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["rules_run"] == ["A011"]
    done = run("check", str(published), "--ignore", "A009", "-f", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["findings"] == []


def test_text_report_names_the_kind_and_both_totals(published: Path, tmp_path: Path) -> None:
    text = tmp_path / "自评表.txt"
    text.write_text(format_selfeval(AUDIT_CASES["A011"][1](clean_selfeval_table())), "utf-8")
    done = run("check", str(SEED), str(text))
    assert done.returncode == 1
    out = done.stdout
    assert out.startswith("绩效目标审核与自评表审计")
    assert "50011522T000000157087-免费复印（一般性）　建议等级 优（94 分）　绩效目标表" in out
    # the seed's target table of the same project is checked with it: A020–A022 compare the two
    assert ("50011522T000000157087-免费复印（一般性）　建议等级 差（50 分）　绩效自评表　"
            "公布总分 98.84（良）　复算总分 98.84（优）") in out
    assert f"对照的绩效目标表：{SEED}" in out and "A022 [自评审计]" in out
    assert "A011 [自评审计] 自评等级与总分不符" in out and "应为“优”，公布等级为“良”" in out
    assert "其中绩效目标表 9 张，绩效自评表 1 张" in out
    assert "复算等级按自评分档：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60" in out


def test_html_xlsx_and_pdf_reports_say_the_kind(published: Path, tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    assert run("check", str(SEED), str(published), "-f", "html", "-o", str(html)).returncode == 1
    page = html.read_text("utf-8")
    assert "<h1>绩效目标表审核与自评表审计报告</h1>" in page
    assert page.count("<dt>表的种类</dt><dd>绩效自评表</dd>") == 2
    assert page.count("<dt>表的种类</dt><dd>绩效目标表</dd>") == 9
    assert "<dt>复算总分</dt><dd>98.84，等级 优</dd>" in page

    book_path = tmp_path / "r.xlsx"
    assert run("check", str(SEED), str(published), "-f", "xlsx", "-o", str(book_path)).returncode == 1
    sheet = openpyxl.load_workbook(book_path)["汇总"]
    header = [cell.value for cell in sheet[1]]
    assert header[9:] == ["表的种类", "公布总分", "公布等级", "复算总分", "复算等级", "对照的目标表"]
    last = [cell.value for cell in sheet[12]]
    assert last[9:] == ["绩效自评表", 96, "优", 98.84, "优", str(SEED)]
    assert sheet["J2"].value == "绩效目标表"

    pdf = tmp_path / "r.pdf"
    assert run("check", str(published), "-f", "pdf", "-o", str(pdf)).returncode == 1
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as document:
        words = "".join(page.extract_text() or "" for page in document.pages)
    assert "绩效自评表审计报告" in words and "绩效自评表" in words.replace("绩效自评表审计报告", "", 1)


def test_a_file_from_which_no_table_is_read_fails(tmp_path: Path) -> None:
    # Only a title and lines that read as no table: nothing audited is not "no errors" (exit 1, said in Chinese)
    path = tmp_path / "坏自评表.txt"
    path.write_text("项目支出绩效自评表\n项目名称 x\n年初预算数 全年预算数 全年执行数 分值 执行率 得分\n", "utf-8")
    done = run("check", str(path))
    assert done.returncode == 1
    assert "没有从这些文件中读出可审核的绩效目标表或绩效自评表" in done.stderr
    assert "共审核 0 张表" in done.stdout


def test_a_json_document_missing_several_required_keys_gives_one_error_naming_them_all(tmp_path: Path) -> None:
    """jsonschema reports each missing required key as an error of its own; the user reads one sentence."""
    document = tmp_path / "缺项.json"
    document.write_text(json.dumps([
        {"format_version": 1, "kind": "self_evaluation", "variant": "form"},  # project_code, _name, indicators
        {"format_version": 1, "kind": "self_evaluation", "project_code": "1", "project_name": "某项目",
         "indicators": [{"name": "群众满意度", "weight": 10}]},  # weight must be a string: a different error
    ]), "utf-8")
    for command in (("check", str(document)), ("parse", str(document), "-f", "json")):
        done = run(*command)
        errors = [line for line in done.stderr.splitlines() if "schema-error" in line]
        assert done.returncode == 1
        first = [line for line in errors if "第1张表" in line]
        assert len(first) == 1, errors  # once, not once per missing key
        assert "缺少必填项「项目编码」、「项目名称」、「绩效指标」" in first[0] and "[0]" in first[0]
        assert len([line for line in errors if "第2张表" in line]) == 2 and len(set(errors)) == len(errors), errors


@pytest.fixture
def unreadable_total(tmp_path: Path) -> Path:
    """A published self-evaluation whose 总分 is written in words (the reader says selfeval-bad-number)."""
    text = format_selfeval(clean_selfeval_table()).replace("总分：98.84", "总分：九十八分")
    path = tmp_path / "总分.txt"
    path.write_text(text, "utf-8")
    return path


def test_reading_problems_are_part_of_every_report(unreadable_total: Path, tmp_path: Path) -> None:
    done = run("check", str(unreadable_total), "-f", "json")
    report = json.loads(done.stdout)
    assert done.returncode == 1
    reading = report["reading"]
    assert [(d["code"], d["severity"], d["file"]) for d in reading] == [
        ("selfeval-bad-number", "error", str(unreadable_total))]
    assert "九十八分" in reading[0]["message"] and report["summary"]["reading"] == 1
    assert [f["code"] for f in report["findings"]] == ["A023"]

    html = run("check", str(unreadable_total), "-f", "html").stdout
    assert "读取时的问题" in html and "实际为“九十八分”，该值未读入" in html

    book_path = tmp_path / "r.xlsx"
    run("check", str(unreadable_total), "-f", "xlsx", "-o", str(book_path))
    book = openpyxl.load_workbook(book_path)
    assert "读取问题" in book.sheetnames
    cells = [str(c) for row in book["读取问题"].iter_rows(values_only=True) for c in row if c is not None]
    assert "selfeval-bad-number" in cells and any("九十八分" in c for c in cells)

    text_path = tmp_path / "r.txt"
    run("check", str(unreadable_total), "-o", str(text_path))
    written = text_path.read_text("utf-8")
    assert written.startswith("读取时的问题：") and "selfeval-bad-number" in written and "A023" in written


def test_a_clean_file_has_no_reading_section(published: Path, tmp_path: Path) -> None:
    report = json.loads(run("check", str(published), "-f", "json").stdout)
    assert report["reading"] == [] and report["summary"]["reading"] == 0
    assert "读取时的问题" not in run("check", str(published), "-f", "html").stdout


def test_a_target_table_of_the_same_project_in_the_same_run_is_the_approved_one(tmp_path: Path) -> None:
    """A020–A022 compare a self-evaluation with the target table of its project when both are checked together."""
    from jixiao.io.json_format import table_to_dict
    from tests.rule_cases import clean_table

    target = tmp_path / "目标表.json"
    target.write_text(json.dumps([table_to_dict(clean_table(), with_source=False)], ensure_ascii=False), "utf-8")
    changed = tmp_path / "自评表.json"
    table = AUDIT_CASES["A020"][1](clean_selfeval_table())  # a target changed after approval
    changed.write_text(json.dumps([selfeval_to_dict(table, with_source=False)], ensure_ascii=False), "utf-8")

    alone = json.loads(run("check", str(changed), "-f", "json").stdout)
    assert "A020" not in [f["code"] for f in alone["findings"]]
    assert alone["tables"][0]["compared_with"] is None

    both = json.loads(run("check", str(target), str(changed), "-f", "json").stdout)
    audited = both["tables"][1]
    assert audited["kind"] == "self_evaluation" and audited["compared_with"] == str(target)
    assert "A020" in [f["code"] for f in both["findings"] if f["table"] == 1]
    assert f"对照的绩效目标表：{target}" in run("check", str(target), str(changed)).stdout
    assert str(target) in run("check", str(target), str(changed), "-f", "html").stdout
