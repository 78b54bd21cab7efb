"""The drafted 自评报告 as Word (python-docx) and as HTML for the PDF (WeasyPrint through ``reports.pdf``).

Each figure is followed by its number as a superscript ``[n]`` (a link to its source in HTML); 数据来源 at the
end lists each number's table, row, field and stored value. Placeholders for what the unit must write are
printed as 【待填写：…】, highlighted, so a draft can never be mistaken for a finished report.
"""

from __future__ import annotations

from html import escape
from io import BytesIO

from jixiao.reports.selfeval_report import Figure, Report, ToWrite

PLACEHOLDER = "【待填写：{}】"


def report_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
    number = 0
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for runs in section.paragraphs:
            paragraph = document.add_paragraph()
            for run in runs:
                if isinstance(run, Figure):
                    number += 1
                    paragraph.add_run(run.text)
                    paragraph.add_run(f"[{number}]").font.superscript = True
                elif isinstance(run, ToWrite):
                    marked = paragraph.add_run(PLACEHOLDER.format(run.prompt))
                    marked.font.highlight_color = WD_COLOR_INDEX.YELLOW
                else:
                    paragraph.add_run(run)
    document.add_heading("数据来源", level=1)
    for index, trace in enumerate(report.traces(), 1):
        document.add_paragraph(f"[{index}] {trace.table}，{trace.row}，“{trace.field}”：{trace.value}")
    stream = BytesIO()
    document.save(stream)
    return stream.getvalue()


def report_html(report: Report) -> str:
    parts = ["<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
             f"<title>{escape(report.title)}</title><style>",
             "body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;margin:0;color:#1f2328}",
             "main{max-width:820px;margin:0 auto;padding:24px;line-height:1.8}h1{font-size:22px;text-align:center}",
             "h2{font-size:16px;margin-top:22px}sup a{text-decoration:none}.todo{background:#fff3b0}",
             "ol.sources{font-size:12px;color:#57606a}@page{size:A4;margin:20mm}</style></head><body><main>",
             f"<h1>{escape(report.title)}</h1>"]
    if report.subtitle:
        parts.append(f"<p style=\"text-align:center\">{escape(report.subtitle)}</p>")
    number = 0
    for section in report.sections:
        parts.append(f"<h2>{escape(section.title)}</h2>")
        for runs in section.paragraphs:
            text = []
            for run in runs:
                if isinstance(run, Figure):
                    number += 1
                    link = f"<a href=\"#src-{number}\" id=\"ref-{number}\">[{number}]</a>"
                    text.append(f"{escape(run.text)}<sup>{link}</sup>")
                elif isinstance(run, ToWrite):
                    text.append(f"<span class=\"todo\">{escape(PLACEHOLDER.format(run.prompt))}</span>")
                else:
                    text.append(escape(run))
            parts.append(f"<p>{''.join(text)}</p>")
    parts.append("<h2>数据来源</h2><ol class=\"sources\">")
    for index, trace in enumerate(report.traces(), 1):
        parts.append(f"<li id=\"src-{index}\">{escape(trace.table)}，{escape(trace.row)}，“{escape(trace.field)}”："
                     f"{escape(trace.value)}</li>")
    parts.append("</ol></main></body></html>")
    return "".join(parts)


def report_pdf(report: Report) -> bytes:
    from jixiao.reports.pdf import html_to_pdf

    return html_to_pdf(report_html(report), report.title)
