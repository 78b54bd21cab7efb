"""The organisation list's columns (the words budget systems export them with) and its fill-in template.

A 预算管理一体化 system exports its unit list as 单位编码, 单位名称 and the parent's code (上级编码, or
主管部门 with the department's code); jixiao's own CSV says 编码, 名称, 类型, 上级编码. Every spelling
below is read; 类型 may be left out (it follows from the tree: a root is the 财政部门, its children are
主管部门, theirs 预算单位).
"""

from __future__ import annotations

from typing import IO

CODE, NAME, KIND, PARENT = "编码", "名称", "类型", "上级编码"
ALIASES: dict[str, tuple[str, ...]] = {
    CODE: ("编码", "单位编码", "机构编码", "组织编码", "部门编码"),
    NAME: ("名称", "单位名称", "机构名称", "组织名称", "部门名称"),
    KIND: ("类型", "单位类型", "机构类型", "组织类型"),
    PARENT: ("上级编码", "上级单位编码", "上级机构编码", "主管部门编码", "主管部门", "上级单位", "上级"),
}
KIND_WORDS = {"财政": "finance", "财政部门": "finance", "财政局": "finance", "主管部门": "department",
              "部门": "department", "单位": "unit", "预算单位": "unit", "基层单位": "unit"}
TEMPLATE_HEADER = ("单位编码", "单位名称", "单位类型", "上级编码")
TEMPLATE_EXAMPLE = (("500115", "重庆市长寿区财政局", "财政部门", ""),
                    ("145", "重庆市长寿区政务服务管理办公室", "主管部门", "500115"),
                    ("145001", "重庆市长寿区政务服务管理办公室（本级）", "预算单位", "145"))
GUIDE = (
    "每行一个组织：财政部门、主管部门或预算单位。第一行是列名，请勿改动。",
    "单位编码：必填，同一文件中不能重复；已在系统中的编码会更新其名称、类型和上级"
    "（已有项目或账号的组织只能改名称：类型和上级不能改，否则整个文件不导入）。",
    "单位名称：必填。",
    "单位类型：财政部门、主管部门或预算单位；可不填，按上级推定（无上级为财政部门，财政部门之下为主管部门，其下为预算单位）。",
    "上级编码：上级组织的编码（主管部门填财政部门的编码，预算单位填主管部门的编码）；财政部门不填。上级可以在本文件中，也可以已在系统中。",
    "导入时整张表一起检查：任何一行有错误，整个文件都不导入，并逐行说明原因。",
    "也可上传 CSV 文件（UTF-8 或 GBK 编码），列名相同。",
)


def write_template(target: IO[bytes]) -> None:
    """The .xlsx an administrator fills in: the header, three example rows, a dropdown of types, a guide sheet."""
    import xlsxwriter  # here: importing the column words costs nothing

    book = xlsxwriter.Workbook(target, {"in_memory": True})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})  # codes stay text: 001 keeps its zeros
    sheet = book.add_worksheet("组织机构")
    sheet.write_row(0, 0, TEMPLATE_HEADER, header)
    for number, row in enumerate(TEMPLATE_EXAMPLE, start=1):
        sheet.write_row(number, 0, row, text)
    sheet.set_column(0, 0, 14, text)
    sheet.set_column(1, 1, 44)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 3, 14, text)
    sheet.data_validation(1, 2, 5000, 2, {"validate": "list", "source": ["财政部门", "主管部门", "预算单位"]})
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    guide = book.add_worksheet("说明")
    guide.set_column(0, 0, 100)
    for number, line in enumerate(GUIDE):
        guide.write(number, 0, line)
    book.close()
