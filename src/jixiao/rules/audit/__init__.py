"""Audit of published self-evaluation tables (自评审计): rules A001–A022, one module per concern.

Importing the package registers the rules in the one catalogue (:data:`jixiao.rules.registry.RULES`) with
category ``audit`` and kind ``self_evaluation``; :mod:`jixiao.rules.selfeval_audit` runs them.
"""

from jixiao.rules.audit import approval, credibility, funding, scores, totals

__all__ = ["approval", "credibility", "funding", "scores", "totals"]
