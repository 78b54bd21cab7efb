"""The deployment's configuration: one typed object read from environment variables, documented from itself.

Every ``JIXIAO_*`` variable is a field of :class:`Settings` with its variable, default and Chinese description
in the field's metadata; ``docs/configuration.md`` is generated from those fields (``make docs``), and a test
fails when a variable read anywhere in ``src`` is neither a field here nor one of :data:`OTHER_VARIABLES`
(the few that libraries read on their own). A value that is not one of a field's choices is refused with the
variable's name (:class:`SettingError`), never replaced silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from typing import Any

from jixiao.profiles import DEFAULT_PROFILE
from jixiao.storage.db import DEFAULT_SQLITE, URL_VARIABLE

PROFILE_VARIABLE = "JIXIAO_PROFILE"  # the region's profile for the server and commands (name or TOML path)


class SettingError(ValueError):
    """An environment variable with a value jixiao does not accept (the message names it, in Chinese)."""


def _setting(variable: str, default: str | None, description: str, choices: Mapping[str, str] | None = None,
             shown_default: str | None = None) -> Any:
    """A field read from ``variable``; ``choices`` maps each accepted spelling (lower case) to the value kept."""
    return field(default=default, metadata={"variable": variable, "description": description,
                                            "choices": dict(choices or {}), "shown_default": shown_default})


_SWITCH = {"auto": "auto", "always": "always", "1": "always", "true": "always", "yes": "always", "on": "always",
           "never": "never", "0": "never", "false": "never", "no": "never", "off": "never"}
_LEVELS = {name.lower(): name for name in ("DEBUG", "INFO", "WARNING", "ERROR")}


@dataclass(frozen=True, slots=True)
class Settings:
    """What a deployment sets: read once per process by :meth:`from_env` (the composition roots)."""

    database_url: str | None = _setting(
        URL_VARIABLE, None,
        "数据库地址（SQLAlchemy URL）。SQLite：`sqlite:////srv/jixiao/jixiao.sqlite3`；PostgreSQL："
        "`postgresql://jixiao@127.0.0.1:5432/jixiao`（密码可写在地址中，备份时以 PGPASSWORD 交给 pg_dump，"
        "不出现在命令行）。未设置时使用当前目录下的 SQLite 文件。",
        shown_default=f"sqlite:///{DEFAULT_SQLITE.as_posix()}")
    profile: str = _setting(
        PROFILE_VARIABLE, DEFAULT_PROFILE,
        "地区配置：内置名称（national、central-2021、chongqing）或 TOML 文件路径；审核规则、评分办法、时区和日程"
        "都取自它。命令的 `--profile` 选项优先于此变量。")
    secure_cookies: str = _setting(
        "JIXIAO_SECURE_COOKIES", "auto",
        "Cookie 的 Secure 标记和 HSTS 头：`auto` 仅在请求经 HTTPS 到达时（直接或由反向代理的 "
        "X-Forwarded-Proto 说明）；`always` 总是（TLS 在别处终止时）；`never` 从不。也接受 1/true/yes/on 与 "
        "0/false/no/off。", _SWITCH)
    log_level: str = _setting(
        "JIXIAO_LOG_LEVEL", "INFO", "网页服务日志的级别：DEBUG、INFO、WARNING 或 ERROR。每个请求记一行 INFO。",
        _LEVELS)
    log_format: str = _setting(
        "JIXIAO_LOG_FORMAT", "json",
        "网页服务日志的格式：`json`（每行一个 JSON 对象，便于日志系统收集）或 `text`（便于人读）。"
        "两种格式的每一行都带有请求编号 request_id（请求头 X-Request-ID，没有时生成）。",
        {"json": "json", "text": "text"})

    jobs_url: str | None = _setting(
        "JIXIAO_JOBS_URL", None,
        "后台任务队列（huey）的存储：`sqlite:////srv/jixiao/jobs.sqlite3` 或 `postgresql://…`。未设置时放在数据库"
        "旁边：SQLite 数据库旁的 `*.jobs.sqlite3` 文件，或 PostgreSQL 数据库本身（表名以 jixiao_jobs_ 开头）。"
        "网页进程与 `jixiao worker` 须使用同一队列。", shown_default="（随数据库）")
    job_retries: str = _setting(
        "JIXIAO_JOB_RETRIES", "3", "任务遇到暂时性错误（如数据库暂时不可用）时重试的次数；输入有误不重试。")
    job_retry_delay: str = _setting(
        "JIXIAO_JOB_RETRY_DELAY", "5", "第一次重试前等待的秒数；之后每次等待时间翻倍。")
    job_time_limit: str = _setting(
        "JIXIAO_JOB_TIME_LIMIT", "3600",
        "一个任务一次运行的时限（秒），在两个文件之间检查；每个文件本身另受文件限制约束。超时的任务为“失败”，不重试。")
    job_lease: str = _setting(
        "JIXIAO_JOB_LEASE", "180",
        "运行中的任务超过这么多秒没有进度（其工作进程已退出或失联）时重新排队，由其他工作进程接着完成。"
        "须大于单个文件的读取时限（60 秒）。")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings from ``env`` (default: the process environment); an unset or empty variable is the default."""
        source = os.environ if env is None else env
        return cls(**{item.name: read(item, source) for item in fields(cls)})


def job_policy(settings: Settings) -> Any:
    """The job queue's :class:`~jixiao.services.job_queue.Policy` from the ``JIXIAO_JOB_*`` settings."""
    from jixiao.services.job_queue import Policy

    values: dict[str, float] = {}
    for name, variable in (("retries", "job_retries"), ("retry_delay", "job_retry_delay"),
                           ("time_limit", "job_time_limit"), ("lease", "job_lease")):
        raw = getattr(settings, variable)
        try:
            values[name] = float(raw)
        except ValueError:
            chosen = next(item for item in fields(Settings) if item.name == variable)
            raise SettingError(f"环境变量 {chosen.metadata['variable']} 的值“{raw}”无效，应为秒数或次数") from None
    return Policy(retries=int(values["retries"]), retry_delay=values["retry_delay"], retry_backoff=2.0,
                  time_limit=values["time_limit"], lease=values["lease"])


def read(item: Field[Any], env: Mapping[str, str]) -> Any:
    """One field's value from ``env``, checked against its choices."""
    raw = (env.get(item.metadata["variable"]) or "").strip()
    if not raw:
        return None if item.default is MISSING else item.default
    choices: dict[str, str] = item.metadata["choices"]
    if not choices:
        return raw
    if raw.lower() not in choices:
        allowed = "、".join(dict.fromkeys(choices.values()))
        raise SettingError(f"环境变量 {item.metadata['variable']} 的值“{raw}”无效，可选：{allowed}")
    return choices[raw.lower()]


def setting(name: str, env: Mapping[str, str] | None = None) -> Any:
    """One setting by field name (for the modules that need only it, such as the web's cookie policy)."""
    chosen = next(item for item in fields(Settings) if item.name == name)
    return read(chosen, os.environ if env is None else env)


# Variables jixiao does not define but that change what it does (read by the libraries it uses).
OTHER_VARIABLES = {
    "PROMETHEUS_MULTIPROC_DIR": "prometheus-client 的多进程目录：`jixiao serve --workers N`（N > 1）自动设置为"
                                "一个新建的临时目录，使 /metrics 汇总所有工作进程；自行设置时每次启动前须清空该目录。",
    "FORWARDED_ALLOW_IPS": "uvicorn 信任其 X-Forwarded-Proto / X-Forwarded-For 的代理地址（默认只信任 127.0.0.1）；"
                           "nginx 在另一台机器上时设为它的地址。",
    "PATH": "备份和恢复 PostgreSQL 时在其中查找 `pg_dump` 和 `pg_restore`（与服务器同一主版本）。",
    "FORCE_COLOR": "命令行输出强制使用颜色和样式（Rich）。",
    "TTY_COMPATIBLE": "命令行输出按终端处理（Rich）。",
    "_JIXIAO_COMPLETE": "Shell 命令补全（Click）；设置了任何 `*_COMPLETE` 变量时 `jixiao parse` 走完整的命令行解析。",
}


def configuration_reference() -> str:
    """docs/configuration.md: every field of :class:`Settings` and the other variables, from the code."""
    lines = [
        "# 配置（Configuration）",
        "",
        "本文件由 `make docs`（`python -m jixiao.cli.docgen`）根据 `jixiao.services.settings.Settings` 生成，"
        "请勿手工修改。",
        "",
        "jixiao 的全部配置都来自环境变量，每个进程启动时读取一次（网页服务的工作进程、命令行的每条命令）。"
        "值不在可选范围内时，命令以中文说明变量名并退出（退出码 2），不会悄悄改用默认值。"
        "部署时把它们写在 systemd 的 `EnvironmentFile`（见 `deploy/jixiao.env.example` 和 docs/deployment.md）。",
        "",
        "| 环境变量 | 默认值 | 可选值 | 说明 |",
        "| --- | --- | --- | --- |",
    ]
    for item in fields(Settings):
        meta = item.metadata
        default = meta["shown_default"] or item.default
        choices = "、".join(f"`{value}`" for value in dict.fromkeys(meta["choices"].values())) or "—"
        lines.append(f"| `{meta['variable']}` | `{default}` | {choices} | {meta['description']} |")
    lines += ["", "## 其他环境变量", "", "不是 jixiao 定义、但会影响其行为的变量（由所用的库读取）：", "",
              "| 环境变量 | 说明 |", "| --- | --- |"]
    lines += [f"| `{name}` | {text} |" for name, text in OTHER_VARIABLES.items()]
    return "\n".join(lines) + "\n"
