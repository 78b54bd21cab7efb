"""``jixiao parse`` and ``jixiao export`` with self-evaluation tables: the kind and layout said, the formats written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from msgspec.structs import replace
from typer.testing import CliRunner

from jixiao.cli.app import build_app
from jixiao.domain import SelfEvaluationTable, TargetTable
from jixiao.io.json_any import dumps_any
from jixiao.io.json_format import encode_table
from jixiao.io.reading import read_path
from jixiao.io.writers.selfeval_text import format_selfeval
from jixiao.services.errors import InvalidInput
from jixiao.services.tables import SELFEVAL_WRITERS, export_problem, export_tables
from tests.test_cli import SEED, run
from tests.test_selfeval_json import sample

LABEL_TEXT = "读取器 label-text（标签文本版式（重庆长寿区公开样式：标签：值 + 制表符指标表））"
SELFEVAL_TEXT = "读取器 selfeval-text（绩效自评表文本版式（财预〔2020〕10号附件））"


def _seed() -> list[TargetTable]:
    return [r.table for r in read_path(SEED) if isinstance(r.table, TargetTable)]


@pytest.fixture()
def selfeval_file(tmp_path: Path) -> Path:
    path = tmp_path / "自评.txt"
    path.write_text(format_selfeval(sample()), "utf-8")
    return path


def test_parse_json_of_target_tables_is_byte_for_byte_what_it_was() -> None:
    done = run("parse", str(SEED), "-f", "json")
    assert done.returncode == 0, done.stderr
    expected = b"[\n" + b",\n".join(encode_table(table) for table in _seed()) + b"\n]\n"
    assert done.stdout.encode("utf-8") == expected
    assert f"{SEED}：绩效目标表 9 张 · {LABEL_TEXT} · 把握高 · 指标 36 行 · 缺项目总额（1）" in done.stderr.splitlines()


def test_parse_says_the_kind_and_layout_of_each_file(selfeval_file: Path, tmp_path: Path) -> None:
    mixed = tmp_path / "混合.json"
    mixed.write_text(dumps_any([_seed()[0], sample(), replace(sample(), variant="score_sheet")]), "utf-8")
    done = run("parse", str(selfeval_file), str(SEED), str(mixed), "-f", "json")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert (f"{selfeval_file}：绩效自评表 1 张（表样：自评表（10号文格式） 1 张） · {SELFEVAL_TEXT}"
            " · 把握高 · 指标 3 行") in lines
    assert f"{SEED}：绩效目标表 9 张 · {LABEL_TEXT} · 把握高 · 指标 36 行 · 缺项目总额（1）" in lines
    assert (f"{mixed}：绩效目标表 1 张、绩效自评表 2 张（表样：自评表（10号文格式） 1 张、"
            "自评评分表（决策/过程/产出/效益） 1 张） · 读取器 json（JSON 交换格式第1版）"
            " · 把握高 · 指标 10 行") in lines
    written = json.loads(done.stdout)
    assert [item.get("kind", "target") for item in written] == ["self_evaluation", *["target"] * 10,
                                                                 "self_evaluation", "self_evaluation"]


def test_the_table_view_names_kind_and_layout_under_each_table(selfeval_file: Path) -> None:
    done = run("parse", str(selfeval_file), str(SEED))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(f"绩效自评表 · {SELFEVAL_TEXT}") == 1
    assert done.stdout.count("绩效目标表 · 读取器 label-text") == 9
    assert "产出指标(50分)" in done.stdout and "其中：A4纸张" in done.stdout and "98.00%" in done.stdout


def test_parse_text_writes_each_kind_in_its_published_layout(selfeval_file: Path, tmp_path: Path) -> None:
    done = run("parse", str(selfeval_file), "-f", "text")
    assert done.returncode == 0, done.stderr
    assert done.stdout == format_selfeval(sample())
    again = tmp_path / "again.txt"
    again.write_text(done.stdout, "utf-8")
    assert [r.table for r in read_path(again)] == [sample()]


@pytest.mark.parametrize("output_format", ["json", "text"])
def test_export_writes_self_evaluation_tables_that_read_back_equal(output_format: str, selfeval_file: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / f"导出.{output_format}"
    done = run("export", str(selfeval_file), "-f", output_format, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "已写出 1 张表" in done.stderr
    (table,) = [r.table for r in read_path(out)]
    assert isinstance(table, SelfEvaluationTable) and table == sample()


@pytest.mark.parametrize("output_format", ["xlsx", "docx", "pdf"])
def test_a_format_without_a_writer_for_the_kind_is_refused_in_chinese(output_format: str, selfeval_file: Path,
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(SELFEVAL_WRITERS, output_format, raising=False)  # as before its writer is plugged in
    out = tmp_path / f"导出.{output_format}"
    done = CliRunner().invoke(build_app(), ["export", str(selfeval_file), "-f", output_format, "-o", str(out)])
    assert done.exit_code == 1 and not out.exists()
    assert f"绩效自评表暂不能导出为 {output_format}（可导出为" in done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)
    with pytest.raises(InvalidInput, match=f"绩效自评表暂不能导出为 {output_format}"):
        export_tables([sample()], output_format, out)
    assert not out.exists()


def test_both_kinds_go_to_one_file_only_as_json_or_text(selfeval_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "两种.xlsx"
    done = run("export", str(selfeval_file), str(SEED), "-f", "xlsx", "-o", str(out))
    assert done.returncode == 1 and not out.exists()
    assert "既有绩效目标表又有绩效自评表" in done.stderr and "Traceback" not in done.stderr
    text = tmp_path / "两种.json"
    assert run("export", str(selfeval_file), str(SEED), "-f", "json", "-o", str(text)).returncode == 0
    assert [t.kind for t in (r.table for r in read_path(text)) if t] == ["self_evaluation", *["target"] * 9]
    assert export_problem(_seed(), "xlsx") is None and export_problem([sample()], "json") is None


def test_commands_for_target_tables_skip_a_self_evaluation_with_a_warning(selfeval_file: Path,
                                                                          tmp_path: Path) -> None:
    # (jixiao check audits self-evaluations since the audit came in: tests/test_check_selfeval.py)
    done = run("selfeval", "template", str(selfeval_file), str(SEED), "-o", str(tmp_path / "模板.xlsx"))
    assert "unsupported-kind" in done.stderr and "此处只处理绩效目标表，该表未处理" in done.stderr
    assert "9 个项目" in done.stderr and "Traceback" not in done.stderr


def test_check_reports_say_which_kind_each_table_is(tmp_path: Path) -> None:
    report = json.loads(run("check", str(SEED), "-f", "json").stdout)
    assert [(t["kind"], t["kind_label"]) for t in report["tables"]] == [("target", "绩效目标表")] * 9
    text = run("check", str(SEED)).stdout
    assert "50011522T000000132376-免费邮寄　建议等级 中（60 分）　绩效目标表" in text
    page = tmp_path / "审核.html"
    run("check", str(SEED), "-f", "html", "-o", str(page))
    assert page.read_text("utf-8").count("<dt>表的种类</dt><dd>绩效目标表</dd>") == 9
