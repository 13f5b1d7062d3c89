"""From text to evidence: cues, the features they feed, and who is responsible for each feature.

Pure rules, no learned weights: ``extract`` reads a message with a language's data and returns an
``Extraction``. Every feature amount is attributed to the span that caused it (a word, an emoji, a
negator that flipped a word…), so the linear model's score can be split back into cues.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ressenti.analysis.langdata import CommonData, LanguageData, LexicalEntry, Modifier
from ressenti.analysis.schemas import MOTIVE_LABELS, SIGNAL_NAMES, CueKind
from ressenti.analysis.text import CLAUSE_PUNCTUATION, Token, Tokenizer, elongation_variants

LEX_EMOTIONS: tuple[str, ...] = (
    "anger",
    "frustration",
    "anxiety",
    "confusion",
    "sadness",
    "satisfaction",
    "gratitude",
)
LEXICAL_FEATURES: tuple[str, ...] = ("lex_pos", "lex_neg", *(f"lex_{e}" for e in LEX_EMOTIONS))
SURFACE_FEATURES: tuple[str, ...] = (
    "exclamation",
    "question",
    "interrobang",
    "multi_question",
    "ellipsis",
    "capitals",
    "shouting",
    "elongation",
    "emoji_charge",
)
# One feature per signal, and one for naming a complaint motive ("late flight", "colis perdu"): a
# customer who names what went wrong is complaining, even in flat words.
SIGNAL_FEATURES: tuple[str, ...] = (*(f"sig_{name}" for name in SIGNAL_NAMES), "sig_motive")
DENSE_FEATURES: tuple[str, ...] = (*LEXICAL_FEATURES, *SURFACE_FEATURES, *SIGNAL_FEATURES)
_DENSE_INDEX = {name: index for index, name in enumerate(DENSE_FEATURES)}
# Motives that name a fact (a delay, a lost bag, a wrong invoice) push the reading towards negative;
# poor service is named with judging words ("rude", "useless") the lexicon already weighs.
_FACTUAL_MOTIVES = frozenset(MOTIVE_LABELS) - {"poor_service", "other"}

MAX_CHARS = 100_000  # longer texts are read on their first 100k characters and flagged `truncated`
FALLBACK_MIN_LETTERS = 4  # shorter words are too often another language's noise ("l", "v", "se")
NEGATION_WINDOW = 3  # words after a negator that it can reach ("je ne suis pas du tout content")
MODIFIER_WINDOW = 2  # words after an intensifier or attenuator that it can reach
CAPITALS_FACTOR = 1.3  # a word in capitals in a message that is not all capitals (VADER uses +0.733/4)
ELONGATION_FACTOR = 1.25  # "trooop", "nuuul"
CONTRAST_BEFORE, CONTRAST_AFTER = 0.5, 1.5  # "mais": what follows weighs more (VADER's "but" rule)
POLITENESS_FACTOR = 0.3  # "thanks" in a complaint keeps a little of its warmth, not its gratitude
REQUEST_COURTESY = 0.3  # "thanks" closing a question or a "please" thanks in advance: half of it
_PLEASE = frozenset({"please", "plait"})  # "please", "s'il vous/te plaît" (and pls, svp, stp)
QUESTION_FACTOR = 0.3  # a positive word in a question ("any good news?") is asked about, not felt
IRONY_FACTOR = -0.8  # a positive word made ironic ("super, encore en retard 🙄")
MakeSpan = Callable[..., int]  # (first token, last token, kind, note="") -> span index


# The classes built for every message have an ``__init__`` of their own: compiled by mypyc, it is
# several times faster than the one ``dataclasses`` generates (which stays interpreted).
@dataclass(slots=True, init=False)
class Span:
    """A stretch of the text that may become a cue."""

    start: int
    end: int
    text: str
    kind: CueKind
    note: str

    def __init__(self, start: int, end: int, text: str, kind: CueKind, note: str = "") -> None:
        self.start, self.end, self.text, self.kind, self.note = start, end, text, kind, note


@dataclass(slots=True, init=False)
class Extraction:
    """What the rules found in one message, before any learned weight is applied."""

    text: str
    lang: str
    lang_mixed: bool
    truncated: bool
    spans: list[Span]
    dense: list[tuple[int, int, float]]  # (span, feature, amount)
    ngrams: list[tuple[int, str, float]]  # (span, n-gram, amount)
    signals: dict[str, list[int]]  # signal or motive → spans
    irony: bool
    intensifiers_used: int

    def __init__(self, text: str, lang: str, lang_mixed: bool, truncated: bool) -> None:
        self.text, self.lang, self.lang_mixed, self.truncated = text, lang, lang_mixed, truncated
        self.spans, self.dense, self.ngrams, self.signals = [], [], [], {}
        self.irony, self.intensifiers_used = False, 0


@dataclass(slots=True, init=False)
class _Unit:
    kind: str  # "boundary", "lexical", "modifier", "plain"
    first: int  # stream positions [first, last)
    last: int
    span: int
    entry: LexicalEntry | None
    modifier: Modifier | None
    cue_kind: CueKind

    def __init__(
        self,
        kind: str,
        first: int,
        last: int,
        *,
        entry: LexicalEntry | None = None,
        modifier: Modifier | None = None,
        cue_kind: CueKind = "word",
    ) -> None:
        self.kind, self.first, self.last, self.span = kind, first, last, -1
        self.entry, self.modifier, self.cue_kind = entry, modifier, cue_kind


@dataclass(slots=True, init=False)
class _LexicalCue:
    span: int
    valence: float
    emotions: dict[str, float]
    stages: list[tuple[int, tuple[float, ...]]]  # (responsible span, feature vector after that stage)

    def __init__(
        self,
        span: int,
        valence: float,
        emotions: dict[str, float],
        stages: list[tuple[int, tuple[float, ...]]],
    ) -> None:
        self.span, self.valence, self.emotions, self.stages = span, valence, emotions, stages

    def become(self, responsible: int, valence: float, emotions: dict[str, float]) -> None:
        """Change the reading of this cue, on behalf of the span responsible for the change."""
        self.valence, self.emotions = valence, emotions
        self.stages.append((responsible, _vector(valence, emotions)))

    def scale(self, responsible: int, factor: float) -> None:
        """Make this cue count ``factor`` times as much (an intensifier, capitals, a contrast…)."""
        self.become(responsible, self.valence * factor, {k: v * factor for k, v in self.emotions.items()})


def _vector(valence: float, emotions: Mapping[str, float]) -> tuple[float, ...]:
    strength = max(abs(valence), 1.0) / 4.0
    return (
        max(valence, 0.0) / 4.0,
        max(-valence, 0.0) / 4.0,
        *(emotions.get(label, 0.0) * strength for label in LEX_EMOTIONS),
    )


def _facts(out: Extraction) -> list[int]:
    """The spans of the factual motives found, in order: what went wrong ("bag lost", « vol annulé »),
    which makes a message a grievance whatever its words."""
    return [i for name, idents in out.signals.items() if name in _FACTUAL_MOTIVES for i in idents]


def _negate(valence: float, emotions: dict[str, float]) -> tuple[float, dict[str, float]]:
    """What a negator does: "pas content" turns sour, "pas mauvais" turns mildly good."""
    if valence > 0:
        # A denied good feeling weighs as much as its opposite: "pas content" is "mécontent".
        return -valence, {"frustration": 0.5, "sadness": 0.4}
    if valence < 0:
        # 0.4: "pas mal", "sans problème" are faint praise, not delight.
        return -0.4 * valence, {"satisfaction": 0.2}
    return 0.0, {}


@lru_cache(maxsize=4096)
def _emoji_words(symbol: str) -> tuple[str, ...]:
    words: list[str] = []
    for char in symbol:
        try:
            words.extend(unicodedata.name(char).lower().split())
        except ValueError:
            continue
    return tuple(words)


class Rules:
    """Reads messages with the language data; one instance serves every message."""

    def __init__(
        self,
        *,
        tokenizer: Tokenizer,
        languages: Mapping[str, LanguageData],
        common: CommonData,
        default_lang: str = "fr",
    ) -> None:
        self.tokenizer = tokenizer
        self.languages = dict(languages)
        self.common = common
        self.default_lang = default_lang if default_lang in languages else next(iter(languages))
        self._emoji_cache: dict[str, LexicalEntry | None] = {}

    # ---- language ------------------------------------------------------------------------
    def detect_language(self, tokens: list[Token]) -> tuple[str, bool]:
        """The message's language and whether it mixes two of them."""
        words = [token for token in tokens if token.kind == "word"]
        scores = dict.fromkeys(self.languages, 0.0)
        for token in words:
            for code, data in self.languages.items():
                if token.key in data.stopwords:
                    scores[code] += 1.0
        if "fr" in scores and any(ch in "éèêàçùâîôûœëï" for token in words for ch in token.text.lower()):
            scores["fr"] += 1.0
        if not any(scores.values()):
            for token in words:
                for code, data in self.languages.items():
                    if token.key in data.lexicon or token.key in data.informal:
                        scores[code] += 1.0
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0] != self.default_lang))
        best, best_score = ranked[0]
        if best_score == 0:
            return self.default_lang, False
        mixed = len(ranked) > 1 and ranked[1][1] >= 2 and ranked[1][1] >= 0.4 * best_score
        return best, mixed

    # ---- lookups -------------------------------------------------------------------------
    def emoji_entry(self, symbol: str) -> LexicalEntry | None:
        """An emoji's reading: listed, else its parts, else its Unicode name through the English words."""
        if symbol in self._emoji_cache:
            return self._emoji_cache[symbol]
        entry = self.common.emoji.get(symbol)
        if entry is None and "\u200d" in symbol:
            parts = [self.common.emoji.get(part) for part in symbol.split("\u200d")]
            entry = next((part for part in parts if part is not None), None)
        if entry is None and "en" in self.languages:
            english = self.languages["en"].lexicon
            found = [english.entries[(word,)] for word in _emoji_words(symbol) if (word,) in english.entries]
            if found:
                valence = 0.8 * sum(item.valence for item in found) / len(found)
                weights: dict[str, float] = {}
                for item in found:
                    for label, weight in item.emotions:
                        weights[label] = max(weights.get(label, 0.0), 0.8 * weight)
                entry = LexicalEntry(max(-4.0, min(4.0, valence)), tuple(weights.items()))
        self._emoji_cache[symbol] = entry
        return entry

    def _resolve_elongation(self, key: str, data: LanguageData) -> str:
        for variant in elongation_variants(key):
            if data.knows(variant) or any(other.knows(variant) for other in self.languages.values()):
                return variant
        variants = elongation_variants(key)
        return variants[-1] if variants else key

    # ---- reading -------------------------------------------------------------------------
    def keys(self, text: str, lang: str | None = None) -> tuple[str, list[Token], list[str], list[int]]:
        """A text's language, tokens, keys and key owners: what pattern tables are matched on."""
        tokens = self.tokenizer.tokenize(text[:MAX_CHARS])
        if lang is None:
            lang = self.detect_language(tokens)[0]
        keys, owner = self.stream(tokens, self.languages[lang])
        return lang, tokens, keys, owner

    def stream(self, tokens: list[Token], data: LanguageData) -> tuple[list[str], list[int]]:
        """The keys every table is matched on, and for each key the index of the token it comes from.

        Punctuation is kept only where it ends a clause; elongations are resolved; informal forms
        expanded ("chui" → "je suis": two keys owned by one token).
        """
        keys: list[str] = []
        owner: list[int] = []
        for index, token in enumerate(tokens):
            if token.kind == "punct":
                if any(ch in CLAUSE_PUNCTUATION for ch in token.key):
                    keys.append(token.key)
                    owner.append(index)
                continue
            key = token.key
            if token.elongated:
                key = self._resolve_elongation(key, data)
            # An elided "c'" is the start of "c'est", not the SMS "c" that stands for it.
            elided = token.text[-1:] in "'’`ʼ"
            expansion = data.informal.get(key) if token.kind == "word" and not elided else None
            for part in expansion or (key,):
                keys.append(part)
                owner.append(index)
        return keys, owner

    def extract(self, text: str, lang: str | None = None) -> Extraction:
        """Read one message: its cues, features and signals."""
        truncated = len(text) > MAX_CHARS
        if truncated:
            text = text[:MAX_CHARS]
        tokens = self.tokenizer.tokenize(text)
        if lang is None:
            lang, mixed = self.detect_language(tokens)
        else:
            mixed = False
        data = self.languages[lang]
        out = Extraction(text=text, lang=lang, lang_mixed=mixed, truncated=truncated)
        keys, owner = self.stream(tokens, data)

        span_of: dict[tuple[int, int, str], int] = {}

        def span(first_token: int, last_token: int, kind: CueKind, note: str = "") -> int:
            start, end = tokens[first_token].start, tokens[last_token].end
            ident = (start, end, kind)
            found = span_of.get(ident)
            if found is None:
                found = len(out.spans)
                span_of[ident] = found
                out.spans.append(Span(start, end, text[start:end], kind, note))
            return found

        units = self._units(keys, owner, tokens, data)
        for unit in units:
            if unit.kind != "boundary":
                unit.span = span(owner[unit.first], owner[unit.last - 1], unit.cue_kind)

        shouting = self._surface(tokens, out, span)
        lexical, negated = self._apply_modifiers(units, tokens, owner, out, span, shouting=shouting)
        self._signals(keys, owner, tokens, data, out, span)
        self._irony(lexical, out)
        self._politeness(lexical, out, keys)
        self._questions(units, lexical, keys, owner, span)
        for cue in lexical:
            previous = (0.0,) * len(LEXICAL_FEATURES)
            for responsible, vector in cue.stages:
                for feature, (before, after) in enumerate(zip(previous, vector, strict=True)):
                    if after != before:
                        out.dense.append((responsible, feature, after - before))
                previous = vector
        self._ngrams(units, keys, negated, out)
        return out

    def _units(
        self, keys: list[str], owner: list[int], tokens: list[Token], data: LanguageData
    ) -> list[_Unit]:
        units: list[_Unit] = []
        fallbacks = [other for code, other in self.languages.items() if code != data.code]
        position, count = 0, len(keys)
        while position < count:
            key = keys[position]
            token = tokens[owner[position]]
            if token.kind == "punct":
                units.append(_Unit("boundary", position, position + 1))
                position += 1
                continue
            if token.kind == "emoji":
                entry = self.emoji_entry(key)
                units.append(
                    _Unit(
                        "lexical" if entry else "plain", position, position + 1, entry=entry, cue_kind="emoji"
                    )
                )
                position += 1
                continue
            if token.kind == "emoticon":
                entry = self.common.emoticons.get(key)
                units.append(
                    _Unit(
                        "lexical" if entry else "plain",
                        position,
                        position + 1,
                        entry=entry,
                        cue_kind="emoticon",
                    )
                )
                position += 1
                continue
            lexical = data.lexicon.match(keys, position)
            modifier = data.modifiers.match(keys, position)
            if modifier and (
                not lexical
                or modifier[0] > lexical[0]
                or (modifier[0] == lexical[0] and self._modifies_next(keys, position + modifier[0], data))
            ):
                length, found = modifier
                units.append(
                    _Unit(
                        "modifier",
                        position,
                        position + length,
                        modifier=found,
                        cue_kind=self._modifier_kind(found),
                    )
                )
                position += length
                continue
            if lexical is None and len(key) >= FALLBACK_MIN_LETTERS and key not in data.stopwords:
                # Mixed messages ("c'est too much"): a word unknown here is tried in the other languages.
                for other in fallbacks:
                    lexical = other.lexicon.match(keys, position)
                    if lexical:
                        break
            if lexical is None:
                lexical = self._inflected(key, data)
            if lexical is not None:
                length, entry = lexical
                units.append(
                    _Unit(
                        "lexical",
                        position,
                        position + length,
                        entry=entry,
                        cue_kind="phrase" if length > 1 else "word",
                    )
                )
                position += length
                continue
            units.append(_Unit("plain", position, position + 1))
            position += 1
        return units

    @staticmethod
    def _stretched(unit: _Unit, tokens: list[Token], owner: list[int]) -> bool:
        """Whether a word of the unit is elongated ("trooop", "c'est nuuuul")."""
        return any(tokens[owner[p]].elongated for p in range(unit.first, unit.last))

    @staticmethod
    def _modifier_kind(modifier: Modifier) -> CueKind:
        return "negation" if modifier.kind == "negator" else modifier.kind

    @staticmethod
    def _modifies_next(keys: list[str], position: int, data: LanguageData) -> bool:
        """A word that is both (e.g. "super", "grave", "trop") modifies when an emotional word follows."""
        for index in range(position, min(position + MODIFIER_WINDOW, len(keys))):
            if keys[index][:1] in CLAUSE_PUNCTUATION:
                return False  # "Super, encore en retard": the comma ends what "super" could modify
            if data.lexicon.match(keys, index) is not None or data.modifiers.match(keys, index) is not None:
                return True
        return False

    @staticmethod
    def _inflected(key: str, data: LanguageData) -> tuple[int, LexicalEntry] | None:
        """Try the word without a plural ending, or a participle's feminine one: "déçues" → "déçu".

        Only participle endings (-ée, -ue, -ie) lose their "e": "France" must not become "franc".
        """
        stems = []
        if key.endswith(("s", "x")):
            stems.append(key[:-1])
        for stem in [key, *stems]:
            if stem.endswith(("ee", "ue", "ie")):
                stems.append(stem[:-1])
        for stem in stems:
            if len(stem) >= 3:
                entry = data.lexicon.entries.get((stem,))
                if entry is not None:
                    return 1, entry
        return None

    def _apply_modifiers(
        self,
        units: list[_Unit],
        tokens: list[Token],
        owner: list[int],
        out: Extraction,
        span: MakeSpan,
        *,
        shouting: bool,
    ) -> tuple[list[_LexicalCue], set[int]]:
        make_span = span
        lexical: list[_LexicalCue] = []
        negated_positions: set[int] = set()
        negators: list[int] = []
        negation_factor = 1.0
        since_negation = 0
        pending: list[tuple[int, float, int, int]] = []  # (span, factor, words since, stretch span or -1)
        contrast: tuple[int, int] | None = None  # (span, number of lexical cues before it)
        for unit in units:
            if unit.kind == "boundary":
                negators, pending = [], []
                continue
            if unit.kind == "modifier" and unit.modifier is not None:
                kind = unit.modifier.kind
                if kind == "negator":
                    if not negators:
                        negation_factor = 1.0
                    negators.append(unit.span)
                    negation_factor = max(negation_factor, unit.modifier.factor)
                    since_negation = 0
                elif kind == "contrast":
                    contrast = (unit.span, len(lexical))
                    negators, pending = [], []
                else:
                    stretch = (
                        make_span(owner[unit.first], owner[unit.last - 1], "elongation")
                        if self._stretched(unit, tokens, owner)
                        else -1
                    )
                    pending.append((unit.span, unit.modifier.factor, 0, stretch))
                continue
            if negators:
                negated_positions.update(range(unit.first, unit.last))
            if unit.kind == "lexical" and unit.entry is not None:
                entry = unit.entry
                cue = _LexicalCue(unit.span, entry.valence, dict(entry.emotions), [])
                cue.become(unit.span, cue.valence, cue.emotions)
                for modifier_span, factor, _, stretch in pending:
                    cue.scale(modifier_span, factor)
                    out.intensifiers_used += factor > 1.0
                    if stretch >= 0 and factor > 1.0:  # "trooop nul": a stretched intensifier pushes harder
                        cue.scale(stretch, ELONGATION_FACTOR)
                if tokens[owner[unit.first]].caps and not shouting:
                    cue.scale(make_span(owner[unit.first], owner[unit.last - 1], "capitals"), CAPITALS_FACTOR)
                if self._stretched(unit, tokens, owner):
                    stretch = make_span(owner[unit.first], owner[unit.last - 1], "elongation")
                    cue.scale(stretch, ELONGATION_FACTOR)
                if negators:
                    valence, emotions = _negate(cue.valence, cue.emotions)
                    valence *= negation_factor
                    vector = _vector(valence, emotions)
                    # Several negators ("ne … pas") share the one flip they make together.
                    previous = cue.stages[-1][1]
                    for index, negator in enumerate(negators, start=1):
                        share = index / len(negators)
                        cue.stages.append(
                            (
                                negator,
                                tuple(p + (v - p) * share for p, v in zip(previous, vector, strict=True)),
                            )
                        )
                    cue.valence, cue.emotions = valence, emotions
                    negators = []
                lexical.append(cue)
                pending = []
                continue
            # A plain word: modifiers reach only so far.
            if negators:
                since_negation += 1
                if since_negation > NEGATION_WINDOW:
                    negators = []
            pending = [(s, f, n + 1, e) for s, f, n, e in pending if n + 1 < MODIFIER_WINDOW]
        if contrast is not None:
            contrast_span, before = contrast
            for index, cue in enumerate(lexical):
                cue.scale(contrast_span, CONTRAST_BEFORE if index < before else CONTRAST_AFTER)
        return lexical, negated_positions

    def _surface(self, tokens: list[Token], out: Extraction, span: MakeSpan) -> bool:
        make_span = span
        words = [
            i for i, t in enumerate(tokens) if t.kind == "word" and sum(c.isalpha() for c in t.text) >= 2
        ]
        capitals = [i for i in words if tokens[i].caps]
        shouting = (len(words) >= 3 and len(capitals) >= 0.6 * len(words)) or (
            len(words) >= 2 and len(capitals) == len(words)
        )
        add = out.dense.append
        if shouting:
            add((make_span(capitals[0], capitals[-1], "capitals", "shouting"), _DENSE_INDEX["shouting"], 1.0))
        else:
            for index in capitals[:3]:
                add((make_span(index, index, "capitals"), _DENSE_INDEX["capitals"], 1 / 3))
        elongated = [i for i in words if tokens[i].elongated][:2]
        for index in elongated:
            add((make_span(index, index, "elongation"), _DENSE_INDEX["elongation"], 0.5))
        charged = [i for i, t in enumerate(tokens) if t.kind in ("emoji", "emoticon")][:4]
        for index in charged:
            kind: CueKind = "emoji" if tokens[index].kind == "emoji" else "emoticon"
            add((make_span(index, index, kind), _DENSE_INDEX["emoji_charge"], 0.25))
        punctuation = [i for i, t in enumerate(tokens) if t.kind == "punct"]
        bangs = sum(tokens[i].key.count("!") for i in punctuation) + sum(
            t.text.count("‼") * 2 for t in tokens
        )
        remaining = min(bangs, 4)
        for index in punctuation:
            key = tokens[index].key
            here = min(key.count("!"), remaining)
            if here:
                remaining -= here
                add((make_span(index, index, "punctuation"), _DENSE_INDEX["exclamation"], here / 4))
            if "?" in key:
                add((make_span(index, index, "punctuation"), _DENSE_INDEX["question"], 1.0))
                if "!" in key:
                    add((make_span(index, index, "punctuation"), _DENSE_INDEX["interrobang"], 1.0))
                if key.count("?") >= 2:
                    add((make_span(index, index, "punctuation"), _DENSE_INDEX["multi_question"], 1.0))
            if key.startswith(".."):
                add((make_span(index, index, "punctuation"), _DENSE_INDEX["ellipsis"], 1.0))
        return shouting

    def _signals(
        self,
        keys: list[str],
        owner: list[int],
        tokens: list[Token],
        data: LanguageData,
        out: Extraction,
        span: MakeSpan,
    ) -> None:
        make_span = span
        for signal, key_ranges in data.signals.find(keys).items():
            matches = [(owner[first], owner[last]) for first, last in key_ranges]
            # Overlapping matches ("je vais résilier" + "résilier mon abonnement") are one piece of evidence.
            merged: list[list[int]] = []
            for first, last in sorted(matches):
                if merged and first <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], last)
                else:
                    merged.append([first, last])
            for first, last in merged:
                kind: CueKind = (
                    "phrase" if last != first else ("emoji" if tokens[first].kind == "emoji" else "word")
                )
                ident = make_span(first, last, kind, signal)
                shared = out.spans[ident]
                if not shared.note:  # the span was a lexicon phrase first: it now also names its signal
                    out.spans[ident] = Span(shared.start, shared.end, shared.text, shared.kind, signal)
                out.signals.setdefault(signal, []).append(ident)
        for name in SIGNAL_NAMES:
            found = out.signals.get(name, [])
            for ident in found:
                out.dense.append((ident, _DENSE_INDEX[f"sig_{name}"], 1.0 / len(found)))
        motives = _facts(out)
        for ident in motives:
            out.dense.append((ident, _DENSE_INDEX["sig_motive"], 1.0 / len(motives)))

    def _politeness(self, lexical: list[_LexicalCue], out: Extraction, keys: list[str]) -> None:
        """Thanks inside a complaint or a request are courtesy, not gratitude ("Merci de me rembourser",
        "Can you change my seat? Thanks!").

        A message that names what went wrong (a factual motive: "bag lost", "vol annulé") is a
        complaint too, whatever else it says; a question or a "please" makes a request.
        """
        grateful = [cue for cue in lexical if cue.valence > 0 and cue.emotions.get("gratitude", 0.0) > 0]
        if not grateful:
            return
        complaints = out.signals.get("complaint") or _facts(out)
        if complaints:
            for cue in grateful:
                cue.scale(complaints[0], POLITENESS_FACTOR)
            return
        asking = next((i for i, key in enumerate(keys) if "?" in key or key in _PLEASE), None)
        if asking is not None:
            for cue in grateful:
                cue.scale(cue.span, REQUEST_COURTESY)

    @staticmethod
    def _questions(
        units: list[_Unit], lexical: list[_LexicalCue], keys: list[str], owner: list[int], span: MakeSpan
    ) -> None:
        """A question asks, it does not assert: "is the lounge nice?" praises nothing."""
        make_span = span
        clause: list[_LexicalCue] = []
        found = 0
        for unit in units:
            if unit.kind == "lexical" and unit.entry is not None:
                clause.append(lexical[found])
                found += 1
            elif unit.kind == "boundary":
                if "?" in keys[unit.first] and clause:
                    mark = make_span(owner[unit.first], owner[unit.first], "punctuation")
                    for cue in clause:
                        if cue.valence > 0 and not cue.emotions.get("gratitude", 0.0):
                            cue.scale(mark, QUESTION_FACTOR)
                clause = []

    def _irony(self, lexical: list[_LexicalCue], out: Extraction) -> None:
        """A positive word next to an irony marker and a grievance is read as its opposite."""
        markers = out.signals.get("sarcasm")
        if not markers:
            return
        positive = [cue for cue in lexical if cue.valence > 0 and cue.span not in markers]
        grievance = (
            any(cue.valence < 0 for cue in lexical)
            or bool(out.signals.get("complaint"))
            or bool(_facts(out))
            or any(out.spans[m].kind == "emoji" for m in markers)
        )
        if not positive or not grievance:
            return
        out.irony = True
        marker = markers[0]
        for cue in positive:
            strength = abs(cue.valence) / 4.0
            cue.become(
                marker, cue.valence * IRONY_FACTOR, {"frustration": min(1.0, 0.6 + strength), "anger": 0.3}
            )
        span = out.spans[marker]
        out.spans[marker] = Span(span.start, span.end, span.text, span.kind, "irony")

    @staticmethod
    def _ngrams(units: list[_Unit], keys: list[str], negated: set[int], out: Extraction) -> None:
        """Unigrams and bigrams of the message; a lexicon phrase counts as one word, as it reads."""
        previous: tuple[int, str] | None = None
        add = out.ngrams.append
        for unit in units:
            if unit.kind == "boundary":
                previous = None
                continue
            ident = unit.span
            if unit.kind == "lexical" and unit.last - unit.first > 1:
                words = ["_".join(keys[unit.first : unit.last])]
            else:
                words = keys[unit.first : unit.last]
            for offset, key in enumerate(words):
                gram = ("NOT_" + key) if unit.first + offset in negated else key
                add((ident, gram, 1.0))
                if previous is not None:
                    before_span, before = previous
                    bigram = before + " " + gram
                    if before_span == ident:
                        add((ident, bigram, 1.0))
                    else:
                        add((before_span, bigram, 0.5))
                        add((ident, bigram, 0.5))
                previous = (ident, gram)
