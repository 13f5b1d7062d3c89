"""The engine: rules find the evidence, the linear model weighs it, the reading says why.

``analyze`` reads one message and ``analyze_batch`` many; both run the same vectorised scoring,
the batch form spreading numpy's fixed costs over all its messages.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ressenti.analysis.langdata import available_languages, load_common, load_language
from ressenti.analysis.model import EMOTION_COLUMNS, SENTIMENT_COLUMNS, LinearModel
from ressenti.analysis.rules import DENSE_FEATURES, SURFACE_FEATURES, Extraction, Rules
from ressenti.analysis.scale import emoticon_for
from ressenti.analysis.schemas import (
    EMOTION_LABELS,
    NEGATIVE_EMOTIONS,
    POSITIVE_EMOTIONS,
    SENTIMENT_LABELS,
    SIGNAL_NAMES,
    Analysis,
    Cue,
    Signal,
)
from ressenti.analysis.text import Tokenizer
from ressenti.errors import InputError

COMPLAINT_VALENCE = -0.3  # how negative a reading must be to count as a complaint without a pattern
COMPLAINT_EVIDENCE = 0.1  # … and one cue must have pulled it down that much: no evidence, no complaint
EFFECT_FLOOR = 0.005  # effects smaller than half a point are noise, not evidence
MAX_EFFECTS_PER_CUE = 3
_SURFACE_ROWS = frozenset(DENSE_FEATURES.index(name) for name in SURFACE_FEATURES)
_NEUTRAL = EMOTION_LABELS.index("neutral")
_LANG_CODE = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{2,8})*")  # "fr", "fr-FR", "en_GB"


def _softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    result: NDArray[np.float64] = shifted / shifted.sum(axis=-1, keepdims=True)
    return result


def load_rules(*, default_lang: str = "fr") -> Rules:
    """The rules with every language shipped in the package."""
    common = load_common()
    tokenizer = Tokenizer(emoticons=common.emoticons)
    languages = {code: load_language(code, tokenizer) for code in available_languages()}
    return Rules(tokenizer=tokenizer, languages=languages, common=common, default_lang=default_lang)


class Engine:
    """Reads customer messages; build it once (``Engine.load()``) and share it."""

    def __init__(self, *, rules: Rules, model: LinearModel) -> None:
        self.rules = rules
        self.model = model
        self.version = f"ressenti-engine/{model.version}"
        self.languages = tuple(rules.languages)

    @classmethod
    def load(cls, *, model_path: Path | None = None, default_lang: str = "fr") -> Engine:
        """The engine with the language data and the model shipped in the package."""
        return cls(rules=load_rules(default_lang=default_lang), model=LinearModel.load(model_path))

    def analyze(self, text: str, lang: str | None = None) -> Analysis:
        """Read one message."""
        return self.analyze_batch([text], [lang])[0]

    def analyze_batch(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Analysis]:
        """Read many messages at once (faster per message than one by one)."""
        if langs is None:
            langs = [None] * len(texts)
        elif len(langs) != len(texts):
            raise InputError(f"{len(texts)} texts but {len(langs)} languages")
        extractions = [
            self.rules.extract(self._check_text(text), self._check_lang(lang))
            for text, lang in zip(texts, langs, strict=True)
        ]
        return self.score(extractions)

    def _check_text(self, text: object) -> str:
        if not isinstance(text, str):
            raise InputError(f"a message must be text (str), not {type(text).__name__}")
        return text

    def _check_lang(self, lang: str | None) -> str | None:
        if lang is None or lang == "":
            return None
        match = _LANG_CODE.fullmatch(lang.strip())
        code = match.group(1).lower() if match else ""
        if code not in self.languages:
            raise InputError(
                f"language {lang!r} is not supported; use one of {', '.join(self.languages)} or leave it out"
            )
        return code

    def score(self, extractions: Sequence[Extraction]) -> list[Analysis]:
        """Weigh the evidence of many extractions in one vectorised pass and build their readings."""
        model = self.model
        span_offsets = np.zeros(len(extractions) + 1, dtype=np.int64)
        span_ids: list[int] = []
        rows: list[int] = []
        amounts: list[float] = []
        for index, extraction in enumerate(extractions):
            base = int(span_offsets[index])
            for ident, row, amount in extraction.dense:
                span_ids.append(base + ident)
                rows.append(row)
                amounts.append(amount)
            trust = model.ngram_trust(extraction.lang)
            for ident, gram, amount in extraction.ngrams:
                row = model.row(gram)
                if row >= 0:
                    span_ids.append(base + ident)
                    rows.append(row)
                    amounts.append(amount * trust)
            span_offsets[index + 1] = base + len(extraction.spans)
        total_spans = int(span_offsets[-1])
        message_of_span = np.repeat(np.arange(len(extractions)), np.diff(span_offsets))
        per_span = np.zeros((total_spans, model.weights.shape[1]), dtype=np.float64)
        if rows:
            contributions = np.asarray(amounts)[:, None] * model.weights[np.asarray(rows)]
            np.add.at(per_span, np.asarray(span_ids), contributions)
        logits = np.zeros((len(extractions), model.weights.shape[1]), dtype=np.float64)
        np.add.at(logits, message_of_span, per_span)
        logits += model.bias
        sentiment = _softmax(logits[:, SENTIMENT_COLUMNS])
        emotions = _softmax(logits[:, EMOTION_COLUMNS])
        without = logits[message_of_span] - per_span
        sentiment_without = _softmax(without[:, SENTIMENT_COLUMNS])
        emotions_without = _softmax(without[:, EMOTION_COLUMNS])
        valence = sentiment[:, 2] - sentiment[:, 0]
        valence_without = sentiment_without[:, 2] - sentiment_without[:, 0]
        valence_effect = valence[message_of_span] - valence_without
        emotion_effect = emotions[message_of_span] - emotions_without
        surface = np.zeros(len(extractions))
        for index, extraction in enumerate(extractions):
            surface[index] = sum(amount for _, row, amount in extraction.dense if row in _SURFACE_ROWS)
        return [
            self._reading(
                extraction,
                sentiment[index],
                emotions[index],
                float(valence[index]),
                valence_effect[span_offsets[index] : span_offsets[index + 1]],
                emotion_effect[span_offsets[index] : span_offsets[index + 1]],
                float(surface[index]),
            )
            for index, extraction in enumerate(extractions)
        ]

    def _reading(
        self,
        extraction: Extraction,
        sentiment: NDArray[np.float64],
        emotions: NDArray[np.float64],
        valence: float,
        valence_effect: NDArray[np.float64],
        emotion_effect: NDArray[np.float64],
        surface: float,
    ) -> Analysis:
        cues: list[Cue] = []
        cue_of_span: dict[int, Cue] = {}
        for ident, span in enumerate(extraction.spans):
            effect: dict[str, float] = {}
            if abs(valence_effect[ident]) >= EFFECT_FLOOR:
                effect["valence"] = round(float(valence_effect[ident]), 3)
            moved = np.argsort(-np.abs(emotion_effect[ident]))[:MAX_EFFECTS_PER_CUE]
            for column in moved:
                if abs(emotion_effect[ident, column]) >= EFFECT_FLOOR:
                    effect[EMOTION_LABELS[column]] = round(float(emotion_effect[ident, column]), 3)
            is_signal = bool(span.note) and span.note in extraction.signals
            if not effect and not is_signal:
                continue
            cue = Cue(span.start, span.end, span.text, span.kind, effect, span.note)
            cue_of_span[ident] = cue
            cues.append(cue)
        cues.sort(key=lambda cue: (cue.start, cue.end))
        signals = {
            name: Signal(
                name,
                bool(extraction.signals.get(name)),
                tuple(cue_of_span[i] for i in extraction.signals.get(name, []) if i in cue_of_span),
            )
            for name in SIGNAL_NAMES
        }
        sentiment_label = SENTIMENT_LABELS[int(np.argmax(sentiment))]
        reasons = sorted(
            (c for c in cues if c.effect.get("valence", 0.0) <= -COMPLAINT_EVIDENCE),
            key=lambda c: c.effect["valence"],
        )
        clearly_negative = sentiment_label == "negative" and valence <= COMPLAINT_VALENCE
        if clearly_negative and reasons and not signals["complaint"].value:
            # A customer writing to a company in clearly negative terms is complaining, whatever the
            # words: the cues that made the reading negative are the complaint's reasons.
            signals["complaint"] = Signal("complaint", True, tuple(reasons[:3]))
        allowed: frozenset[str] | None = None
        if sentiment_label == "negative":
            allowed = NEGATIVE_EMOTIONS | {"neutral"}
        elif sentiment_label == "positive":
            allowed = POSITIVE_EMOTIONS | {"neutral"}
        ranked = sorted(range(len(EMOTION_LABELS)), key=lambda column: -emotions[column])
        emotion = next(EMOTION_LABELS[c] for c in ranked if allowed is None or EMOTION_LABELS[c] in allowed)
        if emotion == "neutral" and sentiment_label != "neutral":
            # A clearly polar message with a modest emotion still shows that emotion, not "neutral".
            runner = next(
                (
                    EMOTION_LABELS[c]
                    for c in ranked
                    if EMOTION_LABELS[c] in (allowed or ()) and EMOTION_LABELS[c] != "neutral"
                ),
                None,
            )
            if runner is not None and emotions[EMOTION_LABELS.index(runner)] >= 0.2:
                emotion = runner
        arousal = 1.0 - float(emotions[_NEUTRAL])
        charge = min(1.0, surface + 0.25 * extraction.intensifiers_used)
        # Weights: how far from neutral the emotion is, how polar the reading, and the text's charge
        # (exclamations, capitals, elongations, emoji abundance, intensifiers).
        intensity = max(0.0, min(1.0, 0.5 * arousal + 0.3 * abs(valence) + 0.2 * charge))
        return Analysis(
            text=extraction.text,
            lang=extraction.lang,  # type: ignore[arg-type]
            emotion=emotion,
            emotions={label: float(emotions[i]) for i, label in enumerate(EMOTION_LABELS)},
            sentiment=sentiment_label,  # type: ignore[arg-type]
            sentiment_scores={label: float(sentiment[i]) for i, label in enumerate(SENTIMENT_LABELS)},
            valence=valence,
            intensity=intensity,
            emoticon=emoticon_for(valence, intensity),
            cues=tuple(cues),
            signals=signals,
            lang_mixed=extraction.lang_mixed,
            truncated=extraction.truncated,
            engine_version=self.version,
        )


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
    return default_engine().analyze(text, lang)


def analyze_batch(texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[Analysis]:
    """Read many messages; faster per message than ``analyze`` in a loop."""
    return default_engine().analyze_batch(texts, langs)
