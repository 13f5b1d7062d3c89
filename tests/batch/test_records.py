"""Reading message files: good records, and bad ones reported with their line number."""

from __future__ import annotations

import io
import json

import pytest

from ressenti.batch import records
from ressenti.batch.records import Record, Rejected, guess_format, read_csv, read_jsonl, read_records
from ressenti.errors import FormatError


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")


def jsonl(*lines: bytes | str | dict[str, object]) -> io.BytesIO:
    """A JSONL stream: dicts are dumped, str encoded, bytes kept as they are."""
    parts = []
    for line in lines:
        if isinstance(line, dict):
            line = json.dumps(line, ensure_ascii=False)
        parts.append(line.encode("utf-8") if isinstance(line, str) else line)
    return io.BytesIO(b"\n".join(parts) + b"\n")


def read_all(stream: io.BytesIO, fmt: str = "jsonl") -> list[Record | Rejected]:
    return list(read_records(stream, fmt))  # type: ignore[arg-type]


def good(items: list[Record | Rejected]) -> list[Record]:
    return [item for item in items if isinstance(item, Record)]


def bad(items: list[Record | Rejected]) -> list[Rejected]:
    return [item for item in items if isinstance(item, Rejected)]


# --- JSONL ---------------------------------------------------------------------------------------


def test_jsonl_good_records_keep_their_fields_and_line_numbers() -> None:
    items = read_all(
        jsonl(
            {"id": "a", "text": "Toujours pas reçu ma commande 😡", "lang": "fr"},
            {"id": "b", "text": "Thanks a lot!", "channel": "email"},
        )
    )
    assert items == [
        Record(1, {"id": "a", "text": "Toujours pas reçu ma commande 😡", "lang": "fr"}),
        Record(2, {"id": "b", "text": "Thanks a lot!", "channel": "email"}),
    ]
    assert items[0].text == "Toujours pas reçu ma commande 😡"
    assert items[0].lang == "fr"
    assert items[1].lang is None


def test_jsonl_blank_lines_are_passed_over_silently_and_still_counted_as_lines() -> None:
    items = read_all(jsonl({"text": "one"}, "", "   ", b"\t\r", {"text": "two"}))
    assert items == [Record(1, {"text": "one"}), Record(5, {"text": "two"})]


def test_jsonl_crlf_line_endings_are_read() -> None:
    items = read_all(io.BytesIO(b'{"text": "one"}\r\n{"text": "two"}\r\n'))
    assert [(r.line, r.text) for r in good(items)] == [(1, "one"), (2, "two")]


def test_jsonl_last_line_without_newline_is_read() -> None:
    items = read_all(io.BytesIO(b'{"text": "one"}\n{"text": "two"}'))
    assert [(r.line, r.text) for r in good(items)] == [(1, "one"), (2, "two")]


def test_jsonl_invalid_utf8_is_rejected_with_line_and_byte_position() -> None:
    line = b'{"text": "caf\xe9"}'  # Latin-1 é: byte 13 is not UTF-8
    items = read_all(jsonl({"text": "before"}, line, {"text": "after"}))
    assert bad(items) == [Rejected(2, "invalid text (UTF-8 expected) at byte 13")]
    assert [(r.line, r.text) for r in good(items)] == [(1, "before"), (3, "after")]


def test_jsonl_invalid_json_is_rejected_with_its_line_number() -> None:
    items = read_all(jsonl({"text": "ok"}, '{"text": "unclosed', {"text": "ok too"}))
    (rejected,) = bad(items)
    assert rejected.line == 2
    assert rejected.reason.startswith("invalid JSON: ")
    assert "col " in rejected.reason
    assert [r.line for r in good(items)] == [1, 3]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": ' + "9" * 5000 + ', "text": "hi"}', "invalid JSON: a number too long to read"),
        ('{"text": "x", "d": ' + "[" * 100_000 + "]" * 100_000 + "}", "invalid JSON: nested too deeply"),
    ],
    ids=["huge-integer", "deep-nesting"],
)
def test_jsonl_line_too_large_for_the_parser_is_rejected_and_the_others_are_read(
    line: str, reason: str
) -> None:
    # Python's parser raises ValueError or RecursionError here, not JSONDecodeError: one line, not the run.
    items = read_all(jsonl({"text": "first"}, line, {"text": "third"}))
    assert bad(items) == [Rejected(2, reason)]
    assert [r.line for r in good(items)] == [1, 3]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_jsonl_nan_and_infinities_are_not_json_and_are_rejected_with_the_reason(constant: str) -> None:
    # Python's json reads them: they were passed on and written back as output no JSON reader reads.
    items = read_all(jsonl(f'{{"text": "Bonjour", "score": {constant}}}', {"text": "Salut"}))
    assert items == [
        Rejected(1, f"invalid JSON: {constant} is not a JSON value (null for a missing value)"),
        Record(2, {"text": "Salut"}),
    ]


def test_jsonl_utf8_byte_order_mark_on_the_first_line_is_dropped() -> None:
    items = read_all(jsonl(b'\xef\xbb\xbf{"text": "Merci"}', {"text": "ok"}))
    assert [r.text for r in good(items)] == ["Merci", "ok"]
    assert not bad(items)


@pytest.mark.parametrize("line", ['["text", "a list"]', "42", '"just a string"', "null", "true"])
def test_jsonl_value_that_is_not_an_object_is_rejected(line: str) -> None:
    items = read_all(jsonl(line))
    assert items == [Rejected(1, "a JSON object is expected")]


@pytest.mark.parametrize(
    "fields",
    [{"id": "x"}, {"text": ""}, {"text": "   \n\t"}, {"text": None}],
    ids=["missing", "empty", "blank", "null"],
)
def test_jsonl_missing_or_empty_text_is_rejected(fields: dict[str, object]) -> None:
    items = read_all(jsonl({"text": "first"}, fields))
    assert items[1] == Rejected(2, "no `text` field, or an empty one")


@pytest.mark.parametrize("value", [42, ["a", "b"], {"a": 1}, True])
def test_jsonl_text_that_is_not_a_string_is_rejected(value: object) -> None:
    items = read_all(jsonl({"text": value}))
    assert items == [Rejected(1, "the `text` field must be a string")]


# "french" and "english" used to pass (their first two letters) and then stop the whole run in the engine.
@pytest.mark.parametrize("lang", ["de", "es", 5, ["fr"], "french", "english", "fr-"])
def test_jsonl_unsupported_lang_is_rejected(lang: object) -> None:
    (item,) = read_all(jsonl({"text": "Hallo", "lang": lang}))
    assert isinstance(item, Rejected)
    assert item.line == 1
    assert item.reason == f"language {lang!r} is not supported (fr, en)"


@pytest.mark.parametrize("lang", ["fr", "en", "FR", "fr-FR", "en_GB", "", None])
def test_jsonl_supported_or_absent_lang_is_accepted(lang: object) -> None:
    (item,) = read_all(jsonl({"text": "Bonjour", "lang": lang}))
    assert isinstance(item, Record)


def test_jsonl_record_above_the_size_limit_is_rejected_and_the_next_one_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 100)
    huge = json.dumps({"text": "x" * 1000})
    items = read_all(jsonl({"text": "small"}, huge, {"text": "next"}, "", {"text": "last"}))
    assert items == [
        Record(1, {"text": "small"}),
        Rejected(2, "record longer than 100 bytes"),
        Record(3, {"text": "next"}),
        Record(5, {"text": "last"}),
    ]


def test_jsonl_oversized_last_line_without_newline_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 100)
    stream = io.BytesIO(b'{"text": "small"}\n' + json.dumps({"text": "y" * 500}).encode())
    assert read_all(stream) == [Record(1, {"text": "small"}), Rejected(2, "record longer than 100 bytes")]


def test_jsonl_line_exactly_at_the_size_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    line = json.dumps({"text": "z" * 80}).encode()
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", len(line))
    items = read_all(io.BytesIO(line + b"\n" + line + b"\n"))
    assert [r.line for r in good(items)] == [1, 2]
    assert bad(items) == []


def test_jsonl_ten_megabyte_line_with_valid_text_is_read() -> None:
    text = "Toujours pas reçu ma commande. " * (10 * 1024 * 1024 // 31 + 1)
    items = read_all(jsonl({"id": "big", "text": text}, {"id": "after", "text": "ok"}))
    assert [item.line for item in items] == [1, 2]
    assert isinstance(items[0], Record)
    assert items[0].text == text
    assert len(items[0].text.encode()) > 10 * 1024 * 1024


def test_jsonl_unpaired_surrogate_escape_is_rejected_since_it_cannot_be_written_back() -> None:
    items = read_all(jsonl('{"text": "broken \\ud83d emoji"}', '{"text": "paired \\ud83d\\ude00"}'))
    assert isinstance(items[0], Rejected)
    assert items[0].line == 1
    assert "surrogate" in items[0].reason
    assert items[1] == Record(2, {"text": "paired 😀"})


def test_jsonl_unpaired_surrogate_reason_is_french_for_french_readers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    (item,) = read_all(jsonl('{"text": "broken \\ud83d emoji"}'))
    assert isinstance(item, Rejected)
    assert item.reason.startswith("JSON invalide : moitié de paire UTF-16 échappée seule")


def test_reader_is_lazy_and_reports_in_order() -> None:
    reader = read_jsonl(jsonl({"text": "a"}, "oops", {"text": "b"}))
    assert next(reader) == Record(1, {"text": "a"})
    second = next(reader)
    assert isinstance(second, Rejected)
    assert second.line == 2
    assert next(reader) == Record(3, {"text": "b"})
    with pytest.raises(StopIteration):
        next(reader)


def test_rejection_reasons_follow_the_user_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    assert read_all(jsonl({"id": 1})) == [Rejected(1, "champ `text` absent ou vide")]


# --- CSV -----------------------------------------------------------------------------------------


def csv_stream(data: str | bytes) -> io.BytesIO:
    return io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)


def test_csv_header_with_text_id_and_lang() -> None:
    items = read_all(csv_stream("id,text,lang\n1,Bonjour,fr\n2,Hello,en\n3,Sans langue,\n"), "csv")
    assert items == [
        Record(2, {"id": "1", "text": "Bonjour", "lang": "fr"}),
        Record(3, {"id": "2", "text": "Hello", "lang": "en"}),
        Record(4, {"id": "3", "text": "Sans langue", "lang": ""}),
    ]
    assert items[2].lang is None


def test_csv_header_names_are_stripped_and_order_is_free() -> None:
    items = read_all(csv_stream(" lang , text \nfr,Salut\n"), "csv")
    assert items == [Record(2, {"lang": "fr", "text": "Salut"})]


def test_csv_quoted_multiline_records_keep_the_following_line_numbers_right() -> None:
    data = (
        "id,text\n"  # 1
        '1,"first line\n'  # 2
        'second line"\n'  # 3
        "2,simple\n"  # 4
        '3,"a\n'  # 5
        "\n"  # 6 (inside the quotes)
        'c, with ""quotes"""\n'  # 7
        "4,last\n"  # 8
    )
    items = read_all(csv_stream(data), "csv")
    assert [(item.line, item.fields["id"]) for item in good(items)] == [
        (2, "1"),
        (4, "2"),
        (5, "3"),
        (8, "4"),
    ]
    assert good(items)[0].text == "first line\nsecond line"
    assert good(items)[2].text == 'a\n\nc, with "quotes"'
    assert bad(items) == []


def test_csv_utf8_bom_on_the_header_is_dropped() -> None:
    items = read_all(csv_stream("\ufefftext,id\nBonjour,1\n"), "csv")
    assert items == [Record(2, {"text": "Bonjour", "id": "1"})]


def test_csv_blank_lines_are_passed_over() -> None:
    items = read_all(csv_stream("text\none\n\n,\ntwo\n"), "csv")
    assert items == [Record(2, {"text": "one"}), Record(5, {"text": "two"})]


def test_csv_crlf_line_endings_are_read() -> None:
    items = read_all(csv_stream('id,text\r\n1,one\r\n2,"two\r\nlines"\r\n3,three\r\n'), "csv")
    assert [(r.line, r.fields["id"]) for r in good(items)] == [(2, "1"), (3, "2"), (5, "3")]


def test_csv_row_with_the_wrong_number_of_columns_is_rejected() -> None:
    items = read_all(csv_stream("id,text\n1,ok\n2,too,many\n3\n4,fine\n"), "csv")
    assert bad(items) == [Rejected(3, "3 columns instead of 2"), Rejected(4, "1 column instead of 2")]
    assert [r.line for r in good(items)] == [2, 5]


def test_csv_invalid_utf8_line_is_rejected_and_the_next_record_keeps_its_line_number() -> None:
    data = b'id,text\n1,hello\n2,"caf\xe9"\n3,world\n'
    items = read_all(csv_stream(data), "csv")
    assert items == [
        Record(2, {"id": "1", "text": "hello"}),
        Rejected(3, "invalid text (UTF-8 expected) at byte 6"),
        Record(4, {"id": "3", "text": "world"}),
    ]


def test_csv_empty_or_missing_text_is_rejected() -> None:
    items = read_all(csv_stream("id,text\n1,\n2,  \n3,ok\n"), "csv")
    assert bad(items) == [
        Rejected(2, "no `text` field, or an empty one"),
        Rejected(3, "no `text` field, or an empty one"),
    ]
    assert [r.line for r in good(items)] == [4]


def test_csv_unsupported_lang_is_rejected() -> None:
    items = read_all(csv_stream("text,lang\nHallo,de\nBonjour,fr\n"), "csv")
    assert items == [
        Rejected(2, "language 'de' is not supported (fr, en)"),
        Record(3, {"text": "Bonjour", "lang": "fr"}),
    ]


def test_csv_without_a_text_column_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="no `text` column") as caught:
        read_all(csv_stream("id,message\n1,Bonjour\n"), "csv")
    assert caught.value.code == "E012"


def test_csv_field_longer_than_the_csv_module_default_limit_is_read() -> None:
    text = "très long " * 30_000  # 300 000 characters, above csv's default 131 072
    items = read_all(csv_stream(f'id,text\n1,"{text}"\n2,after\n'), "csv")
    assert [(r.line, len(r.text)) for r in good(items)] == [(2, len(text)), (3, 5)]


def test_csv_malformed_row_is_rejected_and_the_run_goes_on() -> None:
    items = read_all(csv_stream(b"id,text\n1,bare\rreturn\n2,fine\n"), "csv")
    assert isinstance(items[0], Rejected)
    assert items[0].line == 2
    assert items[0].reason.startswith("invalid CSV: ")
    assert items[1] == Record(3, {"id": "2", "text": "fine"})


def test_csv_record_above_the_size_limit_is_rejected_and_the_next_one_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 100)
    data = "id,text\n1,small\n2," + "x" * 300 + "\n3,next\n"
    items = read_all(csv_stream(data), "csv")
    assert items == [
        Record(2, {"id": "1", "text": "small"}),
        Rejected(3, "record longer than 100 bytes"),
        Record(4, {"id": "3", "text": "next"}),
    ]


def test_csv_quote_never_closed_refuses_its_line_and_reads_the_lines_after_it_again() -> None:
    # Without the check, line 2's quote swallowed lines 3 and 4 into its text, and nothing said so.
    items = read_all(csv_stream('id,text\n1,"bonjour\n2,merci\n3,au revoir\n'), "csv")
    assert items == [
        Rejected(
            2,
            "a quote opened on this line is never closed (it ran to line 4): "
            "the lines after it are read again",
        ),
        Record(3, {"id": "2", "text": "merci"}),
        Record(4, {"id": "3", "text": "au revoir"}),
    ]


def test_csv_quote_never_closed_on_the_last_line_is_refused() -> None:
    items = read_all(csv_stream('id,text\n1,fine\n2,"cut short'), "csv")
    assert items == [
        Record(2, {"id": "1", "text": "fine"}),
        Rejected(3, "invalid CSV: unexpected end of data"),
    ]


def test_csv_quote_never_closed_is_found_on_standard_input_too() -> None:
    class Pipe(io.BytesIO):  # a stream that cannot seek, as standard input
        def seekable(self) -> bool:
            return False

    items = read_all(Pipe(b'id,text\n1,"open\n2,two\n'), "csv")
    assert [item.line for item in bad(items)] == [2]
    assert good(items) == [Record(3, {"id": "2", "text": "two"})]


def test_csv_record_whose_quotes_close_on_a_later_line_is_refused_naming_the_lines_it_spans() -> None:
    # Line 2's quote is closed by line 4's: strictly read, the field does not end there.
    items = read_all(csv_stream('id,text\n1,"bonjour\n2,merci\n3,"ok" !\n4,fin\n'), "csv")
    assert items == [
        Rejected(
            2,
            "record of this line to line 4 whose quotes do not close where their field ends "
            '(a quote inside a field is doubled: "")',
        ),
        Record(5, {"id": "4", "text": "fin"}),
    ]


def test_csv_text_after_a_closing_quote_is_refused_naming_its_column() -> None:
    # '"super" service' was read as 'super service', its quotes gone and nothing said. A field that does
    # not start with a quote keeps its quotes as it stands ('a "b" c'), as spreadsheets read it.
    reason = (
        "text follows the quote that closes the field of column `text` (it would be read without its "
        'quotes): put the whole field in quotes and double the quotes inside it ("")'
    )
    items = read_all(csv_stream('id,text\n1,"super" service\n2,a "b" c\n3,"ok ""oui"""\n4,fin\n'), "csv")
    assert items == [
        Rejected(2, reason),
        Record(3, {"id": "2", "text": 'a "b" c'}),
        Record(4, {"id": "3", "text": 'ok "oui"'}),
        Record(5, {"id": "4", "text": "fin"}),
    ]


def test_csv_a_stray_quote_is_named_in_french_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    items = read_all(csv_stream('id,text\n1\'2,"abc"def\n'), "csv")
    assert bad(items)[0].reason.startswith(
        "du texte suit le guillemet qui ferme le champ de la colonne `text`"
    )


def test_csv_unreadable_line_inside_a_record_refuses_the_whole_record_and_keeps_the_next() -> None:
    # The bad line used to be dropped: the quote it closed stayed open and swallowed record 2.
    data = b'id,text\n1,"bonjour\n\xff suite"\n2,merci\n'
    items = read_all(csv_stream(data), "csv")
    assert items == [
        Rejected(2, "line 3 of the record: invalid text (UTF-8 expected) at byte 0"),
        Record(4, {"id": "2", "text": "merci"}),
    ]


def test_csv_oversized_line_inside_a_record_refuses_the_whole_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 100)
    data = 'id,text\n1,"start\n' + "x" * 300 + '\nend"\n2,next\n'
    items = read_all(csv_stream(data), "csv")
    assert items == [
        Rejected(2, "line 3 of the record: record longer than 100 bytes"),
        Record(5, {"id": "2", "text": "next"}),
    ]


def test_csv_lines_ended_by_cr_alone_are_a_format_error_that_says_so() -> None:
    with pytest.raises(FormatError, match="CR alone"):
        read_all(csv_stream("id,text\r1,bonjour\r2,merci\r"), "csv")


def test_csv_unreadable_header_is_a_format_error_with_its_reason() -> None:
    with pytest.raises(FormatError, match="header line cannot be read: invalid text"):
        read_all(csv_stream(b"id,t\xffext\n1,bonjour\n"), "csv")


def test_csv_quote_reasons_follow_the_user_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    items = read_all(csv_stream('id,text\n1,"bonjour\n2,merci\n'), "csv")
    assert bad(items)[0].reason.startswith("un guillemet ouvert sur cette ligne n'est jamais refermé")


def test_read_csv_is_what_read_records_uses_for_csv() -> None:
    data = b"text\nhello\n"
    assert list(read_csv(io.BytesIO(data))) == read_all(io.BytesIO(data), "csv")


# --- guess_format --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("messages.jsonl", "jsonl"),
        ("messages.ndjson", "jsonl"),
        ("messages.json", "jsonl"),
        ("MESSAGES.JSONL", "jsonl"),
        ("dir.v2/messages.csv", "csv"),
        ("export.CSV", "csv"),
    ],
)
def test_guess_format_by_suffix(path: str, expected: str) -> None:
    assert guess_format(path) == expected


@pytest.mark.parametrize("explicit", ["jsonl", "csv"])
def test_guess_format_explicit_wins_over_the_suffix(explicit: str) -> None:
    assert guess_format("messages.txt", explicit) == explicit
    assert guess_format("messages.csv", explicit) == explicit
    assert guess_format("-", explicit) == explicit


@pytest.mark.parametrize("path", ["messages.txt", "messages", "archive.jsonl.gz"])
def test_guess_format_unknown_suffix_is_a_format_error(path: str) -> None:
    with pytest.raises(FormatError, match="--format jsonl or csv") as caught:
        guess_format(path)
    assert path in str(caught.value)
    assert str(caught.value).startswith("[E012] ")


def test_guess_format_of_standard_input_is_jsonl_unless_told() -> None:
    """``-`` was refused as "unknown format for -" although the help calls it standard input."""
    assert guess_format("-") == "jsonl"


@pytest.mark.parametrize("value", ["my own notes", {"mood": "bad"}, 3])
def test_a_record_with_an_analysis_field_of_its_own_is_rejected_rather_than_overwritten(
    value: object,
) -> None:
    # The reading is written under `analysis`: the user's own field used to be replaced without a word.
    (item,) = read_all(jsonl({"text": "Merci", "analysis": value}))
    assert item == Rejected(
        1, "the record has an `analysis` field of its own, where the reading is written: rename it to keep it"
    )


def test_a_record_holding_a_reading_of_ours_is_read_again() -> None:
    # Our own output read again: its `analysis` is a reading (it has its engine's version), replaced.
    fields = {"text": "Merci", "analysis": {"engine_version": "ressenti-engine/0.1", "emotion": "gratitude"}}
    assert read_all(jsonl(fields)) == [Record(1, fields)]


@pytest.mark.parametrize("header", ["id,text,text", "text,lang,id,lang"])
def test_csv_header_naming_a_column_twice_is_a_format_error(header: str) -> None:
    # id,text,text used to read the second text column: the first one's messages were lost.
    with pytest.raises(FormatError, match=r"names column (text|lang) twice"):
        read_all(csv_stream(header + "\n1,Merci,Nul\n"), "csv")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_jsonl_in_utf16_is_a_format_error_saying_so(encoding: str) -> None:
    # Each line was refused on its own as "invalid text", and a file of 6 records counted 8 skipped.
    data = '{"text": "Bonjour"}\n{"text": "Merci"}\n'.encode(encoding)
    with pytest.raises(FormatError, match="the file is UTF-16: save it as UTF-8"):
        read_all(io.BytesIO(data))


def test_csv_that_is_not_text_at_all_says_its_header_cannot_be_read_not_that_it_ends_lines_with_cr() -> None:
    # A Parquet file read with --format csv was said to have "CR alone" line endings.
    with pytest.raises(FormatError, match="header line cannot be read: invalid text"):
        read_all(csv_stream(b"PAR1\x15\x04\x15\xd0\r\x15\xf0\x8a\x00\x00\n"), "csv")


def test_jsonl_a_byte_order_mark_alone_on_the_first_line_is_a_blank_line() -> None:
    # It was refused as invalid JSON.
    assert read_all(io.BytesIO(b"\xef\xbb\xbf\n" + b'{"text": "Salut"}\n')) == [Record(2, {"text": "Salut"})]
