"""What agents write: the behaviours of docs/agent-behaviours.md, found by phrase banks with their cues.

Only the words of an agent's turn are read, never the agent's emotions (PRODUCT.md §2). Two behaviours
also need the conversation: a ``reformulation`` marker counts only when what follows it restates what
the customer actually said, and a ``churn_response`` only after the customer threatened to leave.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from ressenti.analysis.langdata import SignalTable, load_patterns
from ressenti.analysis.rules import Rules
from ressenti.analysis.text import Token

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
EMOTIONAL_LEVEL = frozenset({"acknowledgement", "reformulation", "empathy", "apology", "nvc_feeling"})
RATIONAL_LEVEL = frozenset({"explanation", "solution"})
TO_IMPROVE = frozenset({"defensive", "minimising", "jargon", "scripted"})
# A restatement shares this many content words with the customer's words (or half of its own).
REFORMULATION_OVERLAP = 2
_STEM = 5  # content words are compared on their first five letters: "facturé" meets "facture"
_SENTENCE_END = re.compile(r"[.!?\n]")


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

    ``words`` are the stems of the customer's content words; given ``texts`` instead, they are
    worked out only when a reformulation marker needs them (most turns have none).
    """

    words: frozenset[str] = frozenset()
    churn_threat: bool = False  # the customer threatened to leave earlier in the conversation
    texts: tuple[str, ...] = ()


class BehaviourDetector:
    """Finds behaviours in agents' turns with each language's ``behaviours.tsv``."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.tables: dict[str, SignalTable] = {}
        labels = frozenset(BEHAVIOURS)
        for code in rules.languages:
            file = resources.files("ressenti") / "lang" / code / "behaviours.tsv"
            if file.is_file():
                self.tables[code] = load_patterns(file, labels, rules.tokenizer, what="behaviour")

    def content_words(self, text: str, lang: str | None = None) -> frozenset[str]:
        """The stems of a text's content words (no function words), for comparing what two people said."""
        code, tokens, _, _ = self.rules.keys(text, lang)
        return self._content(tokens, code)

    def _content(self, tokens: Sequence[Token], lang: str) -> frozenset[str]:
        stopwords = self.rules.languages[lang].stopwords
        found: set[str] = set()
        for token in tokens:
            if token.kind == "number":
                found.add(token.text)
            elif token.kind == "word" and token.letters >= 3 and token.key not in stopwords:
                found.add(token.key[:_STEM])
        return frozenset(found)

    def detect(
        self, text: str, lang: str | None = None, context: CustomerContext | None = None
    ) -> list[Behaviour]:
        """The behaviours of one agent turn, in the order of ``BEHAVIOURS``."""
        context = context or CustomerContext()
        code, tokens, keys, owner = self.rules.keys(text, lang)
        table = self.tables.get(code)
        if table is None:
            return []
        found = table.find(keys)
        out: list[Behaviour] = []
        for name in BEHAVIOURS:
            ranges = found.get(name)
            if not ranges:
                continue
            if name == "churn_response" and not context.churn_threat:
                continue
            if name == "reformulation":
                ranges = [r for r in ranges if self._restates(text, tokens, owner, r, code, context)]
                if not ranges:
                    continue
            out.append(Behaviour(name, self._evidence(text, tokens, owner, ranges)))
        return out

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


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of a text that holds ``[start, end)``: what a report quotes."""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    return text[begin : after.end() if after else len(text)].strip()
