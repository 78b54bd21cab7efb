"""Every workbook and document jixiao writes, printed (issue 13, point 7): converted to PDF by LibreOffice
(Debian's package, headless, all files in one call) and measured by its pages. Without the print setup of
reports/xlsx.py the review workbook of the seed took 15 pages and the 自评 汇总 sheet three pages wide."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest

from jixiao import profiles
from jixiao.reports import registry
from jixiao.reports.project_list_xlsx import write_project_list
from jixiao.services.review import review_files
from jixiao.services.selfeval import monitor_files, score_files
from jixiao.services.selfeval_tables import scored_tables
from jixiao.services.tables import export_bytes, read_tables, write_selfeval_template
from tests.test_cli import SEED
from tests.test_selfeval_seed import ACTUALS, BUDGET, DATA

workbooks: dict[str, openpyxl.Workbook] = {}  # the same files, as openpyxl reads their print settings

# Sheets whose rows repeat on printed pages below their first row (the official forms repeat nothing or more).
FORM_SHEETS = re.compile(r"^\d+-|_选项|说明")


def _recheck_data(folder: Path) -> dict[str, Any]:
    """The 复核 report of the seed's published self-evaluations, one table re-scored (the real services)."""
    from jixiao.domain.workflow import Role
    from jixiao.services import recheck
    from jixiao.services.imports import import_bytes
    from jixiao.services.permissions import Actor
    from jixiao.services.recheck_report import recheck_report
    from jixiao.storage.db import make_engine, session_factory
    from jixiao.storage.migrate import upgrade
    from jixiao.storage.models import User
    from tests.selfeval_docs import as_bytes, document, filled, seed_tables

    engine = make_engine(f"sqlite:///{folder / 'recheck.sqlite3'}")
    upgrade(engine)
    sessions = session_factory(engine)
    import_bytes(sessions, SEED.read_bytes(), "seed.txt")
    import_bytes(sessions, as_bytes(*(document(filled(code)) for code in seed_tables())), "自评表.json")
    with sessions.begin() as session:
        user = User(username="finance", display_name="finance", role=Role.FINANCE_REVIEWER.value)
        session.add(user)
        session.flush()
        finance = Actor(user.id, Role.FINANCE_REVIEWER, None)
    sample = recheck.draw_sample(sessions, finance, 2022, 9, seed=1)
    first = sample["items"][0]
    recheck.rescore(sessions, finance, sample["id"], first["id"], [
        {"row": "execution", "score": "8.5", "reason": "执行率按全年预算数计算为 85%，年初预算数不能作分母"}])
    with sessions() as session:
        data = recheck_report(session, finance, sample["id"])
    engine.dispose()
    return data


def _rectifications() -> bytes:
    """The 整改汇总 workbook of 40 items, some with long requirements (wrapped rows)."""
    from jixiao.reports.rectification_xlsx import write_rectifications

    rows = [{"department": f"重庆市长寿区第{n}主管部门", "total": 8, "open": 5, "overdue": n % 3, "awaiting": 1,
             "done": 3} for n in range(5)]
    summary = {"today": "2026-12-02", "rows": rows,
               "totals": {key: sum(r[key] for r in rows) for key in ("total", "open", "overdue", "awaiting", "done")}}
    items = [{"status_label": "逾期" if n % 4 == 0 else "整改中", "overdue": n % 4 == 0, "deadline": "2026-11-30",
              "days_overdue": 2 if n % 4 == 0 else 0, "code": f"50011522T0000001{n:05d}",
              "name": "政务服务大厅运行维护",
              "department": "重庆市长寿区政务服务管理办公室", "unit": "重庆市长寿区政务服务管理办公室（本级）",
              "source_label": "智能审核",
              "finding": "S003 二级指标不在指标体系中：“可持续发展指标”不在指标体系中" * (1 + n % 2),
              "requirement": "按《绩效目标编制指引》改写该指标，补充可衡量的指标值"} for n in range(40)]
    stream = io.BytesIO()
    write_rectifications(summary, items, stream)
    return stream.getvalue()


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        message = "没有找到 soffice（make test 会用 apt 安装 libreoffice-calc-nogui、libreoffice-writer-nogui）"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, pdfplumber.PDF]]:
    """name → the PDF LibreOffice prints of that file (one soffice start for all; its own profile)."""
    soffice = _soffice()
    folder = tmp_path_factory.mktemp("printed")
    tables = read_tables([SEED])
    chongqing = profiles.load("chongqing")
    scores = score_files([SEED], ACTUALS, BUDGET, chongqing.scoring)
    workbooks.clear()
    files = {
        "review.xlsx": registry.render(review_files([SEED], chongqing.rules).report, "xlsx"),
        "selfeval.xlsx": registry.render(registry.Scores(scores.projects, chongqing.scoring), "xlsx"),
        "tables.xlsx": export_bytes(tables, "xlsx"),
        "tables.docx": export_bytes(tables, "docx"),
    }
    stream = io.BytesIO()
    items = [{"code": t.project_code, "name": t.project_name, "unit": t.unit.name if t.unit else None,
              "fiscal_year": 2022, "state_label": "已批复", "review_grade": "优", "worst_severity": None}
             for t in tables]
    write_project_list(items, stream, total=len(items), filters=["状态：已批复"])
    files["list.xlsx"] = stream.getvalue()
    forms = scored_tables(scores.projects, chongqing.scoring)  # the 自评表 as tables, exported (jixiao export)
    files["selfeval-tables.xlsx"] = export_bytes(forms, "xlsx")
    files["selfeval-tables.docx"] = export_bytes(forms, "docx")
    monitors = monitor_files([SEED], DATA / "progress_good.csv", DATA / "monitor_budget.csv", 7, chongqing.scoring)
    files["monitor.xlsx"] = registry.render(registry.Monitors(monitors.projects, chongqing.scoring), "xlsx")
    write_selfeval_template(tables, folder / "template.xlsx")  # the 自评 fill-in workbook units get
    files["template.xlsx"] = (folder / "template.xlsx").read_bytes()
    files["recheck.xlsx"] = registry.render(registry.RecheckReport(_recheck_data(folder)), "xlsx")
    files["rectifications.xlsx"] = _rectifications()
    for name, content in files.items():  # tables.xlsx and tables.docx would both print to tables.pdf
        assert isinstance(content, bytes)
        (folder / f"{name.replace('.', '_')}.{name.rsplit('.', 1)[1]}").write_bytes(content)
    out = folder / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *sorted(str(p) for p in folder.glob("*_*.*"))],
                   check=True, capture_output=True, timeout=120)
    for name, content in files.items():
        if name.endswith(".xlsx"):
            workbooks[name] = openpyxl.load_workbook(io.BytesIO(content))
    opened = {name: pdfplumber.open(out / f"{name.replace('.', '_')}.pdf") for name in files}
    opened["tables.pdf"] = pdfplumber.open(io.BytesIO(export_bytes(tables, "pdf")))
    opened["selfeval-tables.pdf"] = pdfplumber.open(io.BytesIO(export_bytes(forms, "pdf")))
    yield opened
    for pdf in opened.values():
        pdf.close()


def _landscape(page: pdfplumber.page.Page) -> bool:
    return float(page.width) > float(page.height)


def test_the_review_workbook_prints_on_few_pages(printed: dict[str, pdfplumber.PDF]) -> None:
    pages = printed["review.xlsx"].pages
    assert len(pages) <= 3, len(pages)  # 汇总, 问题清单, 规则说明 (15 pages without print setup)
    assert all(abs(float(p.width) - 842) < 2 or abs(float(p.height) - 842) < 2 for p in pages)  # A4
    assert "第 1 页，共 3 页" in (pages[0].extract_text() or "")


def test_the_selfeval_summary_is_one_page_wide_with_two_decimals(printed: dict[str, pdfplumber.PDF]) -> None:
    pages = printed["selfeval.xlsx"].pages
    summary = pages[0].extract_text() or ""
    assert _landscape(pages[0])
    for header in ("序号", "项目编码", "总分", "自评等级", "工作表"):  # the first and the last column on one page
        assert header in summary
    for score in ("9.50", "10.00", "97.56"):  # not 9.5, 10 and 97.56
        assert score in summary
    assert len(pages) <= 1 + 9 + 2, len(pages)  # 汇总, a form per project, 计分说明 (18 pages before)
    assert not _landscape(pages[1])  # the official form stands upright


def test_the_table_exports_print_one_table_a_page(printed: dict[str, pdfplumber.PDF]) -> None:
    for name in ("tables.xlsx", "tables.docx", "tables.pdf"):
        pages = printed[name].pages
        assert len(pages) == 9, (name, len(pages))
        assert all(_landscape(page) for page in pages), name
        assert all("指标方向性" in (page.extract_text() or "") for page in pages), name


def test_the_selfeval_table_exports_print_one_form_a_page(printed: dict[str, pdfplumber.PDF]) -> None:
    """Self-evaluation tables exported to xlsx, docx and PDF: each form on one A4 landscape sheet, all its columns
    (the funding block's 得分, the indicators' 偏差原因分析…, wrapped in Word) and its sign-off on the paper."""
    for name in ("selfeval-tables.xlsx", "selfeval-tables.docx", "selfeval-tables.pdf"):
        pages = printed[name].pages
        assert len(pages) == 9, (name, len(pages))
        for page in pages:
            text = page.extract_text() or ""
            assert _landscape(page) and abs(float(page.width) - 842) < 2, name
            assert "年度资金总额" in text and "偏差原因分析" in text and "填报日期" in text, (name, text[-200:])


def test_the_list_export_prints_on_one_page(printed: dict[str, pdfplumber.PDF]) -> None:
    pages = printed["list.xlsx"].pages
    assert len(pages) == 1 and _landscape(pages[0])
    assert "筛选条件：状态：已批复" in (pages[0].extract_text() or "")


def test_the_table_pdf_is_laid_out_as_official_documents(printed: dict[str, pdfplumber.PDF]) -> None:
    page = printed["tables.pdf"].pages[0]
    assert _landscape(page) and abs(float(page.width) - 842) < 2
    lines = (page.extract_text() or "").splitlines()
    header = next(line for line in lines if "一级指标" in line)
    assert "指标方向性" in header and "本年权重(%)" in header  # one line: no "指标方/向性"
    assert any(line.startswith("产出指标") and "正向指标" in line for line in lines)  # not "产出指/标"
    fonts = {char["fontname"] for char in page.chars}
    assert any("Serif-CJK" in font for font in fonts), fonts


def test_the_fill_in_workbook_prints_one_page_wide(printed: dict[str, pdfplumber.PDF]) -> None:
    pages = printed["template.xlsx"].pages
    first = pages[0].extract_text() or ""
    assert _landscape(pages[0]) and "项目编码" in first and "偏差原因分析及改进措施" in first  # all ten columns
    assert len(pages) <= 4, len(pages)  # 36 indicator rows, the budget rows, the guide


def test_the_monitoring_workbook_prints_one_page_wide(printed: dict[str, pdfplumber.PDF]) -> None:
    pages = printed["monitor.xlsx"].pages
    assert all(_landscape(page) for page in pages) and len(pages) <= 3, len(pages)
    text = "".join(page.extract_text() or "" for page in pages)
    assert "须说明的指标数" in text and "完成可能性" in text  # the last column of each sheet is on the paper


def test_every_sheet_of_every_workbook_has_its_print_setup(printed: dict[str, pdfplumber.PDF]) -> None:
    assert set(workbooks) == {name for name in printed if name.endswith(".xlsx")}
    for name, book in workbooks.items():
        for sheet in book.worksheets:
            if sheet.sheet_state == "hidden":
                continue
            where = f"{name} {sheet.title}"
            assert sheet.page_setup.paperSize == 9, where  # A4
            assert sheet.page_setup.fitToWidth in (None, 1) and sheet.sheet_properties.pageSetUpPr.fitToPage, where
            assert sheet.page_setup.orientation in ("landscape", "portrait"), where
            if name not in ("tables.xlsx", "selfeval-tables.xlsx") and not FORM_SHEETS.search(sheet.title):
                assert sheet.print_title_rows == "$1:$1", where  # the header row on every page


def test_the_printed_selfeval_forms_end_in_sign_off_lines_not_the_configuration(
        printed: dict[str, pdfplumber.PDF]) -> None:
    """Each 自评表 sheet on paper: the form, then 填报单位（盖章）/负责人/填报日期 (review13 defect 6)."""
    forms = [sheet for sheet in workbooks["selfeval.xlsx"].worksheets if re.match(r"^\d+-", sheet.title)]
    texts = [page.extract_text() or "" for page in printed["selfeval.xlsx"].pages]
    on_paper = [text for text in texts if text.startswith("项目支出绩效自评表") and "年度资金总额" in text]
    assert len(forms) == 9 and len(on_paper) == len(forms)  # a sheet of paper each
    for text in on_paper:
        assert "填报单位（盖章）" in text and "负责人" in text, text[-300:]
        assert "填报日期" in text
        for internal in ("计分配置", "反向指标公式", "预算执行率计分", "linear", "proportional"):
            assert internal not in text, internal


def test_the_recheck_workbook_prints_one_page_wide(printed: dict[str, pdfplumber.PDF]) -> None:
    pages = printed["recheck.xlsx"].pages
    assert all(_landscape(page) for page in pages) and len(pages) <= 4, len(pages)  # 汇总, 复核明细, 改分明细, 说明
    text = "".join(page.extract_text() or "" for page in pages)
    # the last column of each sheet is on the paper
    for last_column in ("平均差（复核−自评，已复核的表）", "改分行数", "复核理由"):
        assert last_column in text
    assert "年初预算数不能作分母" in text


def test_the_rectification_workbook_prints_one_page_wide(printed: dict[str, pdfplumber.PDF]) -> None:
    pages = printed["rectifications.xlsx"].pages
    assert all(_landscape(page) for page in pages) and len(pages) <= 6, len(pages)  # 汇总, then 40 items
    text = "".join(page.extract_text() or "" for page in pages)
    for last_column in ("已完成", "整改要求", "截至 2026-12-02"):  # the last column of each sheet is on the paper
        assert last_column in text
    assert text.count("项目编码") == len(pages) - 1  # the items' header row repeated on every page
