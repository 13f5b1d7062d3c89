"""The ``ressenti`` command, run for real as a subprocess through its installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

ANGRY_FR = "Toujours pas reçu ma commande !!! 😡 C'est inadmissible, je vais résilier."
MESSAGES = [
    {"id": "fr-1", "lang": "fr", "text": ANGRY_FR},
    {"id": "en-1", "lang": "en", "text": "Thank you so much, the problem was solved in five minutes!"},
    {"id": "fr-2", "text": "Je ne comprends pas ma facture, pourquoi ces frais ?"},
]


def ressenti_command() -> str:
    beside = Path(sys.executable).parent / "ressenti"
    if beside.exists():
        return str(beside)
    found = shutil.which("ressenti")
    assert found, "the `ressenti` console script is not installed (pip install -e .)"
    return found


def run(
    *args: str, stdin: bytes | None = None, lang: str = "en", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "RESSENTI_LANG": lang, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [ressenti_command(), *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def out(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stdout.decode("utf-8")


def err(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    text = (resources.files("ressenti") / "analysis" / "analysis.schema.json").read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- one message ---------------------------------------------------------------------------------


def test_analyze_text_prints_the_emotion_and_the_signals() -> None:
    done = run("analyze", ANGRY_FR)
    assert done.returncode == 0, err(done)
    text = out(done)
    first = text.splitlines()[0]
    assert "sentiment negative" in first
    assert any(name in first for name in ("anger", "frustration", "sadness", "anxiety"))
    assert "Emotions" in text
    assert "Signals: " in text
    signals = next(line for line in text.splitlines() if line.startswith("Signals: "))
    assert "complaint" in signals or "churn threat" in signals
    assert ANGRY_FR in text


def test_analyze_text_in_french_labels() -> None:
    done = run("analyze", ANGRY_FR, lang="fr")
    assert done.returncode == 0, err(done)
    assert "sentiment négatif" in out(done)
    assert "Signaux: " in out(done)


def test_analyze_neutral_text_says_no_signal() -> None:
    done = run("analyze", "Le colis arrive demain.", "--lang", "fr")
    assert done.returncode == 0, err(done)
    assert "Signals: none" in out(done)


def test_analyze_json_prints_an_object_valid_against_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    done = run("analyze", "--json", ANGRY_FR)
    assert done.returncode == 0, err(done)
    reading = json.loads(out(done))
    validator.validate(reading)
    assert reading["sentiment"] == "negative"
    assert reading["lang"] == "fr"


def test_analyze_json_with_lang(validator: jsonschema.Draft202012Validator) -> None:
    done = run("analyze", "--json", "--lang", "en", "Merci beaucoup")
    assert done.returncode == 0, err(done)
    reading = json.loads(out(done))
    validator.validate(reading)
    assert reading["lang"] == "en"


def test_unsupported_lang_option_is_a_usage_error() -> None:
    done = run("analyze", "--lang", "de", "Hallo")
    assert done.returncode == 2
    assert "Traceback" not in err(done)


# --- files ---------------------------------------------------------------------------------------


def test_input_output_jsonl_writes_one_line_per_record(
    tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    source = write_jsonl(tmp_path / "good.jsonl", MESSAGES)
    target = tmp_path / "out.jsonl"
    done = run("analyze", "--input", str(source), "--output", str(target))
    assert done.returncode == 0, err(done)
    rows = read_jsonl(target)
    assert [row["id"] for row in rows] == ["fr-1", "en-1", "fr-2"]
    for row, given in zip(rows, MESSAGES, strict=True):
        assert row["text"] == given["text"]
        validator.validate(row["analysis"])
    assert "3 records read, 3 written, 0 skipped" in err(done)
    assert "Traceback" not in err(done)


def test_bad_records_are_reported_by_line_and_the_run_goes_on(tmp_path: Path) -> None:
    big_text = "Merci pour votre aide. " * (10 * 1024 * 1024 // 23 + 1)  # a 10 MB message
    lines = [
        json.dumps(MESSAGES[0], ensure_ascii=False).encode(),  # 1
        b'{"id": "bad-utf8", "text": "caf\xe9"}',  # 2: Latin-1
        b"",  # 3: blank, passed over
        b'{"id": "no-text", "body": "hello"}',  # 4
        json.dumps({"id": "big", "text": big_text}).encode(),  # 5
        json.dumps(MESSAGES[1]).encode(),  # 6
    ]
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    assert source.stat().st_size > 10 * 1024 * 1024
    target = tmp_path / "out.jsonl"
    done = run("analyze", "--input", str(source), "--output", str(target))
    assert done.returncode == 1
    stderr = err(done)
    assert "line 2 skipped: invalid text (UTF-8 expected) at byte" in stderr
    assert "line 4 skipped: no `text` field" in stderr
    assert "line 3" not in stderr
    assert "line 5" not in stderr
    assert "6 records read" not in stderr
    assert "5 records read, 3 written, 2 skipped" in stderr
    assert "Traceback" not in stderr
    rows = read_jsonl(target)
    assert [row["id"] for row in rows] == ["fr-1", "big", "en-1"]
    assert rows[1]["text"] == big_text
    assert rows[1]["analysis"]["truncated"] is True
    assert rows[0]["analysis"]["truncated"] is False


def test_unsupported_lang_and_unpaired_surrogate_are_skipped_not_fatal(tmp_path: Path) -> None:
    source = tmp_path / "odd.jsonl"
    source.write_bytes(
        b'{"id": "de", "text": "Hallo", "lang": "de"}\n'
        b'{"id": "half-emoji", "text": "broken \\ud83d here"}\n'
        b'{"id": "ok", "text": "Merci"}\n'
    )
    target = tmp_path / "out.jsonl"
    done = run("analyze", "--input", str(source), "--output", str(target))
    assert done.returncode == 1
    assert "line 1 skipped: language 'de' is not supported" in err(done)
    assert "line 2 skipped: invalid JSON: unpaired surrogate" in err(done)
    assert "Traceback" not in err(done)
    assert [row["id"] for row in read_jsonl(target)] == ["ok"]


def test_skipped_line_message_in_french(tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(b'{"text": "Bonjour"}\n{"text": \n')
    done = run("analyze", "--input", str(source), "--output", str(tmp_path / "out.jsonl"), lang="fr")
    assert done.returncode == 1
    assert "ligne 2 ignorée : JSON invalide" in err(done)
    assert "2 enregistrements lus, 1 écrits, 1 ignorés" in err(done)


def test_csv_input(tmp_path: Path, validator: jsonschema.Draft202012Validator) -> None:
    source = tmp_path / "messages.csv"
    source.write_text(
        "\ufeffid,text,lang\n"
        f'1,"{ANGRY_FR}",fr\n'
        '2,"Two lines,\nstill one message",en\n'
        "3,too,many,columns\n"
        "4,Merci !,\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    done = run("analyze", "--input", str(source), "--output", str(target))
    assert done.returncode == 1
    assert "line 5 skipped: 4 columns instead of 3" in err(done)
    rows = read_jsonl(target)
    assert [row["id"] for row in rows] == ["1", "2", "4"]
    assert rows[1]["text"] == "Two lines,\nstill one message"
    for row in rows:
        validator.validate(row["analysis"])
    assert rows[0]["analysis"]["sentiment"] == "negative"


def test_format_option_reads_a_file_whose_suffix_does_not_tell(tmp_path: Path) -> None:
    source = tmp_path / "messages.txt"
    source.write_text("text\nBonjour\nMerci\n", encoding="utf-8")
    done = run("analyze", "--input", str(source), "--format", "csv", "--output", "-")
    assert done.returncode == 0, err(done)
    assert len(out(done).splitlines()) == 2


def test_input_from_stdin(tmp_path: Path) -> None:
    data = b"".join(json.dumps(row).encode() + b"\n" for row in MESSAGES)
    target = tmp_path / "out.jsonl"
    done = run("analyze", "--input", "-", "--format", "jsonl", "--output", str(target), stdin=data)
    assert done.returncode == 0, err(done)
    assert [row["id"] for row in read_jsonl(target)] == ["fr-1", "en-1", "fr-2"]


def test_stdin_without_format_asks_for_one() -> None:
    done = run("analyze", "--input", "-", stdin=b'{"text": "Bonjour"}\n')
    assert done.returncode == 2
    assert "--format jsonl or csv" in err(done)
    assert "Traceback" not in err(done)


def test_output_to_stdout_keeps_stdout_pure_jsonl(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "good.jsonl", MESSAGES)
    done = run("analyze", "--input", str(source), "--output", "-")
    assert done.returncode == 0, err(done)
    rows = [json.loads(line) for line in out(done).splitlines()]
    assert [row["id"] for row in rows] == ["fr-1", "en-1", "fr-2"]
    assert "3 records read" in err(done)


def test_output_defaults_to_stdout(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "good.jsonl", MESSAGES[:1])
    done = run("analyze", "--input", str(source))
    assert done.returncode == 0, err(done)
    assert json.loads(out(done))["id"] == "fr-1"


def test_stdin_to_stdout() -> None:
    done = run("analyze", "--input", "-", "--format", "csv", "--output", "-", stdin=b"text\nMerci beaucoup\n")
    assert done.returncode == 0, err(done)
    (row,) = [json.loads(line) for line in out(done).splitlines()]
    assert row["text"] == "Merci beaucoup"
    assert "analysis" in row


def test_unknown_suffix_without_format_exits_two_with_a_clear_message(tmp_path: Path) -> None:
    source = tmp_path / "messages.txt"
    source.write_text('{"text": "Bonjour"}\n', encoding="utf-8")
    done = run("analyze", "--input", str(source), "--output", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2
    assert "[E012]" in err(done)
    assert "unknown format for" in err(done)
    assert "--format jsonl or csv" in err(done)
    assert "Traceback" not in err(done)
    assert not (tmp_path / "out.jsonl").exists()


def test_csv_without_text_column_exits_two(tmp_path: Path) -> None:
    source = tmp_path / "messages.csv"
    source.write_text("id,message\n1,Bonjour\n", encoding="utf-8")
    done = run("analyze", "--input", str(source), "--output", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2
    assert "no `text` column" in err(done)
    assert "Traceback" not in err(done)


def test_a_refused_input_leaves_the_previous_output_as_it_was(tmp_path: Path) -> None:
    source = tmp_path / "messages.csv"
    source.write_text("id,message\n1,Bonjour\n", encoding="utf-8")
    previous = tmp_path / "out.jsonl"
    previous.write_text('{"kept": true}\n', encoding="utf-8")
    done = run("analyze", "--input", str(source), "--output", str(previous))
    assert done.returncode == 2
    assert previous.read_text(encoding="utf-8") == '{"kept": true}\n'
    assert {p.name for p in tmp_path.iterdir()} == {"messages.csv", "out.jsonl"}  # no partial file left


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_output_that_is_the_input_is_refused_and_the_input_kept(tmp_path: Path, lang: str) -> None:
    source = write_jsonl(tmp_path / "messages.jsonl", MESSAGES)
    before = source.read_bytes()
    done = run(
        "analyze", "--input", str(source), "--output", str(tmp_path / "." / "messages.jsonl"), lang=lang
    )
    assert done.returncode == 2
    assert ("est aussi le fichier d'entrée" if lang == "fr" else "is also the input file") in err(done)
    assert source.read_bytes() == before


def test_missing_input_file_exits_two_without_traceback(tmp_path: Path) -> None:
    done = run("analyze", "--input", str(tmp_path / "absent.jsonl"), "--output", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2
    assert "absent.jsonl" in err(done)
    assert "Traceback" not in err(done)


def test_unwritable_output_exits_two_without_traceback(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "good.jsonl", MESSAGES)
    done = run(
        "analyze", "--input", str(source), "--output", str(tmp_path / "no" / "such" / "dir" / "out.jsonl")
    )
    assert done.returncode == 2
    assert "out.jsonl" in err(done)
    assert "Traceback" not in err(done)


def test_neither_text_nor_input_is_a_usage_error() -> None:
    done = run("analyze")
    assert done.returncode == 2
    assert "Usage:" in err(done)
    assert "give a TEXT or --input" in err(done)


def test_both_text_and_input_is_a_usage_error(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "good.jsonl", MESSAGES)
    done = run("analyze", "Bonjour", "--input", str(source))
    assert done.returncode == 2
    assert "not both" in err(done)


# --- help, version, schema -----------------------------------------------------------------------


def test_help_lists_the_commands() -> None:
    done = run("--help")
    assert done.returncode == 0
    for command in ("analyze", "evaluate", "schema"):
        assert command in out(done)


def test_analyze_help_mentions_its_options() -> None:
    done = run("analyze", "--help")
    assert done.returncode == 0
    for option in ("--lang", "--input", "--output", "--format", "--json"):
        assert option in out(done)


def test_evaluate_help_mentions_its_options() -> None:
    done = run("evaluate", "-h")
    assert done.returncode == 0
    for option in ("--data", "--task", "--lang", "--limit", "--json"):
        assert option in out(done)
    assert "sentiment" in out(done)


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert "version" in out(done)


def test_schema_prints_the_json_schema() -> None:
    done = run("schema")
    assert done.returncode == 0
    schema = json.loads(out(done))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert "emotion" in schema["properties"]


def test_unknown_command_is_a_usage_error() -> None:
    done = run("analyse-moi")
    assert done.returncode == 2
    assert "Traceback" not in err(done)


# --- evaluate ------------------------------------------------------------------------------------

LABELLED = [
    {"id": "cs-fr-1", "lang": "fr", "text": ANGRY_FR, "sentiment": "negative"},
    {"id": "cs-en-1", "lang": "en", "text": "Thank you, all sorted!", "sentiment": "positive"},
    {"id": "cs-fr-2", "lang": "fr", "text": "Le colis arrive demain.", "sentiment": "neutral"},
]


@pytest.mark.parametrize(
    ("limit", "lang", "said"),
    [
        ("0", "en", "'--limit': 0: a whole number is needed, 1 or more"),
        ("-5", "fr", "'--limit': -5 : il faut un nombre entier, 1 ou plus"),
        ("2.5", "en", "'--limit': 2.5: a whole number is needed, 1 or more"),
    ],
)
def test_evaluate_refuses_a_limit_under_one_in_the_users_language(
    tmp_path: Path, limit: str, lang: str, said: str
) -> None:
    """--limit 0 and --limit -5 used to be taken (and scored one row); a limit under one, or not a whole
    number, is refused (exit 2) with the reason in the user's language."""
    data = write_jsonl(tmp_path / "labelled.jsonl", LABELLED)
    done = run("evaluate", "--data", str(data), "--task", "sentiment", "--limit", limit, lang=lang)
    assert done.returncode == 2
    assert said in err(done)
    assert out(done) == ""
    assert "Traceback" not in err(done)


def test_evaluate_limit_of_one_scores_one_row(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "labelled.jsonl", LABELLED)
    done = run("evaluate", "--data", str(data), "--task", "sentiment", "--limit", "1", "--json")
    assert done.returncode == 0, err(done)
    assert json.loads(out(done))["count"] == 1
