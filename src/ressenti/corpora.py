"""Labelled corpora (the files described in ``../shared/data/README.md``) and how their labels map to ours.

Training reads GoEmotions and XED (the only shared files that may train what we ship); evaluation
reads any of them, and our own customer-service corpus (``data/customer_service``, held out as the
in-domain test set). Each row's source is told by its id prefix (``goemotions-``, ``xed-``,
``airline-``, ``umsab-``, ``cs-``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ressenti import jsontext
from ressenti.errors import RecordError
from ressenti.i18n import UNREADABLE_ERRORS, unreadable_line

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
_XED_POSITIVE = frozenset({"joy", "trust"})
_XED_NEGATIVE = frozenset({"anger", "disgust", "fear", "sadness"})


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One labelled row, with labels already in our vocabulary."""

    id: str
    text: str
    lang: str
    source: str
    row: dict[str, Any]


def source_of(row_id: str) -> str:
    """The corpus a row comes from, told by its id prefix."""
    return row_id.split("-", 1)[0]


def json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """Each non-blank line of a JSONL file parsed, with its line number; a line that is not UTF-8 or
    not JSON raises ``RecordError`` with its number and why (``i18n.unreadable_line``)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                yield (
                    number,
                    jsontext.loads(raw.rstrip(b"\r\n").decode("utf-8-sig" if number == 1 else "utf-8")),
                )
            except UNREADABLE_ERRORS as error:
                raise RecordError(f"{path.name}: {unreadable_line(error)}", line=number) from None


def read_agent_turns(file: Path, known: frozenset[str] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """The labelled agent turns of a JSONL file (``data/agent_behaviours``), with their line numbers: each
    has an ``agent`` text and a ``behaviours`` list (of ``known`` names, when given); a line that is not
    raises ``RecordError`` with its number."""
    for number, row in json_lines(file):
        if not isinstance(row, dict) or not isinstance(row.get("agent"), str):
            raise RecordError(f"{file.name}: no `agent` text", line=number)
        names = row.get("behaviours")
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise RecordError(f"{file.name}: no `behaviours` list", line=number)
        unknown = sorted(set(names) - known) if known is not None else []
        if unknown:
            raise RecordError(f"{file.name}: unknown behaviour {unknown[0]!r}", line=number)
        yield number, row


def read_corpus(path: Path) -> Iterator[LabelledText]:
    """The rows of a labelled JSONL file; a malformed line raises ``RecordError`` with its number."""
    for number, row in json_lines(path):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise RecordError(f"{path.name}: no `text` field", line=number)
        row_id = str(row.get("id", f"line-{number}"))
        yield LabelledText(row_id, row["text"], str(row.get("lang") or "en"), source_of(row_id), row)


def gold_sentiment(item: LabelledText) -> str | None:
    """The row's sentiment in our labels, or None when it has none (or an ambiguous one)."""
    row = item.row
    if isinstance(row.get("sentiment"), str):
        return str(row["sentiment"])
    groups = [g for g in row.get("sentiment_group") or [] if g != "ambiguous"]
    if len(set(groups)) == 1:
        return str(groups[0])
    if item.source == "xed":
        labels = set(row.get("emotions") or [])
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
    """The row's emotions on the Ekman/Plutchik side of the measuring map."""
    ours = item.row.get("emotion")
    if isinstance(ours, str):  # our corpus: one label in our taxonomy, measured through the same map
        return {OURS_TO_EKMAN[ours]} & set(EKMAN_LABELS) if ours in OURS_TO_EKMAN else set()
    ekman = item.row.get("emotions_ekman")
    labels = ekman if isinstance(ekman, list) else item.row.get("emotions") or []
    return {str(label) for label in labels if label in EKMAN_LABELS}


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
AIRLINE_REASON_CONFIDENCE = 0.7
NO_MOTIVE = "none"


def gold_motive(item: LabelledText) -> str | None:
    """The row's motive: ``motive`` (our set; null → ``none``) or the airline ``reason`` mapped; else None."""
    row = item.row
    if "motive" in row:
        return str(row["motive"]) if row["motive"] else NO_MOTIVE
    reason = row.get("reason")
    confidence = row.get("reason_confidence")
    if not isinstance(reason, str) or not isinstance(confidence, int | float):
        return None
    if confidence < AIRLINE_REASON_CONFIDENCE:
        return None
    return AIRLINE_REASON_TO_MOTIVE.get(reason)
