"""Rule checks, one module per category; importing them registers the rules."""

from jixiao.rules.checks import (
    completeness,
    consistency,
    plausibility,
    quantification,
    structure,
    weights,
)

__all__ = ["completeness", "consistency", "plausibility", "quantification", "structure", "weights"]
