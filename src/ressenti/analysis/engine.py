"""The engine: rules find the evidence, the linear model weighs it, the reading says why.

``analyze`` reads one message and ``analyze_batch`` many; both run the same vectorised scoring,
the batch form spreading numpy's fixed costs over all its messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ressenti.analysis.collector import collector_paused
from ressenti.analysis.langdata import available_languages, language_code, load_common, load_language
from ressenti.analysis.model import EMOTION_COLUMNS, SENTIMENT_COLUMNS, LinearModel
from ressenti.analysis.rules import DENSE_FEATURES, SURFACE_FEATURES, Extraction, Rules
from ressenti.analysis.scale import emoticon_for
from ressenti.analysis.schemas import (
    EMOTION_LABELS,
    MOTIVE_LABELS,
    NEGATIVE_EMOTIONS,
    POSITIVE_EMOTIONS,
    SENTIMENT_LABELS,
    SIGNAL_NAMES,
    Analysis,
    Cue,
    Motive,
    Signal,
)
from ressenti.analysis.text import Tokenizer
from ressenti.errors import InputError

COMPLAINT_VALENCE = -0.3  # how negative a reading must be to count as a complaint without a pattern
COMPLAINT_EVIDENCE = 0.1  # … and one cue must have pulled it down that much: no evidence, no complaint
EFFECT_FLOOR = 0.02  # effects under two points are noise ("ma", "je"), not evidence a person needs
MAX_EFFECTS_PER_CUE = 3
_SURFACE_ROWS = frozenset(DENSE_FEATURES.index(name) for name in SURFACE_FEATURES)
_NEUTRAL = EMOTION_LABELS.index("neutral")
_NOT_RAISED = {name: Signal(name, False) for name in SIGNAL_NAMES}  # immutable, shared by every reading
_MOTIVES = frozenset(MOTIVE_LABELS)
_SHOWN_PATTERNS = frozenset(SIGNAL_NAMES) | _MOTIVES  # spans that stay cues whatever their effect
MOTIVE_BASE = 0.4  # a motive named once scores 1 - 0.4 = 0.6, twice 0.84, three times 0.94
OTHER_MOTIVE_SCORE = 0.5  # a complaint whose motive none of the patterns names


@dataclass(slots=True)
class _Effects:
    """The kept spans' effects in a batch, as plain lists: valence, and the strongest emotion moves."""

    span: list[int]  # the batch-wide index of each kept span
    valence: list[float]
    order: list[list[int]]
    strongest: list[list[float]]


def _sum_rows(groups: NDArray[np.intp], values: NDArray[np.float64], count: int) -> NDArray[np.float64]:
    """Sum the rows of ``values`` by group (``np.add.at``, column by column with bincount: ~10× faster)."""
    out = np.empty((count, values.shape[1]), dtype=np.float64)
    for column in range(values.shape[1]):
        out[:, column] = np.bincount(groups, weights=values[:, column], minlength=count)
    return out


def _softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Softmax of each row. Rows are short (3 or 8 labels) and many: reducing a short last axis costs
    numpy one inner loop per row, so the work is done on the transpose, across rows at once."""
    columns = np.array(logits.T, dtype=np.float64, order="C")
    columns -= columns.max(axis=0)
    np.exp(columns, out=columns)
    columns /= columns.sum(axis=0)
    result: NDArray[np.float64] = columns.T
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
        # Each language's priors (row i for self.languages[i]), and the reading of no evidence at all
        # in that language, which each cue alone is compared to.
        self._language_row = {code: index for index, code in enumerate(self.languages)}
        self._priors = np.stack([model.prior(code) for code in self.languages])
        prior = _softmax(self._priors[:, SENTIMENT_COLUMNS])
        self._no_evidence_valence = prior[:, 2] - prior[:, 0]
        self._no_evidence_emotions = _softmax(self._priors[:, EMOTION_COLUMNS])

    @classmethod
    def load(cls, *, model_path: Path | None = None, default_lang: str = "fr") -> Engine:
        """The engine with the language data and the model shipped in the package."""
        return cls(rules=load_rules(default_lang=default_lang), model=LinearModel.load(model_path))

    def analyze(self, text: str, lang: str | None = None) -> Analysis:
        """Read one message."""
        return self.analyze_batch([text], [lang])[0]

    def analyze_batch(self, texts: Sequence[object], langs: Sequence[object] | None = None) -> list[Analysis]:
        """Read many messages at once (faster per message than one by one).

        Typed ``object`` so that a wrong value is refused with ``InputError``, not a bare TypeError.
        """
        if langs is None:
            langs = [None] * len(texts)
        elif len(langs) != len(texts):
            raise InputError(f"{len(texts)} texts but {len(langs)} languages")
        with collector_paused():
            extractions = [
                self.rules.extract(self._check_text(text), self._check_lang(lang))
                for text, lang in zip(texts, langs, strict=True)
            ]
            return self.score(extractions)

    def _check_text(self, text: object) -> str:
        if not isinstance(text, str):
            raise InputError(f"a message must be text (str), not {type(text).__name__}")
        return text

    def _check_lang(self, lang: object) -> str | None:
        if lang is None or lang == "":
            return None
        if not isinstance(lang, str):
            raise InputError(f"a language must be a code such as 'fr' or 'en', not {type(lang).__name__}")
        code = language_code(lang)
        if code not in self.languages:
            raise InputError(
                f"language {lang!r} is not supported; use one of {', '.join(self.languages)} or leave it out"
            )
        return code

    def score(self, extractions: Sequence[Extraction]) -> list[Analysis]:
        """Weigh the evidence of many extractions in one vectorised pass and build their readings."""
        model = self.model
        vocabulary = model.vocabulary
        dense_rows = len(DENSE_FEATURES)
        span_offsets = [0]
        span_ids: list[int] = []
        rows: list[int] = []
        amounts: list[float] = []
        surface: list[float] = []
        signal_spans: list[int] = []
        for extraction in extractions:
            base = span_offsets[-1]
            charge = 0.0
            for ident, row, amount in extraction.dense:
                span_ids.append(base + ident)
                rows.append(row)
                amounts.append(amount)
                if row in _SURFACE_ROWS:
                    charge += amount
            surface.append(charge)
            trust = model.ngram_trust(extraction.lang)
            for ident, gram, amount in extraction.ngrams:
                index = vocabulary.get(gram)
                if index is not None:
                    span_ids.append(base + ident)
                    rows.append(dense_rows + index)
                    amounts.append(amount * trust)
            for name, idents in extraction.signals.items():
                if name in _SHOWN_PATTERNS:
                    signal_spans.extend(base + ident for ident in idents)
            span_offsets.append(base + len(extraction.spans))
        total_spans = span_offsets[-1]
        message_of_span = np.repeat(np.arange(len(extractions)), np.diff(span_offsets))
        language_of_message = np.fromiter(
            (self._language_row[extraction.lang] for extraction in extractions), np.intp, len(extractions)
        )
        priors = self._priors[language_of_message]
        language_of_span = language_of_message[message_of_span]
        per_span = np.zeros((total_spans, model.weights.shape[1]), dtype=np.float64)
        if rows:
            contributions = np.asarray(amounts)[:, None] * model.weights[np.asarray(rows)]
            per_span = _sum_rows(np.asarray(span_ids), contributions, total_spans)
        logits = _sum_rows(message_of_span, per_span, len(extractions)) + priors
        sentiment = _softmax(logits[:, SENTIMENT_COLUMNS])
        emotions = _softmax(logits[:, EMOTION_COLUMNS])
        # A cue's effect is the mean of two views (the two extreme orders of a Shapley value): the
        # reading minus the reading without the cue, and the cue alone minus no evidence at all.
        # The first alone fades when other cues already saturate the reading ("!!! 😡 inadmissible").
        without = logits[message_of_span] - per_span
        alone = per_span + priors[message_of_span]
        sentiment_without = _softmax(without[:, SENTIMENT_COLUMNS])
        sentiment_alone = _softmax(alone[:, SENTIMENT_COLUMNS])
        valence = sentiment[:, 2] - sentiment[:, 0]
        removed = valence[message_of_span] - (sentiment_without[:, 2] - sentiment_without[:, 0])
        nothing = self._no_evidence_valence[language_of_span]
        on_its_own = (sentiment_alone[:, 2] - sentiment_alone[:, 0]) - nothing
        valence_effect = np.round(0.5 * (removed + on_its_own), 3)
        emotion_removed = emotions[message_of_span] - _softmax(without[:, EMOTION_COLUMNS])
        emotion_added = _softmax(alone[:, EMOTION_COLUMNS]) - self._no_evidence_emotions[language_of_span]
        emotion_effect = np.round(0.5 * (emotion_removed + emotion_added), 3)
        # Each span's strongest emotion effects, for all spans at once; only the spans that moved
        # something (or raised a signal) become cues, so only those leave numpy.
        order = np.argsort(-np.abs(emotion_effect), axis=1, kind="stable")[:, :MAX_EFFECTS_PER_CUE]
        strongest = np.take_along_axis(emotion_effect, order, axis=1)
        keep = (np.abs(valence_effect) >= EFFECT_FLOOR) | (np.abs(strongest[:, 0]) >= EFFECT_FLOOR)
        if signal_spans:
            keep[np.asarray(signal_spans)] = True
        kept = np.flatnonzero(keep)
        bounds = np.searchsorted(kept, np.asarray(span_offsets)).tolist()
        effects = _Effects(
            kept.tolist(), valence_effect[kept].tolist(), order[kept].tolist(), strongest[kept].tolist()
        )
        sentiment_rows, emotion_rows, valences = sentiment.tolist(), emotions.tolist(), valence.tolist()
        return [
            self._reading(
                extraction,
                sentiment_rows[index],
                emotion_rows[index],
                valences[index],
                effects,
                span_offsets[index],
                range(bounds[index], bounds[index + 1]),
                surface[index],
            )
            for index, extraction in enumerate(extractions)
        ]

    @staticmethod
    def _motives(
        extraction: Extraction, cue_of_span: dict[int, Cue], signals: dict[str, Signal], sentiment: str
    ) -> tuple[Motive, ...]:
        """Why the customer complains, strongest first; a motive named in a negative message is a complaint.

        A motive pattern in a message that is neither a complaint nor negative ("can I change my
        booking?") is a request, not a grievance: no motive.
        """
        named = {label: idents for label, idents in extraction.signals.items() if label in _MOTIVES}
        complaint = signals["complaint"]
        if named and sentiment == "negative" and not complaint.value:
            evidence = tuple(cue_of_span[i] for idents in named.values() for i in idents if i in cue_of_span)
            complaint = signals["complaint"] = Signal("complaint", True, evidence[:3])
        if not complaint.value:
            return ()
        found = [
            Motive(
                label,
                1.0 - MOTIVE_BASE ** len(idents),
                tuple(cue_of_span[i] for i in idents if i in cue_of_span),
            )
            for label, idents in named.items()
        ]
        if not found:
            return (Motive("other", OTHER_MOTIVE_SCORE, complaint.cues),)
        # The strongest first; between equals, the one named first in the message.
        found.sort(key=lambda motive: (-motive.score, motive.cues[0].start if motive.cues else 0))
        return tuple(found)

    def _reading(
        self,
        extraction: Extraction,
        sentiment: list[float],
        emotions: list[float],
        valence: float,
        effects: _Effects,
        offset: int,
        kept: range,
        surface: float,
    ) -> Analysis:
        cues: list[Cue] = []
        cue_of_span: dict[int, Cue] = {}
        spans = extraction.spans
        for at in kept:
            ident = effects.span[at] - offset
            span = spans[ident]
            effect: dict[str, float] = {}
            moved = effects.valence[at]
            if abs(moved) >= EFFECT_FLOOR:
                effect["valence"] = moved
            for column, amount in zip(effects.order[at], effects.strongest[at], strict=True):
                if abs(amount) >= EFFECT_FLOOR:
                    effect[EMOTION_LABELS[column]] = amount
            cue = Cue(span.start, span.end, span.text, span.kind, effect, span.note)
            cue_of_span[ident] = cue
            cues.append(cue)
        cues.sort(key=lambda cue: (cue.start, cue.end))
        signals = dict(_NOT_RAISED)
        for name, idents in extraction.signals.items():
            if name in signals and idents:
                signals[name] = Signal(name, True, tuple(cue_of_span[i] for i in idents if i in cue_of_span))
        sentiment_label = SENTIMENT_LABELS[max(range(len(SENTIMENT_LABELS)), key=sentiment.__getitem__)]
        reasons = sorted(
            (c for c in cues if c.effect.get("valence", 0.0) <= -COMPLAINT_EVIDENCE),
            key=lambda c: c.effect["valence"],
        )
        clearly_negative = sentiment_label == "negative" and valence <= COMPLAINT_VALENCE
        if clearly_negative and reasons and not signals["complaint"].value:
            # A customer writing to a company in clearly negative terms is complaining, whatever the
            # words: the cues that made the reading negative are the complaint's reasons.
            signals["complaint"] = Signal("complaint", True, tuple(reasons[:3]))
        motives = self._motives(extraction, cue_of_span, signals, sentiment_label)
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
        arousal = 1.0 - emotions[_NEUTRAL]
        charge = min(1.0, surface + 0.25 * extraction.intensifiers_used)
        # Weights: how far from neutral the emotion is, how polar the reading, and the text's charge
        # (exclamations, capitals, elongations, emoji abundance, intensifiers).
        intensity = max(0.0, min(1.0, 0.5 * arousal + 0.3 * abs(valence) + 0.2 * charge))
        return Analysis(
            text=extraction.text,
            lang=extraction.lang,  # type: ignore[arg-type]
            emotion=emotion,
            emotions=dict(zip(EMOTION_LABELS, emotions, strict=True)),
            sentiment=sentiment_label,  # type: ignore[arg-type]
            sentiment_scores=dict(zip(SENTIMENT_LABELS, sentiment, strict=True)),
            valence=valence,
            intensity=intensity,
            emoticon=emoticon_for(valence, intensity, sentiment_label, emotion),
            cues=tuple(cues),
            signals=signals,
            motives=motives,
            lang_mixed=extraction.lang_mixed,
            truncated=extraction.truncated,
            engine_version=self.version,
        )
