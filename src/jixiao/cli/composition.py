"""The CLI's composition root: the configured database and profile, built once per command.

Its own module so that every command module (server, jobs, library) can build it without importing another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from jixiao.services.context import AppContext


def migrated_context(profile: str | None = None) -> AppContext:
    """The configured database (JIXIAO_DATABASE_URL, default ./data/jixiao.sqlite3), migrated, and the region's
    profile: built once per command (the CLI's composition root). A wrong profile is a usage error (exit 2)."""
    from jixiao.services.context import AppContext, migrate
    from jixiao.services.profiles import ProfileError
    from jixiao.services.settings import SettingError

    try:
        context = AppContext.from_url(profile=profile)
    except (ProfileError, SettingError) as error:
        Console(stderr=True, highlight=False).print(f"[bold red]错误[/]：{error}")
        raise typer.Exit(2) from None
    migrate(context)
    return context
