"""Region profiles: one TOML file per region, loaded once into a :class:`RegionProfile`."""

from jixiao.profiles.loader import (
    DEFAULT_CALENDAR,
    DEFAULT_PROFILE,
    DEFAULT_TIMEZONE,
    Deadline,
    RegionProfile,
    VocabularyWords,
    load,
    shipped_profiles,
)

__all__ = ["DEFAULT_CALENDAR", "DEFAULT_PROFILE", "DEFAULT_TIMEZONE", "Deadline", "RegionProfile", "VocabularyWords",
           "load", "shipped_profiles"]
