"""The library's front door: ``analyze`` and ``analyze_batch`` on a shared engine.

Kept out of the compiled core (setup.py) on purpose: compiled functions refuse a wrong argument
type with a bare ``TypeError``, while a person calling ``analyze(42)`` deserves ``InputError``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from ressenti.analysis.engine import Engine
from ressenti.analysis.schemas import Analysis

_default: Engine | None = None
_lock = threading.Lock()


def default_engine() -> Engine:
    """The shared engine with the shipped data and model, loaded on first use."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Engine.load()
    return _default


def analyze(text: str, lang: str | None = None) -> Analysis:
    """Read the emotion of one customer message (French or English; detected when ``lang`` is None)."""
    return default_engine().analyze_batch([text], [lang])[0]


def analyze_batch(texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[Analysis]:
    """Read many messages; faster per message than ``analyze`` in a loop."""
    return default_engine().analyze_batch(texts, langs)
