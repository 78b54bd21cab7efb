"""Write the hand-made self-evaluation tables of this folder the way real units' files look.

Made with openpyxl and python-docx, not with jixiao's writers, so that the readers are tested on layouts
jixiao did not produce: merged cells (the 一级 cell merged down with its block weight, "产 出 指 标 (50分)";
二级 merged within it; the funding block's label merged down), 其中 sub-rows without weights, a two-row
年度指标值 header, amounts in 元, odd operators (≧, ═), dashes in empty cells, a 总分 row with the grade,
the score sheet (决策/过程/产出/效益 with 评分标准, 自评分, 复核分), and a file with bad cells.

Two PDFs beside them: ``yunnan_form_yuan.pdf``, the Word form as LibreOffice prints it (``soffice --headless
--convert-to pdf``: a PDF jixiao did not lay out, cell texts wrapped within narrow columns), and
``jixiao_selfeval.pdf``, jixiao's own ruled PDF of the first form and the first score sheet of the committed
corpus (tests/data/selfeval_tables), which it must read back equal; ``jixiao_selfeval.xlsx`` and ``.docx``, the
same two tables as jixiao's workbook and Word file; and ``jixiao_score.html|xlsx|pdf``, what ``jixiao score``
prints for the seed's nine projects (the actuals and budget of tests/data/selfeval), with ``jixiao_score.json``,
the tables it prints. Files jixiao wrote are kept as written, so a reader change that stops reading what an
earlier jixiao wrote fails a test.

    PYTHONPATH=src python tests/data/selfeval_office/make_files.py      # rewrites the files next to this script
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "selfeval_tables"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
Row = list[object]


def _sheet(sheet: Worksheet, rows: list[Row], merges: list[str], widths: dict[str, float]) -> None:
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")


def anhui_form() -> Workbook:
    """The 10号 form as a county publishes it: 资金情况 merged down, 分值 before 年度指标值, 其中 rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    rows: list[Row] = [
        ["2023年度项目支出绩效自评表"] + [None] * 8,
        ["（2023年度）"] + [None] * 8,
        ["项目名称", "河西村特色种养补贴到户项目", None, None, None, "项目负责人及电话", "李宁0557-5788003", None,
         None],
        ["主管部门", "县农业农村局", None, None, None, "实施单位", "张庄寨镇人民政府", None, None],
        ["资金情况\n（万元）", None, None, "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）",
         "得分"],
        [None, "年度资金总额：", None, 9.48, 9.48, 9.48, 10, "100%", 10],
        [None, "其中：本年财政拨款", None, 9.48, 9.48, 9.48, None, "100%", None],
        [None, "上年结转资金", None, "-", "-", "-", None, None, None],
        [None, "其他资金", None, "-", "-", "-", None, None, None],
        ["年度总体目标", "年初设定目标", None, None, None, "年度总体目标完成情况综述", None, None, None],
        [None, "落实39户特色种养业奖补政策，增加脱贫户家庭收入", None, None, None,
         "落实39户特色种养业奖补政策，增加脱贫户家庭收入", None, None, None],
        ["绩效指标", "一级\n指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
         "未完成原因及拟采取的改进措施"],
        [None, "产\n出\n指\n标\n(50分)", "数量指标", "★补助各类瓜果蔬菜种植面积", 20, "29.5亩", "29.5亩", 20, None],
        [None, None, None, "其中桃树种植面积", None, "1.5亩", "1.5亩", None, None],
        [None, None, None, "其中苹果树种植面积", None, "5亩", "5亩", None, None],
        [None, None, None, "★补助鱼塘面积", 10, "3亩", "3亩", 10, None],
        [None, None, None, "其中鱼塘养殖面积", None, "3亩", "3亩", None, None],
        [None, None, "质量指标", None, None, None, None, None, None],
        [None, None, None, "种植作物成活率", 10, "≥95%", "95%", 10, None],
        [None, None, None, "养殖家畜家禽成活率", 10, "≥95%", "90%", 8, "疫病影响，下年加强防疫"],
        [None, "效 益 指 标 (30分)", "经济效益\n指标", "特色产业带动增加受益农户收入", 20, "≥11.376万元", "12万元", 20,
         None],
        [None, None, "社会效益\n指标", "受益人口数量", 10, "90人", "90人", 10, None],
        [None, None, "生态效益\n指标", "……", None, None, None, None, None],
        [None, "满意度指标(10分)", "服务对象满意度指标", "受益群众满意度", 10, "≥90%", "95%", 10, None],
        ["总分", None, None, None, 100, None, None, 98, "优"],
        ["填报人：王芳", None, None, None, None, "填报日期：2024年1月15日", None, None, None],
    ]
    merges = ["A1:I1", "A2:I2", "B3:E3", "G3:I3", "B4:E4", "G4:I4", "A5:A9", "B5:C5", "B6:C6", "B7:C7", "B8:C8",
              "B9:C9", "A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11", "A12:A24", "B13:B20", "C13:C17",
              "C18:C20", "B21:B23", "A25:D25", "A26:E26", "F26:I26"]
    _sheet(sheet, rows, merges, {"A": 8, "B": 10, "C": 12, "D": 26, "E": 8, "F": 12, "G": 12, "H": 8, "I": 24})
    return book


def score_sheet() -> Workbook:
    """The 决策/过程/产出/效益 score sheet with 评分标准, 自评分 and 复核分; the level's weight in its cell."""
    book = Workbook()
    sheet = book.active
    sheet.title = "评分表"
    rows: list[Row] = [
        ["2022年度项目支出绩效自评评分表"] + [None] * 6,
        ["（2022年度）"] + [None] * 6,
        ["项目名称", "城区道路维护", None, "实施单位", "区市政设施管理所", None, None],
        ["主管部门", "区住房和城乡建设委员会", None, "项目负责人", "赵刚", None, None],
        ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "自评分", "复核分"],
        ["决策（15分）", "项目立项", "立项依据充分性", 5, "符合政策规划得5分，否则不得分", 5, 5],
        [None, None, "立项程序规范性", 5, "程序完整得5分，缺一项扣1分", 4, 4],
        [None, "绩效目标", "绩效目标明确性", 5, "目标细化量化得5分", 5, 4],
        ["过程（25分）", "资金管理", "资金到位率", 5, "到位率×5", 5, 5],
        [None, None, "预算执行率", 10, "执行率×10", 9.6, 9.6],
        [None, "组织实施", "管理制度健全性", 10, "制度健全且执行得10分", 10, 9],
        ["产出（40分）", "产出数量", "道路维修面积", 20, "达到目标得满分，否则按比例", 20, 20],
        [None, "产出时效", "维修及时率", 20, "及时率×20", 18, 18],
        ["效益（20分）", "项目效益", "市民满意度", 20, "满意度×20", 19, 18.5],
        ["合计", None, None, 100, None, 95.6, 93.1],
        ["自评等级", "优", None, None, None, None, None],
    ]
    merges = ["A1:G1", "A2:G2", "B3:C3", "E3:G3", "B4:C4", "E4:G4", "A6:A8", "B6:B7", "A9:A11", "B9:B10",
              "A12:A13", "A15:C15", "B16:G16"]
    _sheet(sheet, rows, merges, {"A": 14, "B": 12, "C": 18, "D": 8, "E": 30, "F": 8, "G": 8})
    return book


def bad_cells() -> Workbook:
    """A form with cells a reader must report: amounts and scores that are not numbers, a block weight in words,
    a 其中 row with no indicator above it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    rows: list[Row] = [
        ["项目支出绩效自评表"] + [None] * 8,
        ["项目名称", "乡村道路养护", None, None, None, "实施单位", "某镇人民政府", None, None],
        ["项目资金（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", None, "12.00", "12.00", "约11", "10", "91.67%", "9.17"],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况", None, None, None],
        [None, "养护道路30公里", None, None, None, "养护道路28公里", None, None, None],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
        [None, "产出指标（五十分）", "数量指标", "其中：县道", "≥10公里", "10公里", None, None, None],
        [None, None, None, "养护道路里程", "≥30公里", "28公里", "十分", "45", "雨季延误"],
        ["总分", None, None, None, None, None, None, "九十", "自评等级：良"],
    ]
    merges = ["A1:I1", "B2:E2", "G2:I2", "A3:A4", "B3:C3", "B4:C4", "A5:A6", "B5:E5", "F5:I5", "B6:E6", "F6:I6",
              "A7:A9", "B8:B9", "C8:C9", "A10:G10"]
    _sheet(sheet, rows, merges, {"A": 10, "B": 12, "C": 10, "D": 16, "E": 12, "F": 12, "G": 8, "H": 8, "I": 20})
    return book


def _merge(table: object, first: tuple[int, int], last: tuple[int, int]) -> None:
    table.cell(*first).merge(table.cell(*last))  # type: ignore[attr-defined]


def yunnan_docx() -> object:
    """The form in Word as a Yunnan school publishes it: amounts in 元, 年度指标值 over 指标性质 / 指标值 / 度量单位,
    ≧ and ═ for ≥ and =, the 一级 and 二级 cells merged down."""
    document = Document()
    document.add_paragraph("2022年度项目支出绩效自评表")
    document.add_paragraph("（2022年度）")
    cells: list[list[str]] = [
        ["项目名称", "义务教育营养改善计划专项资金", "", "", "", "", "", "", "", "", ""],
        ["主管部门", "永德县教育体育局", "", "", "", "实施单位", "永德县明朗中学", "", "", "", ""],
        ["项目资金（元）", "", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
        ["", "年度资金总额", "", "", "387664.62", "387664.62", "387664.62", "10", "100%", "10", ""],
        ["", "其中：当年财政拨款", "", "", "387664.62", "387664.62", "387664.62", "—", "—", "—", ""],
        ["", "上年结转资金", "", "", "—", "—", "—", "—", "—", "—", ""],
        ["年度总体目标", "预期目标", "", "", "", "", "实际完成情况", "", "", "", ""],
        ["", "确保每一个学生都能享受到国家政策福利，改善学生体质", "", "", "", "",
         "确保每一个学生都能享受到国家政策福利，改善学生体质", "", "", "", ""],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "", "", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
        ["", "", "", "", "指标性质", "指标值", "度量单位", "", "", "", ""],
        ["", "产出指标", "数量指标", "学生受资助人数", "≧", "735", "人次", "735", "10", "10", ""],
        ["", "", "质量指标", "营养改善计划覆盖率", "≧", "100", "%", "100%", "10", "10", ""],
        ["", "", "时效指标", "资金到位及时率", "≧", "100", "%", "100%", "10", "7", "资金拨付滞后一个月"],
        ["", "效益指标", "社会效益指标", "政策知晓率", "═", "100", "%", "98%", "10", "9", "宣传不够"],
        ["", "", "经济效益指标", "减轻贫困学生家庭经济负担", "定性", "有效", "", "有效", "10", "10", ""],
        ["", "满意度指标", "服务对象满意度指标", "学生满意度", "≧", "95", "%", "100%", "10", "10", ""],
        ["", "", "", "家长满意度", "≧", "95", "%", "100%", "10", "10", ""],
        ["总分", "", "", "", "", "", "", "", "70", "66", "优"],
    ]
    table = document.add_table(rows=len(cells), cols=11)
    table.style = "Table Grid"
    for row, texts in enumerate(cells):
        for column, text in enumerate(texts):
            if text:
                table.cell(row, column).text = text
    for first, last in [((0, 1), (0, 10)), ((1, 1), (1, 4)), ((1, 6), (1, 10)), ((2, 0), (5, 0)), ((2, 1), (2, 3)),
                        ((3, 1), (3, 3)), ((4, 1), (4, 3)), ((5, 1), (5, 3)), ((6, 0), (7, 0)), ((6, 1), (6, 5)),
                        ((6, 6), (6, 10)), ((7, 1), (7, 5)), ((7, 6), (7, 10)), ((8, 0), (16, 0)), ((8, 4), (8, 6)),
                        ((8, 1), (9, 1)), ((8, 2), (9, 2)), ((8, 3), (9, 3)), ((8, 7), (9, 7)), ((8, 8), (9, 8)),
                        ((8, 9), (9, 9)), ((8, 10), (9, 10)), ((10, 1), (12, 1)), ((13, 1), (14, 1)),
                        ((15, 1), (16, 1)), ((15, 2), (16, 2)), ((17, 0), (17, 7))]:
        _merge(table, first, last)
    document.add_paragraph("填报人：李老师　　填报日期：2023-02-20")
    return document


def printed_by_libreoffice(source: Path, folder: Path) -> None:
    """``source`` printed to PDF by LibreOffice into ``folder`` (its own throwaway profile: no user settings)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("没有找到 soffice（需安装 libreoffice-writer-nogui）")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=120)


def corpus_tables() -> list[object]:
    """The corpus's seed form and score sheet (tests/data/selfeval_tables), without their provenance."""
    from msgspec.structs import replace

    from jixiao.io.reading import read_path

    return [replace(next(iter(read_path(CORPUS / f"{name}.json"))).table, source=None)
            for name in ("seed_form", "seed_score_sheet")]


def jixiao_pdf() -> bytes:
    """jixiao's own ruled PDF of a form and a score sheet, as ``jixiao export -f pdf`` writes them."""
    from jixiao.io.office.selfeval_pdf_writer import write_selfeval_pdf

    return write_selfeval_pdf(corpus_tables())  # type: ignore[arg-type]


def jixiao_office() -> dict[str, bytes]:
    """jixiao's own workbook and Word file of the same two tables (``jixiao export -f xlsx|docx``)."""
    from jixiao.io.office.selfeval_docx_writer import write_selfeval_docx
    from jixiao.io.office.selfeval_xlsx_writer import write_selfeval_xlsx

    tables = corpus_tables()
    return {"jixiao_selfeval.xlsx": write_selfeval_xlsx(tables),  # type: ignore[arg-type]
            "jixiao_selfeval.docx": write_selfeval_docx(tables)}  # type: ignore[arg-type]


def jixiao_scores() -> dict[str, bytes]:
    """What ``jixiao score SEED --actuals actuals_good.csv --budget budget_good.csv -f html|xlsx|pdf`` prints
    (the seed's nine projects scored under the 重庆 profile), and ``jixiao_score.json``: the tables it prints."""
    from jixiao import profiles, reports
    from jixiao.io.json_any import dumps_any
    from jixiao.services.selfeval import score_files
    from jixiao.services.selfeval_tables import scored_tables

    data = HERE.parent / "selfeval"
    seed = HERE.parents[2] / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
    policy = profiles.load("chongqing").scoring
    projects = list(score_files([seed], data / "actuals_good.csv", data / "budget_good.csv", policy).projects)
    files: dict[str, bytes] = {}
    for fmt in ("html", "xlsx", "pdf"):
        content = reports.render(reports.Scores(projects, policy), fmt)
        files[f"jixiao_score.{fmt}"] = content.encode("utf-8") if isinstance(content, str) else content
    files["jixiao_score.json"] = dumps_any(scored_tables(projects, policy)).encode("utf-8")
    return files


def main(folder: Path = HERE) -> None:
    anhui_form().save(folder / "anhui_form_merged.xlsx")
    score_sheet().save(folder / "score_sheet.xlsx")
    bad_cells().save(folder / "bad_cells.xlsx")
    yunnan_docx().save(str(folder / "yunnan_form_yuan.docx"))  # type: ignore[attr-defined]
    printed_by_libreoffice(folder / "yunnan_form_yuan.docx", folder)
    (folder / "jixiao_selfeval.pdf").write_bytes(jixiao_pdf())
    for name, content in {**jixiao_office(), **jixiao_scores()}.items():
        (folder / name).write_bytes(content)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
