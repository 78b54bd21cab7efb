"""Either table kind: what a reader may yield and what code that handles both kinds takes.

Code written for target tables keeps taking :class:`TargetTable`; code that reads, lists or exports
any table takes :data:`AnyTable` and asks :func:`kind_label` what to call it.
"""

from __future__ import annotations

from typing import TypeAlias

from jixiao.domain.selfeval_table import KIND_LABELS, SelfEvaluationTable
from jixiao.domain.table import TargetTable

AnyTable: TypeAlias = TargetTable | SelfEvaluationTable


def kind_label(table: AnyTable) -> str:
    """绩效目标表 or 绩效自评表."""
    return KIND_LABELS[table.kind]
