"""Compiles the label-text reader's hot module with mypyc when the package is installed (``pip install -e .``).

``jixiao/io/readers/standard_table.py`` stays the pure-Python reference: the compiled module shadows it
when built, and ``tests/test_standard_table_compiled.py`` holds the two equal. ``JIXIAO_PURE=1`` installs
without compiling (the reader is then only slower).
"""

import os

from setuptools import setup

COMPILED = ["src/jixiao/io/readers/standard_table.py"]

if os.environ.get("JIXIAO_PURE") == "1":
    setup()
else:
    from mypyc.build import mypycify

    setup(ext_modules=mypycify(["--config-file", "/dev/null", *COMPILED], opt_level="3"))
