"""JSON as its standard (RFC 8259) has it.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON: a record holding
one would be passed on, and written back into files that no other JSON reader can read. ``loads``
refuses them, as a line that is not JSON is refused.

``json_lines`` reads a JSON Lines file the one way every reader of ours reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO


class NotJsonError(ValueError):
    """A value JSON does not have (``NaN``, ``Infinity``, ``-Infinity``)."""

    def __init__(self, constant: str) -> None:
        super().__init__(f"{constant} is not a JSON value")
        self.constant = constant


def _refuse(constant: str) -> Any:
    raise NotJsonError(constant)


def loads(text: str | bytes) -> Any:
    """The value of a JSON text; ``NotJsonError`` for ``NaN`` or an infinity, ``json.JSONDecodeError``
    for text that is not JSON."""
    return json.loads(text, parse_constant=_refuse)


# JSON Lines (https://jsonlines.org): one JSON value a line, in UTF-8. Every JSONL file we read, records,
# conversations, reports and labelled corpora, is read here, so each is read alike: a byte-order mark may
# open the file, blank lines are passed over, a line over the size limit is refused without being held in
# memory, and a file in UTF-16 is refused as a whole rather than line by line.

MAX_LINE_BYTES = 64 * 1024 * 1024  # a line above 64 MiB is refused rather than held in memory


class LineTooLongError(ValueError):
    """A line longer than the limit: refused, and never held in memory whole."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"line longer than {limit} bytes")
        self.limit = limit


class Utf16Error(ValueError):
    """A JSON Lines file written in UTF-16, which JSON Lines never is: every line would be refused."""

    def __init__(self) -> None:
        super().__init__("the file is UTF-16, not UTF-8")


def capped_lines(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, raw line, whether it was over ``limit`` bytes and dropped), never holding more than
    ``limit`` bytes of a line. The CSV reader reads its lines here too."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while True:  # drain the rest of the oversized line
                more = stream.readline(limit)
                if not more or more.endswith(b"\n"):
                    break
            yield number, b"", True
            continue
        yield number, raw, False


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of a JSON Lines file: its number, its text (without its line ending), and its value
    or why it has none
    (``UnicodeDecodeError``, ``json.JSONDecodeError``, ``NotJsonError``, ``LineTooLongError``, or what
    a number too long or a nesting too deep raise)."""

    number: int
    text: str
    value: Any = None
    error: ValueError | RecursionError | None = None


def json_lines(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[Line]:
    """The non-blank lines of a JSON Lines stream, each read or with why it cannot be; ``Utf16Error``
    when its first line shows the file is UTF-16. Errors reading the stream itself are the caller's."""
    for number, raw, oversized in capped_lines(stream, limit):
        if oversized:
            yield Line(number, "", error=LineTooLongError(limit))
            continue
        if number == 1 and _utf16(raw):
            raise Utf16Error()
        if not raw.strip():
            continue
        try:
            # without its line ending: a string left open is said so, not "invalid control character"
            text = raw.rstrip(b"\r\n").decode(
                "utf-8-sig" if number == 1 else "utf-8"
            )  # a BOM may open a file
        except UnicodeDecodeError as error:
            yield Line(number, "", error=error)
            continue
        if not text.strip():  # a byte-order mark alone
            continue
        try:
            value = loads(text)
        except (ValueError, RecursionError) as error:  # a number too long, a nesting too deep
            yield Line(number, text, error=error)
            continue
        yield Line(number, text, value)


def _utf16(first: bytes) -> bool:
    """Whether a file's first line says the file is UTF-16: its byte-order mark, or a NUL byte for every
    other byte, as UTF-16 gives ASCII (JSON has no raw NUL)."""
    return first.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(first) >= 8 and first.count(0) * 3 >= len(first)
    )
