"""Build hook: the analysis core is compiled to C with mypyc (it is `mypy --strict` clean Python).

Compiled, a reading costs about 40% less (docs/performance.md). Set RESSENTI_PURE=1 to install the
same code uncompiled (for debugging with pdb or a profiler); everything else is in pyproject.toml.
"""

import os

from setuptools import setup

COMPILED = [
    "src/ressenti/analysis/text.py",
    "src/ressenti/analysis/schemas.py",
    "src/ressenti/analysis/scale.py",
    "src/ressenti/analysis/langdata.py",
    "src/ressenti/analysis/rules.py",
    "src/ressenti/analysis/model.py",
    "src/ressenti/analysis/engine.py",
    "src/ressenti/conversation/behaviours.py",
]

ext_modules = []
if not os.environ.get("RESSENTI_PURE"):
    from mypyc.build import mypycify

    ext_modules = mypycify(COMPILED, opt_level="3")

setup(ext_modules=ext_modules)
