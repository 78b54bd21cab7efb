"""The work calendar (截止日期 on the home page) comes from the profile's [calendar]."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jixiao import profiles
from jixiao.profiles import DEFAULT_CALENDAR
from jixiao.rules import ProfileError
from jixiao.services.dashboard import deadlines

SHIPPED = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "rules" / "profiles" / "national.toml"


@pytest.mark.parametrize("name", ["national", "central-2021", "chongqing"])
def test_shipped_profiles_state_the_usual_dates(name: str) -> None:
    assert profiles.load(name).calendar == DEFAULT_CALENDAR


def test_a_region_sets_its_own_dates(tmp_path: Path) -> None:
    text = SHIPPED.read_text("utf-8").split("[calendar]")[0]
    path = tmp_path / "region.toml"
    path.write_text(text + '[calendar]\n"目标申报" = ["before", "09-30"]\n"自评" = ["after", "04-15"]\n', "utf-8")
    calendar = profiles.load(str(path)).calendar
    assert calendar == (("目标申报", 0, 9, 30), ("自评", 2, 4, 15))
    shown = deadlines([2023], date(2022, 9, 1), calendar)
    assert shown == [{"label": "2023年度目标申报", "date": "2022-09-30", "days": 29},
                     {"label": "2023年度自评", "date": "2024-04-15", "days": 592}]


def test_a_bad_date_is_refused_in_chinese(tmp_path: Path) -> None:
    text = SHIPPED.read_text("utf-8").split("[calendar]")[0]
    path = tmp_path / "bad.toml"
    path.write_text(text + '[calendar]\n"自评" = ["next", "13-40"]\n', "utf-8")
    with pytest.raises(ProfileError, match="应为"):
        profiles.load(str(path))
