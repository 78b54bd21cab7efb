"""Automatic review (智能审核): a catalogue of rules run over target tables."""

from jixiao.rules.engine import ReviewReport, TableReview, active_rules, review, review_table
from jixiao.rules.model import Category, Finding, Location, Rule
from jixiao.rules.profile import Profile, ProfileError, profile_from_dict
from jixiao.rules.registry import RULES

__all__ = [
    "RULES",
    "Category",
    "Finding",
    "Location",
    "Profile",
    "ProfileError",
    "ReviewReport",
    "Rule",
    "TableReview",
    "active_rules",
    "profile_from_dict",
    "review",
    "review_table",
]
