"""Mid-year monitoring lights (domain.md §4), worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao import profiles
from jixiao.domain import Indicator, Value
from jixiao.scoring.monitoring import (
    Light,
    Progress,
    SpendingToDate,
    indicator_signal,
    monitor_project,
    spending_signal,
)
from tests.rule_cases import clean_table

D = Decimal
POLICY = profiles.load("chongqing").scoring


@pytest.mark.parametrize(
    ("executed", "month", "light", "ratio"),
    [("58.34", 7, Light.GREEN, "1.0001"),  # 58.34 % spent after 7 of 12 months: on track
     ("35", 7, Light.YELLOW, "0.6000"),  # exactly 60 % of the pace → yellow (red is below 60 %)
     ("34.9", 7, Light.RED, "0.5983"),
     ("40", 6, Light.GREEN, "0.8000"),  # 80 % of the pace is green
     ("39.9", 6, Light.YELLOW, "0.7980")],
)
def test_spending_light(executed: str, month: int, light: Light, ratio: str) -> None:
    signal = spending_signal(SpendingToDate(D(100), D(executed)), month, POLICY)
    assert signal.light is light
    assert signal.ratio is not None and signal.ratio.quantize(D("0.0001")) == D(ratio)


def row(op: str, target: str) -> Indicator:
    return Indicator("产出指标", "数量指标", "培训人次", op, None, Value(target), Value(target), "人次",
                     D(20), D(20), "反向指标" if op in ("≤", "＜") else "正向指标")


@pytest.mark.parametrize(
    ("op", "target", "to_date", "light"),
    [("≥", "1200", "700", Light.GREEN),  # 700 ÷ (1200 × 7/12 = 700) = 100 %
     ("≥", "1200", "420", Light.YELLOW),  # 60 %
     ("≥", "1200", "419", Light.RED),
     ("≥", "1200", "0", Light.RED),  # nothing done yet
     ("≥", "1200", "1440", Light.BLUE),  # already 120 % of the whole year's target
     ("=", "12", "12", Light.GREEN),
     ("≤", "1", "1", Light.GREEN),
     ("≤", "1", "1.2", Light.GREEN),  # 1 ÷ 1.2 = 83 %
     ("≤", "1", "1.5", Light.YELLOW),
     ("≤", "1", "2", Light.RED)],
)
def test_indicator_lights(op: str, target: str, to_date: str, light: Light) -> None:
    assert indicator_signal(row(op, target), Progress(Value(to_date)), 7, POLICY).light is light


def test_rates_are_levels_not_pro_rata() -> None:
    rate = Indicator("满意度指标", "服务对象满意度指标", "群众满意度", "≥", None, Value("95"), Value("95"), "%",
                     D(10), D(10), "正向指标")
    assert indicator_signal(rate, Progress(Value("95")), 3, POLICY).light is Light.GREEN
    assert indicator_signal(rate, Progress(Value("70")), 3, POLICY).light is Light.YELLOW  # 73.7 %
    assert indicator_signal(rate, Progress(Value("50")), 3, POLICY).light is Light.RED


def test_qualitative_and_unknown_lights() -> None:
    qualitative = Indicator("效益指标", "社会效益指标", "服务提升", "定性", None, Value("有效"), Value("有效"), None,
                            D(20), D(20), "正向指标")
    assert indicator_signal(qualitative, Progress(Value("部分达成")), 7, POLICY).light is Light.YELLOW
    assert indicator_signal(qualitative, Progress(Value("达成年度指标")), 7, POLICY).light is Light.GREEN
    assert indicator_signal(row("≥", "5"), None, 7, POLICY).light is Light.UNKNOWN
    assert indicator_signal(row("≥", "5"), Progress(Value("较多")), 7, POLICY).light is Light.UNKNOWN


def test_project_summary_puts_both_signals_side_by_side_and_lists_rows_needing_reasons() -> None:
    table = clean_table()  # 纸张使用量 ≥ 720000; 复印差错率 ≤ 1; 时间节约 ≥ 20; 满意度 ≥ 95
    progress = {0: Progress(Value("420000")), 1: Progress(Value("3"), reason="设备老化", likelihood="有可能"),
                2: Progress(Value("12")), 3: Progress(Value("96"))}
    result = monitor_project(table, progress, SpendingToDate(D("15.22"), D("5")), 7, POLICY)
    assert result.spending.light is Light.RED  # 5 ÷ 15.22 = 32.85 %; ÷ 7/12 = 56.3 %
    lights = [item.signal.light for item in result.indicators]
    # 420000 ÷ (720000 × 7/12) = 100 %; 1 ÷ 3 = 33 %; 12 ÷ (20 × 7/12) = 103 %; 96 % ÷ 95 % (a rate is a level)
    assert lights == [Light.GREEN, Light.RED, Light.GREEN, Light.GREEN]
    assert result.indicator_light is Light.RED
    assert [(i.index, i.missing) for i in result.attention] == [(1, ())]
    no_reason = monitor_project(table, {**progress, 1: Progress(Value("3"))}, None, 7, POLICY)
    assert [i.missing for i in no_reason.attention] == [("偏差原因", "完成可能性")]
    assert no_reason.spending.light is Light.UNKNOWN


def test_monitor_renderers_show_both_signals(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    from jixiao.reports.monitor_html import render_monitor_html
    from jixiao.reports.monitor_xlsx import write_monitor_xlsx

    table = clean_table()
    progress = {0: Progress(Value("420000")), 1: Progress(Value("3"))}
    project = monitor_project(table, progress, SpendingToDate(D("15.22"), D("5")), 7, POLICY)
    html = render_monitor_html([project], POLICY)
    assert "双监控概况" in html and "l-red" in html and "须填写" in html
    assert "5 ÷ 15.22 = 32.85%" in html
    out = io.BytesIO()
    write_monitor_xlsx([project], POLICY, out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["概况", "指标监控"]
    assert book["概况"]["D2"].value == "红"
    assert [c.value for c in book["指标监控"]["H"][1:5]] == ["绿", "红", "无法判断", "无法判断"]
