"""What agents write: the behaviours of docs/agent-behaviours.md, found by phrase banks with their cues.

Only the words of an agent's turn are read, never the agent's emotions (PRODUCT.md §2). Two behaviours
also need the conversation: a ``reformulation`` marker counts only when what follows it restates what
the customer actually said, and a ``churn_response`` only after the customer threatened to leave.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from ressenti.analysis.langdata import SignalTable, load_patterns
from ressenti.analysis.rules import Rules
from ressenti.analysis.text import NUMBER_KEY, Token

BEHAVIOURS: tuple[str, ...] = (
    "acknowledgement",
    "reformulation",
    "empathy",
    "apology",
    "explanation",
    "solution",
    "defensive",
    "minimising",
    "jargon",
    "scripted",
    "closing_followup",
    "churn_response",
    "nvc_observation",
    "nvc_feeling",
    "nvc_need",
    "nvc_request",
)
BEHAVIOUR_NAMES = frozenset(BEHAVIOURS)
EMOTIONAL_LEVEL = frozenset({"acknowledgement", "reformulation", "empathy", "apology", "nvc_feeling"})
RATIONAL_LEVEL = frozenset({"explanation", "solution"})
TO_IMPROVE = frozenset({"defensive", "minimising", "jargon", "scripted"})
# A restatement shares this many content words with the customer's words (or half of its own).
REFORMULATION_OVERLAP = 2
_STEM = 5  # content words are compared on their first five letters: "facturé" meets "facture"
_SENTENCE_END = re.compile(r"[.!?\n]")
SENTENCE_CHARACTERS = ".!?"  # a punctuation key made of these ends a sentence of the turn's keys
MAX_NGRAM = 3
SHARED_SENTENCES = 3  # a restatement comes early: the first three sentences are compared with the customer's
# A turn shorter than each of these many words says so ("words:<15"): the shorter the turn, the fewer
# behaviours it holds, which its n-grams alone cannot tell the model.
LENGTH_BOUNDS = (8, 15, 25, 40, 70)
# A turn holding at least each of these many acronyms says so ("acronyms>=2"): a trade's own acronyms
# are jargon the model has never read as n-grams ("FTTN", "RGE"), but they look alike.
ACRONYM_COUNTS = (1, 2, 3)
BEHAVIOUR_MODEL = "behaviours.npz"
# A customer's turn is compared with every agent turn after it: its content words are kept for this many
# (text, language) pairs rather than read again each time.
REMEMBERED_TEXTS = 4096


def _contradicts(restated: frozenset[str], said: frozenset[str]) -> bool:
    """Whether a restatement gives a figure (a date, an amount, a number) the customer did not, when the
    customer gave figures: "you called on the 10th" for "I called on the 12th" restates the wrong facts."""
    theirs = {word for word in said if word.isdigit()}
    return bool(theirs) and any(word.isdigit() and word not in theirs for word in restated)


def turn_ngrams(keys: Sequence[str]) -> list[tuple[str, int, int]]:
    """The n-grams (1 to 3 keys) of an agent's turn with their key positions: what the model weighs.

    An n-gram never spans a clause boundary (punctuation keys), which stand as n-grams of their own
    ("?" says a request as much as a word does).
    """
    count = len(keys)
    boundary = [not key[:1].isalnum() for key in keys]
    grams: list[tuple[str, int, int]] = []
    for start in range(count):
        key = keys[start]
        grams.append((key, start, start))
        if boundary[start]:
            continue
        gram = key
        for end in range(start + 1, min(start + MAX_NGRAM, count)):
            if boundary[end]:
                break
            gram = f"{gram} {keys[end]}"
            grams.append((gram, start, end))
    return grams


def placed_grams(keys: Sequence[str], grams: Sequence[tuple[str, int, int]]) -> set[str]:
    """Where in the turn its n-grams stand, as features of their own: what opens it (``first:``, words
    and word pairs of the first sentence: acknowledgement and reformulation come first), what asks
    (``asks:``, words of a sentence that ends with "?": a restatement checked as a question, a closing
    offer), and what ends it (``last:``, words of the last sentence when there are several: a closing
    follow-up, a next step). Sentences end at "." "!" "?" keys."""
    sentence = [0] * len(keys)
    asking: set[int] = set()
    number = 0
    closed = False  # whether the key just read ended a sentence: after the loop, whether the turn's last did
    for index, key in enumerate(keys):
        sentence[index] = number
        closed = bool(key) and not key.strip(SENTENCE_CHARACTERS)
        if closed:
            if "?" in key:
                asking.add(number)
            number += 1
    last = number - 1 if closed else number
    placed: set[str] = set()
    for gram, start, end in grams:
        at = sentence[start]
        if at == 0 and end - start <= 1:  # a word or a pair of words (a key holds no space)
            placed.add("first:" + gram)
        if start == end:
            if at in asking:
                placed.add("asks:" + gram)
            if at == last and last > 0:
                placed.add("last:" + gram)
    return placed


def word_count(keys: Sequence[str]) -> int:
    """How many words a turn holds: keys that start with a letter or a digit, and numbers."""
    return sum(1 for key in keys if key[:1].isalnum() or key == NUMBER_KEY)


def length_features(keys: Sequence[str]) -> set[str]:
    """How long the turn is, in words (``word_count``), as one feature per bound of ``LENGTH_BOUNDS``
    it stays under: a 12-word turn is ``words:<15``, ``words:<25``…"""
    words = word_count(keys)
    return {f"words:<{bound}" for bound in LENGTH_BOUNDS if words < bound}


def is_acronym(word: str) -> bool:
    """A word of letters and digits with two capitals or more: "SLA", "KYC", "FTTN", "RGE", "PDFs"."""
    return len(word) >= 2 and word.isalnum() and sum(1 for c in word if c.isupper()) >= 2


def acronym_grams(
    tokens: Sequence[Token], keys: Sequence[str], owner: Sequence[int]
) -> list[tuple[str, int, int]]:
    """The turn's acronyms as features at their keys: ``acronyms>=1`` at each, ``acronyms>=2`` at the
    second and ``acronyms>=3`` at the third, so the model weighs how many there are and its cues point
    at them. A turn mostly in capitals has none: it shouts, it is not jargon."""
    at = [
        index
        for index, key in enumerate(keys)
        if (index == 0 or owner[index] != owner[index - 1]) and is_acronym(tokens[owner[index]].text)
    ]
    if 2 * len(at) > word_count(keys):
        return []
    grams = [("acronyms>=1", index, index) for index in at]
    grams += [
        (f"acronyms>={count}", at[count - 1], at[count - 1])
        for count in ACRONYM_COUNTS[1:]
        if count <= len(at)
    ]
    return grams


@dataclass(frozen=True, slots=True)
class BehaviourModel:
    """Per behaviour, a logistic layer over a turn's features (``TurnFeatures.names``): its n-grams
    and where they stand, its length, how many acronyms it holds, the phrase banks' matches, and what
    it shares with the customer's last words.

    Trained by ``ressenti.training.behaviours`` on the agent turns we wrote (data/agent_behaviours,
    development files only). A behaviour is found when its phrases match or when the model is sure
    enough (``thresholds``); the n-grams that weighed most for it are its cues. For the behaviours in
    ``alone`` the model decides by itself: a phrase match is one of its features (and gives the cues)
    but does not count without it, which training chose where that reads the development sets better.
    """

    vocabulary: dict[str, int]
    weights: NDArray[np.float32]  # (n-grams + pattern indicators) × behaviours
    bias: NDArray[np.float32]
    thresholds: NDArray[np.float32]
    meta: dict[str, object]
    alone: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> BehaviourModel | None:
        """The shipped model, or None when there is none (the phrase banks then decide alone)."""
        file = resources.files("ressenti") / "models" / BEHAVIOUR_MODEL
        if not file.is_file():
            return None
        with file.open("rb") as handle, np.load(handle) as archive:
            names = str(archive["vocabulary"]).split("\n")
            return cls(
                vocabulary={name: index for index, name in enumerate(names)},
                weights=archive["weights"].astype(np.float32),
                bias=archive["bias"].astype(np.float32),
                thresholds=archive["thresholds"].astype(np.float32),
                meta=json.loads(str(archive["meta"])),
                alone=frozenset(str(archive["alone"]).split()) if "alone" in archive else frozenset(),
            )

    def scores(self, features: Iterable[str]) -> NDArray[np.float64]:
        """The probability of each behaviour (in ``BEHAVIOURS`` order) for one turn's features."""
        found = map(self.vocabulary.get, features)
        rows = {row for row in found if row is not None}
        logits = self.bias.astype(np.float64)
        if rows:
            logits = logits + self.weights[sorted(rows)].sum(axis=0)
        result: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
        return result


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where in the agent's turn a behaviour shows."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Behaviour:
    """A behaviour found in an agent's turn, with the words that show it."""

    name: str
    cues: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "cues": [cue.to_dict() for cue in self.cues]}


@dataclass(frozen=True, slots=True)
class CustomerContext:
    """What the customer said before an agent's turn, as far as behaviours need it.

    ``words`` are the stems of the customer's content words; given ``texts`` instead (the customer's
    turns so far, the last one last), they are worked out when needed.
    """

    words: frozenset[str] = frozenset()
    churn_threat: bool = False  # the customer threatened to leave earlier in the conversation
    texts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TurnFeatures:
    """An agent's turn as the detector reads it: keys, phrase-bank matches and the model's features."""

    lang: str
    tokens: list[Token]
    keys: list[str]
    owner: list[int]
    found: dict[str, list[tuple[int, int]]]  # phrase-bank matches (key ranges), exceptions removed
    grams: list[tuple[str, int, int]]  # the n-grams with their key ranges (``turn_ngrams``)
    # n-grams, placed n-grams ("first:…"), "words:<n", "acronyms>=n", "pattern:<behaviour>", "shares:…",
    # "context:churn_threat"
    names: frozenset[str]
    restating: tuple[int, int] | None  # the key range of the first sentence that restates the customer


class BehaviourDetector:
    """Finds behaviours in agents' turns with each language's ``behaviours.tsv``."""

    def __init__(self, rules: Rules, model: BehaviourModel | None = None, *, use_model: bool = True) -> None:
        self.rules = rules
        self.model = (model or BehaviourModel.load()) if use_model else None
        self.tables: dict[str, SignalTable] = {}
        for code in rules.languages:
            file = resources.files("ressenti") / "lang" / code / "behaviours.tsv"
            if file.is_file():
                self.tables[code] = load_patterns(file, BEHAVIOUR_NAMES, rules.tokenizer, what="behaviour")
        self._remembered_words = lru_cache(maxsize=REMEMBERED_TEXTS)(self._read_content_words)

    def content_words(self, text: str, lang: str | None = None) -> frozenset[str]:
        """The stems of a text's content words (no function words), for comparing what two people said."""
        return self._remembered_words(text, lang)

    def _read_content_words(self, text: str, lang: str | None) -> frozenset[str]:
        code, tokens, _, _ = self.rules.keys(text, lang)
        return self._content(tokens, code)

    def _content(self, tokens: Sequence[Token], lang: str) -> frozenset[str]:
        stopwords = self.rules.languages[lang].stopwords
        found: set[str] = set()
        for token in tokens:
            # "10th", « 3e », "45" are figures; a word of letters only has no digit to look for.
            figure = "" if token.text.isalpha() else "".join(c for c in token.text if c.isdigit())
            if figure:
                found.add(figure)
            elif token.kind == "word" and token.letters >= 3 and token.key not in stopwords:
                found.add(token.key[:_STEM])
        return frozenset(found)

    def features(
        self, text: str, lang: str | None = None, context: CustomerContext | None = None
    ) -> TurnFeatures:
        """Everything the behaviours of one agent turn are decided on (the model is trained on the same)."""
        context = context or CustomerContext()
        code, tokens, keys, owner = self.rules.keys(text, lang)
        table = self.tables.get(code)
        found = table.find(keys) if table is not None else {}
        grams = turn_ngrams(keys)
        names = {gram for gram, _, _ in grams}
        names |= placed_grams(keys, grams)
        names |= length_features(keys)
        acronyms = acronym_grams(tokens, keys, owner)
        names |= {gram for gram, _, _ in acronyms}
        grams.extend(acronyms)  # an acronym can be a cue of its own
        names |= {f"pattern:{name}" for name in found}
        restating = None
        said = self._latest_words(context, code)
        if said:
            shares, restating = self._shares(text, tokens, owner, code, said)
            names |= shares
        if context.churn_threat:
            names.add("context:churn_threat")
        return TurnFeatures(code, tokens, keys, owner, found, grams, frozenset(names), restating)

    def detect(
        self, text: str, lang: str | None = None, context: CustomerContext | None = None
    ) -> list[Behaviour]:
        """The behaviours of one agent turn, in the order of ``BEHAVIOURS``."""
        context = context or CustomerContext()
        return self.decide(text, self.features(text, lang, context), context)

    def decide(self, text: str, turn: TurnFeatures, context: CustomerContext) -> list[Behaviour]:
        """The behaviours of an agent turn already read by ``features`` (training reads it once for both)."""
        if turn.lang not in self.tables:
            return []
        found = dict(turn.found)
        by_model: set[str] = set()
        if self.model is not None:
            probabilities = self.model.scores(turn.names)
            for column, name in enumerate(BEHAVIOURS):
                sure = bool(probabilities[column] >= self.model.thresholds[column])
                if name in found:
                    if name in self.model.alone and not sure:
                        del found[name]
                elif sure and self.model_may_find(name, turn, context):
                    # A reformulation read without a marker points at the sentence that restates.
                    restating = [turn.restating] if name == "reformulation" and turn.restating else []
                    found[name] = restating or self._strongest(turn.grams, column)
                    by_model.add(name)
        out: list[Behaviour] = []
        for name in BEHAVIOURS:
            ranges = found.get(name)
            if not ranges:
                continue
            if name == "churn_response" and not context.churn_threat:
                continue
            if name == "reformulation" and name not in by_model:
                ranges = [
                    r for r in ranges if self._restates(text, turn.tokens, turn.owner, r, turn.lang, context)
                ]
                if not ranges:
                    continue
            out.append(Behaviour(name, self._evidence(text, turn.tokens, turn.owner, ranges)))
        return out

    @staticmethod
    def model_may_find(name: str, turn: TurnFeatures, context: CustomerContext) -> bool:
        """Whether the model may find a behaviour no phrase showed: a reformulation needs a sentence that
        restates the customer's last words, a churn response a threat to answer."""
        if name == "reformulation":
            return turn.restating is not None
        if name == "churn_response":
            return context.churn_threat
        return True

    def _latest_words(self, context: CustomerContext, lang: str) -> frozenset[str]:
        """The customer's last turn, as content-word stems (or ``words`` when no text is given)."""
        if context.texts:
            return self.content_words(context.texts[-1], lang)
        return context.words

    def _shares(
        self, text: str, tokens: Sequence[Token], owner: Sequence[int], lang: str, said: frozenset[str]
    ) -> tuple[set[str], tuple[int, int] | None]:
        """What the first sentences of an agent's turn share with the customer's words.

        Features for the model (a restatement shares content words, often in the first sentence, often
        as a question; one that gives other figures than the customer's is a conflict), and the key range
        of the first sentence that shares at least two without a conflict: where a reformulation shows.
        Key ranges are in the turn's keys, as the phrase banks' matches are.
        """
        names: set[str] = set()
        restating: tuple[int, int] | None = None
        start = 0
        ends = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
        for number, end in enumerate(ends[:SHARED_SENTENCES]):
            inside = [i for i, t in enumerate(tokens) if start <= t.start < end]
            start = end
            if not inside:
                continue
            words = self._content([tokens[i] for i in inside], lang)
            shared = len(words & said)
            if shared < REFORMULATION_OVERLAP:
                continue
            if _contradicts(words, said):
                names.add("shares:conflict")
                continue
            names.add("shares:2")
            if shared >= REFORMULATION_OVERLAP + 1:
                names.add("shares:3")
            if number == 0:
                names.add("shares:first")
            if text[:end].rstrip().endswith("?"):
                names.add("shares:question")
            if shared >= 0.5 * len(words):
                names.add("shares:half")
            if restating is None:
                held = [k for k, t in enumerate(owner) if inside[0] <= t <= inside[-1]]
                restating = (held[0], held[-1]) if held else None
        return names, restating

    def _strongest(self, grams: Sequence[tuple[str, int, int]], column: int) -> list[tuple[int, int]]:
        """The key ranges of the n-grams that pushed a behaviour most: the model's cues (up to two)."""
        assert self.model is not None
        weighed = [
            (float(self.model.weights[self.model.vocabulary[g], column]), first, last)
            for g, first, last in grams
            if g in self.model.vocabulary
        ]
        best = sorted((w for w in weighed if w[0] > 0), reverse=True)[:2]
        return [(first, last) for _, first, last in best] or [(0, 0)]

    def _restates(
        self,
        text: str,
        tokens: Sequence[Token],
        owner: Sequence[int],
        key_range: tuple[int, int],
        lang: str,
        context: CustomerContext,
    ) -> bool:
        """Whether the sentence around a reformulation marker restates the customer's own words."""
        words = context.words | frozenset().union(*(self.content_words(t, lang) for t in context.texts))
        if not words:
            return False
        first, last = owner[key_range[0]], owner[key_range[1]]
        marker = {tokens[i].key[:_STEM] for i in range(first, last + 1)}
        # The restatement is the marker's sentence ("Si je comprends bien, votre colis…", "… c'est bien
        # ça ?"), or the next one too when the marker stands alone ("Je résume. Votre box…").
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, tokens[first].start)), default=0)
        said: frozenset[str] = frozenset()
        end = tokens[last].end
        for _ in range(2):
            following = _SENTENCE_END.search(text, end)
            end = following.end() if following else len(text)
            said = self._content([t for t in tokens if start <= t.start < end], lang) - marker
            if len(said) >= REFORMULATION_OVERLAP or end >= len(text):
                break
        shared = said & words
        if _contradicts(said, words):
            return False
        return len(shared) >= REFORMULATION_OVERLAP or (bool(said) and len(shared) >= 0.5 * len(said))

    @staticmethod
    def _evidence(
        text: str, tokens: Sequence[Token], owner: Sequence[int], ranges: Iterable[tuple[int, int]]
    ) -> tuple[Evidence, ...]:
        merged: list[list[int]] = []
        for first, last in sorted((owner[a], owner[b]) for a, b in ranges):
            if merged and first <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return tuple(
            Evidence(tokens[a].start, tokens[b].end, text[tokens[a].start : tokens[b].end]) for a, b in merged
        )


def sentences(text: str) -> Iterator[str]:
    """The sentences of a text, in order, stripped: each ends at `.`, `!`, `?` or a line break."""
    begin = 0
    for end in _SENTENCE_END.finditer(text):
        yield text[begin : end.end()].strip()
        begin = end.end()
    yield text[begin:].strip()


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of a text that holds ``[start, end)``: what a report quotes."""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    return text[begin : after.end() if after else len(text)].strip()
