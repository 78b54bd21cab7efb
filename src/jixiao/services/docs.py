"""The reference documents generated from the code: the rule catalogue, the diagnostics and the API errors.

``python -m jixiao.cli.docgen`` (``make docs``) writes them with the CLI reference; tests compare them with
the committed files. They live here because they read the layers below (rules, profiles, the diagnostic
catalogue, the error classes), which the CLI reaches only through services.
"""

from __future__ import annotations

from jixiao.services.api_errors import generate_api_errors as api_errors_reference

__all__ = ["api_errors_reference", "diagnostics_reference", "rules_reference"]


def rules_reference() -> str:
    """docs/rules.md: the rule catalogue, the shipped profiles and the grade formula."""
    from jixiao import profiles
    from jixiao.domain.diagnostics import SEVERITY_LABELS
    from jixiao.domain.labels import HEADER_FIELDS, INDICATOR_FIELDS
    from jixiao.profiles import shipped_profiles
    from jixiao.rules import RULES
    from jixiao.rules.model import CATEGORY_LABELS, Category

    lines = [
        "# 审核规则目录（Rule catalogue）",
        "",
        "本文件由 `make docs`（`python -m jixiao.cli.docgen`）根据规则代码生成，请勿手工修改。",
        "每条规则有稳定的代码、类别、默认严重程度、标题、消息模板和依据；严重程度和是否启用由审核配置决定。",
        "",
        "用法：`jixiao check FILE... [--profile NAME|PATH] [--select 代码或前缀] [--ignore 代码或前缀]`。",
        "",
        "## 审核配置（rule profiles）",
        "",
        "| 名称 | 标题 | 版本 | 指标权重合计 | 执行率权重 | 必备一级指标 | 停用的规则 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in shipped_profiles():
        profile = profiles.load(name).rules
        lines.append(
            f"| `{name}` | {profile.title} | {profile.version} | {profile.indicator_weight_total} "
            f"| {profile.execution_weight} | {'、'.join(profile.required_level1)} "
            f"| {'、'.join(sorted(profile.disabled)) or '—'} |")
    lines += [
        "",
        "自定义配置：复制 `src/jixiao/rules/profiles/` 中的一个 TOML 文件，修改指标体系（`[catalogue]`）、"
        "权重、满意度下限、词表、`[rules] disabled` 和 `[rules.severity]`，然后用 `--profile 路径` 使用。",
        "",
        "本地区公开表格用词与内置词汇不同时（如“项目单位”代替“单位信息”、“绩效指标值”代替“指标值”），"
        "在配置的 `[vocabulary]` 中补充：`[vocabulary.labels]`（表头标签 = 字段："
        + "、".join(f"`{name}`" for name in HEADER_FIELDS) + "）、`[vocabulary.columns]`（指标表列名 = 列："
        + "、".join(f"`{name}`" for name in INDICATOR_FIELDS) + "）、`titles`（标题结尾，如“项目绩效目标申报表”）和 "
        "`level1`（一级指标名称）。文本、Excel、Word、PDF 各种版式读取时都使用这些词；写错的字段在载入配置时即报错。",
        "",
        f"时区：配置顶层的 `timezone`（IANA 时区名称，默认 `{profiles.DEFAULT_TIMEZONE}`）。"
        "数据库中的时间一律存为 UTC，"
        "页面、审计记录和导出中显示的时间按本地区时区换算（如 UTC 05:46 显示为北京时间 13:46），"
        "截止日期的“今天”也按本地区时区计算。写错的时区名称在载入配置时即报错。",
        "",
        "## 建议审核等级",
        "",
        "每张表从 100 分起，每条问题按严重程度扣分（默认：错误 20、警告 6、提示 1），同一规则在一张表中最多计 3 次；"
        "再按分档给出建议等级（默认：优 ≥ 90，良 ≥ 75，中 ≥ 60，否则差）。扣分和分档均可在配置的 `[grade]` 中调整。"
        "等级是给审核人的建议，不代替审核意见。",
        "",
        "## 已公开自评表的审核（自评审计）",
        "",
        "`jixiao check` 按每张表的种类选择规则：绩效目标表运行下列审核规则（C、S、W、T、Q、P），"
        "项目支出绩效自评表（含决策/过程/产出/效益评分表）运行自评审计规则（A 开头，类别 audit）；"
        "报告逐表注明种类。自评审计按配置的 `[scoring]`（正向 w × B ÷ A；反向的线性或比值公式；定性分档；"
        "超额完成的说明和扣减；执行率计分方法；等级分档）复算每项得分、资金执行率得分、总分和等级，"
        "与公布的数字相差超过 `[audit]` 的容差即报告，消息给出复算的算式。提供同一项目已批复的目标表时，"
        "还核对指标、指标值和权重是否在批复后被改动（A020–A022）。自评表同样给出建议审核等级（100 − 扣分，"
        "规则同上），另给出复算总分和复算等级。",
        "",
        "| 名称 | 反向公式 | 执行率计分 | 执行率须说明（低于） | 超额须说明（≥ 目标 ×） | 得分容差 "
        "| 执行率容差（百分点） | 按公布位数四舍五入 | 照抄占比 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in shipped_profiles():
        profile = profiles.load(name).rules
        scoring, audit = profile.scoring, profile.audit
        lines.append(
            f"| `{name}` | {scoring.negative_formula.value} | {scoring.execution_method.value} "
            f"| {scoring.execution_explain_below} | {scoring.overachievement_ratio} | {audit.score_tolerance} "
            f"| {audit.rate_tolerance} | {'是' if audit.accept_rounding else '否'} | {audit.copied_share} |")
    lines += [
        "",
        "## 规则",
        "",
    ]
    for category in Category:
        rules = [rule for rule in RULES.values() if rule.category is category]
        lines += [f"### {CATEGORY_LABELS[category]}（{category.value}）", "",
                  "| 代码 | 严重程度 | 标题 | 消息模板 |", "| --- | --- | --- | --- |"]
        for rule in sorted(rules, key=lambda r: r.code):
            template = rule.template.replace("|", "\\|")
            lines.append(f"| {rule.code} | {SEVERITY_LABELS[rule.severity]} | {rule.title} | {template} |")
        lines.append("")
        for rule in sorted(rules, key=lambda r: r.code):
            lines += [f"#### {rule.code} {rule.title}", "", rule.description, ""]
    return "\n".join(lines).rstrip() + "\n"


def diagnostics_reference() -> str:
    """docs/diagnostics.md: every code a reader or an input check reports, from the catalogue."""
    from jixiao.domain.diagnostic_codes import AREA_LABELS, DIAGNOSTICS, Area
    from jixiao.domain.diagnostics import SEVERITY_LABELS

    lines = [
        "# 诊断信息目录（Diagnostic catalogue）",
        "",
        "本文件由 `make docs`（`python -m jixiao.cli.docgen`）根据 `src/jixiao/domain/diagnostic_codes.py` 生成，"
        "请勿手工修改。",
        "读取文件和检查填报数据时，系统不会因内容有误而中断，而是给出诊断信息：稳定的代码、严重程度、"
        "中文说明和位置（文件、行、列或单元格）。有错误的文件不会导入。",
        "消息模板中 `{…}` 处为实际内容，“ / ”分隔同一代码的几种说法。",
        "",
    ]
    for area in Area:
        kinds = sorted((k for k in DIAGNOSTICS.values() if k.area is area), key=lambda k: k.code)
        lines += [f"## {AREA_LABELS[area]}", "", "| 代码 | 严重程度 | 标题 | 消息模板 |", "| --- | --- | --- | --- |"]
        for kind in kinds:
            severities = "或".join(SEVERITY_LABELS[s] for s in (kind.severity, *kind.also))
            template = kind.template.replace("|", "\\|")
            lines.append(f"| {kind.code} | {severities} | {kind.title} | {template} |")
        lines.append("")
        for kind in kinds:
            lines += [f"### {kind.code} {kind.title}", "", kind.description, ""]
    return "\n".join(lines).rstrip() + "\n"
