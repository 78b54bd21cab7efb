"""Types of the C goal scanner (``_goalscan.c``): the reading of ``textnum.extract_python``."""

from decimal import Decimal
from typing import Any

def configure(mention: type[Any], decimal: type[Decimal], zero: Decimal, units: tuple[str, ...],
              aliases: dict[str, str], /) -> None: ...
def extract(text: str, /) -> tuple[Any, ...]: ...
