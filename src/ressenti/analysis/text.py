"""Tokenizing and normalising text: one pipeline for messages and for language data alike.

A token keeps its span in the original text, so every cue can point at what the person wrote.
Keys are lower-case, accent-free and apostrophe-unified, so "Déçu", "decu" and "DÉÇU" meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

TokenKind = Literal["word", "number", "emoji", "emoticon", "punct", "url", "mention"]

# French elided words: "j'ai" is read as "j" + "ai"; English clitics ("don't", "i'm") stay whole.
FRENCH_ELISIONS = frozenset(
    {"c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"}
)

_EMOJI_BASE = (
    "[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf\u2934\u2935"
    "\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff]"
)
_SKIN_TONE = "[\U0001f3fb-\U0001f3ff]"
_EMOJI = (
    f"(?:[0-9#*]\ufe0f?\u20e3|{_EMOJI_BASE}{_SKIN_TONE}?\ufe0f?(?:\u200d{_EMOJI_BASE}{_SKIN_TONE}?\ufe0f?)*)"
)
SKIN_TONES = re.compile(_SKIN_TONE)
WORD_CACHE = 100_000  # distinct written words whose facts the tokenizer keeps
NUMBER_KEY = "<num>"  # every number has this key: "3 semaines" and "12 semaines" read alike
# Punctuation that ends a clause: kept as a key of its own, and usable in patterns ("je pars .").
CLAUSE_PUNCTUATION = frozenset(".,;:!?…")
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
_APOSTROPHES = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "ʼ": "'", "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
)


@dataclass(slots=True, init=False)
class Token:
    """A piece of the text with its span and its normalised key.

    Its ``__init__`` is written out: compiled by mypyc it is several times faster than the one
    ``dataclasses`` generates, and a message has dozens of tokens.
    """

    start: int
    end: int
    text: str
    key: str
    kind: TokenKind
    caps: bool
    elongated: bool
    hashtag: bool
    letters: int

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        key: str,
        kind: TokenKind,
        *,
        caps: bool = False,
        elongated: bool = False,
        hashtag: bool = False,
        letters: int = 0,
    ) -> None:
        self.start, self.end, self.text, self.key, self.kind = start, end, text, key, kind
        self.caps, self.elongated, self.hashtag, self.letters = caps, elongated, hashtag, letters


def strip_accents(text: str) -> str:
    """Remove diacritics: "déçu" → "decu"."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def normalize_key(word: str) -> str:
    """The matching key of a word: lower-case, no accents, ligatures unfolded, one kind of apostrophe."""
    return strip_accents(word.translate(_APOSTROPHES).lower())


def _word_facts(written: str) -> tuple[str, int, bool, bool]:
    """(key, letters, in capitals, elongated) of a written word."""
    key = normalize_key(written).rstrip("'")
    letters = sum(ch.isalpha() for ch in written)
    return key, letters, letters >= 2 and written.isupper(), _ELONGATION.search(key) is not None


def elongation_variants(key: str) -> tuple[str, ...]:
    """Keys to try for an elongated word: "trooop" → ("troop", "trop")."""
    if not _ELONGATION.search(key):
        return ()
    return (_ELONGATION.sub(r"\1\1", key), _ELONGATION.sub(r"\1", key))


def emoji_base(sequence: str) -> str:
    """An emoji without skin tone and variation selector, for lexicon lookup."""
    return SKIN_TONES.sub("", sequence).replace("\ufe0f", "")


class Tokenizer:
    """Splits a text into tokens: words, numbers, emoji, emoticons, punctuation runs, URLs, mentions."""

    def __init__(self, emoticons: Iterable[str] = ()) -> None:
        alternatives = sorted(set(emoticons), key=len, reverse=True)
        # An emoticon may repeat its last character (":(((", "xDDD"); it must stand apart from words.
        emoticon = "|".join(re.escape(e[:-1]) + re.escape(e[-1]) + "+" for e in alternatives if e)
        parts = [
            r"(?P<url>https?://\S+|www\.\S+)",
            r"(?P<mention>@\w+)",
        ]
        if emoticon:
            # Most positions cannot start an emoticon: the lookahead on its first characters spares
            # the long alternation everywhere else (it was a third of the tokenizer's time).
            starts = "".join(sorted({re.escape(e[0]) for e in alternatives if e}))
            parts.append(rf"(?P<emoticon>(?=[{starts}])(?<![\w:;=])(?:{emoticon})(?![\w]))")
        parts += [
            rf"(?P<emoji>{_EMOJI})",
            r"(?P<hashtag>#[^\W_][\w']*)",
            r"(?P<word>[^\W_]+(?:['’`ʼ][^\W_]+)*['’`ʼ]?)",
            r"(?P<punct>[!?]+|\.{2,}|…|[^\w\s])",
        ]
        self._pattern = re.compile("|".join(parts))
        self._emoticons = frozenset(alternatives)
        # Words repeat a lot: their facts are cached (a plain dict, emptied when it grows too big).
        self._words: dict[str, tuple[str, int, bool, bool]] = {}

    def emoticon_key(self, written: str) -> str:
        """The listed emoticon a written one stands for (":(((" → ":(")."""
        key = written
        while key not in self._emoticons and len(key) > 1 and key[-1] == key[-2]:
            key = key[:-1]
        return key

    def tokenize(self, text: str) -> list[Token]:
        """The tokens of a text, in order, with their spans."""
        tokens: list[Token] = []
        append = tokens.append
        for match in self._pattern.finditer(text):
            kind = match.lastgroup
            start, end = match.span()
            written = match.group()
            if kind == "word":
                self._add_word(tokens, written, start, hashtag=False)
            elif kind == "hashtag":
                self._add_word(tokens, written[1:], start + 1, hashtag=True)
            elif kind == "emoji":
                append(Token(start, end, written, emoji_base(written), "emoji"))
            elif kind == "emoticon":
                append(Token(start, end, written, self.emoticon_key(written), "emoticon"))
            elif kind == "punct":
                append(Token(start, end, written, written.replace("…", "..."), "punct"))
            elif kind == "url":
                append(Token(start, end, written, "<url>", "url"))
            else:
                append(Token(start, end, written, "@user", "mention"))
        return tokens

    def _add_word(self, tokens: list[Token], written: str, start: int, *, hashtag: bool) -> None:
        facts = self._words.get(written)
        if facts is None:
            if len(self._words) >= WORD_CACHE:
                self._words.clear()
            facts = self._words[written] = _word_facts(written)
        key, letters, caps, elongated = facts
        if "'" in key:
            head, _, rest = key.partition("'")
            if head in FRENCH_ELISIONS and rest:
                cut = len(head) + 1
                tokens.append(Token(start, start + cut, written[:cut], head, "word"))
                self._add_word(tokens, written[cut:], start + cut, hashtag=hashtag)
                return
        if key.isdigit():
            tokens.append(Token(start, start + len(written), written, NUMBER_KEY, "number"))
            return
        tokens.append(
            Token(
                start,
                start + len(written),
                written,
                key,
                "word",
                caps=caps,
                elongated=elongated,
                hashtag=hashtag,
                letters=letters,
            )
        )


def term_keys(tokenizer: Tokenizer, term: str) -> tuple[str, ...]:
    """The key sequence of a term from a language data file, normalised like a message."""
    return tuple(token.key for token in tokenizer.tokenize(term) if token.kind != "punct")
