"""JSON as its standard has it, and JSON Lines read the one way every reader of ours reads them."""

from __future__ import annotations

import io
import json

import pytest

from ressenti.jsontext import (
    LineTooLongError,
    NotJsonError,
    Utf16Error,
    capped_lines,
    json_lines,
    loads,
)


def test_loads_refuses_the_constants_python_reads_and_json_has_not() -> None:
    for constant in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(NotJsonError):
            loads(f'{{"score": {constant}}}')
    assert loads('{"score": 1.5}') == {"score": 1.5}


def test_json_lines_reads_each_non_blank_line_with_its_number() -> None:
    stream = io.BytesIO(b'\xef\xbb\xbf{"a": 1}\n\n   \n[2]\r\n"three"')
    assert [(line.number, line.value, line.error) for line in json_lines(stream)] == [
        (1, {"a": 1}, None),
        (4, [2], None),
        (5, "three", None),
    ]


def test_a_line_that_cannot_be_read_says_why_and_the_next_ones_are_read() -> None:
    stream = io.BytesIO(b'{"a": \n\xff\xfe oops\n{"n": NaN}\n' + b"[" * 100_000 + b"\n" + b'{"ok": true}\n')
    lines = list(json_lines(stream))
    assert [line.number for line in lines] == [1, 2, 3, 4, 5]
    assert isinstance(lines[0].error, json.JSONDecodeError)
    assert isinstance(lines[1].error, UnicodeDecodeError)
    assert isinstance(lines[2].error, NotJsonError)
    assert isinstance(lines[3].error, RecursionError)
    assert (lines[4].value, lines[4].error) == ({"ok": True}, None)


def test_a_line_over_the_limit_is_refused_without_its_bytes_and_the_count_goes_on() -> None:
    stream = io.BytesIO(b'{"a": 1}\n"' + b"x" * 500 + b'"\n{"b": 2}\n"' + b"y" * 500)
    lines = list(json_lines(stream, limit=100))
    assert [line.number for line in lines] == [1, 2, 3, 4]
    assert isinstance(lines[1].error, LineTooLongError)
    assert lines[1].error.limit == 100
    assert lines[1].text == ""  # never held
    assert lines[2].value == {"b": 2}
    assert isinstance(lines[3].error, LineTooLongError)  # the last line, without its newline


def test_capped_lines_never_reads_more_than_the_limit_of_a_line_at_once() -> None:
    reads: list[int] = []

    class Watched(io.BytesIO):
        def readline(self, size: int | None = -1) -> bytes:
            line = super().readline(size)
            reads.append(len(line))
            return line

    assert list(capped_lines(Watched(b"a" * 1_000 + b"\nok\n"), limit=64)) == [
        (1, b"", True),
        (2, b"ok\n", False),
    ]
    assert max(reads) <= 65


@pytest.mark.parametrize(
    "encoded",
    [
        '{"text": "bonjour"}\n'.encode("utf-16"),  # with its byte-order mark
        '{"text": "bonjour"}\n'.encode("utf-16-le"),  # without
    ],
)
def test_a_file_in_utf16_is_refused_as_a_whole(encoded: bytes) -> None:
    with pytest.raises(Utf16Error):
        list(json_lines(io.BytesIO(encoded)))
