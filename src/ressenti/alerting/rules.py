"""Alert rules: each alert says why, in French and English, with the words that raised it.

A rule looks at the customer's new reading and at the readings before it in the same conversation.
Emotion never lowers a customer's priority (PRODUCT.md §2): alerts only add attention.
An alert of a kind already open on the conversation is not raised again (the caller passes those kinds).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ressenti.analysis.schemas import Analysis, Cue
from ressenti.i18n import decimal

ALERT_KINDS = (
    "anger",
    "churn_threat",
    "escalation_request",
    "legal_threat",
    "public_exposure",
    "deterioration",
)
HIGH_INTENSITY = 0.75
DETERIORATION_TURNS = 3
DETERIORATION_DROP = 0.4
DETERIORATION_FLOOR = -0.2

_SIGNAL_TEXT = {
    "churn_threat": ("Menace de résiliation", "Churn threat", "high"),
    "escalation_request": ("Demande à parler à un responsable", "Asks for a manager", "medium"),
    "legal_threat": ("Menace juridique", "Legal threat", "high"),
    "public_exposure": ("Menace de rendre l'affaire publique", "Threat to go public", "high"),
}
_EMOTION_FR = {
    "anger": "colère",
    "frustration": "agacement",
    "anxiety": "inquiétude",
    "confusion": "incompréhension",
    "sadness": "déception",
}


@dataclass(frozen=True, slots=True)
class RecentReading:
    """What a rule needs of an earlier customer reading."""

    valence: float


@dataclass(frozen=True, slots=True)
class AlertFinding:
    kind: str
    severity: str  # "medium" | "high"
    reason_fr: str
    reason_en: str
    cues: tuple[str, ...]

    def reasons(self) -> dict[str, Any]:
        return {"fr": self.reason_fr, "en": self.reason_en, "cues": list(self.cues)}


def _quoted(cues: Sequence[str], open_: str, close: str) -> str:
    return ", ".join(f"{open_}{c}{close}" for c in cues)


def _with_cues(fr: str, en: str, cues: Sequence[str]) -> tuple[str, str]:
    if not cues:
        return fr + ".", en + "."
    return f"{fr} : {_quoted(cues, '« ', ' »')}.", f"{en}: {_quoted(cues, '“', '”')}."


def _negative_cues(reading: Analysis, limit: int = 3) -> tuple[str, ...]:
    """The words that pushed the reading furthest towards the negative, strongest first."""
    pushing = [c for c in reading.cues if c.effect.get("valence", 0.0) < 0]
    pushing.sort(key=lambda c: c.effect.get("valence", 0.0))
    out: list[str] = []
    for cue in pushing:
        if cue.text not in out:
            out.append(cue.text)
        if len(out) == limit:
            break
    return tuple(out)


def _signal_cues(cues: Sequence[Cue]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.text for c in cues))[:3]


def _number(value: float, lang: str) -> str:
    return decimal(value, lang, signed=True) if value else "0"


def _anger(reading: Analysis) -> AlertFinding | None:
    strong = reading.sentiment == "negative" and reading.intensity >= HIGH_INTENSITY
    if reading.emotion != "anger" and not strong:
        return None
    emotion = reading.emotion if reading.emotion in _EMOTION_FR else "anger"
    fr, en = _with_cues(
        f"{_EMOTION_FR[emotion].capitalize()} du client, intensité {decimal(reading.intensity, 'fr')}",
        f"Customer {emotion}, intensity {decimal(reading.intensity, 'en')}",
        _negative_cues(reading),
    )
    severity = "high" if reading.intensity >= HIGH_INTENSITY else "medium"
    return AlertFinding("anger", severity, fr, en, _negative_cues(reading))


def _deterioration(reading: Analysis, earlier: Sequence[RecentReading]) -> AlertFinding | None:
    curve = [r.valence for r in earlier[-(DETERIORATION_TURNS - 1) :]] + [reading.valence]
    if len(curve) < DETERIORATION_TURNS:
        return None
    falling = all(b <= a for a, b in pairwise(curve))
    if not falling or curve[0] - curve[-1] < DETERIORATION_DROP or curve[-1] > DETERIORATION_FLOOR:
        return None
    fr = "Dégradation sur les derniers messages du client : valence " + " → ".join(
        _number(v, "fr") for v in curve
    )
    en = "Getting worse over the customer's last messages: valence " + " → ".join(
        _number(v, "en") for v in curve
    )
    return AlertFinding("deterioration", "medium", fr + ".", en + ".", _negative_cues(reading))


def evaluate(
    reading: Analysis, earlier: Sequence[RecentReading] = (), already_open: Collection[str] = ()
) -> list[AlertFinding]:
    """The alerts a new customer reading raises, given the conversation's earlier customer readings
    (oldest first) and the kinds of alert already open on it."""
    found: list[AlertFinding] = []
    anger = _anger(reading)
    if anger is not None:
        found.append(anger)
    for name, (fr, en, severity) in _SIGNAL_TEXT.items():
        signal = reading.signals.get(name)
        if signal is not None and signal.value:
            cues = _signal_cues(signal.cues)
            reason_fr, reason_en = _with_cues(fr, en, cues)
            found.append(AlertFinding(name, severity, reason_fr, reason_en, cues))
    worse = _deterioration(reading, earlier)
    if worse is not None:
        found.append(worse)
    return [f for f in found if f.kind not in already_open]
