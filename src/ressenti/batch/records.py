"""Reading message files record by record, in constant memory, reporting bad records precisely.

A reader yields ``Record`` (a good one) or ``Rejected`` (a bad one with its line number and reason)
and never stops on a bad record. Formats: JSONL (one JSON object a line) and CSV (a header row with a
``text`` column; optional ``id`` and ``lang``). Blank lines are not records and are passed over.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ressenti.errors import FormatError
from ressenti.i18n import UNREADABLE_ERRORS, message, unreadable_line

Format = Literal["jsonl", "csv"]
MAX_RECORD_BYTES = 64 * 1024 * 1024  # one record above 64 MiB is refused rather than held in memory
_SUFFIXES: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
# JSON may escape half of a UTF-16 pair (``\\ud83d``): UTF-8 cannot hold it, so the record cannot be written
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True, slots=True)
class Record:
    """A good record: its fields as read, and where it starts."""

    line: int
    fields: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.fields["text"])

    @property
    def lang(self) -> str | None:
        value = self.fields.get("lang")
        return str(value) if value else None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A bad record: where it is and why it was skipped.

    ``within`` is the position of the record it belongs to, when it is part of one (a bad turn row
    inside a conversation of a CSV of turns): a resumed run goes by that position.
    """

    line: int
    reason: str
    within: int = 0


def guess_format(path: Path | str, explicit: str | None = None) -> Format:
    """The format named, or the one the file's suffix tells."""
    if explicit in ("jsonl", "csv"):
        return explicit  # type: ignore[return-value]
    suffix = Path(str(path)).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise FormatError(message("unknown_format", path=path))


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, raw line, whether it was cut at the size limit), never holding more than one line."""
    number = 0
    while True:
        raw = stream.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while True:  # drain the rest of the oversized line
                more = stream.readline(MAX_RECORD_BYTES)
                if not more or more.endswith(b"\n"):
                    break
            yield number, b"", True
            continue
        yield number, raw, False


def _check_text(fields: dict[str, Any]) -> str | None:
    text = fields.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        return message("no_text")
    if not isinstance(text, str):
        return message("text_not_string")
    lang = fields.get("lang")
    if lang not in (None, "") and (not isinstance(lang, str) or lang.strip().lower()[:2] not in ("fr", "en")):
        return message("bad_lang", lang=lang)
    return None


def _encodable(fields: dict[str, Any]) -> bool:
    try:
        json.dumps(fields, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


Check = Callable[[dict[str, Any]], "str | None"]  # a record's problem, or None when it is good


def read_jsonl(stream: BinaryIO, check: Check | None = None) -> Iterator[Record | Rejected]:
    """Records of a JSONL stream; ``check`` says what is wrong with a record (messages by default)."""
    check = check or _check_text
    for number, raw, oversized in _lines(stream):
        if oversized:
            yield Rejected(number, message("too_long", limit=MAX_RECORD_BYTES))
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")  # a byte-order mark may open a file
        except UnicodeDecodeError as error:
            yield Rejected(number, unreadable_line(error))
            continue
        try:
            fields = json.loads(line)
        except UNREADABLE_ERRORS as error:
            yield Rejected(number, unreadable_line(error))
            continue
        if not isinstance(fields, dict):
            yield Rejected(number, message("not_object"))
            continue
        if _SURROGATE_ESCAPE.search(line) and not _encodable(fields):
            yield Rejected(number, message("not_json", error="unpaired surrogate escape (\\ud800-\\udfff)"))
            continue
        problem = check(fields)
        yield Rejected(number, problem) if problem else Record(number, fields)


def read_csv(
    stream: BinaryIO,
    check: Check | None = None,
    required: tuple[str, ...] = ("text",),
    missing: str = "csv_no_text",
) -> Iterator[Record | Rejected]:
    """Records of a CSV stream with a header row; a record may span lines inside quotes.

    The header must have the ``required`` columns (else ``FormatError`` with the ``missing`` message).
    """
    check = check or _check_text
    position: dict[str, int | None] = {"first": None}  # first line of the row being read
    rejected: list[Rejected] = []
    if csv.field_size_limit() < MAX_RECORD_BYTES:  # the default (128 KiB) would refuse long messages
        csv.field_size_limit(MAX_RECORD_BYTES)

    def decoded() -> Iterator[str]:
        for number, raw, oversized in _lines(stream):
            if oversized:
                rejected.append(Rejected(number, message("too_long", limit=MAX_RECORD_BYTES)))
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                rejected.append(Rejected(number, unreadable_line(error)))
                continue
            if position["first"] is None:
                position["first"] = number
            yield line

    reader = csv.reader(decoded())
    header: list[str] | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # the reader goes on with the next line
            yield from rejected
            rejected.clear()
            line, position["first"] = position["first"] or 0, None
            yield Rejected(line, message("csv_error", error=error))
            continue
        yield from rejected
        rejected.clear()
        line, position["first"] = position["first"] or 0, None
        if header is None:
            header = [name.strip() for name in row]
            if not set(required) <= set(header):
                raise FormatError(message(missing))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejected(line, message("csv_columns", found=len(row), expected=len(header)))
            continue
        fields: dict[str, Any] = dict(zip(header, row, strict=True))
        problem = check(fields)
        yield Rejected(line, problem) if problem else Record(line, fields)
    yield from rejected


def read_records(stream: BinaryIO, fmt: Format) -> Iterator[Record | Rejected]:
    """Records of a stream in the given format."""
    return read_jsonl(stream) if fmt == "jsonl" else read_csv(stream)


def open_input(path: str) -> BinaryIO:
    """A binary stream on a path, or on standard input for ``-``."""
    if path == "-":
        return sys.stdin.buffer
    return Path(path).open("rb")
