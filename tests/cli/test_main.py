"""The ``ressenti`` command, run for real as a subprocess through its installed console script."""

from __future__ import annotations

import json
import os
import re
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
ROOT = Path(__file__).resolve().parents[2]


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
    assert "Signaux : " in out(done)  # French spacing


def test_analyze_text_shows_control_characters_as_escapes_not_to_the_terminal() -> None:
    """An OSC sequence (window title) and a screen clear in the text used to reach the terminal raw."""
    done = run("analyze", "Bonjour \x1b]0;PWNED\x07 \x1b[2J je suis furieux", lang="fr")
    assert done.returncode == 0, err(done)
    assert b"\x1b" not in done.stdout
    assert b"\x07" not in done.stdout
    assert "Bonjour \\x1b]0;PWNED\\x07 \\x1b[2J je suis furieux" in out(done)


@pytest.mark.parametrize(
    ("lang", "names", "not_shown"),
    [
        ("fr", ["mot (remboursement)"], ["(refund)"]),
        ("en", ["word (refund)"], ["(remboursement)"]),
    ],
)
def test_analyze_text_names_the_motive_a_cue_points_at_in_the_users_language(
    lang: str, names: list[str], not_shown: list[str]
) -> None:
    """Motive cues used to be shown by their code, "mot (refund)" beside "expression (réclamation)"."""
    done = run("analyze", "Toujours en retard, je veux un remboursement !", "--lang", "fr", lang=lang)
    assert done.returncode == 0, err(done)
    for name in names:
        assert name in out(done)
    for code in not_shown:
        assert code not in out(done)


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
    assert "ligne 2 ignorée : JSON invalide : valeur attendue (col 10)" in err(done)
    assert "2 enregistrements lus, 1 écrit, 1 ignoré" in err(done)


def test_counts_of_one_are_said_in_the_singular(tmp_path: Path) -> None:
    """It used to say "1 enregistrements lus, 0 écrits, 1 ignorés" and "1 colonnes au lieu de 3"."""
    source = tmp_path / "one.csv"
    source.write_text("id,text,lang\nlonely\n", encoding="utf-8")
    done = run("analyze", "--input", str(source), "--output", str(tmp_path / "out.jsonl"), lang="fr")
    assert done.returncode == 1
    assert "ligne 2 ignorée : 1 colonne au lieu de 3" in err(done)
    assert "1 enregistrement lu, 0 écrit, 1 ignoré" in err(done)
    done = run("analyze", "--input", str(source), "--output", str(tmp_path / "out.jsonl"), lang="en")
    assert "line 2 skipped: 1 column instead of 3" in err(done)
    assert "1 record read, 0 written, 1 skipped" in err(done)


def test_the_summary_says_how_many_texts_were_read_only_in_part(tmp_path: Path) -> None:
    """A text over 100,000 characters is read on its start: the flag was only in the JSON, and a run
    over a file said nothing of it."""
    source = write_jsonl(tmp_path / "long.jsonl", [{"text": "Très déçu. " * 10_000}, {"text": "Merci"}])
    done = run("analyze", "--input", str(source), "--output", str(tmp_path / "out.jsonl"), lang="fr")
    assert done.returncode == 0
    assert "1 texte tronqué : seuls les 100000 premiers caractères sont lus (analysis.truncated)" in err(done)
    short = write_jsonl(tmp_path / "short.jsonl", [{"text": "Merci"}])
    done = run("analyze", "--input", str(short), "--output", str(tmp_path / "out2.jsonl"), lang="en")
    assert "truncated" not in err(done)


def test_a_long_reason_on_a_piped_stderr_stays_on_one_line(tmp_path: Path) -> None:
    """Stderr to a pipe or a file was wrapped at 80 columns: one record's reason split over lines of a
    log, which grep no longer found whole."""
    lang = "x" * 120
    source = write_jsonl(tmp_path / "long.jsonl", [{"text": "Bonjour", "lang": lang}])
    # No COLUMNS: rich's own width for what is not a terminal (80) is what used to cut the line.
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    done = subprocess.run(
        [ressenti_command(), "analyze", "--input", str(source), "--output", str(tmp_path / "out.jsonl")],
        capture_output=True,  # stderr is a pipe
        env={**env, "RESSENTI_LANG": "fr"},
        check=False,
    )
    lines = done.stderr.decode("utf-8").splitlines()
    assert f"ligne 1 ignorée : langue '{lang}' non prise en charge (fr, en)" in lines
    assert lines[-1] == "1 enregistrement lu, 0 écrit, 1 ignoré"


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


def test_stdin_without_format_is_read_as_jsonl() -> None:
    """It was refused with "unknown format for -" although the help says "-" is standard input."""
    done = run("analyze", "--input", "-", stdin=b'{"id": "a", "text": "Bonjour"}\n')
    assert done.returncode == 0, err(done)
    (row,) = [json.loads(line) for line in out(done).splitlines()]
    assert (row["id"], row["text"]) == ("a", "Bonjour")
    assert "read as JSONL unless --format csv" in out(run("analyze", "--help"))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("text", ["", "   "])
def test_analyze_an_empty_text_is_refused_as_in_a_file(lang: str, text: str) -> None:
    """`ressenti analyze ""` read an empty text (exit 0); the same in a file is refused."""
    done = run("analyze", text, lang=lang)
    assert done.returncode == 2
    said = {"en": "TEXT is empty: there is nothing to read", "fr": "TEXTE est vide : il n'y a rien à lire"}
    assert err(done) == f"[E010] {said[lang]}\n"
    assert out(done) == ""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_analyze_a_missing_input_is_said_missing_before_its_format_is_asked_for(
    tmp_path: Path, lang: str
) -> None:
    """`--input missing.txt` said "unknown format": the file is missing, which is said first."""
    done = run("analyze", "--input", str(tmp_path / "missing.txt"), lang=lang)
    assert done.returncode == 2
    said = {"en": "no such file or directory", "fr": "fichier ou dossier introuvable"}[lang]
    assert said in err(done)
    assert "format" not in err(done)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("name", "content"),
    [("e.csv", b""), ("h.csv", b"id,text\n"), ("b.jsonl", b"\n  \n\n"), ("e.jsonl", b"")],
    ids=["empty-csv", "header-only-csv", "blank-lines-jsonl", "empty-jsonl"],
)
def test_analyze_an_input_with_no_record_is_refused_and_the_output_kept(
    tmp_path: Path, lang: str, name: str, content: bytes
) -> None:
    """It exited 0 silently, and replaced an existing output with an empty file."""
    source = tmp_path / name
    source.write_bytes(content)
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": true}\n', encoding="utf-8")
    done = run("analyze", "--input", str(source), "--output", str(output), lang=lang)
    assert done.returncode == 2
    said = {
        "en": f"[E010] {source} holds no record (an empty file, a header alone, or blank lines): "
        "nothing to read, the output is left as it was",
        "fr": f"[E010] {source} ne contient aucun enregistrement (fichier vide, en-tête seul ou lignes "
        "vides) : rien à lire, la sortie n'est pas touchée",
    }[lang]
    assert err(done).splitlines()[-1] == said
    assert output.read_text(encoding="utf-8") == '{"kept": true}\n'
    assert {path.name for path in tmp_path.iterdir()} == {name, "out.jsonl"}
    fmt = "csv" if name.endswith(".csv") else "jsonl"
    stdin = run("analyze", "--input", "-", "--format", fmt, "--output", "-", stdin=content, lang="en")
    assert stdin.returncode == 2
    assert "standard input holds no record" in err(stdin)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_analyze_warns_of_a_repeated_id_naming_both_lines_and_reads_both(tmp_path: Path, lang: str) -> None:
    """Two records with one id were both written, exit 0, without a word (batch refuses a conversation
    read twice: its report would count twice); a message is read all the same, with a warning."""
    source = write_jsonl(
        tmp_path / "d.jsonl", [MESSAGES[0], MESSAGES[1], {**MESSAGES[2], "id": MESSAGES[0]["id"]}]
    )
    done = run("analyze", "--input", str(source), "--output", "-", lang=lang)
    assert done.returncode == 0, err(done)
    assert [json.loads(line)["id"] for line in out(done).splitlines()] == ["fr-1", "en-1", "fr-1"]
    said = {
        "en": ["line 3: id 'fr-1' is already at line 1; both records are read", "1 duplicate id (see above)"],
        "fr": [
            "ligne 3 : l'id 'fr-1' figure déjà ligne 1 ; les deux enregistrements sont lus",
            "1 id en double (voir plus haut)",
        ],
    }[lang]
    lines = err(done).splitlines()
    assert lines[0] == said[0]
    assert lines[-1] == said[1]


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


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fr", "Impossible d'ouvrir le fichier 'absent.jsonl' : fichier ou dossier introuvable"),
        ("en", "Could not open file 'absent.jsonl': no such file or directory"),
    ],
)
def test_why_a_file_cannot_be_opened_is_said_in_the_users_language(
    tmp_path: Path, lang: str, said: str
) -> None:
    """It used to mix languages: "Impossible d'ouvrir le fichier … : No such file or directory"."""
    done = run("analyze", "--input", "absent.jsonl", lang=lang, cwd=tmp_path)
    assert done.returncode == 2
    assert said in err(done)


def test_an_output_in_a_folder_that_is_a_file_is_named_as_the_user_gave_it(tmp_path: Path) -> None:
    """It used to name the hidden file written first: "afile/.x.jsonl.partial : …"."""
    source = write_jsonl(tmp_path / "messages.jsonl", MESSAGES)
    (tmp_path / "afile").write_text("", encoding="utf-8")
    done = run("analyze", "--input", str(source), "--output", "afile/x.jsonl", lang="fr", cwd=tmp_path)
    assert done.returncode == 2
    said = "Impossible d'ouvrir le fichier 'afile/x.jsonl' : un élément du chemin n'est pas un dossier"
    assert said in err(done)
    assert "partial" not in err(done)


def test_an_output_in_a_folder_that_is_missing_names_the_folder(tmp_path: Path) -> None:
    """It said "no such file or directory", of the output file, which is not meant to be there yet."""
    source = write_jsonl(tmp_path / "messages.jsonl", MESSAGES)
    done = run("analyze", "--input", str(source), "--output", "no/x.jsonl", lang="en", cwd=tmp_path)
    assert done.returncode == 2
    assert "Could not open file 'no/x.jsonl': folder no does not exist" in err(done)


def test_a_full_disk_is_said_in_french() -> None:
    """It used to mix languages: "écriture de la sortie impossible : No space left on device"."""
    env = {**os.environ, "RESSENTI_LANG": "fr"}
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [ressenti_command(), "analyze", "Bonjour"],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
    assert done.returncode == 2
    assert "écriture de la sortie impossible : plus de place sur le disque" in done.stderr.decode("utf-8")


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
    assert "Error: give a TEXT or --input FILE\n" in err(done)


def test_both_text_and_input_is_a_usage_error(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "good.jsonl", MESSAGES)
    done = run("analyze", "Bonjour", "--input", str(source))
    assert done.returncode == 2
    assert "Error: a TEXT or --input, not both\n" in err(done)


def test_usage_errors_are_said_in_the_users_language_only(tmp_path: Path) -> None:
    """They used to be said in both languages: "give a TEXT or --input FILE / donnez un TEXTE …"."""
    done = run("analyze", lang="fr")
    assert done.returncode == 2
    assert "Erreur : donnez un TEXTE ou --input FICHIER\n" in err(done)
    assert "give a TEXT" not in err(done)
    source = write_jsonl(tmp_path / "good.jsonl", MESSAGES)
    done = run("analyze", "Bonjour", "--input", str(source), lang="fr")
    assert "Erreur : un TEXTE ou --input, pas les deux\n" in err(done)
    done = run("analyze", lang="en")
    assert "donnez" not in err(done)


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


@pytest.mark.parametrize(
    "args",
    [
        ("schema",),
        ("analyze", "Bonjour", "--json"),
        ("conversation", "examples/conversations.jsonl", "--json"),
    ],
)
def test_output_that_cannot_be_written_is_an_error_with_its_reason_not_a_traceback(
    args: tuple[str, ...],
) -> None:
    # Standard output on a full disk (/dev/full) used to end in an OSError traceback.
    env = {**os.environ, "RESSENTI_LANG": "en"}
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [ressenti_command(), *args], stdout=full, stderr=subprocess.PIPE, env=env, cwd=ROOT, check=False
        )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert "the output cannot be written: no space left on device" in stderr
    assert "Traceback" not in stderr


def test_analyze_output_named_for_another_format_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    # readings.csv used to receive JSONL under a CSV name.
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(MESSAGES[0]) + "\n", encoding="utf-8")
    target = tmp_path / "readings.csv"
    done = run("analyze", "--input", str(source), "--output", str(target))
    assert done.returncode == 2
    assert "readings are written as JSONL; name the output .jsonl (or - for standard output)" in err(done)
    assert not target.exists()
    french = run("analyze", "--input", str(source), "--output", str(target), lang="fr")
    assert "les lectures s'écrivent en JSONL" in err(french)


def test_analyze_input_that_is_a_folder_is_a_usage_error_saying_so(tmp_path: Path) -> None:
    # It used to say "unknown format": the folder's name has no suffix.
    done = run("analyze", "--input", str(tmp_path), "--output", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2
    assert "is a directory" in err(done)
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
        ("-5", "fr", "Valeur invalide pour '--limit' : -5 : il faut un nombre entier, 1 ou plus"),
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


def test_evaluate_limit_applies_to_the_behaviour_task_too(tmp_path: Path) -> None:
    """It used to be ignored there (every turn scored)."""
    turn = {
        "lang": "fr",
        "customer": "Colis pas reçu.",
        "agent": "Je suis désolé.",
        "behaviours": ["apology"],
    }
    data = write_jsonl(tmp_path / "turns.jsonl", [turn] * 3)
    done = run("evaluate", "--data", str(data), "--task", "behaviour", "--limit", "2", "--json")
    assert done.returncode == 0, err(done)
    assert json.loads(out(done))["rows"] == 2


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((line.encode() if isinstance(line, str) else line) + b"\n" for line in lines))
    return path


EVALUATE_SKIPPED = {
    "en": [
        "rows.jsonl, line 2 skipped: unknown value 'happy' for `sentiment` "
        "(expected: negative, neutral, positive)",
        "rows.jsonl, line 3 skipped: the `sentiment_group` field must be a list of strings",
        "rows.jsonl, line 4 skipped: language 'de' is not supported (fr, en)",
        "rows.jsonl, line 5 skipped: invalid JSON: Expecting value (col 1)",
        "rows.jsonl, line 7 skipped: a JSON object is expected",
        "rows.jsonl, line 8 skipped: invalid text (UTF-8 expected) at byte 10",
        "rows.jsonl, line 9 skipped: invalid JSON: nested too deeply",
        "rows.jsonl, line 10 skipped: invalid JSON: a number too long to read",
        "lines skipped: 8 (see above); the scores are over the others",
    ],
    "fr": [
        "rows.jsonl, ligne 2 ignorée : valeur 'happy' inconnue pour `sentiment` "
        "(attendu : negative, neutral, positive)",
        "rows.jsonl, ligne 3 ignorée : le champ `sentiment_group` doit être une liste de chaînes",
        "rows.jsonl, ligne 4 ignorée : langue 'de' non prise en charge (fr, en)",
        "rows.jsonl, ligne 5 ignorée : JSON invalide : valeur attendue (col 1)",
        "rows.jsonl, ligne 7 ignorée : un objet JSON est attendu",
        "rows.jsonl, ligne 8 ignorée : texte invalide (UTF-8 attendu) à l'octet 10",
        "rows.jsonl, ligne 9 ignorée : JSON invalide : imbrication trop profonde",
        "rows.jsonl, ligne 10 ignorée : JSON invalide : un nombre trop long pour être lu",
        "lignes ignorées : 8 (voir plus haut) ; les scores portent sur les autres",
    ],
}


def rows_with_every_kind_of_bad_line(path: Path) -> Path:
    deep = '{"text": "x", "sentiment": ' + "[" * 100_000 + "]" * 100_000 + "}"
    return write_lines(
        path,
        [
            json.dumps(LABELLED[0], ensure_ascii=False),  # 1
            '{"text": "Bof", "sentiment": "happy"}',  # 2: a label the task does not know
            '{"text": "Bof", "sentiment_group": 5}',  # 3: a label of the wrong type
            '{"text": "Hallo", "lang": "de", "sentiment": "neutral"}',  # 4
            "not json",  # 5
            "",  # 6: blank, passed over
            "[1, 2]",  # 7
            b'{"text": "\xff", "sentiment": "neutral"}',  # 8
            deep,  # 9
            '{"text": "x", "sentiment": ' + "9" * 5000 + "}",  # 10
            json.dumps(LABELLED[1]),  # 11
            json.dumps(LABELLED[2], ensure_ascii=False),  # 12
        ],
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_evaluate_reports_each_bad_row_with_file_and_line_and_scores_the_others(
    tmp_path: Path, lang: str
) -> None:
    """Wrong types used to crash with a traceback, an unknown label was scored as a class of its own,
    "lang": "de" stopped the run with no line, a bad line stopped it: now each bad row is said on
    stderr (file, line, why, in the user's language), the others are scored, and the status is 1."""
    data = rows_with_every_kind_of_bad_line(tmp_path / "rows.jsonl")
    done = run("evaluate", "--data", str(data), "--task", "sentiment", lang=lang)
    assert done.returncode == 1
    assert err(done).splitlines() == EVALUATE_SKIPPED[lang]
    heading = {"en": "3 rows (8 skipped)", "fr": "3 lignes (8 ignorées)"}[lang]
    assert out(done).splitlines()[0] == f"sentiment · rows.jsonl · {heading}"
    assert "Traceback" not in err(done)


def test_evaluate_json_says_how_many_rows_were_skipped_and_where(tmp_path: Path) -> None:
    data = rows_with_every_kind_of_bad_line(tmp_path / "rows.jsonl")
    done = run("evaluate", "--data", str(data), "--task", "sentiment", "--json")
    assert done.returncode == 1
    result = json.loads(out(done))
    assert result["count"] == 3
    assert result["left_out"] == 8
    assert [(row["file"], row["line"]) for row in result["skipped_rows"]] == [
        ("rows.jsonl", line) for line in (2, 3, 4, 5, 7, 8, 9, 10)
    ]
    assert result["skipped_rows"][0]["reason"].startswith("unknown value 'happy' for `sentiment`")


def test_evaluate_json_of_a_clean_file_lists_no_skipped_row_and_exits_zero(tmp_path: Path) -> None:
    data = write_jsonl(
        tmp_path / "rows.jsonl", [*LABELLED, {"text": "Hmm", "sentiment_group": ["ambiguous"]}]
    )
    done = run("evaluate", "--data", str(data), "--task", "sentiment", "--json")
    assert done.returncode == 0, err(done)
    result = json.loads(out(done))
    assert (result["left_out"], result["unlabelled"], result["skipped_rows"]) == (1, 1, [])  # not bad
    assert err(done) == ""


@pytest.mark.parametrize(
    ("task", "row", "reason"),
    [
        ("emotion", {"text": "Merci", "emotions": 5}, "the `emotions` field must be a list of strings"),
        ("emotion", {"text": "Merci", "emotion": "happy"}, "unknown value 'happy' for `emotion`"),
        ("sentiment", {"id": "xed-1", "text": "Merci", "emotions": 5}, "the `emotions` field must be a list"),
        ("complaint", {"text": "Merci", "complaint": "yes"}, "the `complaint` field must be true or false"),
        ("motive", {"text": "Merci", "motive": "weather"}, "unknown value 'weather' for `motive`"),
        ("motive", {"text": "Merci", "motive": ["delay"]}, "the `motive` field must be a string"),
        (
            "motive",
            {"text": "x", "reason": "Late Flight", "reason_confidence": "high"},
            "the `reason_confidence` field",
        ),
        ("sentiment", {"text": ["Merci"], "sentiment": "positive"}, "the `text` field must be a string"),
    ],
)
def test_evaluate_skips_a_row_whose_label_has_the_wrong_type_or_is_unknown(
    tmp_path: Path, task: str, row: dict[str, Any], reason: str
) -> None:
    good = {
        "emotion": {"text": "Merci", "lang": "fr", "emotion": "gratitude"},
        "sentiment": LABELLED[1],
        "complaint": {"text": "Merci", "lang": "fr", "complaint": False},
        "motive": {"text": "Merci", "lang": "fr", "motive": None},
    }[task]
    data = write_jsonl(tmp_path / "rows.jsonl", [good, row])
    done = run("evaluate", "--data", str(data), "--task", task)
    assert done.returncode == 1
    assert f"rows.jsonl, line 2 skipped: {reason}" in err(done)
    assert " · 1 row (1 skipped)" in out(done)
    assert "Traceback" not in err(done)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_evaluate_behaviour_skips_an_unknown_behaviour_and_a_language_it_cannot_read(
    tmp_path: Path, lang: str
) -> None:
    """A misspelt behaviour was scored as a turn without it; a turn in German stopped the run with no
    line. Both are said and left out, the other turns scored, status 1; --json lists them."""
    turn = {
        "lang": "fr",
        "customer": "Colis pas reçu.",
        "agent": "Je suis désolé.",
        "behaviours": ["apology"],
    }
    data = write_jsonl(
        tmp_path / "turns.jsonl",
        [turn, {**turn, "behaviours": ["empaty"]}, {**turn, "lang": "de"}, turn],
    )
    done = run("evaluate", "--data", str(data), "--task", "behaviour", lang=lang)
    assert done.returncode == 1
    if lang == "en":
        assert "turns.jsonl, line 2 skipped: unknown value 'empaty' for `behaviours`" in err(done)
        assert "turns.jsonl, line 3 skipped: language 'de' is not supported (fr, en)" in err(done)
    else:
        assert "turns.jsonl, ligne 2 ignorée : valeur 'empaty' inconnue pour `behaviours`" in err(done)
        assert "turns.jsonl, ligne 3 ignorée : langue 'de' non prise en charge (fr, en)" in err(done)
    heading = {
        "en": "2 agent turns (2 lines skipped)",
        "fr": "2 tours de conseiller (2 lignes ignorées)",
    }[lang]
    assert out(done).splitlines()[0] == f"behaviour · turns.jsonl · {heading}"
    done = run("evaluate", "--data", str(data), "--task", "behaviour", "--json")
    assert done.returncode == 1
    result = json.loads(out(done))
    assert (result["rows"], result["left_out"]) == (2, 2)
    assert [row["line"] for row in result["skipped_rows"]] == [2, 3]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("task", ["sentiment", "behaviour"])
def test_evaluate_a_folder_holding_a_file_it_cannot_open_exits_two_naming_it(
    tmp_path: Path, lang: str, task: str
) -> None:
    """It used to be an IsADirectoryError traceback; now nothing is scored and the file is named."""
    folder = tmp_path / "data"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", LABELLED)
    (folder / "b.jsonl").mkdir()
    done = run("evaluate", "--data", str(folder), "--task", task, lang=lang)
    assert done.returncode == 2
    said = {"en": "cannot read {}: it is a folder", "fr": "impossible de lire {} : c'est un dossier"}[lang]
    assert err(done) == f"[E010] {said.format(folder / 'b.jsonl')}\n"
    assert out(done) == ""


def test_evaluate_reads_the_good_lines_of_every_file_of_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", LABELLED[:2])
    write_lines(folder / "b.jsonl", [b"\x7fELF\x02\x01\x01\x00\x00\xff\xfe", json.dumps(LABELLED[2])])
    (folder / "notes.txt").write_text("not read\n", encoding="utf-8")
    done = run("evaluate", "--data", str(folder), "--task", "sentiment")
    assert done.returncode == 1
    assert err(done).splitlines()[0] == "b.jsonl, line 1 skipped: invalid text (UTF-8 expected) at byte 9"
    assert "sentiment · data · 3 rows (1 skipped)" in out(done)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_evaluate_tells_one_account_of_the_rows_skipped_and_those_without_a_label(
    tmp_path: Path, lang: str
) -> None:
    """The heading said « 2 lignes (1 laissée de côté) » and the footer « lignes ignorées : 1 », and the
    row without a label was left out without a word: the bad row is counted alike in both, the row
    without a label once, with why."""
    data = write_lines(
        tmp_path / "ev.jsonl",
        [
            '{"id":"1","text":"Super merci","lang":"fr","sentiment":"positive"}',
            '{"id":"2","text":"horrible","lang":"fr","sentiment":"negative"}',
            '{"id":"8","text":"ok","lang":"fr"}',
            "broken",
        ],
    )
    done = run("evaluate", "--data", str(data), "--task", "sentiment", lang=lang)
    assert done.returncode == 1
    said = {
        "en": [
            "sentiment · ev.jsonl · 2 rows (1 skipped)",
            "1 row without a usable sentiment label left out",
            "lines skipped: 1 (see above); the scores are over the others",
        ],
        "fr": [
            "sentiment · ev.jsonl · 2 lignes (1 ignorée)",
            "1 ligne sans étiquette de sentiment utilisable laissée de côté",
            "lignes ignorées : 1 (voir plus haut) ; les scores portent sur les autres",
        ],
    }[lang]
    assert out(done).splitlines()[:2] == said[:2]
    assert err(done).splitlines()[-1] == said[2]
    result = json.loads(out(run("evaluate", "--data", str(data), "--task", "sentiment", "--json")))
    assert (result["left_out"], result["unlabelled"], len(result["skipped_rows"])) == (2, 1, 1)


@pytest.mark.parametrize("task", ["behaviour", "sentiment"])
def test_evaluate_refuses_a_file_of_another_kind_once_with_the_reason(tmp_path: Path, task: str) -> None:
    """Tweets given to the behaviour task printed a line for each row (4,326 of them), then « aucun tour
    de conseiller »; a Parquet file was read as JSONL line by line. Each is refused in one line (exit 2)."""
    tweets = write_jsonl(tmp_path / "tweets.jsonl", [LABELLED[1]] * 40)
    done = run("evaluate", "--data", str(tweets), "--task", "behaviour", "--limit", "5")
    assert done.returncode == 2
    assert err(done) == (
        "[E020] tweets.jsonl does not suit the behaviour task: none of its first 20 rows can be used "
        "(line 1: no `agent` text)\n"
    )
    assert out(done) == ""
    parquet = tmp_path / "some.parquet"
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["Merci"] * 50, "sentiment": ["positive"] * 50}), parquet)
    done = run("evaluate", "--data", str(parquet), "--task", task, lang="fr")
    assert done.returncode == 2
    assert err(done) == (
        "[E020] some.parquet n'est pas un fichier JSON Lines (du texte, un objet JSON par ligne) : "
        "c'est un fichier Parquet\n"
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("content", ["", "\n  \n\n"], ids=["empty", "blank-lines"])
def test_evaluate_a_file_with_no_row_exits_two_saying_so(tmp_path: Path, lang: str, content: str) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text(content, encoding="utf-8")
    done = run("evaluate", "--data", str(data), "--task", "sentiment", lang=lang)
    assert done.returncode == 2
    said = {
        "en": "rows.jsonl has no row labelled for the sentiment task",
        "fr": "rows.jsonl n'a aucune ligne annotée pour la tâche sentiment",
    }[lang]
    assert err(done) == f"[E020] {said}\n"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_evaluate_a_folder_without_jsonl_files_exits_two_saying_so(tmp_path: Path, lang: str) -> None:
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    done = run("evaluate", "--data", str(tmp_path), "--task", "sentiment", lang=lang)
    assert done.returncode == 2
    said = {"en": "no .jsonl file in the folder", "fr": "aucun fichier .jsonl dans le dossier"}[lang]
    assert err(done) == f"[E020] {said} {tmp_path}\n"


def test_analyze_output_with_a_text_is_a_usage_error_not_ignored(tmp_path: Path) -> None:
    done = run("analyze", "--output", str(tmp_path / "o.jsonl"), "Bonjour")
    assert done.returncode == 2
    assert "--output goes with --input FILE" in err(done)
    assert "--output va avec --input FICHIER" in err(
        run("analyze", "--output", "o.jsonl", "Bonjour", lang="fr")
    )


def test_analyze_lang_is_the_language_of_the_records_that_give_none(tmp_path: Path) -> None:
    # --lang was ignored with --input: the records without a language were read as detected.
    source = tmp_path / "in.jsonl"
    text = "Merci beaucoup, c'est parfait"  # read as French when no language is given
    records = [{"id": "1", "text": text}, {"id": "2", "text": "Thanks", "lang": "fr"}]
    source.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    done = run("analyze", "--input", str(source), "--output", str(target), "--lang", "en")
    assert done.returncode == 0, err(done)
    readings = [
        json.loads(line)["analysis"]["lang"] for line in target.read_text(encoding="utf-8").splitlines()
    ]
    assert readings == ["en", "fr"]


def test_analyze_output_through_a_symbolic_link_writes_the_file_it_names(tmp_path: Path) -> None:
    # The link was replaced by a new file, and the file it named kept its old content.
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(MESSAGES[0]) + "\n", encoding="utf-8")
    target = tmp_path / "readings.jsonl"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    done = run("analyze", "--input", str(source), "--output", str(link))
    assert done.returncode == 0, err(done)
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == "fr-1"


COMPLAINTS = [
    {"id": "c1", "lang": "fr", "text": ANGRY_FR, "complaint": True},
    {"id": "c2", "lang": "fr", "text": "Merci beaucoup, tout est réglé, bonne journée !", "complaint": False},
    {"id": "c3", "lang": "en", "text": "Still no refund after three weeks."},  # no label for the task
    {"id": "c4", "lang": "fr", "text": "Bonjour."},  # no label either
]
EVALUATE_TEXT = {
    "en": {
        "heading": "complaint · rows.jsonl · 2 rows",
        "left_out": "2 rows without a usable complaint label left out",
        "overall": r"macro-F1 \d\.\d{3} · accuracy \d\.\d{3}",
        "columns": ["class", "precision", "recall", "F1", "support"],
        "confusion": "confusion (rows: gold, columns: predicted)",
        "score": r"\d\.\d{3}",
    },
    "fr": {
        "heading": "complaint · rows.jsonl · 2 lignes",
        "left_out": "2 lignes sans étiquette de réclamation utilisable laissées de côté",
        "overall": r"F1 macro \d,\d{3} · exactitude \d,\d{3}",
        "columns": ["classe", "précision", "rappel", "F1", "effectif"],
        "confusion": "confusion (lignes : annotation, colonnes : prédiction)",
        "score": r"\d,\d{3}",
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_evaluate_prints_its_results_in_the_users_language_without_cutting_a_label(
    tmp_path: Path, lang: str
) -> None:
    """The table used to be English whatever the language, and its confusion matrix cut `no_complaint`
    to `no_compla`. The classes keep the data's codes; each column is as wide as its widest cell."""
    data = write_jsonl(tmp_path / "rows.jsonl", COMPLAINTS)
    done = run("evaluate", "--data", str(data), "--task", "complaint", lang=lang)
    assert done.returncode == 0, err(done)
    said = EVALUATE_TEXT[lang]
    lines = out(done).splitlines()
    assert lines[0] == said["heading"]
    assert lines[1] == said["left_out"]
    lines = lines[1:]
    assert re.fullmatch(str(said["overall"]), lines[1]), lines[1]
    per_class, confusion = lines[2:5], lines[6:]
    assert per_class[0].split() == said["columns"]
    assert [line.split()[0] for line in per_class[1:]] == ["complaint", "no_complaint"]
    assert all(re.fullmatch(str(said["score"]), cell) for line in per_class[1:] for cell in line.split()[1:4])
    assert lines[5] == said["confusion"]
    # The column the tool adds for predictions outside the labels is its own word, not a code.
    assert confusion[0].split() == ["complaint", "no_complaint", "autre" if lang == "fr" else "other"]
    # Right-aligned columns: each line of a table ends where its header ends.
    assert {len(line) for line in per_class} == {len(per_class[0])}
    assert {len(line) for line in confusion} == {len(confusion[0])}


def test_evaluate_json_stays_the_same_in_every_language(tmp_path: Path) -> None:
    """--json is for machines: its keys and values do not follow the user's language."""
    data = write_jsonl(tmp_path / "rows.jsonl", COMPLAINTS)
    english, french = (
        run("evaluate", "--data", str(data), "--task", "complaint", "--json", lang=lang)
        for lang in ("en", "fr")
    )
    assert english.returncode == french.returncode == 0
    assert json.loads(out(french)) == json.loads(out(english))
    assert {"count", "macro_f1", "accuracy", "per_class", "confusion", "left_out"} <= set(
        json.loads(out(french))
    )


def test_evaluate_arc_scores_our_labelled_conversations() -> None:
    data = ROOT / "data" / "conversations" / "conversations.jsonl"
    done = run("evaluate", "--data", str(data), "--task", "arc", "--json")
    assert done.returncode == 0, err(done)
    scores = json.loads(out(done))
    assert scores["task"] == "arc"
    assert scores["count"] == 120
    assert set(scores["per_class"]) == {"recovered", "deteriorated", "neither"}
    assert scores["escalation_turn"]["labelled"] == 120
    french = run("evaluate", "--data", str(data), "--task", "arc", lang="fr")
    assert "arc · conversations.jsonl · 120 lignes" in out(french)
    assert "tour d'escalade : celui de l'annotation pour " in out(french)
