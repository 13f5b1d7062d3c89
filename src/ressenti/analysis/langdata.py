"""Loading a language's data folder (``lang/<code>/``) into lookup tables the rules use.

The formats are described in ``docs/language-data.md``. A malformed line raises
``LanguageDataError`` naming the file and the line, so a broken edit is caught by the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from typing import Any, Generic, Literal, TypeVar

from ressenti.analysis.schemas import EMOTION_LABELS, MOTIVE_LABELS, SIGNAL_NAMES
from ressenti.analysis.text import CLAUSE_PUNCTUATION, NUMBER_KEY, Tokenizer, normalize_key, term_keys
from ressenti.errors import LanguageDataError

# The public signals, plus "sarcasm": markers the rules use to read irony, never a signal of their own.
SIGNAL_PATTERN_NAMES = frozenset({*SIGNAL_NAMES, "sarcasm"})
# "not:apology<TAB>sorry for your loss", "not:churn_threat<TAB>to your … isa": in any pattern file, where
# an exception matches, the matches of its label that overlap it do not count.
EXCEPT = "not:"
_EMOTIONS = frozenset(EMOTION_LABELS) - {"neutral"}
V = TypeVar("V")
GAP_WORDS = 3  # "…" in a pattern: up to three words of anything
PREFIX_INDEX = 3  # prefixes are indexed by up to their first three letters
ModifierKind = Literal["negator", "intensifier", "attenuator", "contrast"]


@dataclass(frozen=True, slots=True)
class LexicalEntry:
    """What a word or phrase carries: valence on -4..4 and emotion weights on 0..1."""

    valence: float
    emotions: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Modifier:
    """A word that changes the words around it."""

    kind: ModifierKind
    factor: float


@dataclass(frozen=True, slots=True)
class Step:
    """One word of a signal pattern: exact key sequences, prefixes (``rembours*``), or a gap (``…``)."""

    exact: tuple[tuple[str, ...], ...] = ()
    prefixes: tuple[tuple[str, ...], ...] = ()
    gap: bool = False
    words: frozenset[str] = field(init=False)  # the one-word alternatives, for a set lookup
    phrases: tuple[tuple[str, ...], ...] = field(init=False)
    by_first: dict[str, tuple[tuple[str, ...], ...]] = field(init=False)  # phrases by their first word

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", frozenset(seq[0] for seq in self.exact if len(seq) == 1))
        object.__setattr__(self, "phrases", tuple(seq for seq in self.exact if len(seq) > 1))
        grouped: dict[str, list[tuple[str, ...]]] = {}
        for sequence in self.phrases:
            grouped.setdefault(sequence[0], []).append(sequence)
        object.__setattr__(self, "by_first", {first: tuple(seqs) for first, seqs in grouped.items()})

    def ends(self, keys: list[str], start: int) -> Iterator[int]:
        """Where the pattern goes on after a prefix of this step matched at ``start``.

        (Words, phrases and gaps are walked by ``SignalPattern.match`` itself.)
        """
        if start >= len(keys):
            return
        for sequence in self.prefixes:
            end = start + len(sequence)
            if (
                end <= len(keys)
                and tuple(keys[start : end - 1]) == sequence[:-1]
                and keys[end - 1].startswith(sequence[-1])
            ):
                yield end


@dataclass(frozen=True, slots=True)
class SignalPattern:
    """One pattern of a signal, as steps."""

    signal: str
    steps: tuple[Step, ...]
    # Most patterns are one word per step ("changer d'opérateur|fournisseur"): a plain walk matches them.
    words_only: bool = field(init=False)
    # The word sets of the steps that are only single words (after the first): a message without a
    # word of each cannot match, which a set lookup tells before any walk.
    required: tuple[frozenset[str], ...] = field(init=False)

    def __post_init__(self) -> None:
        plain = all(not step.gap and not step.prefixes and not step.phrases for step in self.steps)
        object.__setattr__(self, "words_only", plain)
        needed = tuple(
            step.words
            for step in self.steps[1:]
            if not step.gap and not step.prefixes and not step.phrases and step.words
        )
        object.__setattr__(self, "required", needed)

    def possible(self, present: frozenset[str]) -> bool:
        """Whether a message with these keys has a word for every plain step of the pattern."""
        return all(not words.isdisjoint(present) for words in self.required)

    def match(self, keys: list[str], start: int) -> int | None:
        """The end of a match starting at ``start`` (the shortest), or None.

        Every alternative of every step is followed: "bras|bras cassés" must try both.
        """
        if self.words_only:
            end = start + len(self.steps)
            if end > len(keys):
                return None
            for offset, step in enumerate(self.steps):
                if keys[start + offset] not in step.words:
                    return None
            return end
        count = len(keys)
        positions = [start]
        for step in self.steps:
            following: list[int] = []
            if step.gap:
                for position in positions:
                    following.extend(range(position, min(position + GAP_WORDS, count) + 1))
            else:
                for position in positions:
                    if position >= count:
                        continue
                    key = keys[position]
                    if key in step.words:
                        following.append(position + 1)
                    for sequence in step.by_first.get(key, ()):
                        end = position + len(sequence)
                        if end <= count and all(
                            keys[position + offset] == sequence[offset] for offset in range(1, len(sequence))
                        ):
                            following.append(end)
                    if step.prefixes:
                        following.extend(step.ends(keys, position))
            if not following:
                return None
            positions = sorted(set(following)) if len(following) > 1 else following
        return positions[0]


@dataclass(slots=True)
class SignalTable:
    """All patterns of a language, indexed so that a word tries only the patterns that can start there.

    A pattern whose first two steps are plain words is found by that pair of words; others by their
    first word, or the first letters of a prefix (``rembours*``).
    """

    by_pair: dict[tuple[str, str], list[SignalPattern]] = field(default_factory=dict)
    by_key: dict[str, list[SignalPattern]] = field(default_factory=dict)
    by_prefix: dict[str, list[SignalPattern]] = field(default_factory=dict)
    signals: set[str] = field(default_factory=set)  # the labels its patterns find (exceptions aside)
    firsts: set[str] = field(default_factory=set)  # words that start a pair- or word-indexed pattern
    prefix_initials: set[str] = field(default_factory=set)  # first letters of prefix-indexed ones
    exceptions: bool = False  # whether an exception ("not:…") is among the patterns

    def add(self, pattern: SignalPattern) -> None:
        if pattern.signal.startswith(EXCEPT):
            self.exceptions = True
        else:
            self.signals.add(pattern.signal)
        first = pattern.steps[0]
        second = pattern.steps[1] if len(pattern.steps) > 1 else None
        pairs_ok = second is not None and not second.gap and not second.prefixes and second.exact
        for sequence in first.exact:
            self.firsts.add(sequence[0])
            if len(sequence) > 1:
                self._put(self.by_pair, (sequence[0], sequence[1]), pattern)
            elif pairs_ok and second is not None:
                for following in second.exact:
                    self._put(self.by_pair, (sequence[0], following[0]), pattern)
            else:
                self._put(self.by_key, sequence[0], pattern)
        for sequence in first.prefixes:
            if len(sequence) > 1:
                self.firsts.add(sequence[0])
                self._put(self.by_key, sequence[0], pattern)
            else:
                self.prefix_initials.add(sequence[0][:1])
                self._put(self.by_prefix, sequence[0][:PREFIX_INDEX], pattern)

    @staticmethod
    def _put(index: dict[Any, list[SignalPattern]], key: Any, pattern: SignalPattern) -> None:
        bucket = index.setdefault(key, [])
        if not bucket or bucket[-1] is not pattern:
            bucket.append(pattern)

    def candidates(self, keys: list[str], start: int) -> list[SignalPattern]:
        """The patterns that may start at a position of a message (most positions: none)."""
        key = keys[start]
        found: list[SignalPattern] = []
        if key in self.firsts:
            if start + 1 < len(keys):
                found.extend(self.by_pair.get((key, keys[start + 1]), ()))
            found.extend(self.by_key.get(key, ()))
        if self.by_prefix and key[:1] in self.prefix_initials:
            for length in range(1, min(PREFIX_INDEX, len(key)) + 1):
                found.extend(self.by_prefix.get(key[:length], ()))
        return found

    def find(self, keys: list[str]) -> dict[str, list[tuple[int, int]]]:
        """Every match in a message's keys, by label: ``(first key, last key)`` positions, in order."""
        ranges: dict[str, list[tuple[int, int]]] = {}
        present = frozenset(keys)
        possible: dict[int, bool] = {}  # per pattern, decided once a message
        for start in range(len(keys)):
            for pattern in self.candidates(keys, start):
                ident = id(pattern)
                can = possible.get(ident)
                if can is None:
                    can = possible[ident] = pattern.possible(present)
                if not can:
                    continue
                end = pattern.match(keys, start)
                if end is not None:
                    ranges.setdefault(pattern.signal, []).append((start, end - 1))
        if self.exceptions and any(label.startswith(EXCEPT) for label in ranges):
            return _without_exceptions(ranges)
        return ranges

    def __len__(self) -> int:
        indexes = (self.by_pair, self.by_key, self.by_prefix)
        return len({id(p) for index in indexes for bucket in index.values() for p in bucket})


def _without_exceptions(found: dict[str, list[tuple[int, int]]]) -> dict[str, list[tuple[int, int]]]:
    """The matches of each label that overlap none of its exceptions (``EXCEPT``), exceptions left out."""
    kept: dict[str, list[tuple[int, int]]] = {}
    for name, ranges in found.items():
        if name.startswith(EXCEPT):
            continue
        vetoes = found.get(EXCEPT + name, [])
        left = [(a, b) for a, b in ranges if not any(a <= y and x <= b for x, y in vetoes)]
        if left:
            kept[name] = left
    return kept


class PhraseTable(Generic[V]):
    """Entries keyed by key sequences, found by longest match from a position."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], V] = {}
        self.longest: dict[str, int] = {}

    def add(self, keys: tuple[str, ...], value: V) -> None:
        self.entries[keys] = value
        first = keys[0]
        self.longest[first] = max(self.longest.get(first, 0), len(keys))

    def match(self, keys: list[str], start: int) -> tuple[int, V] | None:
        """The longest entry starting at ``start``: (length, value), or None."""
        longest = self.longest.get(keys[start])
        if longest is None:
            return None
        entries = self.entries
        for length in range(min(longest, len(keys) - start), 0, -1):
            value = entries.get(tuple(keys[start : start + length]))
            if value is not None:
                return length, value
        return None

    def __contains__(self, key: str) -> bool:
        return (key,) in self.entries

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(slots=True)
class LanguageData:
    """Everything the engine knows about one language."""

    code: str
    lexicon: PhraseTable[LexicalEntry]
    modifiers: PhraseTable[Modifier]
    informal: dict[str, tuple[str, ...]]
    signals: SignalTable
    stopwords: frozenset[str]

    def knows(self, key: str) -> bool:
        """Whether a single key is in the lexicon, the modifiers or the informal forms."""
        return key in self.lexicon or key in self.modifiers or key in self.informal


@dataclass(slots=True)
class CommonData:
    """What does not depend on the language: emoji and emoticons."""

    emoji: dict[str, LexicalEntry]
    emoticons: dict[str, LexicalEntry]


def _rows(file: Traversable, columns: int) -> Iterator[tuple[int, list[str]]]:
    """The data rows of a TSV file with their line numbers; comments and blank lines skipped."""
    with file.open("r", encoding="utf-8") as handle:
        lines = handle.readlines()  # small files, read whole: closed before any error is raised
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        while len(cells) > columns and cells[-1] == "":
            cells.pop()
        if len(cells) < columns - 1 or len(cells) > columns:
            raise LanguageDataError(
                f"{file.name}:{number}: expected {columns} tab-separated columns, found {len(cells)}"
            )
        yield number, cells + [""] * (columns - len(cells))


def _entry(file: Traversable, number: int, valence: str, emotions: str) -> LexicalEntry:
    try:
        value = float(valence)
    except ValueError:
        raise LanguageDataError(f"{file.name}:{number}: valence {valence!r} is not a number") from None
    if not -4.0 <= value <= 4.0:
        raise LanguageDataError(f"{file.name}:{number}: valence {value} is outside -4..4")
    weights: list[tuple[str, float]] = []
    for part in emotions.split():
        if part == "-":
            continue
        label, sep, weight = part.partition("=")
        if not sep or label not in _EMOTIONS:
            raise LanguageDataError(
                f"{file.name}:{number}: {part!r} is not label=weight with a known emotion"
            )
        try:
            amount = float(weight)
        except ValueError:
            raise LanguageDataError(f"{file.name}:{number}: weight {weight!r} is not a number") from None
        if not 0.0 <= amount <= 1.0:
            raise LanguageDataError(f"{file.name}:{number}: weight {amount} is outside 0..1")
        weights.append((label, amount))
    return LexicalEntry(value, tuple(weights))


def _keys(tokenizer: Tokenizer, file: Traversable, number: int, term: str) -> tuple[str, ...]:
    keys = term_keys(tokenizer, term)
    if not keys:
        raise LanguageDataError(f"{file.name}:{number}: {term!r} has no word to match")
    return keys


def load_lexicon(folder: Traversable, tokenizer: Tokenizer) -> PhraseTable[LexicalEntry]:
    """The generated base valences, overridden term by term by our own lexicon."""
    table: PhraseTable[LexicalEntry] = PhraseTable()
    for name in ("valence_base.tsv", "lexicon.tsv"):
        file = folder / name
        if not file.is_file():
            continue
        for number, (term, valence, emotions) in _rows(file, 3):
            table.add(_keys(tokenizer, file, number, term), _entry(file, number, valence, emotions or "-"))
    return table


def load_modifiers(folder: Traversable, tokenizer: Tokenizer) -> PhraseTable[Modifier]:
    """Negators, intensifiers, attenuators and contrast words."""
    table: PhraseTable[Modifier] = PhraseTable()
    file = folder / "modifiers.tsv"
    for number, (term, kind, factor) in _rows(file, 3):
        if kind not in ("negator", "intensifier", "attenuator", "contrast"):
            raise LanguageDataError(f"{file.name}:{number}: unknown modifier kind {kind!r}")
        value = 1.0
        if kind == "negator" and factor not in ("", "-"):
            # "pas du tout" negates harder than "pas": a negator may carry a factor >= 1.
            try:
                value = float(factor)
            except ValueError:
                raise LanguageDataError(f"{file.name}:{number}: factor {factor!r} is not a number") from None
        elif kind in ("intensifier", "attenuator"):
            try:
                value = float(factor)
            except ValueError:
                raise LanguageDataError(f"{file.name}:{number}: factor {factor!r} is not a number") from None
            if (kind == "intensifier") != (value > 1.0) or not 0.0 < value <= 3.0:
                side = "above" if kind == "intensifier" else "below"
                raise LanguageDataError(f"{file.name}:{number}: an {kind} needs a factor {side} 1")
        table.add(_keys(tokenizer, file, number, term), Modifier(kind, value))  # type: ignore[arg-type]
    return table


def load_informal(folder: Traversable, tokenizer: Tokenizer) -> dict[str, tuple[str, ...]]:
    """Informal single-word spellings and the standard words they stand for."""
    table: dict[str, tuple[str, ...]] = {}
    file = folder / "informal.tsv"
    for number, (written, standard) in _rows(file, 2):
        keys = _keys(tokenizer, file, number, written)
        if len(keys) != 1:
            # "j'suis" splits into "j" + "suis": both parts are read on their own already.
            continue
        table[keys[0]] = _keys(tokenizer, file, number, standard)
    return table


def parse_pattern(tokenizer: Tokenizer, signal: str, pattern: str) -> SignalPattern:
    """A signal pattern (docs/language-data.md) as steps over a message's keys."""
    steps: list[Step] = []
    for token in pattern.split():
        if token in ("…", "..."):
            if steps:  # a leading gap adds nothing: matching starts anywhere
                steps.append(Step(gap=True))
            continue
        exact: list[tuple[str, ...]] = []
        prefixes: list[tuple[str, ...]] = []
        for alternative in token.split("|"):
            prefix = alternative.endswith("*")
            written = alternative.rstrip("*")
            if written and set(written) <= CLAUSE_PUNCTUATION:
                # "." or "!" ends a clause: it matches that punctuation, however repeated ("!!!").
                prefixes.append((written,))
                continue
            keys = (NUMBER_KEY,) if written == NUMBER_KEY else term_keys(tokenizer, written)
            if not keys:
                raise ValueError(f"{alternative!r} has no word to match")
            (prefixes if prefix else exact).append(keys)
        steps.append(Step(tuple(exact), tuple(prefixes)))
    while steps and steps[-1].gap:
        steps.pop()
    words = [
        step
        for step in steps
        if step.exact or any(not set(p[0]) <= CLAUSE_PUNCTUATION for p in step.prefixes)
    ]
    if not words:
        raise ValueError(f"{pattern!r} has no word to match")
    return SignalPattern(signal, tuple(steps))


def load_patterns(
    file: Traversable,
    labels: frozenset[str],
    tokenizer: Tokenizer,
    table: SignalTable | None = None,
    *,
    what: str = "label",
) -> SignalTable:
    """A ``label<TAB>pattern`` file (signals, motives, agents' behaviours), indexed by first words; a label
    may be an exception to one of ``labels`` (``not:<label>``).

    Given a table, the patterns are added to it: one matching pass then finds every kind of pattern.
    """
    table = SignalTable() if table is None else table
    for number, (label, pattern) in _rows(file, 2):
        if label.removeprefix(EXCEPT) not in labels:
            raise LanguageDataError(f"{file.name}:{number}: unknown {what} {label!r}")
        try:
            table.add(parse_pattern(tokenizer, label, pattern))
        except ValueError as error:
            raise LanguageDataError(f"{file.name}:{number}: {error}") from None
    return table


def load_signals(folder: Traversable, tokenizer: Tokenizer) -> SignalTable:
    """Signal patterns, and the complaint motives' patterns when the language has them (one table)."""
    table = load_patterns(folder / "signals.tsv", SIGNAL_PATTERN_NAMES, tokenizer, what="signal")
    motives = folder / "motives.tsv"
    if motives.is_file():
        load_patterns(motives, frozenset(MOTIVE_LABELS), tokenizer, table, what="motive")
    return table


def load_stopwords(folder: Traversable) -> frozenset[str]:
    """Function words, for telling the language."""
    file = folder / "stopwords.txt"
    with file.open("r", encoding="utf-8") as handle:
        return frozenset(
            normalize_key(line.strip()) for line in handle if line.strip() and not line.startswith("#")
        )


def _lang_root() -> Traversable:
    return resources.files("ressenti") / "lang"


_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{2,8})*")  # "fr", "FR", "fr-FR", "en_GB"


def language_code(tag: str) -> str:
    """The language a tag names, as every reader of ours takes it: "fr", "FR", "fr-FR" and "fr_CA" are
    "fr"; "" when it is not a tag ("french")."""
    match = _LANGUAGE_TAG.fullmatch(tag.strip())
    return match.group(1).lower() if match else ""


@cache
def available_languages() -> tuple[str, ...]:
    """The language folders shipped with the package (read once: every record's ``lang`` is checked
    against them)."""
    return tuple(
        sorted(
            entry.name
            for entry in _lang_root().iterdir()
            if entry.is_dir() and (entry / "lexicon.tsv").is_file()
        )
    )


def load_common(tokenizer: Tokenizer | None = None) -> CommonData:
    """Emoji and emoticons, shared by every language."""
    folder = _lang_root() / "common"
    emoji: dict[str, LexicalEntry] = {}
    file = folder / "emoji.tsv"
    for number, (symbol, valence, emotions) in _rows(file, 3):
        emoji[symbol] = _entry(file, number, valence, emotions or "-")
    emoticons: dict[str, LexicalEntry] = {}
    file = folder / "emoticons.tsv"
    for number, (symbol, valence, emotions) in _rows(file, 3):
        emoticons[symbol] = _entry(file, number, valence, emotions or "-")
    return CommonData(emoji, emoticons)


def load_language(code: str, tokenizer: Tokenizer) -> LanguageData:
    """One language's folder, loaded."""
    folder = _lang_root() / code
    if not (folder / "lexicon.tsv").is_file():
        raise LanguageDataError(f"no language data for {code!r} (looked in lang/{code}/)")
    return LanguageData(
        code=code,
        lexicon=load_lexicon(folder, tokenizer),
        modifiers=load_modifiers(folder, tokenizer),
        informal=load_informal(folder, tokenizer),
        signals=load_signals(folder, tokenizer),
        stopwords=load_stopwords(folder),
    )
