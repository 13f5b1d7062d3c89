"""``ressenti conversation``, ``ressenti batch`` and ``ressenti report``, run for real as subprocesses
through the installed console script."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CONVERSATIONS = EXAMPLES / "conversations.jsonl"
EXAMPLE_IDS = ["conv-fr-001", "conv-fr-002", "conv-fr-010", "conv-en-047", "conv-en-010", "conv-en-014"]
# The keys of a conversation report, as docs/conversations.md shows them.
REPORT_KEYS = {
    "id",
    "channel",
    "lang",
    "agent_id",
    "team_id",
    "metadata",
    "turns",
    "trajectory",
    "sentiment",
    "satisfaction",
    "arc",
    "levels",
    "ei_moments",
    "improvements",
    "motives",
    "motive",
    "signals",
    "behaviour_counts",
    "engine_version",
}
TRAJECTORY_KEYS = {
    "turns",
    "valence",
    "intensity",
    "start",
    "peak",
    "end",
    "recovered",
    "deteriorated",
    "escalation_turn",
    "public_exposure",
}


def ressenti_command() -> str:
    beside = Path(sys.executable).parent / "ressenti"
    if beside.exists():
        return str(beside)
    found = shutil.which("ressenti")
    assert found, "the `ressenti` console script is not installed (pip install -e .)"
    return found


def run(*args: str, lang: str = "en") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "RESSENTI_LANG": lang, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [ressenti_command(), *args], capture_output=True, env=env, cwd=ROOT, timeout=300, check=False
    )


def out(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stdout.decode("utf-8")


def err(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stderr.decode("utf-8")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- ressenti conversation -----------------------------------------------------------------------


def test_conversation_report_in_french() -> None:
    done = run("conversation", str(CONVERSATIONS), "--id", "conv-fr-002", lang="fr")
    assert done.returncode == 0, err(done)
    text = out(done)
    first = text.splitlines()[0]
    assert first.startswith("conv-fr-002 · e-mail · fr")
    assert "conseiller ag-fr-02" in first
    assert "équipe team-fr-retail" in first
    for label in (
        "Satisfaction estimée",
        "Courbe du client",
        "niveau émotionnel : ",
        "À améliorer",
        "Signaux : ",
    ):
        assert label in text
    assert "Estimated satisfaction" not in text
    assert "machine à café" in text  # the turns of conv-fr-002, not of the first conversation
    assert "conv-fr-001" not in text


def test_conversation_report_in_english_labels() -> None:
    done = run("conversation", str(CONVERSATIONS), "--id", "conv-fr-002", lang="en")
    assert done.returncode == 0, err(done)
    text = out(done)
    first = text.splitlines()[0]
    assert first.startswith("conv-fr-002 · email · fr")
    assert "agent ag-fr-02" in first
    assert "team team-fr-retail" in first
    for label in ("Estimated satisfaction", "Customer's curve", "emotional level", "To improve", "Signals:"):
        assert label in text
    assert "Satisfaction estimée" not in text
    assert "Courbe du client" not in text


def test_conversation_shows_control_characters_as_escapes_not_to_the_terminal(tmp_path: Path) -> None:
    """A conversation's text, id or quotes used to print their escape sequences raw: a customer could set
    the reader's window title or clear the screen."""
    source = tmp_path / "escapes.jsonl"
    record = {
        "id": "c\x1b[31m",
        "agent_id": "a\x07",
        "turns": [
            {"speaker": "customer", "text": "Bonjour \x1b]0;PWNED\x07 \x1b[2J je suis furieux"},
            {"speaker": "agent", "text": "Je comprends \x9b2J votre colère."},
        ],
    }
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    done = run("conversation", str(source))
    assert done.returncode == 0, err(done)
    assert not any(byte in done.stdout for byte in (b"\x1b", b"\x07"))
    assert "\x9b" not in out(done)
    text = out(done)
    assert "c\\x1b[31m" in text
    assert "agent a\\x07" in text
    assert "\\x1b]0;PWNED\\x07 \\x1b[2J" in text
    assert "Je comprends \\x9b2J votre colère." in text  # the turn, and the quotes of its moments


@pytest.mark.parametrize(
    ("conversation_id", "reader", "said", "not_said"),
    [
        (
            "conv-en-047",
            "fr",
            [
                "conv-en-047 · chat · en · conseiller",
                "Contact rétabli : agacement au départ, reconnaissance à la fin (pic au tour 6 : colère).",
                "Satisfaction estimée 5/5 (très satisfait) · "
                "fin du contact : reconnaissance (valence +1,00) ; la tension est retombée",
                "empathie : « That's a horrible thing to find out first thing. »",
                "Motifs : annulation",
            ],
            ["Recovered", "very satisfied", "end of the contact", "the tension came down", "“"],
        ),
        (
            "conv-fr-001",
            "en",
            [
                "Recovered: frustration at the start, satisfaction at the end (peak at turn 6: frustration).",
                "Estimated satisfaction 5/5 (very satisfied) · "
                "end of the contact: satisfaction (valence +0.99); the tension came down",
                "acknowledgement: “Je comprends votre agacement",
                "Motives: ",
            ],
            ["Contact rétabli", "très satisfait", "fin du contact", "la tension est retombée", "«"],
        ),
    ],
)
def test_conversation_speaks_the_readers_language_on_every_line_but_the_conversations_own_words(
    conversation_id: str, reader: str, said: list[str], not_said: list[str]
) -> None:
    """A French reader of an English conversation used to read "Satisfaction estimée 5/5 (very satisfied)
    · end of the contact: gratitude", and the reverse: the arc and the satisfaction were the report's,
    written in the conversation's language. The turns and quotes stay as they were said."""
    done = subprocess.run(
        [ressenti_command(), "conversation", str(CONVERSATIONS), "--id", conversation_id],
        capture_output=True,
        env={**os.environ, "RESSENTI_LANG": reader, "COLUMNS": "400"},
        check=False,
    )
    assert done.returncode == 0, err(done)
    text = out(done)
    for sentence in said:
        assert sentence in text
    for sentence in not_said:
        assert sentence not in text


def test_conversation_names_its_channel_in_the_readers_language() -> None:
    french = out(run("conversation", str(CONVERSATIONS), "--id", "conv-fr-002", lang="fr"))
    assert french.startswith("conv-fr-002 · e-mail · fr")
    english = out(run("conversation", str(CONVERSATIONS), "--id", "conv-fr-002", lang="en"))
    assert english.startswith("conv-fr-002 · email · fr")


def test_conversation_without_id_reports_the_first_conversation() -> None:
    done = run("conversation", str(CONVERSATIONS), "--json")
    assert done.returncode == 0, err(done)
    assert json.loads(out(done))["id"] == "conv-fr-001"


def test_conversation_json_has_the_keys_of_the_documentation() -> None:
    done = run("conversation", str(CONVERSATIONS), "--id", "conv-fr-002", "--json")
    assert done.returncode == 0, err(done)
    report = json.loads(out(done))
    assert REPORT_KEYS - set(report) == set()  # every documented key is there
    assert TRAJECTORY_KEYS - set(report["trajectory"]) == set()
    assert report["id"] == "conv-fr-002"
    assert report["channel"] == "email"
    assert report["agent_id"] == "ag-fr-02"
    assert report["satisfaction"]["score"] in range(1, 6)
    assert set(report["satisfaction"]) >= {"score", "label", "reasons"}
    assert set(report["levels"]) == {"emotional", "rational", "both"}
    assert [turn["index"] for turn in report["turns"]] == list(range(len(report["turns"])))
    schema = (resources.files("ressenti") / "analysis" / "analysis.schema.json").read_text(encoding="utf-8")
    validator = jsonschema.Draft202012Validator(json.loads(schema))
    for turn in report["turns"]:
        if turn["speaker"] == "customer":
            validator.validate(turn["analysis"])  # the customer's turns carry a message reading
        else:
            assert "analysis" not in turn  # agents' emotions are never read
            assert isinstance(turn["behaviours"], list)


def test_conversation_reads_a_csv_of_turns() -> None:
    done = run("conversation", str(EXAMPLES / "turns.csv"), "--id", "conv-en-047", "--json")
    assert done.returncode == 0, err(done)
    assert json.loads(out(done))["id"] == "conv-en-047"


def test_conversation_unknown_id_exits_two_with_a_message() -> None:
    done = run("conversation", str(CONVERSATIONS), "--id", "conv-nope")
    assert done.returncode == 2
    assert "no conversation 'conv-nope'" in err(done)
    assert "Traceback" not in err(done)
    assert out(done) == ""


def test_conversation_unknown_id_message_in_french() -> None:
    done = run("conversation", str(CONVERSATIONS), "--id", "conv-nope", lang="fr")
    assert done.returncode == 2
    assert "aucune conversation 'conv-nope'" in err(done)


def bad_then_good(tmp_path: Path) -> Path:
    """A JSONL file whose first conversation cannot be read (an unknown speaker), then a good one."""
    path = tmp_path / "conversations.jsonl"
    lines = [
        {"id": "c-bad", "turns": [{"speaker": "boss", "text": "Bonjour"}]},
        {"id": "c-good", "turns": [{"speaker": "customer", "text": "Toujours rien reçu."}]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_conversation_shows_the_first_readable_one_and_exits_one_when_records_were_skipped(
    tmp_path: Path,
) -> None:
    # It used to exit 0: a script could not tell that the report shown is not the file's first record.
    done = run("conversation", str(bad_then_good(tmp_path)), "--json")
    assert done.returncode == 1
    assert json.loads(out(done))["id"] == "c-good"
    assert "line 1 skipped: turn 1: unknown speaker 'boss'" in err(done)


@pytest.mark.parametrize("command", ["conversation", "batch"])
def test_a_long_reason_on_a_piped_stderr_stays_on_one_line(tmp_path: Path, command: str) -> None:
    """Stderr to a pipe or a file was wrapped at 80 columns ("… (attendu : customer, agent, ⏎bot)")."""
    speaker = "s" * 100
    source = tmp_path / "long.jsonl"
    lines = [
        {"id": "c-long", "turns": [{"speaker": speaker, "text": "Bonjour"}]},
        {"id": "c-good", "turns": [{"speaker": "customer", "text": "Toujours rien reçu."}]},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    args = (
        [str(source), "--json"]
        if command == "conversation"
        else ["--input", str(source), "--output", "out.jsonl"]
    )
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}  # rich's default: 80
    done = subprocess.run(
        [ressenti_command(), command, *args],
        capture_output=True,
        env={**env, "RESSENTI_LANG": "fr"},
        cwd=tmp_path,
        check=False,
    )
    said = f"ligne 1 ignorée : tour 1 : locuteur '{speaker}' inconnu (attendu : customer, agent, bot)"
    assert said in err(done).splitlines()


def test_conversation_asked_for_by_id_among_unreadable_records_says_it_may_be_one_of_them(
    tmp_path: Path,
) -> None:
    # It used to say only "no conversation 'c-bad'", although line 1 holds it.
    path = bad_then_good(tmp_path)
    done = run("conversation", str(path), "--id", "c-bad")
    assert done.returncode == 2
    assert "line 1 skipped: turn 1: unknown speaker 'boss'" in err(done)
    assert "no readable conversation 'c-bad'" in err(done)
    assert "1 record that could not be read was skipped (above): it may be that one" in err(done)
    french = run("conversation", str(path), "--id", "c-bad", lang="fr")
    assert "aucune conversation lisible 'c-bad'" in err(french)
    assert "1 enregistrement illisible a été ignoré (ci-dessus) : ce peut être elle" in err(french)
    assert run("conversation", str(path), "--id", "c-good").returncode == 0


def test_batch_summary_says_one_conversation_in_the_singular(tmp_path: Path) -> None:
    """It used to say "1 conversations écrites, 1 ignorées"."""
    output = tmp_path / "reports.jsonl"
    done = run("batch", "--input", str(bad_then_good(tmp_path)), "--output", str(output), lang="fr")
    assert done.returncode == 1
    assert "1 conversation écrite, 1 ignorée, 0 déjà faite (reprise)" in err(done)
    done = run("batch", "--input", str(bad_then_good(tmp_path)), "--output", str(output), lang="en")
    assert "1 conversation written, 1 skipped, 0 already done (resumed)" in err(done)


def test_batch_the_same_conversation_twice_is_written_once_and_the_second_named(tmp_path: Path) -> None:
    source = tmp_path / "twice.jsonl"
    first = CONVERSATIONS.read_text(encoding="utf-8").splitlines()[0]
    source.write_text(first + "\n" + first + "\n", encoding="utf-8")
    output = tmp_path / "reports.jsonl"
    done = run("batch", "--input", str(source), "--output", str(output))
    assert done.returncode == 1
    assert len(read_jsonl(output)) == 1
    assert (
        f"line 2 skipped: conversation '{EXAMPLE_IDS[0]}' is already above (line 1): it would count twice"
        in err(done)
    )
    french = run("batch", "--input", str(source), "--output", str(tmp_path / "fr.jsonl"), lang="fr")
    assert f"la conversation '{EXAMPLE_IDS[0]}' figure déjà plus haut (ligne 1)" in err(french)


def test_conversation_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    done = run("conversation", str(tmp_path / "absent.jsonl"))
    assert done.returncode == 2
    assert "does not exist" in err(done)
    assert "Traceback" not in err(done)


# --- ressenti batch ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("e.csv", b""),
        ("h.csv", b"conversation_id,speaker,text\n"),
        ("b.jsonl", b"\n  \n\r\n"),
    ],
    ids=["empty-csv", "header-only-csv", "blank-lines-jsonl"],
)
def test_batch_an_input_with_no_conversation_is_refused_and_the_output_kept(
    tmp_path: Path, lang: str, name: str, content: bytes
) -> None:
    """It said "0 conversations written" and exited 0, replacing a previous output with an empty one."""
    source = tmp_path / name
    source.write_bytes(content)
    output = tmp_path / "o.jsonl"
    output.write_text('{"kept": true}\n', encoding="utf-8")
    done = run("batch", "--input", str(source), "--output", str(output), lang=lang)
    assert done.returncode == 2
    said = {
        "en": f"[E010] {source} holds no conversation (an empty file, a header alone, or blank lines): "
        "nothing to read, the output is left as it was",
        "fr": f"[E010] {source} ne contient aucune conversation (fichier vide, en-tête seul ou lignes "
        "vides) : rien à lire, la sortie n'est pas touchée",
    }[lang]
    assert err(done).splitlines()[-1] == said
    assert output.read_text(encoding="utf-8") == '{"kept": true}\n'
    assert {path.name for path in tmp_path.iterdir()} == {name, "o.jsonl"}


def test_batch_writes_one_report_per_conversation_and_exits_zero(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    done = run("batch", "--input", str(CONVERSATIONS), "--output", str(output))
    assert done.returncode == 0, err(done)
    reports = read_jsonl(output)
    assert [report["id"] for report in reports] == EXAMPLE_IDS
    assert [report["position"] for report in reports] == [1, 2, 3, 4, 5, 6]
    assert all(REPORT_KEYS - set(report) == set() for report in reports)
    assert "6 conversations written, 0 skipped, 0 already done" in err(done)


def test_batch_csv_of_turns_to_parquet(tmp_path: Path) -> None:
    output = tmp_path / "reports.parquet"
    done = run("batch", "--input", str(EXAMPLES / "turns.csv"), "--output", str(output), "--chunk-size", "4")
    assert done.returncode == 0, err(done)
    table = pq.read_table(output)
    assert table.column("id").to_pylist() == EXAMPLE_IDS
    reports = [json.loads(line) for line in table.column("report").to_pylist()]
    assert [report["id"] for report in reports] == EXAMPLE_IDS


def test_batch_bad_record_is_reported_by_line_on_stderr_and_exits_one(tmp_path: Path) -> None:
    good = CONVERSATIONS.read_text(encoding="utf-8").splitlines()
    source = tmp_path / "mixed.jsonl"
    no_customer = json.dumps({"id": "x", "turns": [{"speaker": "agent", "text": "Bonjour"}]})
    source.write_text("\n".join([good[0], '{"id": "broken"', good[1], no_customer]) + "\n", encoding="utf-8")
    output = tmp_path / "reports.jsonl"
    done = run("batch", "--input", str(source), "--output", str(output))
    assert done.returncode == 1
    stderr = err(done)
    assert "line 2 skipped: invalid JSON" in stderr
    assert "line 4 skipped: no customer turn" in stderr
    assert "2 conversations written, 2 skipped, 0 already done" in stderr
    assert "Traceback" not in stderr
    assert [(report["position"], report["id"]) for report in read_jsonl(output)] == [
        (1, "conv-fr-001"),
        (3, "conv-fr-002"),
    ]


def test_batch_bad_record_message_in_french(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "x", "turns": []}\n', encoding="utf-8")
    done = run("batch", "--input", str(source), "--output", str(tmp_path / "out.jsonl"), lang="fr")
    assert done.returncode == 1
    assert "ligne 1 ignorée : champ `turns` absent ou vide" in err(done)


def test_batch_resume_finishes_an_interrupted_run(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    done = run("batch", "--input", str(CONVERSATIONS), "--output", str(output))
    assert done.returncode == 0, err(done)
    complete = output.read_bytes()
    lines = complete.splitlines(keepends=True)
    output.write_bytes(b"".join(lines[:3]) + lines[3][: len(lines[3]) // 2])  # killed while writing the 4th
    done = run("batch", "--input", str(CONVERSATIONS), "--output", str(output), "--resume")
    assert done.returncode == 0, err(done)
    assert "3 conversations written, 0 skipped, 3 already done" in err(done)
    assert output.read_bytes() == complete


def test_batch_without_resume_starts_over(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    for _ in range(2):
        done = run("batch", "--input", str(CONVERSATIONS), "--output", str(output))
        assert done.returncode == 0, err(done)
    assert [report["id"] for report in read_jsonl(output)] == EXAMPLE_IDS


def test_batch_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    done = run("batch", "--input", str(tmp_path / "absent.jsonl"), "--output", str(output))
    assert done.returncode == 2
    assert "does not exist" in err(done)
    assert "Traceback" not in err(done)
    assert not output.exists()


def test_batch_without_output_is_a_usage_error() -> None:
    done = run("batch", "--input", str(CONVERSATIONS))
    assert done.returncode == 2
    assert "--output" in err(done)


def test_batch_csv_without_the_turn_columns_exits_two(tmp_path: Path) -> None:
    source = tmp_path / "messages.csv"
    source.write_text("id,text\n1,Bonjour\n", encoding="utf-8")
    done = run("batch", "--input", str(source), "--output", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2
    assert "lacks the `conversation_id`, `speaker` and `text` columns" in err(done)
    assert "Traceback" not in err(done)


# --- ressenti report -----------------------------------------------------------------------------


def test_report_writes_an_html_page_from_batch_output(tmp_path: Path) -> None:
    pytest.importorskip("ressenti.reporting")
    reports = tmp_path / "reports.jsonl"
    done = run("batch", "--input", str(CONVERSATIONS), "--output", str(reports))
    assert done.returncode == 0, err(done)
    site = tmp_path / "site"
    done = run("report", "--input", str(reports), "--output", str(site))
    assert done.returncode == 0, err(done)
    index = site / "index.html"
    assert out(done).strip() == str(index)
    page = index.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    for agent in ("ag-fr-01", "ag-fr-02"):
        assert agent in page
    assert list(site.glob("*.png"))


def test_report_refuses_a_parquet_input_without_a_report_column(tmp_path: Path) -> None:
    pytest.importorskip("ressenti.reporting")
    import pyarrow as pa

    source = tmp_path / "reports.parquet"
    pq.write_table(pa.table({"id": ["c1"], "text": ["Bonjour"]}), source)
    for lang, expected in (("en", "a `report` column is needed"), ("fr", "il faut une colonne `report`")):
        done = run("report", "--input", str(source), "--output", str(tmp_path / "site"), lang=lang)
        assert done.returncode == 2
        assert expected in err(done), err(done)
        assert "Traceback" not in err(done)


def test_batch_names_the_row_of_a_bad_parquet_conversation(tmp_path: Path) -> None:
    import pyarrow as pa

    turns = [{"speaker": "customer", "text": "Colis toujours pas reçu."}]
    source = tmp_path / "conversations.parquet"
    pq.write_table(pa.table({"id": ["c1", "c2"], "channel": ["chat", "chat"], "turns": [turns, []]}), source)
    done = run("batch", "--input", str(source), "--output", str(tmp_path / "out.jsonl"))
    assert done.returncode == 1  # a record was skipped
    assert "row 2 skipped: no `turns` field, or an empty one" in err(done)
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_a_turn_whose_ts_is_no_date_is_said_with_its_line_and_read_without_it(tmp_path: Path) -> None:
    # Its ts used to go into the report as given ('12345'), and nothing was said.
    source = tmp_path / "turns.csv"
    source.write_text(
        "conversation_id,speaker,text,ts\n"
        "c1,customer,Toujours pas reçu ma commande,2026-01-01T10:00:00Z\n"
        "c1,agent,Je regarde,12345\n"  # line 3
        "c2,customer,Merci,2026-01-01T11:00:00Z\n",
        encoding="utf-8",
    )
    output = tmp_path / "reports.jsonl"
    done = run("batch", "--input", str(source), "--output", str(output), lang="fr")
    assert done.returncode == 0  # nothing was skipped
    said = (
        "ligne 3 : tour 2 : `ts` '12345' n'est pas une date ISO 8601 (comme 2026-01-01T10:00:00Z) ; "
        "le tour est lu sans"
    )
    assert said in err(done)
    first = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
    assert [turn.get("ts") for turn in first["turns"]] == ["2026-01-01T10:00:00Z", None]
    shown = run("conversation", str(source), "--id", "c1", "--json")
    assert shown.returncode == 0
    assert "line 3: turn 2: `ts` '12345' is not an ISO 8601 date and time" in err(shown)
    other = run("conversation", str(source), "--id", "c2", "--json")
    assert "ts" not in err(other)  # c1's note is not c2's


def test_batch_says_a_dask_scheduler_address_is_wrong_before_touching_the_output(tmp_path: Path) -> None:
    previous = tmp_path / "reports.jsonl"
    previous.write_text('{"kept": true}\n', encoding="utf-8")
    done = run(
        "batch",
        "--input",
        str(CONVERSATIONS),
        "--output",
        str(previous),
        "--engine",
        "dask",
        "--scheduler",
        "not an address",
    )
    assert done.returncode == 2
    assert "Dask scheduler not an address cannot be reached" in err(done)
    assert "Traceback" not in err(done)
    assert previous.read_text(encoding="utf-8") == '{"kept": true}\n'


def test_batch_connects_to_a_dask_scheduler_given_by_address_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It connected twice: once to check the address before the output was opened, then again to run."""
    from click.testing import CliRunner
    from dask import distributed

    from ressenti.cli.main import cli

    addresses: list[object] = []

    class SpyClient(distributed.Client):  # type: ignore[misc]
        """The real Client, noting each connection made to a scheduler."""

        def __init__(self, address: object = None, *args: Any, **kwargs: Any) -> None:
            addresses.append(address)
            super().__init__(address, *args, **kwargs)

    monkeypatch.setenv("RESSENTI_LANG", "en")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        monkeypatch.setattr(distributed, "Client", SpyClient)
        output = tmp_path / "reports.jsonl"
        args = ["batch", "--input", str(CONVERSATIONS), "--output", str(output), "--engine", "dask"]
        done = CliRunner().invoke(cli, [*args, "--scheduler", cluster.scheduler_address])
    assert done.exit_code == 0, done.output
    assert addresses == [cluster.scheduler_address]
    assert len(output.read_text(encoding="utf-8").splitlines()) == 6


def test_batch_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    source = tmp_path / "conversations.jsonl"
    shutil.copy(CONVERSATIONS, source)
    before = source.read_bytes()
    done = run("batch", "--input", str(source), "--output", str(source))
    assert done.returncode == 2
    assert "is also the input file" in err(done)
    assert source.read_bytes() == before


def test_a_parquet_input_damaged_inside_gives_a_format_error(tmp_path: Path) -> None:
    import pyarrow as pa

    turns = [{"speaker": "customer", "text": "Colis toujours pas reçu, c'est inadmissible."}]
    table = pa.table({"id": [f"c{n}" for n in range(300)], "channel": ["chat"] * 300, "turns": [turns] * 300})
    source = tmp_path / "conversations.parquet"
    pq.write_table(table, source, row_group_size=50, compression="snappy")
    data = bytearray(source.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2000] = bytes(2000)  # a data page overwritten, the footer intact
    source.write_bytes(bytes(data))
    for command in (("conversation", str(source)), ("batch", "--input", str(source), "--output", "o.jsonl")):
        done = run(*command)
        assert done.returncode == 2, err(done)
        assert "conversations.parquet is not a readable Parquet file" in err(done)
        assert "Traceback" not in err(done)


def test_report_says_when_its_output_folder_cannot_be_made(tmp_path: Path) -> None:
    pytest.importorskip("ressenti.reporting")
    reports = tmp_path / "reports.jsonl"
    assert run("batch", "--input", str(CONVERSATIONS), "--output", str(reports)).returncode == 0
    (tmp_path / "afile").write_text("", encoding="utf-8")
    site = tmp_path / "afile" / "site"
    for lang, said in (
        ("en", f"[E040] report not written to {site}: a part of the path is not a folder"),
        ("fr", f"[E040] rapport non écrit dans {site} : un élément du chemin n'est pas un dossier"),
    ):
        done = run("report", "--input", str(reports), "--output", str(site), lang=lang)
        assert done.returncode == 2
        assert err(done).startswith(said), err(done)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_report_and_batch_say_that_proc_makes_no_new_file(tmp_path: Path) -> None:
    """They said "no such file or directory" of /proc, which is there; a batch to a missing folder
    did not name it."""
    pytest.importorskip("ressenti.reporting")
    reports = tmp_path / "reports.jsonl"
    assert run("batch", "--input", str(CONVERSATIONS), "--output", str(reports)).returncode == 0
    for lang, said in (
        ("en", "no temporary folder can be made in /proc (/proc accepts no new file or folder)"),
        (
            "fr",
            "pas de dossier provisoire possible dans /proc (/proc n'accepte ni nouveau fichier ni nouveau",
        ),
    ):
        done = run("report", "--input", str(reports), "--output", "/proc/x", lang=lang)
        assert done.returncode == 2
        assert said in err(done)
        assert "Traceback" not in err(done)
    for output, said in (
        ("/proc/x.jsonl", "/proc/x.jsonl: /proc accepts no new file or folder"),
        ("/proc/x.parquet", "/proc/x.parquet: /proc accepts no new file or folder"),  # not its .parts
        (
            str(tmp_path / "no" / "x.jsonl"),
            f"{tmp_path / 'no' / 'x.jsonl'}: folder {tmp_path / 'no'} does not",
        ),
    ):
        done = run("batch", "--input", str(CONVERSATIONS), "--output", output)
        assert done.returncode == 2
        assert said in err(done)
        assert "Traceback" not in err(done)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fr", "x.jsonl : un élément du chemin n'est pas un dossier"),
        ("en", "x.jsonl: a part of the path is not a folder"),
    ],
)
def test_batch_says_why_its_output_cannot_be_written_in_the_users_language(
    tmp_path: Path, lang: str, said: str
) -> None:
    """It used to say "x.jsonl: Not a directory", the system's English, whatever the language."""
    (tmp_path / "afile").write_text("", encoding="utf-8")
    done = run(
        "batch", "--input", str(CONVERSATIONS), "--output", str(tmp_path / "afile" / "x.jsonl"), lang=lang
    )
    assert done.returncode == 2
    assert said in err(done)
    assert "Traceback" not in err(done)


def test_report_refuses_a_damaged_parquet_file(tmp_path: Path) -> None:
    pytest.importorskip("ressenti.reporting")
    source = tmp_path / "reports.parquet"
    source.write_bytes(b"PAR1 cut short")
    done = run("report", "--input", str(source), "--output", str(tmp_path / "site"))
    assert done.returncode == 2
    assert "reports.parquet is not a readable Parquet file" in err(done)
    assert "Traceback" not in err(done)


def test_report_refuses_a_file_that_is_not_batch_output(tmp_path: Path) -> None:
    """Conversations are not reports: each line is named, then the run stops without writing."""
    pytest.importorskip("ressenti.reporting")
    done = run("report", "--input", str(CONVERSATIONS), "--output", str(tmp_path / "site"))
    assert done.returncode == 2
    for line in range(1, 7):
        assert f"conversations.jsonl: line {line} skipped: not a conversation report" in err(done)
    assert f"no readable conversation report in {CONVERSATIONS}: nothing written" in err(done)
    assert "Traceback" not in err(done)


def test_batch_output_named_for_another_format_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    # reports.csv used to receive JSONL under a CSV name.
    output = tmp_path / "reports.csv"
    done = run("batch", "--input", str(CONVERSATIONS), "--output", str(output))
    assert done.returncode == 2
    assert "reports are written as JSONL or Parquet; name the output .jsonl or .parquet" in err(done)
    assert not output.exists()
    french = run("batch", "--input", str(CONVERSATIONS), "--output", str(output), lang="fr")
    assert "les rapports s'écrivent en JSONL ou en Parquet" in err(french)
    chosen = run("batch", "--input", str(CONVERSATIONS), "--output", str(output), "--output-format", "jsonl")
    assert chosen.returncode == 0, err(chosen)
    assert len(read_jsonl(output)) == len(EXAMPLE_IDS)

    assert not (tmp_path / "site").exists()


# Reports as `ressenti batch` writes them, made once for the tests below that mix in bad ones.
@pytest.fixture(scope="module")
def report_lines(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    pytest.importorskip("ressenti.reporting")
    output = tmp_path_factory.mktemp("batch") / "reports.jsonl"
    done = run("batch", "--input", str(CONVERSATIONS), "--output", str(output))
    assert done.returncode == 0, err(done)
    return output.read_bytes().splitlines()


def aggregated(site: Path) -> dict[str, Any]:
    """aggregates.json, read as strict JSON: NaN or Infinity in it fails the test."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in aggregates.json")

    data: dict[str, Any] = json.loads((site / "aggregates.json").read_text("utf-8"), parse_constant=refuse)
    return data


def damaged(line: bytes, path: str, value: object = None) -> bytes:
    """A report with the part at ``path`` (dotted, list indexes as numbers) set to ``value``, or
    removed when ``value`` is None."""
    report = json.loads(line)
    *parents, last = path.split(".")
    target: Any = report
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return json.dumps(report).encode()  # Python writes NaN, as a tool that damaged a report might


def test_report_skips_each_malformed_report_by_line_and_reason_and_aggregates_the_others(
    tmp_path: Path, report_lines: list[bytes]
) -> None:
    """A bad line used to stop the whole run (not JSON) or to be counted as a conversation
    (``{"trajectory": 1}``, a NaN score that made every mean NaN); each is now named and skipped."""
    base = report_lines[3]
    bad = [  # (line, English reason, French reason)
        (b'{"trajectory": 1}', "no `id` field, or an empty one", "champ `id` absent ou vide"),
        (
            b"{}",
            "not a conversation report (no `trajectory` field)",
            "ce n'est pas un rapport de conversation (pas de champ `trajectory`)",
        ),
        (
            damaged(base, "satisfaction.score", float("nan")),
            "invalid JSON: NaN is not a JSON value (null for a missing value)",
            "JSON invalide : NaN n'est pas une valeur JSON (null pour une valeur absente)",
        ),
        (
            damaged(base, "satisfaction.score", 7),
            "the `satisfaction.score` field must be a number from 1 to 5 (read: 7)",
            "le champ `satisfaction.score` doit être un nombre de 1 à 5 (lu : 7)",
        ),
        (
            b"{not json",
            "invalid JSON: Expecting property name enclosed in double quotes (col 2)",
            "JSON invalide : nom de propriété entre guillemets doubles attendu (col 2)",
        ),
        (
            b'{"id": "\xff"}',
            "invalid text (UTF-8 expected) at byte 8",
            "texte invalide (UTF-8 attendu) à l'octet 8",
        ),
        (
            damaged(base, "turns.1.speaker", "Agent"),
            "the `turns[1].speaker` field must be one of: customer, agent, bot",
            "le champ `turns[1].speaker` doit être l'un de : customer, agent, bot",
        ),
        (b"[]", "a JSON object is expected", "un objet JSON est attendu"),
        (
            damaged(base, "trajectory", 1),
            "the `trajectory` field must be a JSON object",
            "le champ `trajectory` doit être un objet JSON",
        ),
        (
            damaged(base, "trajectory.recovered"),
            "no `trajectory.recovered` field",
            "champ `trajectory.recovered` absent",
        ),
        (
            damaged(base, "turns", "…"),
            "the `turns` field must be a list",
            "le champ `turns` doit être une liste",
        ),
        (
            damaged(base, "id", 42),
            "the `id` field must be a non-empty string",
            "le champ `id` doit être une chaîne non vide",
        ),
        (
            damaged(base, "agent_id", 5),
            "the `agent_id` field must be a string or null",
            "le champ `agent_id` doit être une chaîne ou null",
        ),
        (
            damaged(base, "levels.both", "yes"),
            "the `levels.both` field must be true or false",
            "le champ `levels.both` doit être true ou false",
        ),
        (
            damaged(base, "behaviour_counts", {"apology": -1}),
            "the `behaviour_counts.apology` field must be an integer from 0 to 10000 (read: -1)",
            "le champ `behaviour_counts.apology` doit être un entier de 0 à 10000 (lu : -1)",
        ),
    ]
    source = tmp_path / "reports.jsonl"
    lines = [report_lines[0], report_lines[1], *(line for line, _, _ in bad), report_lines[2]]
    source.write_bytes(b"\n".join(lines) + b"\n")
    for lang, skipped, summary in (
        (
            "en",
            [f"reports.jsonl: line {n} skipped: {why}" for n, (_, why, _) in enumerate(bad, start=3)],
            f"3 conversations aggregated, {len(bad)} reports skipped (0 of them duplicates)",
        ),
        (
            "fr",
            [f"reports.jsonl: ligne {n} ignorée : {why}" for n, (_, _, why) in enumerate(bad, start=3)],
            f"3 conversations agrégées, {len(bad)} rapports ignorés (dont 0 en double)",
        ),
    ):
        site = tmp_path / f"site-{lang}"
        done = run("report", "--input", str(source), "--output", str(site), lang=lang)
        assert done.returncode == 1, err(done)  # something was skipped
        assert "Traceback" not in err(done)
        assert err(done).splitlines() == [*skipped, summary]
        assert out(done).strip() == str(site / "index.html")
        data = aggregated(site)
        assert data["overall"]["conversations"] == 3
        assert data["overall"]["satisfaction"]["scored"] == 3
        page = re.sub(r"base64,[^\"]*", "", (site / "index.html").read_text("utf-8"))  # charts left out
        assert not re.search(r"\b(nan|inf)\b", page, re.IGNORECASE)


def test_report_names_a_malformed_report_of_a_parquet_input_by_its_row(
    tmp_path: Path, report_lines: list[bytes]
) -> None:
    import pyarrow as pa

    good = [line.decode("utf-8") for line in report_lines[:2]]
    bad_score = json.loads(good[1])
    bad_score["satisfaction"]["score"] = "4"
    half_pair = json.loads(good[1])
    half_pair["agent_id"] = "\ud800"  # json.dumps writes it as the escape "\\ud800"
    rows = [good[0], "{not json", '{"id": "c2"}', None, json.dumps(bad_score), json.dumps(half_pair), good[1]]
    source = tmp_path / "reports.parquet"
    pq.write_table(pa.table({"report": pa.array(rows, pa.string())}), source)
    english = [
        (2, "invalid JSON: Expecting property name enclosed in double quotes (col 2)"),
        (3, "not a conversation report (no `trajectory` field)"),
        (4, "a JSON object is expected"),
        (5, 'the `satisfaction.score` field must be a number from 1 to 5 (read: "4")'),
        (6, "the `agent_id` field holds half of a UTF-16 pair (\\ud800-\\udfff), which UTF-8 cannot write"),
    ]
    french = [
        (2, "JSON invalide : nom de propriété entre guillemets doubles attendu (col 2)"),
        (3, "ce n'est pas un rapport de conversation (pas de champ `trajectory`)"),
        (4, "un objet JSON est attendu"),
        (5, 'le champ `satisfaction.score` doit être un nombre de 1 à 5 (lu : "4")'),
        (
            6,
            "le champ `agent_id` contient une moitié de paire UTF-16 (\\ud800-\\udfff), "
            "que l'UTF-8 ne peut écrire",
        ),
    ]
    for lang, skipped, summary in (
        (
            "en",
            [f"reports.parquet: row {n} skipped: {why}" for n, why in english],
            "2 conversations aggregated, 5 reports skipped (0 of them duplicates)",
        ),
        (
            "fr",
            [f"reports.parquet: ligne {n} ignorée : {why}" for n, why in french],
            "2 conversations agrégées, 5 rapports ignorés (dont 0 en double)",
        ),
    ):
        site = tmp_path / f"site-{lang}"
        done = run("report", "--input", str(source), "--output", str(site), lang=lang)
        assert done.returncode == 1, err(done)
        assert "Traceback" not in err(done)
        for text in [*skipped, summary]:
            assert text in err(done).splitlines(), err(done)
        assert aggregated(site)["overall"]["conversations"] == 2


def test_report_reads_a_jsonl_file_that_opens_with_a_byte_order_mark(
    tmp_path: Path, report_lines: list[bytes]
) -> None:
    """A byte-order mark used to make line 1 "invalid JSON" and stop the run."""
    source = tmp_path / "reports.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + b"\n".join(report_lines) + b"\n")
    done = run("report", "--input", str(source), "--output", str(tmp_path / "site"))
    assert done.returncode == 0, err(done)
    assert "6 conversations aggregated, 0 reports skipped (0 of them duplicates)" in err(done)
    assert aggregated(tmp_path / "site")["overall"]["conversations"] == 6


@pytest.mark.parametrize(
    "content", [b"", b"\n  \n\r\n", b'{"trajectory": {}}\n'], ids=["empty", "blank-lines", "no-good-report"]
)
def test_report_without_a_single_good_report_writes_nothing_and_exits_two(
    tmp_path: Path, content: bytes
) -> None:
    """An empty input used to give an empty page over the previous report of the same folder."""
    pytest.importorskip("ressenti.reporting")
    source = tmp_path / "reports.jsonl"
    source.write_bytes(content)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("last month", encoding="utf-8")
    for lang, expected in (
        ("en", f"no readable conversation report in {source}: nothing written"),
        ("fr", f"aucun rapport de conversation lisible dans {source} : rien n'est écrit"),
    ):
        done = run("report", "--input", str(source), "--output", str(site), lang=lang)
        assert done.returncode == 2
        assert expected in err(done), err(done)
        assert "Traceback" not in err(done)
        assert [path.name for path in site.iterdir()] == ["index.html"]
        assert (site / "index.html").read_text(encoding="utf-8") == "last month"


def test_report_counts_a_conversation_reported_twice_once_and_names_both_lines(
    tmp_path: Path, report_lines: list[bytes]
) -> None:
    """The same report twice (a batch output appended to itself, a resumed run concatenated with the
    whole one) used to be counted twice. The first is kept; a later one is skipped, naming both lines,
    and saying when the two differ."""
    first, second, third = (json.loads(line) for line in report_lines[:3])
    moved = {**first, "position": 99}  # the same conversation found elsewhere in another input
    rescored = copy.deepcopy(first)
    rescored["satisfaction"]["score"] = 1 if first["satisfaction"]["score"] != 1 else 5
    reordered = dict(reversed(list(second.items())))  # the same report, its keys in another order
    source = tmp_path / "reports.jsonl"
    lines = [first, second, moved, rescored, reordered, third]
    source.write_text("".join(json.dumps(one, ensure_ascii=False) + "\n" for one in lines), encoding="utf-8")
    a, b = first["id"], second["id"]
    english = [
        f"reports.jsonl: line 3 skipped: conversation {a!r} twice: already read at line 1, same report",
        f"reports.jsonl: line 4 skipped: conversation {a!r} twice: already read at line 1, with a different "
        "report (the first one is kept)",
        f"reports.jsonl: line 5 skipped: conversation {b!r} twice: already read at line 2, same report",
        "3 conversations aggregated, 3 reports skipped (3 of them duplicates)",
    ]
    french = [
        f"reports.jsonl: ligne 3 ignorée : conversation {a!r} en double : déjà lue à la ligne 1, "
        "même rapport",
        f"reports.jsonl: ligne 4 ignorée : conversation {a!r} en double : déjà lue à la ligne 1, "
        "avec un autre rapport (le premier est gardé)",
        f"reports.jsonl: ligne 5 ignorée : conversation {b!r} en double : déjà lue à la ligne 2, "
        "même rapport",
        "3 conversations agrégées, 3 rapports ignorés (dont 3 en double)",
    ]
    scores = [one["satisfaction"]["score"] for one in (first, second, third)]
    for lang, expected in (("en", english), ("fr", french)):
        site = tmp_path / f"site-{lang}"
        done = run("report", "--input", str(source), "--output", str(site), lang=lang)
        assert done.returncode == 1, err(done)
        for text in expected:
            assert text in err(done).splitlines(), err(done)
        overall = aggregated(site)["overall"]
        assert overall["conversations"] == 3
        assert overall["satisfaction"] == {"scored": 3, "mean": sum(scores) / 3}  # the first report's score


def test_report_names_a_duplicate_of_a_parquet_input_by_its_rows(
    tmp_path: Path, report_lines: list[bytes]
) -> None:
    import pyarrow as pa

    rows = [line.decode("utf-8") for line in (report_lines[0], report_lines[1], report_lines[0])]
    source = tmp_path / "reports.parquet"
    pq.write_table(pa.table({"report": rows}), source)
    ident = json.loads(rows[0])["id"]
    for lang, expected in (
        (
            "en",
            f"reports.parquet: row 3 skipped: conversation {ident!r} twice: already read at row 1, "
            "same report",
        ),
        (
            "fr",
            f"reports.parquet: ligne 3 ignorée : conversation {ident!r} en double : déjà lue à la ligne 1, "
            "même rapport",
        ),
    ):
        site = tmp_path / f"site-{lang}"
        done = run("report", "--input", str(source), "--output", str(site), lang=lang)
        assert done.returncode == 1, err(done)
        assert expected in err(done).splitlines(), err(done)
        assert aggregated(site)["overall"]["conversations"] == 2


def test_report_skips_a_line_longer_than_the_record_limit_without_holding_it(
    tmp_path: Path, report_lines: list[bytes]
) -> None:
    source = tmp_path / "reports.jsonl"
    with source.open("wb") as handle:
        handle.write(report_lines[0] + b"\n")
        handle.write(b'{"id": "huge", "pad": "' + b"x" * (64 * 1024 * 1024) + b'"}\n')
        handle.write(report_lines[1] + b"\n")
    done = run("report", "--input", str(source), "--output", str(tmp_path / "site"))
    assert done.returncode == 1, err(done)
    assert "reports.jsonl: line 2 skipped: record longer than 64 MiB" in err(done)
    assert aggregated(tmp_path / "site")["overall"]["conversations"] == 2


def test_batch_resume_from_another_input_exits_two_saying_why_in_french(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    assert run("batch", "--input", str(CONVERSATIONS), "--output", str(output)).returncode == 0
    other = tmp_path / "other.jsonl"
    other.write_text(CONVERSATIONS.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    before = output.read_bytes()
    done = run("batch", "--input", str(other), "--output", str(output), "--resume", lang="fr")
    assert done.returncode == 2
    assert "n'a pas été écrit depuis cette entrée" in err(done)
    assert "Reprise refusée" in err(done)
    assert output.read_bytes() == before


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (("--output", "-"), "--output must name a file (.jsonl or .parquet)"),  # it made a file named "-"
        (("--output", "r.jsonl", "--scheduler", "tcp://127.0.0.1:1"), "--scheduler goes with --engine dask"),
    ],
)
def test_batch_options_that_cannot_work_together_are_a_usage_error(
    tmp_path: Path, options: tuple[str, ...], said: str
) -> None:
    done = subprocess.run(
        [ressenti_command(), "batch", "--input", str(CONVERSATIONS), *options],
        capture_output=True,
        env={**os.environ, "RESSENTI_LANG": "en"},
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2
    assert said in err(done)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_batch_stopped_by_ctrl_c_says_so_and_exits_130_and_can_be_resumed(
    tmp_path: Path, engine: str
) -> None:
    # Ctrl-C exited 1, which the docs give for "records were skipped"; on Dask, each worker process,
    # which the terminal interrupts too, printed its own KeyboardInterrupt traceback.
    lines = CONVERSATIONS.read_text(encoding="utf-8").splitlines()
    many = tmp_path / "many.jsonl"
    with many.open("w", encoding="utf-8") as handle:
        for number in range(400):
            for line in lines:
                record = json.loads(line)
                record["id"] = f"{record['id']}-{number}"
                handle.write(json.dumps(record) + "\n")
    output = tmp_path / "reports.jsonl"
    env = {**os.environ, "RESSENTI_LANG": "en"}
    command = [
        ressenti_command(),
        "batch",
        "--input",
        str(many),
        "--output",
        str(output),
        "--chunk-size",
        "8",
        "--engine",
        engine,
        "--workers",
        "1",
    ]
    # The terminal sends Ctrl-C to the whole process group: the run, and on Dask its workers.
    running = subprocess.Popen(command, stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + 120
    while (not output.exists() or output.stat().st_size == 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(running.pid, signal.SIGINT)
    _, stderr = running.communicate(timeout=120)
    assert running.returncode == 130, stderr
    assert "Interrupted." in stderr.decode("utf-8")
    assert "Traceback" not in stderr.decode("utf-8")
    resumed = run("batch", "--input", str(many), "--output", str(output), "--resume")
    assert resumed.returncode == 0, err(resumed)
    assert len(read_jsonl(output)) == 400 * len(lines)


# --- ressenti report: its folder written whole ---------------------------------------------------


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_report_replaces_a_previous_report_whole_without_the_charts_of_a_larger_run(
    tmp_path: Path, report_lines: list[bytes]
) -> None:
    """A second page of agents' charts, from a run with more agents, used to stay beside the new page."""
    larger, smaller = tmp_path / "all.jsonl", tmp_path / "one.jsonl"
    larger.write_bytes(b"\n".join(report_lines) + b"\n")
    smaller.write_bytes(report_lines[0] + b"\n")
    site = tmp_path / "site"
    assert run("report", "--input", str(larger), "--output", str(site)).returncode == 0
    assert (site / "behaviours_agents_2.png").exists()  # the case: more than one page of agents
    done = run("report", "--input", str(smaller), "--output", str(site))
    assert done.returncode == 0, err(done)
    assert sorted(files_of(site)) == [
        "aggregates.json",
        "behaviours_agents_1.png",
        "behaviours_teams.png",
        "emotions_teams.png",
        "index.html",
        "motives_teams.png",
        "recovery_teams.png",
    ]
    assert aggregated(site)["overall"]["conversations"] == 1
    assert sorted(os.listdir(tmp_path)) == ["all.jsonl", "one.jsonl", "site"]  # nothing left beside


# What no file may grow past in the run below: the charts and aggregates.json fit, the page does not.
FILE_LIMIT = 200_000


def _files_up_to_the_limit() -> None:
    """In the child: no file may grow past ``FILE_LIMIT`` bytes, as on a disk that fills up (Python
    ignores SIGXFSZ, so the write fails with EFBIG rather than killing the process)."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "[E040] report not written to {site}: file larger than the limit allowed;"
            " nothing there is changed",
        ),
        (
            "fr",
            "[E040] rapport non écrit dans {site} : fichier plus grand que la limite permise ;"
            " rien n'y est changé",
        ),
    ],
)
def test_report_that_cannot_be_written_whole_leaves_the_previous_one_and_says_why(
    tmp_path: Path, report_lines: list[bytes], lang: str, said: str
) -> None:
    """On a full disk the page used to be cut short over the previous report, and the system's English
    words were printed, without the path."""
    source = tmp_path / "reports.jsonl"
    source.write_bytes(b"\n".join(report_lines) + b"\n")
    site = tmp_path / "site"
    assert run("report", "--input", str(source), "--output", str(site)).returncode == 0
    before = files_of(site)
    # The case of the full disk: the charts are written, the page is not.
    assert max(len(data) for name, data in before.items() if name != "index.html") < FILE_LIMIT
    assert len(before["index.html"]) > FILE_LIMIT
    # No bytecode written by the child: a .pyc cut short at the limit would be left in the source tree.
    env = {**os.environ, "RESSENTI_LANG": lang, "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [ressenti_command(), "report", "--input", str(source), "--output", str(site)],
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
        preexec_fn=_files_up_to_the_limit,
    )
    assert done.returncode == 2
    assert err(done) == said.format(site=site) + "\n"
    assert files_of(site) == before
    assert sorted(os.listdir(tmp_path)) == ["reports.jsonl", "site"]  # no folder left half written


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "[E040] {site} holds more than a Ressenti report (index.html, notes.txt): nothing written"),
        (
            "fr",
            "[E040] {site} contient autre chose qu'un rapport de Ressenti (index.html, notes.txt) :"
            " rien n'est écrit",
        ),
    ],
)
def test_report_refuses_a_folder_that_holds_files_of_the_users(
    tmp_path: Path, report_lines: list[bytes], lang: str, said: str
) -> None:
    """The folder is replaced as a whole: one that holds a user's own files is refused, and kept."""
    source = tmp_path / "reports.jsonl"
    source.write_bytes(report_lines[0] + b"\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>Our team</title>", encoding="utf-8")
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    before = files_of(site)
    done = run("report", "--input", str(source), "--output", str(site), lang=lang)
    assert done.returncode == 2
    assert err(done).startswith(said.format(site=site)), err(done)
    assert files_of(site) == before
    assert sorted(os.listdir(tmp_path)) == ["reports.jsonl", "site"]
