"""Labelled corpora (the files described in ``../shared/data/README.md``) and how their labels map to ours.

Training reads GoEmotions and XED (the only shared files that may train what we ship); evaluation
reads any of them, and our own customer-service corpus (``data/customer_service``, held out as the
in-domain test set). Each row's source is told by its id prefix (``goemotions-``, ``xed-``,
``airline-``, ``umsab-``, ``cs-``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ressenti import jsontext
from ressenti.analysis.langdata import available_languages, language_code
from ressenti.analysis.schemas import MOTIVE_LABELS, SENTIMENT_LABELS
from ressenti.errors import InputError, RecordError
from ressenti.i18n import message, os_reason, unreadable_line

MAY_TRAIN = frozenset({"goemotions", "xed"})

# GoEmotions' 27 emotions → ours. Left out (no customer-service counterpart): curiosity, desire,
# realization, surprise, caring.
GOEMOTIONS_TO_OURS = {
    "anger": "anger",
    "disgust": "anger",
    "annoyance": "frustration",
    "disapproval": "frustration",
    "fear": "anxiety",
    "nervousness": "anxiety",
    "confusion": "confusion",
    "sadness": "sadness",
    "disappointment": "sadness",
    "grief": "sadness",
    "remorse": "sadness",
    "embarrassment": "sadness",
    "joy": "satisfaction",
    "amusement": "satisfaction",
    "excitement": "satisfaction",
    "admiration": "satisfaction",
    "approval": "satisfaction",
    "love": "satisfaction",
    "optimism": "satisfaction",
    "pride": "satisfaction",
    "relief": "satisfaction",
    "gratitude": "gratitude",
    "neutral": "neutral",
}
# XED's Plutchik emotions → ours. Left out: anticipation, surprise.
XED_TO_OURS = {
    "anger": "anger",
    "disgust": "anger",
    "fear": "anxiety",
    "sadness": "sadness",
    "joy": "satisfaction",
    "trust": "satisfaction",
    "neutral": "neutral",
}
# Ours → Ekman/Plutchik, for measuring (data README). Confusion has no counterpart there.
OURS_TO_EKMAN = {
    "anger": "anger",
    "frustration": "anger",
    "anxiety": "fear",
    "sadness": "sadness",
    "satisfaction": "joy",
    "gratitude": "joy",
    "neutral": "neutral",
    "confusion": "other",
}
EKMAN_LABELS = ("anger", "fear", "sadness", "joy", "neutral")
# Every label each corpus may give (a label outside them is a mistake, not an emotion left out):
# GoEmotions' 27 emotions and neutral; XED's eight Plutchik emotions and neutral; GoEmotions' own
# Ekman grouping (six and neutral; disgust and surprise have no counterpart of ours).
GOEMOTIONS_LABELS = tuple(
    sorted({*GOEMOTIONS_TO_OURS, "curiosity", "desire", "realization", "surprise", "caring"})
)
XED_LABELS = tuple(sorted({*XED_TO_OURS, "anticipation", "surprise"}))
GOEMOTIONS_EKMAN_LABELS = (*EKMAN_LABELS, "disgust", "surprise")
_ANY_EMOTION_LABELS = tuple(sorted({*GOEMOTIONS_LABELS, *XED_LABELS}))
SENTIMENT_GROUPS = (*SENTIMENT_LABELS, "ambiguous")
_XED_POSITIVE = frozenset({"joy", "trust"})
_XED_NEGATIVE = frozenset({"anger", "disgust", "fear", "sadness"})


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One labelled row, with labels already in our vocabulary, and where it was read."""

    id: str
    text: str
    lang: str
    source: str
    row: dict[str, Any]
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class BadRow:
    """A line of a labelled file that cannot be used: which file (its name), which line, and why."""

    file: str
    line: int
    reason: str


OnBad = Callable[[BadRow], None]


class BadRowError(RecordError):
    """A ``RecordError`` for a bad line of a labelled file, naming its file and line; ``bad`` says the same
    for a caller that reports it and goes on."""

    def __init__(self, bad: BadRow) -> None:
        super().__init__(f"{bad.file}: {bad.reason}", line=bad.line)
        self.bad = bad


def _refuse(bad: BadRow, on_bad: OnBad | None) -> None:
    """A bad line: given to ``on_bad`` (the reading goes on without it), or raised when there is none."""
    if on_bad is None:
        raise BadRowError(bad)
    on_bad(bad)


def _lang_problem(value: object) -> str | None:
    """Why a row's ``lang`` cannot be read by the engine (None when it can, or when there is none)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return message("field_not_string", field="lang")
    if language_code(value) not in available_languages():
        return message("bad_lang", lang=value)
    return None


def source_of(row_id: str) -> str:
    """The corpus a row comes from, told by its id prefix."""
    return row_id.split("-", 1)[0]


def json_lines(path: Path, on_bad: OnBad | None = None) -> Iterator[tuple[int, Any]]:
    """Each non-blank line of a JSONL file parsed, with its line number, read as every JSONL file is
    (``jsontext.json_lines``). A line that cannot be read is given to ``on_bad`` and passed over, or
    without it raises ``BadRowError`` with its number and why (``i18n.unreadable_line``). A file that
    cannot be opened or read, or is in UTF-16, raises ``InputError`` naming it."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise _cannot_read(path, error) from None
    with handle:
        lines = jsontext.json_lines(handle)
        while True:
            try:
                line = next(lines, None)
            except OSError as error:
                raise _cannot_read(path, error) from None
            except jsontext.Utf16Error:
                raise InputError(message("file_unreadable", path=path, error=message("utf16_file"))) from None
            if line is None:
                return
            if line.error is not None:
                _refuse(BadRow(path.name, line.number, unreadable_line(line.error)), on_bad)
                continue
            yield line.number, line.value


def jsonl_files(path: Path) -> list[Path]:
    """The JSONL files ``path`` names: itself, or the ``*.jsonl`` of a folder in name order. Each is
    opened once here, so that one that cannot be (no permission, a folder named ``x.jsonl``) raises
    ``InputError`` naming it before anything is read."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    for file in files:
        try:
            file.open("rb").close()
        except OSError as error:
            raise _cannot_read(file, error) from None
    return files


def _cannot_read(path: Path, error: OSError) -> InputError:
    """Why a file cannot be read, in the user's language when it is one of the usual reasons."""
    return InputError(message("file_unreadable", path=path, error=os_reason(error)))


def read_agent_turns(
    file: Path, known: frozenset[str] | None = None, on_bad: OnBad | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The labelled agent turns of a JSONL file (``data/agent_behaviours``), with their line numbers: each
    has an ``agent`` text, a ``behaviours`` list (of ``known`` names, when given), and may have a
    ``customer`` text and a ``lang`` the engine reads. A line that is not is given to ``on_bad`` and
    passed over, or without it raises ``BadRowError`` with its number."""
    for number, row in json_lines(file, on_bad):
        problem = _turn_problem(row, known)
        if problem is not None:
            _refuse(BadRow(file.name, number, problem), on_bad)
            continue
        yield number, row


def _turn_problem(row: object, known: frozenset[str] | None) -> str | None:
    if not isinstance(row, dict):
        return message("not_object")
    if not isinstance(row.get("agent"), str):
        return message("no_agent")
    names = row.get("behaviours")
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return message("no_behaviours")
    unknown = sorted(set(names) - known) if known is not None else []
    if unknown:
        return unknown_label("behaviours", unknown[0], sorted(known or ()))
    if row.get("customer") is not None and not isinstance(row["customer"], str):
        return message("field_not_string", field="customer")
    return _lang_problem(row.get("lang"))


def read_corpus(path: Path, on_bad: OnBad | None = None) -> Iterator[LabelledText]:
    """The rows of a labelled JSONL file: each a JSON object with a ``text`` and, when it says one, a
    ``lang`` the engine reads. A line that is not is given to ``on_bad`` and passed over, or without it
    raises ``BadRowError`` with its number."""
    for number, row in json_lines(path, on_bad):
        problem = _row_problem(row)
        if problem is not None:
            _refuse(BadRow(path.name, number, problem), on_bad)
            continue
        row_id = str(row.get("id", f"line-{number}"))
        lang = language_code(str(row.get("lang") or "en"))  # "FR", "fr-FR": "fr", as --lang names it
        yield LabelledText(row_id, row["text"], lang, source_of(row_id), row, path.name, number)


def _row_problem(row: object) -> str | None:
    if not isinstance(row, dict):
        return message("not_object")
    if row.get("text") is None:
        return message("no_text_field")
    if not isinstance(row["text"], str):
        return message("text_not_string")
    return _lang_problem(row.get("lang"))


def unknown_label(field: str, value: str, allowed: Iterable[str]) -> str:
    """Why a label is refused: ``value`` is not one of ``allowed`` for ``field`` (a long one cut)."""
    shown = repr(value) if len(value) <= 40 else repr(value[:40]) + "…"  # a label, not a whole text
    return message("unknown_label", field=field, value=shown, allowed=", ".join(allowed))


def _bad_label(item: LabelledText, reason: str) -> BadRowError:
    return BadRowError(BadRow(item.file, item.line, reason))


def _label(item: LabelledText, field: str, allowed: tuple[str, ...]) -> str | None:
    """The row's ``field``, one of ``allowed``; None when it has none (absent or null)."""
    value = item.row.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad_label(item, message("field_not_string", field=field))
    if value not in allowed:
        raise _bad_label(item, unknown_label(field, value, allowed))
    return value


def _labels(item: LabelledText, field: str, allowed: tuple[str, ...]) -> list[str]:
    """The row's ``field``, a list of ``allowed`` labels; empty when it has none (absent or null)."""
    values = item.row.get(field)
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise _bad_label(item, message("field_not_list", field=field))
    for value in values:
        if value not in allowed:
            raise _bad_label(item, unknown_label(field, value, allowed))
    return values


def _emotion_labels(item: LabelledText) -> tuple[str, ...]:
    """The labels ``emotions`` may hold in the row's corpus (either's, when its id does not tell)."""
    return {"goemotions": GOEMOTIONS_LABELS, "xed": XED_LABELS}.get(item.source, _ANY_EMOTION_LABELS)


def gold_sentiment(item: LabelledText) -> str | None:
    """The row's sentiment in our labels, or None when it has none (or an ambiguous one).

    A label of the wrong type, or one no corpus gives, raises ``BadRowError`` naming the row's line."""
    sentiment = _label(item, "sentiment", SENTIMENT_LABELS)
    if sentiment is not None:
        return sentiment
    groups = [g for g in _labels(item, "sentiment_group", SENTIMENT_GROUPS) if g != "ambiguous"]
    if len(set(groups)) == 1:
        return groups[0]
    if item.source == "xed":
        labels = set(_labels(item, "emotions", XED_LABELS))
        if labels == {"neutral"}:
            return "neutral"
        positive, negative = bool(labels & _XED_POSITIVE), bool(labels & _XED_NEGATIVE)
        if positive != negative:
            return "positive" if positive else "negative"
    return None


def our_emotions(item: LabelledText) -> list[str]:
    """The row's emotions in our taxonomy (for training), most specific first, without repeats."""
    mapping = GOEMOTIONS_TO_OURS if item.source == "goemotions" else XED_TO_OURS
    labels: list[str] = []
    for label in item.row.get("emotions") or []:
        ours = mapping.get(label)
        if ours is not None and ours not in labels:
            labels.append(ours)
    if len(labels) > 1 and "neutral" in labels:
        labels.remove("neutral")
    return labels


def gold_ekman(item: LabelledText) -> set[str]:
    """The row's emotions on the Ekman/Plutchik side of the measuring map.

    A label of the wrong type, or one its corpus does not give, raises ``BadRowError``."""
    ours = _label(item, "emotion", tuple(OURS_TO_EKMAN))
    if ours is not None:  # our corpus: one label in our taxonomy, measured through the same map
        return {OURS_TO_EKMAN[ours]} & set(EKMAN_LABELS)
    if item.row.get("emotions_ekman") is not None:
        labels = _labels(item, "emotions_ekman", GOEMOTIONS_EKMAN_LABELS)
    else:
        labels = _labels(item, "emotions", _emotion_labels(item))
    return {label for label in labels if label in EKMAN_LABELS}


def gold_complaint(item: LabelledText) -> str | None:
    """``complaint`` or ``no_complaint``: the row's ``complaint`` flag when it has one (our corpus), else
    airline-style: a negative message with a complaint reason is a complaint, a positive or neutral one
    is not; None for a negative one without a reason. A field of the wrong type, or an unknown
    sentiment, raises ``BadRowError``."""
    flag = item.row.get("complaint")
    if flag is not None:
        if not isinstance(flag, bool):
            raise _bad_label(item, message("field_not_bool", field="complaint"))
        return "complaint" if flag else "no_complaint"
    sentiment = _label(item, "sentiment", SENTIMENT_LABELS)
    if sentiment in ("positive", "neutral"):
        return "no_complaint"
    reason = item.row.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise _bad_label(item, message("field_not_string", field="reason"))
    if sentiment == "negative" and reason:
        return "complaint"
    return None


# The airline file's complaint reasons in our motive labels (issue "Conversations"); "Bad Flight" and
# "Can't Tell" have no counterpart and are left out, as are reasons given with confidence under 0.7.
AIRLINE_REASON_TO_MOTIVE = {
    "Late Flight": "delay",
    "Cancelled Flight": "cancellation",
    "Lost Luggage": "lost_or_damaged",
    "Damaged Luggage": "lost_or_damaged",
    "Customer Service Issue": "poor_service",
    "Flight Attendant Complaints": "poor_service",
    "Flight Booking Problems": "order_or_booking_problem",
    "longlines": "waiting_time",
}
AIRLINE_REASONS = (*AIRLINE_REASON_TO_MOTIVE, "Bad Flight", "Can't Tell")
AIRLINE_REASON_CONFIDENCE = 0.7
NO_MOTIVE = "none"


def gold_motive(item: LabelledText) -> str | None:
    """The row's motive: ``motive`` (our set; null → ``none``) or the airline ``reason`` mapped; else None.

    A motive or reason of the wrong type or unknown, or a confidence that is not a number from 0 to 1,
    raises ``BadRowError``."""
    row = item.row
    if "motive" in row:
        return _label(item, "motive", (*MOTIVE_LABELS, NO_MOTIVE)) or NO_MOTIVE
    reason = _label(item, "reason", AIRLINE_REASONS)
    confidence = row.get("reason_confidence")
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1
    ):
        raise _bad_label(item, message("not_a_confidence", field="reason_confidence"))
    if reason is None or confidence is None or confidence < AIRLINE_REASON_CONFIDENCE:
        return None
    return AIRLINE_REASON_TO_MOTIVE.get(reason)
