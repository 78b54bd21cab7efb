"""The reports registry renders every kind of result in every format, exactly as the renderers do."""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from jixiao import profiles, reports
from jixiao.domain import Value
from jixiao.io.reading import read_path
from jixiao.reports.monitor_html import render_monitor_html
from jixiao.reports.review_html import render_html
from jixiao.reports.selfeval_html import render_selfeval_html
from jixiao.rules import review
from jixiao.rules.report import report_to_dict
from jixiao.scoring import Actual, Budget, score_project
from jixiao.scoring.monitoring import Progress, SpendingToDate, monitor_project, monitors_to_dict
from jixiao.scoring.report import project_to_dict, scores_to_dict

SEED = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
TABLES = [result.table for result in read_path(SEED) if result.table]
POLICY = profiles.load("chongqing").scoring


def _scores() -> reports.Scores:
    actuals = {0: Actual(Value("600000")), 1: Actual(Value("192")), 2: Actual(Value("360000")), 3: Actual(Value("96"))}
    project = score_project(TABLES[0], actuals, Budget(Decimal("15.00"), Decimal("15.00"), Decimal("13.50")), POLICY)
    return reports.Scores([project], POLICY)


def _monitors() -> reports.Monitors:
    progress = {0: Progress(Value("420000")), 1: Progress(Value("3"))}
    return reports.Monitors([monitor_project(TABLES[0], progress, SpendingToDate(Decimal("15"), Decimal("5")), 7,
                                             POLICY)], POLICY)


def test_every_kind_has_the_four_formats() -> None:
    assert reports.FORMATS == ("json", "html", "xlsx", "pdf")
    assert [f for f in reports.FORMATS if reports.is_binary(f)] == ["xlsx", "pdf"]
    assert set(reports.MEDIA_TYPES) == set(reports.FORMATS)


def test_json_and_html_are_what_the_renderers_give() -> None:
    report = review(TABLES, profiles.load("chongqing").rules)
    assert json.loads(reports.render(report, "json")) == json.loads(json.dumps(report_to_dict(report)))
    assert reports.render(report, "html") == render_html(report)
    scores, monitors = _scores(), _monitors()
    assert reports.render(scores, "html") == render_selfeval_html(scores.projects, POLICY)
    assert json.loads(reports.render(scores, "json")) == json.loads(json.dumps(scores_to_dict(scores.projects,
                                                                                              POLICY)))
    assert reports.render(monitors, "html") == render_monitor_html(list(monitors.projects), POLICY)
    assert json.loads(reports.render(monitors, "json")) == json.loads(json.dumps(
        monitors_to_dict(list(monitors.projects), POLICY)))


def test_workbooks_are_bytes() -> None:
    review_book = openpyxl.load_workbook(BytesIO(reports.render(review(TABLES, profiles.load().rules), "xlsx")))
    assert review_book.sheetnames == ["汇总", "问题清单", "规则说明"]
    monitor_book = openpyxl.load_workbook(BytesIO(reports.render(_monitors(), "xlsx")))
    assert monitor_book.sheetnames == ["概况", "指标监控"]


def test_a_saved_self_evaluation_renders_like_a_fresh_one() -> None:
    fresh = _scores()
    saved = reports.Scores([], POLICY, [project_to_dict(project) for project in fresh.projects])
    assert reports.render(saved, "html") == reports.render(fresh, "html")
    projects = [json.loads(reports.render(result, "json"))["projects"] for result in (saved, fresh)]
    assert projects[0] == projects[1]
    book = openpyxl.load_workbook(BytesIO(reports.render(saved, "xlsx")))
    assert book.sheetnames == openpyxl.load_workbook(BytesIO(reports.render(fresh, "xlsx"))).sheetnames


def test_write_puts_text_and_bytes_in_files(tmp_path: Path) -> None:
    reports.write(_scores(), "html", tmp_path / "s.html")
    reports.write(_scores(), "xlsx", tmp_path / "s.xlsx")
    assert (tmp_path / "s.html").read_text("utf-8") == reports.render(_scores(), "html")
    assert (tmp_path / "s.xlsx").read_bytes()[:2] == b"PK"


def test_an_unknown_format_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="不支持的报告格式“docx”"):
        reports.render(_scores(), "docx")
