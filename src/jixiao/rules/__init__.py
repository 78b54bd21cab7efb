"""Automatic review (智能审核) of target tables and audit (自评审计) of published self-evaluations: one catalogue."""

from jixiao.rules.engine import ReviewReport, TableReview, active_rules, review, review_table
from jixiao.rules.model import Category, Finding, Location, Rule
from jixiao.rules.profile import Profile, ProfileError, profile_from_dict
from jixiao.rules.registry import RULES
from jixiao.rules.selfeval_audit import audit, audit_self_evaluation, review_any

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
    "audit",
    "audit_self_evaluation",
    "profile_from_dict",
    "review",
    "review_any",
    "review_table",
]
