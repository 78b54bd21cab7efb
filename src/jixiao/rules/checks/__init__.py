"""Rule checks, one module per category; importing them registers the rules."""

from jixiao.rules.checks import (
    completeness,
    consistency,
    history,
    plausibility,
    quantification,
    structure,
    weights,
)

__all__ = ["completeness", "consistency", "history", "plausibility", "quantification", "structure", "weights"]
