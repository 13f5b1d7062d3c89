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
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ressenti import jsontext
from ressenti.analysis.langdata import available_languages, language_code
from ressenti.errors import FormatError
from ressenti.i18n import message, size, unreadable_line

Format = Literal["jsonl", "csv"]
MAX_RECORD_BYTES = jsontext.MAX_LINE_BYTES  # one record above 64 MiB is refused, never held in memory
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")
_SUFFIXES: dict[str, Format] = {**dict.fromkeys(JSONL_SUFFIXES, "jsonl"), ".csv": "csv"}
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
    # What could be read of it (a CSV row with the wrong number of columns, or an unreadable line in it):
    # enough, often, to tell which conversation a bad turn row belongs to.
    fields: dict[str, Any] | None = field(default=None, compare=False, repr=False)


def names_jsonl(path: Path | str) -> bool:
    """Whether an output's name says JSONL, or no format at all (no suffix): what a command that writes
    JSONL may write there; ``readings.csv`` would get JSONL under a CSV name."""
    return Path(str(path)).suffix.lower() in (*JSONL_SUFFIXES, "")


def guess_format(path: Path | str, explicit: str | None = None) -> Format:
    """The format named, or the one the file's suffix tells; standard input (``-``), which has no
    suffix, is JSONL unless told otherwise, as the output it is piped from most often is."""
    if explicit in ("jsonl", "csv"):
        return explicit  # type: ignore[return-value]
    if str(path) == "-":
        return "jsonl"
    suffix = Path(str(path)).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise FormatError(message("unknown_format", path=path))


def _check_text(fields: dict[str, Any]) -> str | None:
    text = fields.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        return message("no_text")
    if not isinstance(text, str):
        return message("text_not_string")
    analysis = fields.get("analysis")
    if analysis is not None and not (isinstance(analysis, dict) and "engine_version" in analysis):
        return message("own_analysis_field")  # our reading goes there: it would be lost, silently
    lang = fields.get("lang")
    if lang not in (None, "") and (
        not isinstance(lang, str) or language_code(lang) not in available_languages()
    ):
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
    try:
        for line in jsontext.json_lines(stream, MAX_RECORD_BYTES):
            if line.error is not None:
                yield Rejected(line.number, unreadable_line(line.error))
            else:
                yield _judged(line, check)
    except jsontext.Utf16Error:  # every line would be refused, one by one, as not UTF-8
        raise FormatError(message("utf16_file")) from None


def _judged(line: jsontext.Line, check: Check) -> Record | Rejected:
    """A line read as JSON: a record, or refused with why."""
    fields, number = line.value, line.number
    if not isinstance(fields, dict):
        return Rejected(number, message("not_object"))
    if _SURROGATE_ESCAPE.search(line.text) and not _encodable(fields):
        return Rejected(number, message("json_lone_surrogate"))
    problem = check(fields)
    return Rejected(number, problem) if problem else Record(number, fields)


@dataclass(slots=True)
class _Line:
    """A line of a CSV file as the CSV parser reads it, and why a record holding it cannot be kept."""

    number: int
    text: str
    problem: str | None = None


def _decoded(number: int, raw: bytes, oversized: bool) -> _Line:
    """A line's text; an unreadable line keeps its place (its bytes replaced, its quotes kept, so that
    the records around it are parsed as written) and says why its record is refused."""
    if oversized:
        return _Line(number, "\n", message("too_long", limit=size(MAX_RECORD_BYTES)))
    encoding = "utf-8-sig" if number == 1 else "utf-8"
    try:
        return _Line(number, raw.decode(encoding))
    except UnicodeDecodeError as error:
        return _Line(number, raw.decode(encoding, errors="replace"), unreadable_line(error))


class _CsvLines:
    """The lines the CSV parser reads, one at a time: it remembers those of the record being read, and
    gives back first the lines it was told to read again."""

    def __init__(self, stream: BinaryIO) -> None:
        self._lines = jsontext.capped_lines(stream, MAX_RECORD_BYTES)
        self._again: deque[_Line] = deque()
        self.record: list[_Line] = []
        self.ended = False  # whether the parser asked for a line after the last one

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        if self._again:
            line = self._again.popleft()
        else:
            try:
                line = _decoded(*next(self._lines))
            except StopIteration:
                self.ended = True
                raise
        self.record.append(line)
        return line.text

    def take_record(self) -> list[_Line]:
        """The lines of the record just read (or refused); the next record starts afresh."""
        lines, self.record = self.record, []
        return lines

    def read_again(self, lines: list[_Line]) -> None:
        self._again.extendleft(reversed(lines))
        self.ended = False


def _quotes_match(lines: list[_Line]) -> bool:
    """Whether lines read as one record are one record by the CSV rules, strictly read: a quote that a
    record's content opens must close where its field ends."""
    try:
        return len(list(csv.reader((line.text for line in lines), strict=True))) == 1
    except csv.Error:
        return False


# A field in quotes (a quote inside doubled) ends where its closing quote is; then a comma, or the end of
# the record. Python's parser reads ``"abc"def`` as ``abcdef``, its quotes gone and nothing said. A field
# that does not start with a quote is read as it stands, quotes and all (``il a dit "non" puis``), as
# spreadsheets read it: nothing is lost there.
_FIELD = re.compile(r'"(?:[^"]|"")*"(?=,|\r?\n?\Z)|(?:[^",\r\n][^,\r\n]*)?(?=,|\r?\n?\Z)')


def _stray_quote(lines: list[_Line]) -> int | None:
    """The index of the first field of a record with text after the quote that closes it, or None."""
    text = "".join(line.text for line in lines)
    if '"' not in text:
        return None
    at, index = 0, 0
    while True:
        found = _FIELD.match(text, at)
        if found is None:
            return index
        at = found.end()
        if at >= len(text) or text[at] != ",":
            return None
        at, index = at + 1, index + 1


def read_csv(
    stream: BinaryIO,
    check: Check | None = None,
    required: tuple[str, ...] = ("text",),
    missing: str = "csv_no_text",
) -> Iterator[Record | Rejected]:
    """Records of a CSV stream with a header row; a record may span lines inside quotes.

    The header must have the ``required`` columns (else ``FormatError`` with the ``missing`` message).
    A record is refused whole, at its first line, when one of its lines is unreadable. A quote that is
    never closed would swallow the rest of the file into one record: its line is refused and the lines
    after it are read again. A record over several lines whose quotes do not match the CSV rules is
    refused with the lines it spans, which are named; a record with text after the quote that closes a
    field (``"abc"def``) is refused naming its column, rather than read as Python's parser guesses it.
    """
    check = check or _check_text
    if csv.field_size_limit() < MAX_RECORD_BYTES:  # the default (128 KiB) would refuse long messages
        csv.field_size_limit(MAX_RECORD_BYTES)
    source = _CsvLines(stream)
    reader = csv.reader(source)
    header: list[str] | None = None
    while True:
        try:
            row: list[str] | None = next(reader)
            error = None
        except StopIteration:
            break
        except csv.Error as caught:  # the parser starts afresh with the next line
            row, error = None, caught
        lines = source.take_record()
        first = lines[0].number if lines else 0
        if header is None:
            header = _header(row, lines, error, required, missing)
            continue
        read = None if row is None else dict(zip(header, row, strict=False))  # what could be read
        if row is None or source.ended:  # a parser error, or a quote still open at the end of the file
            if len(lines) > 1:  # the quote swallowed the lines after it: they are read again
                source.read_again(lines[1:])
                reader = csv.reader(source)
                yield Rejected(first, message("csv_quote_open", last=lines[-1].number), fields=read)
            else:
                yield Rejected(
                    first, message("csv_error", error=error or "unexpected end of data"), fields=read
                )
            continue
        bad = next((line for line in lines if line.problem), None)
        if bad is not None:
            reason = str(bad.problem)
            if bad.number != first:
                reason = message("csv_in_record", line=bad.number, reason=reason)
            yield Rejected(first, reason, fields=read)
            continue
        if len(lines) > 1 and not _quotes_match(lines):
            yield Rejected(first, message("csv_quotes", last=lines[-1].number), fields=read)
            continue
        stray = _stray_quote(lines)
        if stray is not None:
            column = header[stray] if stray < len(header) else str(stray + 1)
            yield Rejected(first, message("csv_stray_quote", column=column), fields=read)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejected(first, message("csv_columns", found=len(row), expected=len(header)), fields=read)
            continue
        fields: dict[str, Any] = dict(zip(header, row, strict=True))
        problem = check(fields)
        yield Rejected(first, problem, fields=fields) if problem else Record(first, fields)


def _header(
    row: list[str] | None,
    lines: list[_Line],
    error: csv.Error | None,
    required: tuple[str, ...],
    missing: str,
) -> list[str]:
    """The column names of a CSV file's first row, or ``FormatError`` saying why there are none."""
    bad = next((line for line in lines if line.problem), None)
    if bad is not None:  # not text at all (a Parquet file named .csv), or not UTF-8
        raise FormatError(message("csv_bad_header", error=bad.problem))
    if error is not None or row is None:
        if lines and "\r" in lines[0].text.rstrip("\r\n"):  # lines ended by CR alone: one "line" here
            raise FormatError(message("csv_cr_only"))
        raise FormatError(message("csv_bad_header", error=error or "unexpected end of data"))
    header = [name.strip() for name in row]
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:  # which of the two columns holds the text? the last would silently win
        raise FormatError(message("csv_column_twice", names=", ".join(twice)))
    if not set(required) <= set(header):
        raise FormatError(message(missing))
    return header


def read_records(stream: BinaryIO, fmt: Format) -> Iterator[Record | Rejected]:
    """Records of a stream in the given format."""
    return read_jsonl(stream) if fmt == "jsonl" else read_csv(stream)


def open_input(path: str) -> BinaryIO:
    """A binary stream on a path, or on standard input for ``-``."""
    if path == "-":
        return sys.stdin.buffer
    return Path(path).open("rb")
