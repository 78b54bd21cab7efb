"""Docs that cannot drift: the CLI reference is generated from the code."""

from __future__ import annotations

from pathlib import Path

from jixiao.cli.docgen import command_names, generate

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert committed == generate(), "docs/cli.md is stale: run `make docs`"


def test_every_command_is_documented_with_help() -> None:
    text = (ROOT / "docs" / "cli.md").read_text("utf-8")
    names = command_names()
    assert "jixiao parse" in names
    for name in names:
        assert f"## `{name}`" in text
    section_bodies = text.split("## `")[1:]
    for body in section_bodies:
        description = body.split("\n", 2)[2].strip()
        assert description and not description.startswith("```"), body[:40]


def test_json_schema_is_documented() -> None:
    text = (ROOT / "docs" / "json-format.md").read_text("utf-8")
    for key in ("project_code", "total_wan", "execution_weight", "current_target",
                "unit_of_measure", "current_weight", "direction", "format_version"):
        assert f"`{key}`" in text
