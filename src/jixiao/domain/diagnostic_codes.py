"""The catalogue of diagnostic codes: what readers and input checks can say, like ``RULES`` for findings.

A diagnostic's code is a stable identifier users search for and tools filter on; this catalogue is
where each one is defined once, with its severity, a title, the Chinese message it carries and when
it appears. ``docs/diagnostics.md`` is generated from it, and a test fails when code in ``src/``
emits a code that is not registered here. Pure data: the emitting sites keep their messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from jixiao.domain.diagnostics import Severity


class Area(StrEnum):
    """Which input a diagnostic is about (the sections of docs/diagnostics.md)."""

    TARGET_TABLES = "target-tables"
    SELFEVAL_TABLES = "selfeval-tables"
    OFFICE = "office"
    JSON = "json"
    SELFEVAL_INPUTS = "selfeval-inputs"
    MATCHING = "matching"
    SERVICES = "services"
    INDEX_SYSTEMS = "index-systems"


AREA_LABELS: Mapping[Area, str] = MappingProxyType({
    Area.TARGET_TABLES: "读取绩效目标表（文本、表格单元）",
    Area.SELFEVAL_TABLES: "读取绩效自评表",
    Area.OFFICE: "Office 与 PDF 文件",
    Area.JSON: "JSON 格式",
    Area.SELFEVAL_INPUTS: "自评与监控填报文件",
    Area.MATCHING: "填报数据与目标表的匹配",
    Area.SERVICES: "导入、组织机构与在线填报",
    Area.INDEX_SYSTEMS: "评价指标体系（重点评价、部门评价、事前评估）",
})
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, slots=True)
class DiagnosticKind:
    """One code. ``also``: other severities the code is emitted with (``description`` says when)."""

    code: str
    severity: Severity
    title: str
    template: str  # the Chinese message with {placeholders}; alternatives separated by " / "
    description: str
    area: Area
    also: tuple[Severity, ...] = ()

    @property
    def severities(self) -> frozenset[Severity]:
        return frozenset((self.severity, *self.also))


_T, _O, _J, _S, _M, _V = (Area.TARGET_TABLES, Area.OFFICE, Area.JSON, Area.SELFEVAL_INPUTS, Area.MATCHING,
                          Area.SERVICES)
_E = Area.SELFEVAL_TABLES
_KINDS = (
    # -- any file --------------------------------------------------------------------------------
    DiagnosticKind("unreadable-file", ERROR, "无法打开文件", "无法打开文件：{原因} / 无法打开工作簿：{原因}",
                   "文件不存在、没有读取权限或是一个目录；工作簿无法作为 .xlsx 打开。文件未读入。", _T),
    DiagnosticKind("unknown-reader", ERROR, "没有这个读取器", "没有名为“{名称}”的读取器；可用：{已注册的读取器}",
                   "--reader 指定的名称没有注册；命令行把它报告为用法错误并列出可用的读取器。", _T),
    DiagnosticKind("reader-mismatch", ERROR, "读取器与文件不符",
                   "这是{文件类型}，不能用读取器“{名称}”（{标题}）读取；"
                   "请去掉 --reader 让程序自动识别，或改用读取器“{建议}”",
                   "用 --reader 指定的读取器读不了这种文件（文本读取器遇到二进制文件，或反过来）；文件未读入。", _T),
    DiagnosticKind("decode-error", ERROR, "无法解码的字节",
                   "该行含有无法识别的字节（文件编码可能损坏或混用），已用“\ufffd”代替 / "
                   "文件既不是 UTF-8 也不是 GB18030 编码（第{位置}个字节无法解码），请在 Excel 中另存为“CSV UTF-8”",
                   "目标表文本中的一行含有既不是 UTF-8 也不是 GB18030 的字节（该行其余内容照常读取）；"
                   "或自评、监控的 CSV 文件整体无法解码（文件未读入）。", _T),
    # -- target tables (published text, grid cells) ----------------------------------------------
    DiagnosticKind("no-table", ERROR, "没有找到绩效目标表",
                   "没有找到绩效目标表：应有“单位信息：”“预算项目：”等表头行和“一级指标…”指标表"
                   "（绩效自评表应有“年初预算数”“实际完成值”“得分”等内容） / "
                   "JSON 数组是空的，没有任何绩效目标表或绩效自评表 / "
                   "工作簿中没有任何工作表含有绩效目标表或绩效自评表 / "
                   "文档中没有找到绩效目标表或绩效自评表（应有“单位信息”“一级指标”或“年初预算数”“实际完成值”“得分”"
                   "等内容） / "
                   "PDF 中没有可读取的文字，也没有找到绩效目标表或绩效自评表：若是扫描件（页面是图片），"
                   "请使用原始电子文件（Word、Excel 或导出的 PDF） / "
                   "没有找到绩效自评表：应有标题“项目支出绩效自评表”、资金表（年度资金总额……）和绩效指标表"
                   "（一级指标……得分） / "
                   "没有从文件中读出任何绩效目标表或绩效自评表（上面的提示说明了未读入的内容） / "
                   "没有从文件中读出任何绩效目标表或绩效自评表（未找到“三级指标/指标值”等指标表头）",
                   "整个文件中没有可读的绩效目标表或绩效自评表（文本、JSON、Excel、Word 或 PDF）。", _T),
    DiagnosticKind("stray-line", WARNING, "无法识别的行",
                   "无法识别的行，未读入：“{内容}” / 这一行像是绩效目标表的内容，但不在任何表内（应在标题"
                   "“……绩效目标表”之后），未读入：“{内容}” / 不属于任何绩效目标表的文字，未读入：“{内容}”",
                   "表内一行既不是表头字段也不是指标行（警告）；表外一行像是指标行或表头字段（警告）；"
                   "表与表之间或文件开头的其他文字不属于任何表（提示）。",
                   _T, (INFO,)),
    DiagnosticKind("outside-tables", INFO, "表外内容",
                   "有 {行数} 行内容不属于任何绩效目标表或绩效自评表，未读入（第一处：{单元格}“{内容}”）",
                   "表格文件（Excel、Word、PDF）中有行不属于任何绩效目标表，例如说明文字或签章。", _T),
    DiagnosticKind("empty-table", WARNING, "空表",
                   "标题“绩效目标表”之后没有任何表头或指标内容 / 标题“项目支出绩效自评表”之后没有任何内容",
                   "出现了标题，但其后没有任何内容；没有生成表。", _T),
    DiagnosticKind("missing-field", WARNING, "缺少表头字段", "表头缺少“{字段}”行",
                   "表头中缺少常见字段（如项目名称、资金总额、年度总体目标）；表已读入，缺少的字段为空。", _T),
    DiagnosticKind("bad-number", ERROR, "不是数字", "“{字段}”的值“{原文}”不是{单位}数字，未读入（应如 15.00）",
                   "金额或权重字段的值无法按数字读取；该值为空，原文见消息。", _T),
    DiagnosticKind("no-indicator-table", ERROR, "没有指标表",
                   "没有找到指标表（应有“一级指标 二级指标 三级指标 …”表头行） / "
                   "没有找到绩效指标表（应有“一级指标 二级指标 三级指标 … 实际完成值 … 得分”表头行）",
                   "表头之后没有指标表的表头行，表中没有任何指标。", _T),
    DiagnosticKind("empty-indicator-table", WARNING, "指标表为空", "指标表没有任何指标行",
                   "指标表的表头行之后没有任何指标行。", _T),
    DiagnosticKind("unknown-column", WARNING, "未识别的列",
                   "指标表第{序号}列“{列名}”是{未识别的列或重复的列}，该列内容不读入",
                   "指标表表头中有一列不在词表中，或与前面的列重复；该列内容不读入。", _T),
    DiagnosticKind("missing-column", WARNING, "缺少列", "指标表缺少列：{列名}",
                   "指标表表头缺少必备的列（如三级指标、指标值）；这些列的值为空。", _T),
    DiagnosticKind("row-without-header", ERROR, "指标行在表头之前", "指标行出现在指标表头之前，未读入：“{内容}”",
                   "在指标表表头行之前出现了像指标行的内容；该行未读入。", _T),
    DiagnosticKind("row-extra-cells", ERROR, "单元格过多",
                   "该行有{个数}个单元格，指标表只有{列数}列；多出的“{内容}”未读入",
                   "一行的单元格比指标表的列多；多出的单元格未读入。", _T),
    DiagnosticKind("row-unreadable", ERROR, "无法对齐的行",
                   "该行只有{个数}个单元格（应为{列数}个），无法判断各值所属的列，未读入：“{内容}”",
                   "一行缺少单元格，且无法按内容判断哪些列是空白的；该行未读入。", _T),
    DiagnosticKind("row-cells-inferred", WARNING, "按内容对齐的行",
                   "该行只有{个数}个单元格（应为{列数}个），已按内容判断，视为空白的列：{列名}；请核对",
                   "一行缺少单元格（发布时空白单元格被省略），已按内容判断各值所属的列；请核对。", _T),
    DiagnosticKind("unknown-operator", WARNING, "无法识别的指标性质",
                   "指标性质“{原文}”不是 ≥、＞、=、＜、≤、定性 之一，按原文保留",
                   "指标性质不是已知的写法；按原文保留，审核和评分无法按公式处理该指标。", _T),
    DiagnosticKind("unknown-direction", WARNING, "无法识别的指标方向",
                   "指标方向性“{原文}”不是 正向指标 或 反向指标，按原文保留",
                   "指标方向性不是“正向指标”或“反向指标”；按原文保留。", _T),
    # -- any layout (io/readers/anylayout: the layout-independent fallback) -------------------------
    DiagnosticKind("any-layout", WARNING, "按通用方式读取的表（版式未识别）",
                   "未识别出已知的表格版式，按词汇与取值形状读取（切分方式：{切分方式}）：读出 {行数} 行指标，"
                   "各值所在的列按内容判断，请核对",
                   "没有专门的读取器能完整读出这份文本（其他省市的版式、网页摘录、一格一行、竖线表格、空格分隔的"
                   "一行一行），由通用读取器按表头词汇（三级指标、指标值、分值、实际完成值、得分等及其地区写法）和"
                   "取值的形状（符号、带单位的数字、百分数、分值）读出指标行。每张这样读出的表都带这条提示："
                   "列的对应是推断，请对照原件核对。通用读取的行比专门读取器多时才采用。", _T),
    DiagnosticKind("any-layout-dropped", WARNING, "通用读取时无法归入指标行的内容",
                   "指标表中“{内容}”[等 {个数} 处]无法归入任何指标行（不像指标名称，前面也没有可归属的行），未读入",
                   "通用读取器在指标表中遇到既不像指标名称、又不能作为前一行取值的内容（如孤立的数字）；"
                   "这些内容未读入，原文见消息。", _T),
    DiagnosticKind("any-layout-guess", WARNING, "通用读取时推断的内容",
                   "二级指标“{二级指标}”前没有印出一级指标，按指标体系推断为“{一级指标}” / "
                   "指标名称“{名称}”中的模板占位“{占位}”不计入名称",
                   "通用读取器补上或去掉的内容，每处都说明：表的前几行没有印出一级指标时，按二级指标在"
                   "财预〔2020〕10号指标体系中的归属推断（数量、质量、时效、成本指标属产出指标，等等）；"
                   "指标名称末尾留有模板占位（“(≥**个)”）时，占位不计入名称。", _T),
    # -- self-evaluation tables (published text) ---------------------------------------------------
    DiagnosticKind("unsupported-kind", WARNING, "此处不处理这种表",
                   "这是一张绩效自评表（{项目}），{用途}只处理绩效目标表，该表未处理",
                   "读到了一种此处还不能处理的表（例如只审核、评分或导入绩效目标表的地方读到了绩效自评表）："
                   "该表跳过，其他表照常处理（警告）；导入时整个文件不导入（错误）。", _E, (ERROR,)),
    DiagnosticKind("selfeval-bad-number", ERROR, "自评表中不是数字的单元格",
                   "“{字段}”应为{期望}，实际为“{原文}”，该值未读入",
                   "绩效自评表中应为数字的单元格（年初预算数、全年预算数、全年执行数、分值、执行率、得分、总分、"
                   "一级指标后括号中的分值、年度）写了别的内容；该值为空，原文见消息，其余照常读取。"
                   "“—”“/”“无”等表示空白的写法按空白读取，不报告。", _E),
    DiagnosticKind("selfeval-orphan-subrow", WARNING, "没有所属指标的“其中”行",
                   "“其中”行“{名称}”之前没有它所属的三级指标，按普通指标读入",
                   "绩效自评表的指标表以“其中”行开头，找不到它所属的三级指标；该行按普通指标读入。", _E),
    # -- self-evaluation tables as published text (io/readers/selfeval) ----------------------------
    DiagnosticKind("no-selfeval-table", ERROR, "没有找到绩效自评表",
                   "没有找到绩效自评表：应有“项目名称”“年初预算数/全年执行数”和“一级指标…实际完成值…得分”等内容",
                   "文本像是绩效自评表（有执行数、完成值、得分等词），但读不出任何表头、资金或指标内容。", _E),
    DiagnosticKind("table-cut-off", WARNING, "表不完整（中途截断）",
                   "表在“{最后内容}”处中断（之后没有“合计/总分”等表尾）：已读入中断前的 {行数} 行指标"
                   "[；最后一行“{名称}”不完整，未读入]；总分与自评等级未读到",
                   "文件只含表的前一部分（网页摘录、复制不全）：读入已有的内容，未读到的字段为空；"
                   "只有名称、没有任何数值的最后一行不读入。", _E),
    DiagnosticKind("amount-in-yuan", INFO, "金额单位为元，已换算为万元",
                   "项目资金以元为单位，“{资金行}”的金额已换算为万元（÷ 10000）：{原文} 元 = {万元} 万元",
                   "资金表头写明单位为元（如“项目资金(元)”）：金额按 Decimal 精确除以 10000 换算为万元，"
                   "原文见消息。", _E),
    DiagnosticKind("funding-unplaced", WARNING, "资金行无法对齐",
                   "资金行“{资金行}”的数值“{内容}”无法对应到“{列名}”各列，未读入",
                   "资金行的数值个数多于资金表的列，或数值的类型与各列不符（如百分数落在金额列）；该行数值为空。", _E),
    DiagnosticKind("ocr-reading", WARNING, "按识别错误读取的内容",
                   "“{原文}”疑为识别错误，读作“{读法}”；请核对原件",
                   "扫描或识别（OCR）文字中常见的错读（≥ 识别为 2、到、第，定性指标倒序为“性标定指”等）按词表改读，"
                   "原文见消息。", _E),
    # -- guesses (issue 15): each also marks the field in the table's ``ambiguous`` lists -------------
    DiagnosticKind("date-serial", WARNING, "疑为 Excel 日期序列号的数值",
                   "“{原文}”疑为 Excel 日期序列号，即 {日期}；数值按原样保留，请核对原件",
                   "时效类指标（二级指标为时效指标、名称或单位表示时间、日期）的取值是 30000–60000 之间的整数："
                   "多半是 Excel 把日期存成了序列号（44561 即 2021-12-31）。数值不改，字段记为推断（ambiguous）。",
                   _T),
    DiagnosticKind("amount-yuan-under-wan", WARNING, "万元栏中疑为以元填写的金额",
                   "“{字段}”的金额 {金额} 疑为以元填写（合 {万元} 万元），表头单位为万元；数值按原样保留，请核对",
                   "金额栏的单位是万元，但某项金额约为其余金额（或合计）的 10000 倍：按算术判断它以元填写。"
                   "数值不改，字段记为推断（ambiguous）；表头写明以元为单位的表另有 amount-in-yuan 换算。", _T),
    DiagnosticKind("thousands-separator", INFO, "带千位分隔符的数值",
                   "“{原文}”带千位分隔符，按 {数值} 读取",
                   "数值中只有一个逗号（“44,561”，也可能是两个数或小数逗号）时按千位分隔符去掉后读作数（原文保留），"
                   "字段记为推断（ambiguous）；分组不止一处（“1,298,400”）不生疑义，照常读取、不作提示。", _T),
    DiagnosticKind("split-number", WARNING, "被空格断开的数值",
                   "“{原文}”疑为被空格断开的一个数，读作“{读法}”；请核对原件",
                   "从 PDF 或网页复制的数值常在小数中间断开（“968.191 8”）：一个单元格中小数后紧跟空格和数字时"
                   "合为一个数，原文见消息；字段记为推断（ambiguous）。", _T),
    DiagnosticKind("pinyin-removed", INFO, "去掉了文字中的拼音注音",
                   "表中 {个数} 处文字带拼音注音（如“{原文}”），已去掉注音后读取",
                   "镜像网站在汉字后加注拼音（“項(xiàng)目”）：读取时去掉注音，汉字按原样保留；"
                   "这些字段记为推断（ambiguous）。", _T),
    # -- office files -----------------------------------------------------------------------------
    DiagnosticKind("file-refused", ERROR, "文件被拒绝读取", "{原因}",
                   "Office 或 PDF 文件无法安全地读取：超过大小、解压、行数、单元格数、页数或时间的上限，"
                   "文件已损坏或加密，是旧版 .xls/.doc，或是普通的 zip 压缩包。消息说明原因和处理办法。"
                   "读取前先量出文件会展开成多大（单元格数、文字字符数、表格跨列数、纵向合并、PDF 解压后大小、"
                   "每页图形数），超过上限即拒绝；含文档类型声明（DTD/实体）的 XML 也拒绝"
                   "（防实体扩展与外部实体）。", _O),
    DiagnosticKind("read-aborted", ERROR, "读取被中止",
                   "读取这个文件需要的内存超过上限（{上限} MB） / 读取这个文件的时间超过上限（{秒数} 秒） / "
                   "读取这个文件时读取程序意外中止；已停止读取；文件可能已损坏或经过特殊构造，请检查后另存再导入 / "
                   "服务器正在同时读取很多文件，本文件未能在时限内开始读取，请稍后重新导入",
                   "Office 与 PDF 文件在单独的进程中读取，有内存和时间上限，同时读取的进程数也有上限；"
                   "超过上限或读取进程意外退出时，该进程被终止，服务不受影响。"
                   "此前已读到的表保留在结果中，但文件因这个错误不会被导入。", _O),
    DiagnosticKind("xlsx-cell-error", WARNING, "单元格的值未读入（错误值或未保存结果的公式）",
                   "单元格 {单元格} 为 Excel 错误值 {错误值}，该值未读入 / "
                   "单元格 {单元格} 是公式（={公式}）且没有保存计算结果，该值未读入；请在 Excel 中打开并保存后再导入 / "
                   "另有 {个数} 个单元格是错误值或未保存结果的公式，未逐一列出",
                   "Excel 工作簿中有单元格保存的是错误值（#DIV/0!、#VALUE!、#REF! 等），"
                   "或是公式而文件中没有它的计算结果（由程序生成、未在 Excel 中打开保存过的文件常见）："
                   "读取时这些单元格为空，消息给出单元格位置。"
                   "绩效目标表和绩效自评表都报告；其余照常读取。", _O),
    DiagnosticKind("sheet-skipped", INFO, "跳过的工作表", "工作表“{工作表}”中没有绩效目标表，未读入",
                   "工作簿中有工作表不含绩效目标表的词汇；其他工作表读到了表时为提示，一张表也没有读到时为错误。",
                   _O, (ERROR,)),
    # -- JSON ------------------------------------------------------------------------------------------
    DiagnosticKind("bad-json", ERROR, "无效的 JSON",
                   "不是有效的 JSON：第{行}行第{列}列附近{问题} / "
                   "JSON 嵌套过深或数字过长，无法读取（绩效目标表不会有这样的内容）",
                   "文件不是有效的 JSON，或嵌套、数字大得不合理；文件未读入。", _J),
    DiagnosticKind("schema-error", ERROR, "不符合 JSON 格式 v1", "第{序号}张表未读入：{说明}",
                   "一张表不符合 JSON 格式 v1 的模式（schema）；该表未读入，其他表照常读取。", _J),
    # -- self-evaluation and monitoring inputs ---------------------------------------------------
    DiagnosticKind("unsupported-format", ERROR, "不支持的文件格式",
                   "不支持 {后缀} 文件，请另存为 .xlsx 工作簿或 CSV UTF-8",
                   "填报文件既不是 .xlsx 也不是 .csv。", _S),
    DiagnosticKind("missing-sheet", ERROR, "缺少工作表", "缺少工作表“{工作表}”（现有工作表：{现有}）",
                   "填报工作簿中没有应有的工作表（如“实际完成值”“预算执行”）。", _S),
    DiagnosticKind("empty-file", ERROR, "空文件", "没有内容：第1行应为表头（{列名}），其后每行一条{内容}",
                   "填报文件或工作表中没有任何内容。", _S),
    DiagnosticKind("bad-csv", ERROR, "CSV 格式错误", "CSV 格式错误（{错误}），此行及其后的内容未读入",
                   "CSV 文件的引号或分隔符有误；出错行及其后的内容未读入。", _S),
    DiagnosticKind("missing-columns", ERROR, "缺少列",
                   "缺少列：{列名}；表头应为：{表头}（第{行}行被当作表头），本文件未读入",
                   "填报文件的表头缺少必备的列；本文件未读入。", _S),
    DiagnosticKind("duplicate-column", ERROR, "重复的列",
                   "表头中“{列名}”出现了两次（第{列}列和第{列}列），只读第{列}列",
                   "表头中同一列名出现了两次；只读第一列。", _S),
    DiagnosticKind("extra-column", WARNING, "多余的列", "多余的列“{列名}”不会读入；可读的列为：{列名}",
                   "表头中有不认识的列；该列不读入。", _S),
    DiagnosticKind("unnamed-column", WARNING, "没有表头的列", "{列}没有表头，该列内容（如“{内容}”）不会读入",
                   "有内容的列没有表头；该列不读入。", _S),
    DiagnosticKind("blank-cell", ERROR, "必填的单元格为空", "“{列名}”不能为空，应填写{内容}；该行未读入",
                   "必填的单元格（如项目编码、三级指标）为空；该行未读入。", _S),
    DiagnosticKind("code-as-number", ERROR, "编码被存成数字",
                   "项目编码“{原文}”被存成了科学计数法数字，末尾数字可能已丢失；请把该列设为“文本”格式后重新填写完整编码；"
                   "该行未读入",
                   "Excel 把长编码存成了科学计数法的数字，末尾数字可能已丢失；该行未读入。", _S),
    DiagnosticKind("not-a-number", ERROR, "不是数字",
                   "“{列名}”应为{内容}，实际为“{原文}”（只填数字，不带单位、百分号或文字）；该行未读入 / "
                   "“{原文}”不是数字（万元）",
                   "应为数字的单元格（预算数、执行数、定性得分）写了文字；在线填报时，金额不是数字。", _S),
    DiagnosticKind("bad-choice", ERROR, "不在可选值中", "“{列名}”应为 {可选值} 之一或留空，实际为“{原文}”；该行未读入",
                   "只能取几个值之一的单元格写了别的内容；该行未读入。", _S),
    DiagnosticKind("template-skipped-table", WARNING, "未写入填报表的目标表", "目标表“{表}”{原因}，未写入填报表",
                   "生成自评填报表时，一张目标表没有项目编码或编码与前面的表重复，无法按编码匹配，未写入。", _S),
    DiagnosticKind("template-skipped-indicator", WARNING, "未写入填报表的指标",
                   "目标表“{表}”第{序号}个三级指标没有名称，未写入填报表",
                   "生成自评填报表时，一个三级指标没有名称，无法按名称匹配，未写入。", _S),
    # -- matching reported rows to target tables ---------------------------------------------------
    DiagnosticKind("table-without-code", ERROR, "目标表没有项目编码",
                   "目标表“{表}”没有项目编码，无法与实际完成值、预算执行数据匹配",
                   "填报数据按项目编码匹配目标表；没有编码的表无法评分。", _M),
    DiagnosticKind("duplicate-project-code", WARNING, "重复的项目编码",
                   "项目编码 {编码} 也出现在 {位置} 的目标表中；数据按项目编码匹配到第一张表，{说明}",
                   "两张目标表的项目编码相同：三级指标相同时为警告，不同时为错误（数据只对第一张表有效）。",
                   _M, (ERROR,)),
    DiagnosticKind("unknown-project", ERROR, "编码不在目标表中", "项目编码“{编码}”不在目标表中，该行{内容}未使用{提示}",
                   "填报行的项目编码在目标表中找不到；消息给出相近的编码。", _M),
    DiagnosticKind("unknown-indicator", ERROR, "没有这个三级指标",
                   "项目 {项目} 中没有三级指标“{指标}”，该行{内容}未使用；{提示}",
                   "填报行的三级指标名称在该项目的目标表中找不到；消息给出相近的名称。", _M),
    DiagnosticKind("repeated-indicator-name", WARNING, "同名的三级指标",
                   "项目 {项目} 有 {个数} 个名为“{指标}”的三级指标，各行按出现顺序依次对应这些指标，请核对",
                   "目标表中有几个同名的三级指标；填报行按顺序对应。", _M),
    DiagnosticKind("duplicate-actual", ERROR, "重复的实际完成值",
                   "项目 {项目} 的三级指标“{指标}”已在{行}填写，本行重复，未使用",
                   "同一指标的实际完成值填了两行；只用第一行。", _M),
    DiagnosticKind("duplicate-progress", ERROR, "重复的监控完成情况",
                   "项目 {项目} 的三级指标“{指标}”已在{行}填写，本行重复，未使用",
                   "同一指标的监控完成情况填了两行；只用第一行。", _M),
    DiagnosticKind("duplicate-budget", ERROR, "重复的预算执行数据",
                   "项目 {项目} 的{内容}已在第{行}行填写，本行重复，未使用",
                   "同一项目的预算执行数据填了两行；只用第一行。", _M),
    DiagnosticKind("missing-actual", ERROR, "缺少实际完成值", "缺少{内容}：项目 {项目} 的{指标}没有对应的{内容}行",
                   "目标表中的一个三级指标没有实际完成值；该指标不得分。", _M),
    DiagnosticKind("missing-progress", ERROR, "缺少监控完成情况", "缺少{内容}：项目 {项目} 的{指标}没有对应的{内容}行",
                   "目标表中的一个三级指标没有监控完成情况。", _M),
    DiagnosticKind("missing-budget", ERROR, "缺少预算执行数据", "缺少{内容}：项目 {项目} 没有对应的{内容}行，{后果}",
                   "一个项目没有预算执行数据，无法计算预算执行率或执行进度。", _M),
    DiagnosticKind("bad-grade", ERROR, "无法识别的完成等级",
                   "{指标}是定性指标，实际完成值应为 {等级} 之一（可简写为“达成”“部分达成”“未达成”），"
                   "实际为{原文}；该行未使用",
                   "定性指标的实际完成值不是完成等级之一。", _M),
    DiagnosticKind("missing-qualitative-score", ERROR, "缺少定性得分",
                   "{指标}是定性指标，须填写定性得分（按完成等级在权重的相应档内打分）；该行未使用 / "
                   "{指标}为“定量（其他）”，须由评价人在定性得分列填写 0 至权重之间的得分；该行未使用",
                   "定性指标和“定量（其他）”指标须由评价人打分。", _M),
    DiagnosticKind("score-ignored", WARNING, "不使用的定性得分",
                   "{指标}是定量指标（{性质}），按公式计分，填写的定性得分 {得分} 不使用",
                   "定量指标按公式计分，填写的定性得分不使用。", _M),
    DiagnosticKind("actual-not-number", ERROR, "实际完成值不是数字",
                   "{指标}是定量指标，实际完成值应为数字{单位}，实际为{原文}；该行未使用",
                   "定量指标的实际完成值不是数字（常见：带了单位或文字）。", _M),
    DiagnosticKind("progress-not-number", ERROR, "监控完成情况不是数字",
                   "三级指标“{指标}”是定量指标，{列名}应为数字{单位}，实际为{原文}；该行未使用",
                   "定量指标的累计完成或预计全年完成不是数字。", _M),
    # -- services ---------------------------------------------------------------------------------
    DiagnosticKind("import-refused", ERROR, "拒绝导入",
                   "项目“{项目}”的单位编码为 {编码}，本单位（{本单位}）只能导入自己的项目 / "
                   "项目编码“{编码}”不属于本单位（{本单位}），未导入 / "
                   "项目“{编码}”当前不是草稿（{状态}），不能用导入覆盖；请先退回或申请调整",
                   "导入的表属于其他单位，或项目已提交审核、已批复；整个文件未导入。", _V),
    DiagnosticKind("import-unknown-organization", ERROR, "组织机构不存在",
                   "表“{项目}”的{主管部门/单位}编码“{编码}”在系统中不存在：只有管理员导入时才会新建组织机构，"
                   "请改正编码，或请管理员先导入组织机构（jixiao org import）",
                   "非管理员导入的表引用了系统中没有的主管部门或单位；每张这样的表报告一次，整个文件未导入。", _V),
    DiagnosticKind("import-region-mismatch", ERROR, "项目编码不属于本地区",
                   "项目编码“{编码}”的地区代码为 {地区}，与单位“{单位}”所属地区（{本地区}）不符，未导入",
                   "项目编码的前 6 位（行政区划代码）与单位所在财政部门的编码不同；整个文件未导入。", _V),
    DiagnosticKind("selfeval-no-match", ERROR, "自评表没有对应的项目",
                   "绩效自评表“{项目}”没有对应的项目：{原因}；整个文件未导入",
                   "导入的绩效自评表按项目编码、再按项目名称和实施单位（或主管部门）都找不到导入人可见的项目；"
                   "自评表只附在已有的项目上，不新建项目。", _V),
    DiagnosticKind("selfeval-ambiguous", ERROR, "自评表对应多个项目",
                   "绩效自评表“{项目}”按项目名称和{单位}对应 {个数} 个项目：{候选}；无法确定是哪一个，"
                   "请在表中填写项目编码后重新导入，整个文件未导入",
                   "没有可用的项目编码，按名称和单位找到不止一个项目；系统不作猜测，列出全部候选。", _V),
    DiagnosticKind("selfeval-matched-by-name", INFO, "自评表按名称和单位对应到项目",
                   "绩效自评表“{项目}”没有项目编码，已按项目名称和{单位}对应到项目“{对应项目}”",
                   "自评表没有项目编码：按名称和单位唯一地找到了项目。", _V),
    DiagnosticKind("selfeval-code-unknown", ERROR, "自评表的项目编码在系统中没有",
                   "绩效自评表“{项目}”的项目编码“{编码}”在系统中没有；按项目名称和{单位}找到的是项目“{对应项目}”，"
                   "编码不同，不能确定是同一个项目。如确是该项目，请把表中的项目编码改为“{对应编码}”后重新导入；整个文件未导入",
                   "表中印的项目编码在系统中找不到，按名称和单位却找到一个编码不同的项目：不作猜测，"
                   "整个文件未导入。", _V),
    DiagnosticKind("selfeval-code-name-mismatch", WARNING, "自评表的名称或单位与编码对应的项目不同",
                   "绩效自评表按项目编码“{编码}”对应到项目“{对应项目}”，但表中的{项目名称/实施单位}不同，请核对",
                   "按编码对应（编码为准），表中印的项目名称或实施单位与系统中的不一致：可能是改名或笔误，"
                   "由人核对。", _V),
    DiagnosticKind("diagnostics-truncated", INFO, "其余诊断已汇总",
                   "另有 {条数} 条“{代码}”诊断未逐条列出（每次最多逐条列出 {上限} 条）",
                   "一个文件或一次填报的诊断超过上限时，前若干条逐条列出，其余按代码汇总为条数；严重程度取被汇总各条中最严重的。",
                   _V, (WARNING, ERROR)),
    DiagnosticKind("unstorable-value", ERROR, "内容无法保存",
                   "{字段}含有空字符（NUL），整个文件未导入 / "
                   "{字段}长 {长度} 个字符，超过上限 {上限} 个字符，整个文件未导入",
                   "文件名或表中的文字含有空字符，或编码、名称长于数据库可保存的长度；"
                   "SQLite 与 PostgreSQL 一样拒绝。", _V),
    DiagnosticKind("bad-organization", ERROR, "组织机构文件有误", "{原因}",
                   "组织机构 CSV 无法读取、缺少列、编码或名称为空、类型不对或上级编码不存在；整个文件未导入。", _V),
    DiagnosticKind("unit-stripped", INFO, "已去掉度量单位",
                   "“{指标}”填写的“{原文}”带有本指标的度量单位“{单位}”，已按 {数字} 计算",
                   "在线填报自评或监控时，实际完成值带了与指标相同的度量单位（如“208项”“95%”）：去掉单位后按数字计算，"
                   "并告诉填报人。", _V),
    DiagnosticKind("negative-amount", ERROR, "金额为负数", "“{字段}”为 {原文}，金额不能为负数（万元）",
                   "在线填报自评或监控时，预算数、执行数或资金来源填了负数。", _V),
    # -- self-evaluation tables (cells of xlsx, docx, PDF and jixiao's 自评 HTML) ------------------------------
    DiagnosticKind("selfeval-bad-block-weight", WARNING, "一级指标的分值无法识别",
                   "一级指标“{原文}”中的分值不是数字，未读入（应如“产出指标(50分)”）",
                   "一级指标单元格在括号中写了分值但不是数字；一级指标名称照常读入，分值按空白。", _E),
    DiagnosticKind("selfeval-no-indicators", ERROR, "自评表没有指标表",
                   "自评表中没有找到绩效指标（应有“一级指标 二级指标 三级指标 … 实际完成值 … 得分”表头行）",
                   "自评表的标题或资金情况之后没有找到指标表头；表头、资金和年度目标照常读入。", _E),
    DiagnosticKind("selfeval-empty-indicators", WARNING, "自评表的指标表为空", "绩效指标表没有任何指标行",
                   "自评表有指标表头，但其下没有任何指标行。", _E),
    DiagnosticKind("selfeval-stray-row", WARNING, "自评表中无法识别的行", "自评表中无法识别的行，未读入：“{内容}”",
                   "自评表的表头部分有一行既不是“标签 值”，也不是资金情况、年度目标或指标表头；该行未读入。", _E),
    DiagnosticKind("selfeval-unknown-column", WARNING, "自评表中未识别的列",
                   "指标表第{列}列“{列名}”未识别，该列内容不读入",
                   "自评表指标表头中有一列不是已知的列名（一级指标、三级指标、年度指标值、实际完成值、分值、得分、"
                   "偏差原因分析及改进措施、评价标准、复核分等）；该列内容不读入。", _E),
    DiagnosticKind("selfeval-list-skipped", INFO, "自评结果汇总，未读入",
                   "有 {行数} 行是自评结果的汇总或计分说明（不是自评表），未读入（第一行：{位置}）",
                   "工作表或文档中有一张按项目列出执行率、总分、等级的汇总表或计分说明（如 jixiao 自评工作簿的"
                   "“汇总”“计分说明”工作表）：它不是一张自评表，跳过不读。", _E),
    # -- index systems (评价指标体系 TOML, checked when loaded) ---------------------------------------------
    DiagnosticKind("index-unreadable", ERROR, "评价指标体系无法读取",
                   "无法读取文件（{原因}） / 不是有效的 TOML：{原因}",
                   "指标体系文件不存在、无法以 UTF-8 读取，或不是有效的 TOML；指标体系未载入。", Area.INDEX_SYSTEMS),
    DiagnosticKind("index-bad-field", ERROR, "评价指标体系的内容有误",
                   "三级指标 {编码}“{一级}／{二级}／{名称}”缺少指标解释 explanation / {项目}应为数字，实际为 {原文}",
                   "缺少标识、名称、版本、类型或指标解释，分值不是数字，指标编码重复，某级下没有指标；指标体系未载入。",
                   Area.INDEX_SYSTEMS),
    DiagnosticKind("index-bad-method", ERROR, "计分方法的参数有误",
                   "三级指标 {指标}（{计分方法}）{缺少或不合理的参数}",
                   "计分方法不是公式、要素、条件、扣分、等级、专家评判之一，或其参数无法计分（无分母、无满分情形、"
                   "扣分不大于 0、等级区间不在 0–1 内等）；指标体系未载入。", Area.INDEX_SYSTEMS),
    DiagnosticKind("index-weight-sum", ERROR, "分值合计不符",
                   "一级指标“{名称}”分值为 {分值}，其下三级指标合计 {合计} / "
                   "三级指标分值合计 {合计}，应等于总分 {总分}",
                   "某一级、二级指标声明的分值与其下三级指标之和不等，三级指标之和不等于总分，或要素分值之和不等于"
                   "指标分值；指标体系未载入。", Area.INDEX_SYSTEMS),
    DiagnosticKind("index-output-share", ERROR, "产出、效益权重不足",
                   "产出、效益指标（{名称}）合计占 {比例}%，低于本地区规定的 {下限}%",
                   "评价类指标体系中产出、效益一级指标的分值合计低于配置 [evaluation] min_output_outcome_share"
                   "（财预〔2020〕10号：原则上不低于 60%）；事前评估不适用。指标体系未载入。", Area.INDEX_SYSTEMS),
    DiagnosticKind("index-bad-entry", ERROR, "评分录入有误",
                   "[{编码}]“{字段}”（{键}）应为{应为}，实际为 {原文} / [{编码}]：指标体系中没有这个指标编码",
                   "评分录入文件（TOML，每个指标编码一张表）中的值类型不对、键未知或编码不在指标体系中；"
                   "整个文件未读入，不会按 0 分计。", Area.INDEX_SYSTEMS),
    DiagnosticKind("selfeval-empty", WARNING, "空的自评表", "标题“{标题}”之后没有自评表的内容",
                   "自评表标题之后没有任何表头、资金情况或指标内容。", _E),
)

DIAGNOSTICS: Mapping[str, DiagnosticKind] = MappingProxyType({kind.code: kind for kind in _KINDS})
if len(DIAGNOSTICS) != len(_KINDS):
    raise ValueError("duplicate diagnostic code in the catalogue")
