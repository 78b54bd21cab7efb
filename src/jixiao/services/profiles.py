"""Region profiles for the CLI and the web: load one by name or TOML path, list the shipped ones.

The shells reach ``jixiao.profiles`` only through here; a bad name or file raises :class:`ProfileError`
(its message is Chinese and says what is wrong).
"""

from __future__ import annotations

from jixiao.profiles import DEFAULT_PROFILE, DEFAULT_TIMEZONE, RegionProfile, load, shipped_profiles
from jixiao.rules.profile import ProfileError

__all__ = ["DEFAULT_PROFILE", "DEFAULT_TIMEZONE", "ProfileError", "RegionProfile", "load", "shipped_profiles"]
