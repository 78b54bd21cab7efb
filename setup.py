"""Compiles the hot modules with mypyc when the package is installed (``pip install -e .``).

The label-text reader (``jixiao/io/readers/standard_table.py``) and the review's per-table core (rules'
context, screen, textnum and engine) stay the pure-Python reference: the compiled modules shadow them
when built; ``tests/test_standard_table_compiled.py`` and ``tests/test_rules_compiled.py`` hold the two
equal. ``JIXIAO_PURE=1`` installs without compiling (the reader is then only slower). The goal's number
scanner (``jixiao/rules/_goalscan.c``) is a C extension built beside them; ``rules/textnum.py`` reads the
same when it is absent, and ``tests/test_goalscan.py`` holds the two equal.
"""

import os

from setuptools import Extension, setup

COMPILED = [
    "src/jixiao/io/readers/standard_table.py",  # the label-text reader
    # The review's per-table core: facts, the screen, the goal's numbers, the engine loop.
    "src/jixiao/rules/context.py",
    "src/jixiao/rules/screen.py",
    "src/jixiao/rules/textnum.py",
    "src/jixiao/rules/engine.py",
]

# The goal's number scanner in C (rules/textnum.py is its reference and its fallback).
NATIVE = [Extension("jixiao.rules._goalscan", ["src/jixiao/rules/_goalscan.c"], extra_compile_args=["-O2"])]

if os.environ.get("JIXIAO_PURE") == "1":
    setup()
else:
    from mypyc.build import mypycify

    setup(ext_modules=[*mypycify(["--config-file", "/dev/null", *COMPILED], opt_level="3"), *NATIVE])
