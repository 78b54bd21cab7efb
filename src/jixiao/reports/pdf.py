"""Reports as PDF (WeasyPrint, Chinese fonts from Debian's fonts-noto-cjk).

The HTML pages were written for the screen; the PDF adds an A4 page with a running header (the
report's title) and page numbers ("第 n 页 共 m 页"). The target-table PDF export is table
exchange and lives in :mod:`jixiao.io.office.pdf_writer`.
"""

from __future__ import annotations

PAGE_CSS = """
@page { size: A4; margin: 16mm 12mm 16mm;
  @top-center { content: "%s"; font-size: 9pt; color: #555; }
  @bottom-center { content: "第 " counter(page) " 页  共 " counter(pages) " 页"; font-size: 9pt; color: #555; } }
body { font-family: "Noto Sans CJK SC", sans-serif; }
"""


def html_to_pdf(html: str, running_title: str) -> bytes:
    """The page as PDF bytes, with ``running_title`` at the top of every page."""
    from weasyprint import CSS, HTML  # imported here: it is slow to import and only PDFs need it

    data: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=PAGE_CSS % running_title.replace('"', ""))])
    return data
