"""The indicator library's pure computation (指标库): names normalised and grouped, target statistics.

Imports only :mod:`jixiao.domain` (and rapidfuzz): storage keeps the entries and the observations, the
services feed them through these functions, and the review gets the result as
:class:`jixiao.domain.comparable.ComparableRange` data.
"""

from jixiao.library.names import Member, NameGroup, group_names, name_key
from jixiao.library.stats import EntryStats, Observation, Quartiles, entry_stats, quartiles

__all__ = ["EntryStats", "Member", "NameGroup", "Observation", "Quartiles", "entry_stats", "group_names",
           "name_key", "quartiles"]
