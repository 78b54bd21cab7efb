"""A region profile is parsed once per process; a profile file is re-read when it changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jixiao import profiles
from jixiao.profiles import loader

SHIPPED = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "rules" / "profiles" / "national.toml"


def test_a_shipped_profile_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = profiles.load("central-2021")
    parsed: list[str] = []
    original = loader._parse
    monkeypatch.setattr(loader, "_parse", lambda *args: parsed.append(args[0]) or original(*args))
    assert profiles.load("central-2021") is first
    assert profiles.load() is profiles.load("chongqing")
    assert "central-2021" not in parsed
    assert first.rules.name == "central-2021" and first.source == "内置配置 central-2021"
    assert first.scoring.profile == "central-2021" and first.calendar == profiles.DEFAULT_CALENDAR


def test_a_file_is_kept_until_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "region.toml"
    text = SHIPPED.read_text("utf-8").replace('name = "national"', 'name = "my-region"')
    path.write_text(text, "utf-8")
    first = profiles.load(str(path))
    assert profiles.load(str(path)) is first
    assert first.rules.name == "my-region" and first.source == str(path)
    path.write_text(text.replace('name = "my-region"', 'name = "my-region-2"'), "utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a coarse clock still sees it
    second = profiles.load(str(path))
    assert second is not first
    assert second.rules.name == "my-region-2" and second.scoring.profile == "my-region-2"
