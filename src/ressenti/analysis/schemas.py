"""The reading of a message: what leaves the engine, typed and immutable.

The JSON form (``Analysis.to_dict``) is the public contract, described by ``analysis.schema.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

EMOTION_LABELS: tuple[str, ...] = (
    "anger",
    "frustration",
    "anxiety",
    "confusion",
    "sadness",
    "satisfaction",
    "gratitude",
    "neutral",
)
NEGATIVE_EMOTIONS = frozenset({"anger", "frustration", "anxiety", "confusion", "sadness"})
POSITIVE_EMOTIONS = frozenset({"satisfaction", "gratitude"})
SENTIMENT_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
SIGNAL_NAMES: tuple[str, ...] = (
    "complaint",
    "churn_threat",
    "escalation_request",
    "legal_threat",
    "public_exposure",
    "urgency",
)

# Why a customer complains (issue "Conversations"); "other" is a complaint that fits none of the rest.
MOTIVE_LABELS: tuple[str, ...] = (
    "delay",
    "cancellation",
    "lost_or_damaged",
    "defective_product",
    "billing_error",
    "unjustified_fees",
    "slow_after_sales",
    "poor_service",
    "order_or_booking_problem",
    "refund",
    "technical_issue",
    "account_access",
    "waiting_time",
    "other",
)

Sentiment = Literal["negative", "neutral", "positive"]
Language = Literal["fr", "en"]
CueKind = Literal[
    "word",
    "phrase",
    "emoji",
    "emoticon",
    "punctuation",
    "capitals",
    "elongation",
    "negation",
    "intensifier",
    "attenuator",
    "contrast",
]


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


# The public types are frozen dataclasses with an ``__init__`` of their own: compiled by mypyc it
# builds a reading many times faster than the one ``dataclasses`` generates, interpreted it works the
# same (``object.__setattr__`` is how a frozen class sets its own fields), and the instances stay
# immutable from outside (assigning a field raises ``FrozenInstanceError``).
@dataclass(frozen=True, slots=True, init=False)
class Cue:
    """One piece of evidence in the text, and what it did to the reading.

    ``effect`` maps ``valence`` and emotion labels to how much this cue moved them (valence on
    -1..1, emotion scores on 0..1): the mean of the reading minus the reading without the cue, and
    the reading of the cue alone minus the reading of no evidence.
    """

    start: int
    end: int
    text: str
    kind: CueKind
    effect: Mapping[str, float]
    note: str

    def __init__(
        self, start: int, end: int, text: str, kind: CueKind, effect: Mapping[str, float], note: str = ""
    ) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "effect", _frozen(effect))
        object.__setattr__(self, "note", note)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "effect": dict(self.effect),
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True, init=False)
class Signal:
    """A yes/no signal (complaint, churn threat…) with the cues that raised it."""

    name: str
    value: bool
    cues: tuple[Cue, ...]

    def __init__(self, name: str, value: bool, cues: tuple[Cue, ...] = ()) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "cues", cues)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "cues": [cue.to_dict() for cue in self.cues]}


@dataclass(frozen=True, slots=True, init=False)
class Motive:
    """Why the customer complains (a label of ``MOTIVE_LABELS``), how sure, and the words that show it."""

    label: str
    score: float
    cues: tuple[Cue, ...]

    def __init__(self, label: str, score: float, cues: tuple[Cue, ...] = ()) -> None:
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "cues", cues)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": round(self.score, 4), "cues": [c.to_dict() for c in self.cues]}


@dataclass(frozen=True, slots=True)
class Emoticon:
    """A step on the agent console's emoticon scale, from furious (1) to delighted (5)."""

    symbol: str
    level: int
    label_fr: str
    label_en: str


@dataclass(frozen=True, slots=True, init=False)
class Analysis:
    """The emotional reading of one customer message."""

    text: str
    lang: Language
    emotion: str
    emotions: Mapping[str, float]
    sentiment: Sentiment
    sentiment_scores: Mapping[str, float]
    valence: float
    intensity: float
    emoticon: Emoticon
    cues: tuple[Cue, ...]
    signals: Mapping[str, Signal]
    motives: tuple[Motive, ...]
    lang_mixed: bool
    truncated: bool
    engine_version: str

    def __init__(
        self,
        *,
        text: str,
        lang: Language,
        emotion: str,
        emotions: Mapping[str, float],
        sentiment: Sentiment,
        sentiment_scores: Mapping[str, float],
        valence: float,
        intensity: float,
        emoticon: Emoticon,
        cues: tuple[Cue, ...],
        signals: Mapping[str, Signal],
        motives: tuple[Motive, ...] = (),
        lang_mixed: bool = False,
        truncated: bool = False,
        engine_version: str = "",
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "lang", lang)
        object.__setattr__(self, "emotion", emotion)
        object.__setattr__(self, "emotions", _frozen(emotions))
        object.__setattr__(self, "sentiment", sentiment)
        object.__setattr__(self, "sentiment_scores", _frozen(sentiment_scores))
        object.__setattr__(self, "valence", valence)
        object.__setattr__(self, "intensity", intensity)
        object.__setattr__(self, "emoticon", emoticon)
        object.__setattr__(self, "cues", cues)
        object.__setattr__(self, "signals", MappingProxyType(dict(signals)))
        object.__setattr__(self, "motives", motives)
        object.__setattr__(self, "lang_mixed", lang_mixed)
        object.__setattr__(self, "truncated", truncated)
        object.__setattr__(self, "engine_version", engine_version)

    @property
    def motive(self) -> str | None:
        """The main motive of the complaint, or None when the message is not a complaint with a motive."""
        return self.motives[0].label if self.motives else None

    def signal(self, name: str) -> bool:
        """Whether the named signal was raised."""
        return self.signals[name].value

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (see ``analysis.schema.json``); the text itself is not repeated."""
        return {
            "lang": self.lang,
            "lang_mixed": self.lang_mixed,
            "emotion": self.emotion,
            "emotions": {label: round(self.emotions[label], 4) for label in EMOTION_LABELS},
            "sentiment": self.sentiment,
            "sentiment_scores": {s: round(self.sentiment_scores[s], 4) for s in SENTIMENT_LABELS},
            "valence": round(self.valence, 4),
            "intensity": round(self.intensity, 4),
            "emoticon": self.emoticon.symbol,
            "emoticon_level": self.emoticon.level,
            "emoticon_label": {"fr": self.emoticon.label_fr, "en": self.emoticon.label_en},
            "cues": [cue.to_dict() for cue in self.cues],
            "signals": {name: self.signals[name].to_dict() for name in SIGNAL_NAMES},
            "motives": [motive.to_dict() for motive in self.motives],
            "motive": self.motive,
            "truncated": self.truncated,
            "engine_version": self.engine_version,
        }
