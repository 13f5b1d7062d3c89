"""Ressenti: read the emotion in every customer message, French first, and English.

>>> from ressenti import analyze
>>> analyze("Toujours pas reçu ma commande !!! 😡").emotion
'anger'
"""

from ressenti.analysis.api import analyze, analyze_batch, default_engine
from ressenti.analysis.engine import Engine
from ressenti.analysis.schemas import EMOTION_LABELS, SIGNAL_NAMES, Analysis, Cue, Signal

__version__ = "0.1.0"

__all__ = [
    "EMOTION_LABELS",
    "SIGNAL_NAMES",
    "Analysis",
    "Cue",
    "Engine",
    "Signal",
    "__version__",
    "analyze",
    "analyze_batch",
    "default_engine",
]
