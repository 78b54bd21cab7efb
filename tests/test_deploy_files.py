"""The example deployment under deploy/ parses, and every command it (and docs/deployment.md) names exists."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli.docgen import command_names
from jixiao.cli.main import app
from jixiao.services.api_errors import MAX_BODY
from jixiao.services.settings import OTHER_VARIABLES, Settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer"))
NGINX = DEPLOY / "nginx" / "jixiao.conf"
GUIDE = ROOT / "docs" / "deployment.md"
EXEC_KEYS = ("ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload", "ExecStop")
JIXIAO = "/opt/jixiao/venv/bin/jixiao"


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",), comment_prefixes=("#", ";"))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string(path.read_text("utf-8"), source=str(path))
    return parser


def _commands(parser: configparser.ConfigParser) -> list[list[str]]:
    return [shlex.split(parser["Service"][key].replace("%i", "8001"))
            for key in EXEC_KEYS if parser.has_section("Service") and key in parser["Service"]]


def _jixiao_command_exists(args: list[str]) -> tuple[int, str]:
    """``jixiao ARGS --help`` through Typer: an unknown command or option is a usage error (exit 2)."""
    done = CliRunner().invoke(app, [*args, "--help"])
    return done.exit_code, done.output


def test_there_are_units_for_web_migration_and_backups() -> None:
    names = {path.name for path in UNITS}
    assert {"jixiao-web@.service", "jixiao-migrate.service", "jixiao-backup.service", "jixiao-backup.timer"} <= names


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_units_parse_and_name_commands_that_exist(path: Path) -> None:
    unit = _unit(path)
    assert unit.has_section("Unit") and unit["Unit"].get("Description")
    if path.suffix == ".timer":
        target = unit["Timer"]["Unit"]
        assert (path.parent / target).is_file(), target
        assert unit["Timer"].get("OnCalendar") and unit["Install"]["WantedBy"] == "timers.target"
        return
    service = unit["Service"]
    assert service["User"] == "jixiao" and service["EnvironmentFile"] == "/etc/jixiao/jixiao.env"
    commands = _commands(unit)
    assert commands, "a service runs something"
    for command in commands:
        if command[0] == JIXIAO:
            code, output = _jixiao_command_exists(command[1:])
            assert code == 0, f"{path.name}: jixiao {' '.join(command[1:])}: {output}"
        else:
            assert Path(command[0]).is_absolute() and shutil.which(command[0]), command[0]
    for other in ("Requires", "After", "Wants"):
        for name in unit["Unit"].get(other, "").split():
            if name.startswith("jixiao"):
                assert (path.parent / name).is_file(), f"{path.name} {other}={name}"


def test_the_check_catches_a_command_that_does_not_exist() -> None:
    assert _jixiao_command_exists(["serve", "--port", "8001"])[0] == 0
    assert _jixiao_command_exists(["sevre"])[0] == 2
    assert _jixiao_command_exists(["serve", "--prot", "8001"])[0] == 2


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """``systemd-analyze verify`` where systemd is installed (it is on the project's machines)."""
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, "systemd-analyze is part of systemd (Debian: apt install systemd)"
    for path in UNITS:
        shutil.copy(path, tmp_path / path.name)
    done = subprocess.run([analyze, "verify", "--man=no", *(str(tmp_path / p.name) for p in UNITS)],
                          capture_output=True, text=True, check=False)
    complaints = [line for line in (done.stdout + done.stderr).splitlines()
                  if line.strip() and f"Command {JIXIAO} is not executable" not in line]
    assert complaints == []


def test_the_environment_file_holds_only_settings() -> None:
    pairs = dict(line.split("=", 1) for line in (DEPLOY / "jixiao.env.example").read_text("utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))
    variables = {item.metadata["variable"] for item in fields(Settings)} | set(OTHER_VARIABLES)
    assert set(pairs) <= variables and "JIXIAO_DATABASE_URL" in pairs
    assert Settings.from_env(pairs).database_url is not None  # every value is accepted


def test_nginx_site_is_balanced_and_forwards_what_jixiao_needs() -> None:
    text = NGINX.read_text("utf-8")
    body = "\n".join(line.split("#", 1)[0].rstrip() for line in text.splitlines())
    assert body.count("{") == body.count("}")
    depth = 0
    for line in (line.strip() for line in body.splitlines() if line.strip()):
        depth += line.count("{") - line.count("}")
        assert depth >= 0 and line.endswith((";", "{", "}")), line
    assert depth == 0
    assert re.search(r"listen 443 ssl;", body) and "ssl_certificate " in body and "ssl_certificate_key " in body
    assert "return 301 https://$host$request_uri;" in body
    for header in ("X-Forwarded-Proto $scheme", "X-Forwarded-For", "Host $host", "X-Request-ID $request_id"):
        assert f"proxy_set_header {header}" in body
    size = re.search(r"client_max_body_size (\d+)m;", body)
    assert size and int(size.group(1)) * 1024 * 1024 >= MAX_BODY  # jixiao's own 413 speaks Chinese
    assert re.search(r"location = /metrics \{\s*deny all;\s*\}", body)
    ports = re.findall(r"server 127\.0\.0\.1:(\d+)", body)
    assert ports and ports == sorted(set(ports))
    guide = GUIDE.read_text("utf-8")
    assert f"jixiao-web@{{{ports[0]}..{ports[-1]}}}" in guide  # the guide starts the processes nginx expects


GROUPS = {"jixiao user", "jixiao org", "jixiao jobs", "jixiao library", "jixiao selfeval", "jixiao index-system"}


def test_the_guide_names_real_commands_and_files() -> None:
    guide = GUIDE.read_text("utf-8")
    commands = set(command_names())
    named = set(re.findall(r"(?<![\w-])(?<!-u )jixiao ([a-z][a-z-]+)(?=[ `']|$)", guide, re.MULTILINE))
    assert named and {f"jixiao {name}" for name in named} <= commands | GROUPS, named
    # every command line of the guide (`jx …`, the shell function that runs jixiao as its user) is a real one
    lines = re.findall(r"^jx ([^#\n]+)", guide, re.MULTILINE)
    assert len(lines) >= 4
    for line in lines:
        code, output = _jixiao_command_exists(shlex.split(line))
        assert code == 0, f"jx {line}: {output}"
    for path in [*UNITS, NGINX, DEPLOY / "jixiao.env.example"]:
        assert path.relative_to(ROOT).as_posix() in guide, path
    for topic in ("PostgreSQL", "systemd", "nginx", "TLS", "jixiao backup", "jixiao restore", "jixiao migrate",
                  "/readyz", "/metrics", "备份计划"):
        assert topic in guide, topic
