"""The label-text reader's hot module compiled by mypyc (setup.py) reads what its pure-Python source reads."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.generate import iter_tables

from jixiao.io.encoding import open_text
from jixiao.io.readers import label_value_text, standard_table
from jixiao.io.readers.base import ReadResult

SOURCE = Path(label_value_text.__file__).with_name("standard_table.py")
SEED = Path(label_value_text.__file__).parents[2] / "data" / "seed_changshou_2022.txt"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"  # next to the checkouts, when present


def _pure() -> ModuleType:
    """The module run from its source, whether or not the compiled one shadows it."""
    spec = importlib.util.spec_from_file_location("jixiao.io.readers._standard_table_pure", SOURCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts() -> Iterator[str]:
    yield "\n".join(text for _, text in iter_tables(400, seed=11)) + "\n"
    for path in [SEED, *sorted(REAL.glob("*.txt"))]:
        with open(path, "rb") as handle:
            lines, _encoding = open_text(handle)
            yield "".join(lines)


def _key(result: ReadResult | None) -> Any:
    if result is None or result.table is None:
        return result
    table = result.table
    return (table, table.source, dict(table.field_lines), list(table.field_lines),
            [i.line for i in table.indicators], result.diagnostics)


def test_the_compiled_module_is_used_when_it_was_built() -> None:
    built = list(SOURCE.parent.glob("standard_table.*.so")) + list(SOURCE.parent.glob("standard_table.*.pyd"))
    assert (Path(standard_table.__file__).suffix != ".py") == bool(built)


def test_compiled_and_pure_build_the_same_tables() -> None:
    pure = _pure()
    taken = 0
    for text in _texts():
        starts = label_value_text._title_starts(text)
        for begin, end in pairwise([*starts, len(text)]):
            block = text[begin:end]
            match = label_value_text._BLOCK_RE.match(block)
            if match is None:
                continue
            used = standard_table.build_standard(match, block, 5, "<输入>", label_value_text._wrapped_ok,
                                                 label_value_text._odd_row)
            reference = pure.build_standard(match, block, 5, "<输入>", label_value_text._wrapped_ok,
                                                 label_value_text._odd_row)
            assert _key(used) == _key(reference)
            taken += used is not None
    assert taken > 300  # the generated tables are nearly all in the plain published shape
