"""The configuration is one typed object, and docs/configuration.md cannot drift from it or from the code."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli.docgen import generate_configuration
from jixiao.cli.main import app
from jixiao.services.settings import OTHER_VARIABLES, SettingError, Settings, _setting, setting

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "configuration.md"
READS = re.compile(r"""(?:environ\.get|getenv|environ\.setdefault|environ)\s*[(\[]\s*["']([A-Za-z0-9_]+)["']""")
NAMED = re.compile(r"""["'](JIXIAO_[A-Z0-9_]+)["']""")


def _undocumented(text: str, settings: type) -> list[str]:
    return [item.metadata["variable"] for item in fields(settings)
            if not item.metadata.get("description") or f"| `{item.metadata['variable']}` |" not in text]


def _variables_read(source: str) -> set[str]:
    """Environment variables a module reads by name, or names as a ``JIXIAO_*`` constant."""
    return set(READS.findall(source)) | set(NAMED.findall(source))


def test_configuration_docs_are_up_to_date() -> None:
    assert DOC.read_text("utf-8") == generate_configuration(), "docs/configuration.md is stale: run `make docs`"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text("utf-8")
    assert _undocumented(text, Settings) == []

    @dataclass(frozen=True)
    class Planted(Settings):  # a setting added without running `make docs`
        colour: str = _setting("JIXIAO_COLOUR", "blue", "颜色")

    assert _undocumented(text, Planted) == ["JIXIAO_COLOUR"]


def test_every_variable_jixiao_reads_is_a_setting_or_documented() -> None:
    known = {item.metadata["variable"] for item in fields(Settings)} | set(OTHER_VARIABLES)
    read = {(path.relative_to(ROOT).as_posix(), name) for path in (ROOT / "src").rglob("*.py")
            for name in _variables_read(path.read_text("utf-8"))}
    assert sorted((path, name) for path, name in read if name not in known) == []
    assert {"JIXIAO_DATABASE_URL", "JIXIAO_SECURE_COOKIES", "FORCE_COLOR"} <= {name for _, name in read}
    planted = 'import os\nlevel = os.environ.get("JIXIAO_SECRET_KNOB")\nVAR = "JIXIAO_OTHER"\nos.getenv("HOME")\n'
    assert _variables_read(planted) == {"JIXIAO_SECRET_KNOB", "JIXIAO_OTHER", "HOME"}


def test_values_are_checked_and_named() -> None:
    assert Settings.from_env({}) == Settings()
    chosen = Settings.from_env({"JIXIAO_SECURE_COOKIES": " Yes ", "JIXIAO_LOG_LEVEL": "debug",
                                "JIXIAO_DATABASE_URL": "sqlite:///x.sqlite3", "JIXIAO_PROFILE": ""})
    assert (chosen.secure_cookies, chosen.log_level, chosen.database_url, chosen.profile) == \
        ("always", "DEBUG", "sqlite:///x.sqlite3", "chongqing")
    with pytest.raises(SettingError, match="环境变量 JIXIAO_LOG_FORMAT 的值“xml”无效，可选：json、text"):
        Settings.from_env({"JIXIAO_LOG_FORMAT": "xml"})
    assert setting("secure_cookies", {"JIXIAO_SECURE_COOKIES": "off"}) == "never"


def test_a_bad_value_stops_a_command_in_chinese(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JIXIAO_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("JIXIAO_LOG_LEVEL", "loud")
    done = CliRunner().invoke(app, ["migrate"])
    assert done.exit_code == 2 and "JIXIAO_LOG_LEVEL 的值“loud”无效" in done.output
    assert "Traceback" not in done.output
