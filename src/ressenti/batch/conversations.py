"""Reading conversation files (JSONL, CSV of turns, Parquet, e-mail), record by record, in constant memory.

A reader yields ``(position, fields)`` for a good conversation (``fields`` is the JSON form of
docs/conversations.md, already checked), ``Rejected`` (its line, row or message number and why), or,
just before a good conversation, ``Noted``: something of it left out as it was read (a turn's ``ts``
that is no date), with where and why.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ressenti.batch.records import JSONL_SUFFIXES, PARQUET_SUFFIXES, Rejected, read_csv, read_jsonl
from ressenti.conversation.model import BadConversationError, conversation_from_dict
from ressenti.errors import FormatError
from ressenti.i18n import message, parquet_reason, unreadable_line

ConversationFormat = Literal["jsonl", "csv", "parquet", "email"]
_SUFFIXES: dict[str, ConversationFormat] = {
    **dict.fromkeys(JSONL_SUFFIXES, "jsonl"),
    ".csv": "csv",
    **dict.fromkeys(PARQUET_SUFFIXES, "parquet"),
    ".eml": "email",
    ".mbox": "email",
}
TURN_COLUMNS = ("conversation_id", "speaker", "text")
PARQUET_BATCH = 2048
Good = tuple[int, dict[str, Any]]
_SHOWN = 60  # characters of a bad value shown in a message


@dataclass(frozen=True, slots=True)
class Noted:
    """Something of a good conversation left out as it was read, which is read all the same: where
    (``line``: the line or row of its turn, or the conversation's position) and why; ``within`` is the
    position of its conversation, which a resumed run goes by."""

    line: int
    reason: str
    within: int


Item = Good | Rejected | Noted


def conversation_format(path: Path | str, explicit: str | None = None) -> ConversationFormat:
    """The format named, or the one the file's suffix tells."""
    if explicit in ("jsonl", "csv", "parquet", "email"):
        return explicit  # type: ignore[return-value]
    suffix = Path(str(path)).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise FormatError(message("conv_unknown_format", path=path))


def problem_of(fields: dict[str, Any]) -> str | None:
    """What is wrong with a conversation record, or None."""
    try:
        conversation_from_dict(fields)
    except BadConversationError as error:
        return str(error)
    return None


def _not_a_time(value: object) -> bool:
    """Whether a turn's ``ts`` is given and is not an ISO 8601 date (and time): a number (seconds since
    1970? milliseconds?), words, an impossible date. A time without its zone is a time all the same."""
    if value is None or value == "":
        return False
    if not isinstance(value, str):
        return True
    try:
        datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return True
    return False


def _without_bad_times(
    position: int, fields: dict[str, Any], lines: list[int] | None = None
) -> tuple[dict[str, Any], list[Noted]]:
    """``fields`` with the ``ts`` of its turns that are no date left out, and a ``Noted`` for each (at
    its turn's line, from ``lines``, when each turn has one: a CSV of turns): a conversation is not
    refused for a time it is not read by, and no report shows a time that is none."""
    turns = fields.get("turns")
    if not isinstance(turns, list) or not any(
        isinstance(turn, dict) and _not_a_time(turn.get("ts")) for turn in turns
    ):
        return fields, []
    kept, notes = [], []
    for index, turn in enumerate(turns):
        if isinstance(turn, dict) and _not_a_time(turn.get("ts")):
            shown = repr(turn["ts"])
            shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
            line = lines[index] if lines is not None and index < len(lines) else position
            notes.append(Noted(line, message("ts_dropped", turn=index + 1, value=shown), within=position))
            turn = {key: value for key, value in turn.items() if key != "ts"}
        kept.append(turn)
    return {**fields, "turns": kept}, notes


def _checked(
    position: int,
    fields: dict[str, Any],
    lines: list[int] | None = None,
    read: dict[str, Any] | None = None,
) -> Iterator[Item]:
    """A conversation record judged: its notes then itself, or ``Rejected`` with why (and no note),
    with what ``read`` says of it."""
    fields, notes = _without_bad_times(position, fields, lines)
    problem = problem_of(fields)
    if problem:
        yield Rejected(position, problem, fields=read)
        return
    yield from notes
    yield position, fields


def _turn(fields: dict[str, Any]) -> dict[str, Any]:
    turn = {"speaker": fields.get("speaker"), "text": fields.get("text")}
    if fields.get("ts") not in (None, ""):
        turn["ts"] = fields["ts"]
    return turn


def _conversation_of(fields: dict[str, Any] | None) -> str:
    return str((fields or {}).get("conversation_id") or "").strip()


def group_turns(rows: Iterable[tuple[int, dict[str, Any]] | Rejected]) -> Iterator[Item]:
    """Consecutive turn rows of one conversation (``conversation_id`` …) as one conversation record.

    A conversation with a bad turn row is refused with it, as a conversation of a JSONL file with a
    bad turn is, rather than read without that turn: a bad row belongs to the conversation its
    ``conversation_id`` names when it could be read, else to the one around it. A bad row whose
    conversation cannot be told, after a conversation's last row, is reported on its own, ``within``
    the conversation before it, so that a resumed run knows it was already reported.
    """
    ident: str | None = None  # the conversation being read
    current: list[tuple[int, dict[str, Any]]] = []
    bad: list[Rejected] = []  # its bad rows, known to be its own
    loose: list[Rejected] = []  # bad rows of no known conversation met while reading it

    def flush() -> Iterator[Item]:
        if ident is None:
            return
        last = current[-1][0] if current else 0
        own = sorted([*bad, *(row for row in loose if row.line < last)], key=lambda row: row.line)
        position = min([row.line for row in own] + [line for line, _ in current[:1]])
        read = {"id": ident}  # what a conversation read twice is told by (``_each_once``)
        if own:
            yield Rejected(
                position, message("csv_bad_turn", line=own[0].line, reason=own[0].reason), fields=read
            )
        else:
            fields: dict[str, Any] = {"id": ident, "turns": [_turn(row) for _, row in current]}
            for name in ("channel", "agent_id", "team_id", "lang"):
                # The first row that says it: a customer's row often names no agent.
                given = list(
                    dict.fromkeys(str(row[name]) for _, row in current if row.get(name) not in (None, ""))
                )
                if given:
                    fields[name] = given[0]
                # A conversation handed from one agent (or team) to another is the first one's; its
                # metadata keeps them all, in the order they took it, rather than dropping the others.
                if len(given) > 1 and name in ("agent_id", "team_id"):
                    fields.setdefault("metadata", {})[f"{name}s"] = given
            yield from _checked(position, fields, [line for line, _ in current], read)
        for row in loose:
            if row.line > last:
                yield Rejected(row.line, row.reason, within=position)

    for row in rows:
        named = _conversation_of(row.fields) if isinstance(row, Rejected) else _conversation_of(row[1])
        if isinstance(row, Rejected) and not named:
            if ident is None:
                yield row
            else:
                loose.append(row)
            continue
        if named != ident:
            yield from flush()
            ident, current, bad, loose = named, [], [], []
        if isinstance(row, Rejected):
            bad.append(row)
        else:
            current.append(row)
    yield from flush()


def _no_check(fields: dict[str, Any]) -> str | None:
    return None


def read_jsonl_conversations(path: Path) -> Iterator[Item]:
    with path.open("rb") as stream:
        for record in read_jsonl(stream, _no_check):
            if isinstance(record, Rejected):
                yield record
            else:
                yield from _checked(record.line, record.fields)


def read_csv_conversations(path: Path) -> Iterator[Item]:
    with path.open("rb") as stream:
        rows = read_csv(stream, _no_check, TURN_COLUMNS, "csv_no_conversation")
        yield from group_turns(row if isinstance(row, Rejected) else (row.line, row.fields) for row in rows)


def _plain(value: Any) -> Any:
    """Parquet values as JSON would hold them: times (Parquet's timestamp type) and dates as ISO 8601
    text, decimals as their exact text, durations in seconds, bytes as text (base64 when not UTF-8),
    NaN and infinities as null."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        return moment.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and infinities are not JSON: a float column's missing value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(value).decode("ascii")
    return value


def read_parquet_conversations(path: Path) -> Iterator[Item]:
    """Parquet of conversations (a ``turns`` column) or of turns (``conversation_id``…), by row."""
    import pyarrow as pa  # imported here: only Parquet files need it
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises its own errors for a file that is not Parquet
        raise FormatError(message("parquet_bad", path=path, error=parquet_reason(error))) from None
    names = set(source.schema_arrow.names)
    if "turns" not in names and not set(TURN_COLUMNS) <= names:
        raise FormatError(message("parquet_columns", path=path))

    def rows() -> Iterator[tuple[int, dict[str, Any]] | Rejected]:
        position = 0
        batches = source.iter_batches(batch_size=PARQUET_BATCH)
        while True:
            try:  # a data page damaged after a sound footer shows only when its batch is read
                batch = next(batches, None)
            except (OSError, pa.ArrowException) as error:
                raise FormatError(message("parquet_bad", path=path, error=parquet_reason(error))) from None
            if batch is None:
                return
            for fields in batch.to_pylist():
                position += 1
                problem = _unreadable_text(fields)
                yield Rejected(position, problem, fields=fields) if problem else (position, _plain(fields))

    if "turns" in names:
        for row in rows():
            if isinstance(row, Rejected):
                yield row
                continue
            yield from _checked(*row)
    else:
        yield from group_turns(rows())


def _unreadable_text(fields: dict[str, Any]) -> str | None:
    """Why a row's text (or a turn's), held as bytes, cannot be read: bytes that are not UTF-8 are no
    message (``_plain`` would give them as base64, which the engine would read as words)."""
    turns = fields.get("turns")
    turns = turns if isinstance(turns, list) else []
    texts = [fields.get("text"), *(turn.get("text") for turn in turns if isinstance(turn, dict))]
    for text in texts:
        if isinstance(text, bytes):
            try:
                text.decode("utf-8")
            except UnicodeDecodeError as error:
                return unreadable_line(error)
    return None


def read_email_conversations(path: Path, agent_domains: tuple[str, ...] = ()) -> Iterator[Item]:
    from ressenti.batch.email_threads import read_email

    position = 0
    for item in read_email(path, agent_domains=agent_domains):
        if isinstance(item, Rejected):
            yield item
            continue
        position += 1
        yield from _checked(position, item)


def read_conversations(
    path: Path, fmt: str | None = None, *, agent_domains: tuple[str, ...] = ()
) -> Iterator[Item]:
    """The conversations of a file, in order, with the bad ones as ``Rejected``, and what was left out
    of a good one (``Noted``) just before it."""
    kind = conversation_format(path, fmt)
    readers: dict[str, Callable[[Path], Iterator[Item]]] = {
        "jsonl": read_jsonl_conversations,
        "csv": read_csv_conversations,
        "parquet": read_parquet_conversations,
        "email": lambda p: read_email_conversations(p, agent_domains),
    }
    twice = "csv_not_grouped" if kind == "csv" else "conv_duplicate"
    return _each_once(readers[kind](path), _PLACES.get(kind, "at_line"), twice)


# How a conversation's position is named, by input format: a line of text unless said otherwise.
_PLACES = {"parquet": "at_row", "email": "at_message"}


def _each_once(items: Iterator[Item], place: str, twice: str) -> Iterator[Item]:
    """The conversations as read, a conversation whose id was already read refused (``twice`` says
    why) with where it was (``place`` names a position): its report would count twice in every
    aggregate (a file of conversations exported twice, a CSV whose turns are not grouped). The notes
    of a conversation refused so are dropped with it."""
    first = FirstPositions()
    held: list[Noted] = []  # the notes of the conversation that comes next
    for item in items:
        if isinstance(item, Noted):
            held.append(item)
            continue
        if isinstance(item, Rejected):  # refused anyway; but read twice is what to say first, if so
            ident = str((item.fields or {}).get("id") or "")
            earlier = first.get(ident) if ident else None
            if earlier is not None:
                item = Rejected(item.line, message(twice, id=ident, first=message(place, n=earlier)))
        else:
            position, fields = item
            ident = str(fields.get("id"))
            earlier, _ = first.setdefault(ident, position)
            if earlier != position:
                item = Rejected(position, message(twice, id=ident, first=message(place, n=earlier)))
        if not isinstance(item, Rejected):
            yield from held
        held = []
        yield item


class FirstPositions:
    """Where each conversation id was first read, with a mark of what was read there (a digest of a
    report, say), in some 24 bytes an id, so that memory stays flat on the largest files (a dict of the
    ids themselves took 71 MB for 577,000 conversations). An id is kept as a 64-bit digest (two ids
    would share one once in some four billion pairs); digests, positions and marks lie in numpy arrays
    sorted by digest, the latest in a dict merged into them once it holds ``MERGE`` ids or an eighth of
    those merged, whichever is more: few merges on large files, a small dict."""

    MERGE = 2_048

    def __init__(self) -> None:
        self._keys: NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self._positions: NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self._marks: NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self._recent: dict[int, tuple[int, int]] = {}

    @staticmethod
    def _key(ident: str) -> int:
        digest = hashlib.blake2b(ident.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        return int.from_bytes(digest, "little", signed=True)

    def _find(self, key: int) -> tuple[int, int] | None:
        if key in self._recent:
            return self._recent[key]
        at = int(np.searchsorted(self._keys, key))
        if at < len(self._keys) and int(self._keys[at]) == key:
            return int(self._positions[at]), int(self._marks[at])
        return None

    def get(self, ident: str) -> int | None:
        """The position where ``ident`` was first read, or None."""
        found = self._find(self._key(ident))
        return None if found is None else found[0]

    def setdefault(self, ident: str, position: int, mark: int = 0) -> tuple[int, int]:
        """The position where ``ident`` was first read and the mark it was given there (a signed 64-bit
        number); ``position`` and ``mark`` when it is read for the first time."""
        key = self._key(ident)
        found = self._find(key)
        if found is not None:
            return found
        self._recent[key] = (position, mark)
        if len(self._recent) >= max(self.MERGE, len(self._keys) // 8):
            self._merge()
        return position, mark

    def _merge(self) -> None:
        count = len(self._recent)

        def joined(kept: NDArray[np.int64], recent: Iterator[int]) -> NDArray[np.int64]:
            return np.concatenate([kept, np.fromiter(recent, dtype=np.int64, count=count)])

        keys = joined(self._keys, iter(self._recent))
        positions = joined(self._positions, (position for position, _ in self._recent.values()))
        marks = joined(self._marks, (mark for _, mark in self._recent.values()))
        order = np.argsort(keys, kind="stable")
        self._keys, self._positions, self._marks = keys[order], positions[order], marks[order]
        self._recent.clear()
