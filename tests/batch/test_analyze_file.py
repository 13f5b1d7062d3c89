"""Analysing a whole stream: one JSONL line out per good record, bad ones reported, chunking invisible."""

from __future__ import annotations

import io
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from ressenti.analysis.api import default_engine
from ressenti.analysis.engine import Engine
from ressenti.batch.analyze_file import FileReport, analyze_stream
from ressenti.batch.records import Rejected

GOOD = [
    {
        "id": "fr-1",
        "lang": "fr",
        "text": "Toujours pas reçu ma commande !!! 😡 C'est inadmissible, je suis furieux.",
    },
    {"id": "en-1", "lang": "en", "text": "Thank you so much, the problem was solved in five minutes!"},
    {
        "id": "fr-2",
        "text": "Je ne comprends pas ma facture, pourquoi ces frais ?",
        "channel": "email",
        "priority": 2,
    },
    {"id": "en-2", "text": "Where is my parcel?", "meta": {"shop": "Lyon", "tags": ["a", "b"]}},
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    text = (resources.files("ressenti") / "analysis" / "analysis.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def jsonl(*rows: dict[str, Any] | str | bytes) -> io.BytesIO:
    lines = []
    for row in rows:
        if isinstance(row, dict):
            row = json.dumps(row, ensure_ascii=False)
        lines.append(row.encode("utf-8") if isinstance(row, str) else row)
    return io.BytesIO(b"\n".join(lines) + b"\n")


def run(
    engine: Engine, source: io.BytesIO, fmt: str = "jsonl", **options: Any
) -> tuple[list[dict[str, Any]], FileReport, list[Rejected]]:
    sink = io.StringIO()
    rejected: list[Rejected] = []
    report = analyze_stream(engine, source, fmt, sink, on_rejected=rejected.append, **options)  # type: ignore[arg-type]
    text = sink.getvalue()
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()], report, rejected


def test_each_good_record_gives_one_line_with_its_fields_and_an_analysis(
    engine: Engine, validator: jsonschema.Draft202012Validator
) -> None:
    out, report, rejected = run(engine, jsonl(*GOOD))
    assert len(out) == len(GOOD)
    assert rejected == []
    for row, written in zip(GOOD, out, strict=True):
        assert {key: value for key, value in written.items() if key != "analysis"} == row
        validator.validate(written["analysis"])
    assert (report.read, report.written, report.skipped) == (4, 4, 0)


def test_analysis_keys_are_exactly_the_public_schema(
    engine: Engine, validator: jsonschema.Draft202012Validator
) -> None:
    out, _, _ = run(engine, jsonl(GOOD[0]))
    assert set(out[0]["analysis"]) == set(validator.schema["required"]) == set(validator.schema["properties"])


def test_given_language_is_used(engine: Engine) -> None:
    out, _, _ = run(
        engine, jsonl({"text": "Bonjour, merci pour tout", "lang": "en"}, {"text": "Thanks", "lang": "fr"})
    )
    assert [row["analysis"]["lang"] for row in out] == ["en", "fr"]


def test_clearly_angry_french_complaint_reads_negative(engine: Engine) -> None:
    out, _, _ = run(engine, jsonl(GOOD[0]))
    assert out[0]["analysis"]["sentiment"] == "negative"


def test_unicode_is_written_as_is_not_escaped(engine: Engine) -> None:
    sink = io.StringIO()
    analyze_stream(engine, jsonl(GOOD[0]), "jsonl", sink, on_rejected=lambda item: None)
    assert "reçu" in sink.getvalue()
    assert "😡" in sink.getvalue()


def test_bad_records_go_to_the_callback_and_are_counted(engine: Engine) -> None:
    source = jsonl(GOOD[0], b'{"text": "caf\xe9"}', "", {"id": "no-text"}, "[1, 2]", GOOD[1])
    out, report, rejected = run(engine, source)
    assert [row["id"] for row in out] == ["fr-1", "en-1"]
    assert [item.line for item in rejected] == [2, 4, 5]
    assert all(isinstance(item, Rejected) and item.reason for item in rejected)
    assert (report.read, report.written, report.skipped) == (5, 2, 3)


def test_only_bad_records_write_nothing(engine: Engine) -> None:
    out, report, rejected = run(engine, jsonl("nope", {"text": ""}))
    assert out == []
    assert (report.read, report.written, report.skipped) == (2, 0, 2)
    assert [item.line for item in rejected] == [1, 2]


def test_empty_stream(engine: Engine) -> None:
    out, report, rejected = run(engine, io.BytesIO(b""))
    assert out == []
    assert rejected == []
    assert (report.read, report.written, report.skipped) == (0, 0, 0)


def test_csv_stream(engine: Engine, validator: jsonschema.Draft202012Validator) -> None:
    data = 'id,text,lang\n1,"Merci beaucoup, parfait 👍",fr\n2,\n3,"Where is\nmy parcel?",en\n'
    out, report, rejected = run(engine, io.BytesIO(data.encode()), "csv")
    assert [(row["id"], row["lang"]) for row in out] == [("1", "fr"), ("3", "en")]
    assert out[1]["text"] == "Where is\nmy parcel?"
    for row in out:
        validator.validate(row["analysis"])
    assert [item.line for item in rejected] == [3]
    assert (report.read, report.written, report.skipped) == (3, 2, 1)


def test_results_do_not_depend_on_the_chunk_size(engine: Engine) -> None:
    rows: list[dict[str, Any] | str] = []
    for index in range(30):
        row = dict(GOOD[index % len(GOOD)])
        row["id"] = f"m-{index}"
        rows.append(row)
        if index % 7 == 3:
            rows.append("not json")
    outputs = []
    reports = []
    for chunk in (1, 3, 512):
        sink = io.StringIO()
        rejected: list[Rejected] = []
        source = jsonl(*rows)
        reports.append(
            analyze_stream(engine, source, "jsonl", sink, on_rejected=rejected.append, chunk=chunk)
        )
        outputs.append((sink.getvalue(), rejected))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0][0].count("\n") == 30
    assert reports[0] == reports[1] == reports[2] == FileReport(read=34, written=30, skipped=4)


def test_progress_reports_bytes_read_per_chunk(engine: Engine) -> None:
    source = jsonl(*GOOD)
    total = len(source.getvalue())
    seen: list[int] = []
    analyze_stream(
        engine,
        source,
        "jsonl",
        io.StringIO(),
        on_rejected=lambda item: None,
        on_progress=seen.append,
        chunk=2,
    )
    assert seen == sorted(seen)
    assert len(seen) == 2
    assert seen[-1] == total


def test_long_text_is_truncated_and_flagged(engine: Engine) -> None:
    text = "Je suis très déçu. " * 6_000  # 114 000 characters: above the 100 000 read
    out, report, _ = run(engine, jsonl({"id": "long", "text": text}, {"id": "short", "text": "Merci !"}))
    assert [row["analysis"]["truncated"] for row in out] == [True, False]
    assert report.truncated == 1  # counted, for the summary to say
    assert out[0]["text"] == text  # the record itself is written whole


def test_a_record_whose_id_an_earlier_one_has_is_read_and_said_with_both_lines(engine: Engine) -> None:
    """Two records with one id were both written without a word; both still are (exported data may
    repeat an id, and which one is wrong is the user's to say), each repeat named with the first's line.
    A record without an id, or with an empty one, is nobody's duplicate."""
    source = jsonl(
        {"id": "a", "text": "Bonjour"},
        {"id": "b", "text": "Salut"},
        {"text": "Sans id"},
        {"id": "", "text": "Vide"},
        {"id": "a", "text": "Encore"},
        {"text": "Sans id"},
        {"id": "", "text": "Vide"},
        {"id": "a", "text": "Et encore"},
    )
    sink = io.StringIO()
    said: list[tuple[int, int]] = []
    report = analyze_stream(
        engine,
        source,
        "jsonl",
        sink,
        on_rejected=lambda item: None,
        on_duplicate=lambda record, first: said.append((record.line, first)),
    )
    assert said == [(5, 1), (8, 1)]
    assert (report.read, report.written, report.duplicates, report.skipped) == (8, 8, 2, 0)
    assert [json.loads(line)["text"] for line in sink.getvalue().splitlines()][4] == "Encore"
