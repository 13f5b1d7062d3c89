"""Every evaluation reads its rows one way: a file of another kind refused once, ``limit`` alike in each
task, the rows not scored counted once each (``ressenti.evaluation.reading``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ressenti.analysis.api import default_engine
from ressenti.analysis.engine import Engine
from ressenti.corpora import BadRow
from ressenti.errors import EvaluationError
from ressenti.evaluation.arcs import evaluate_arcs
from ressenti.evaluation.behaviours import evaluate_behaviours
from ressenti.evaluation.evaluate import evaluate
from ressenti.evaluation.reading import PROBE

TWEETS = [
    {"id": f"umsab-fr-{n}", "text": f"Tweet {n}", "lang": "fr", "sentiment": "neutral"} for n in range(60)
]
TURN = {"lang": "fr", "customer": "Colis pas reçu.", "agent": "Je suis désolé.", "behaviours": ["apology"]}
CONVERSATION = {
    "id": "c-1",
    "lang": "fr",
    "labels": {"arc": "recovered"},
    "turns": [
        {"speaker": "customer", "text": "C'est inadmissible, toujours rien !!!"},
        {"speaker": "agent", "text": "Je suis désolé, je vous renvoie le colis aujourd'hui."},
        {"speaker": "customer", "text": "Super, merci beaucoup !"},
    ],
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


def write(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_file_of_another_task_is_refused_once_not_line_by_line(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """umsab's tweets given to the behaviour task printed 4,326 lines « pas de texte `agent` », then
    « aucun tour de conseiller »: one refusal now, with the first row's line and reason."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    bad: list[BadRow] = []
    data = write(tmp_path / "umsab.jsonl", TWEETS)
    with pytest.raises(EvaluationError) as caught:
        evaluate_behaviours(engine, data, on_skipped=bad.append)
    assert str(caught.value) == (
        f"[E020] umsab.jsonl does not suit the behaviour task: none of its first {PROBE} rows can be used "
        "(line 1: no `agent` text)"
    )
    assert bad == []  # nothing said line by line


@pytest.mark.parametrize("limit", [None, 5])
def test_a_small_file_none_of_whose_rows_can_be_used_is_refused_once_too(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int | None
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    bad: list[BadRow] = []
    data = write(tmp_path / "tweets.jsonl", TWEETS[:3])
    with pytest.raises(EvaluationError, match="aucune de ses 3 premières lignes n'est utilisable"):
        evaluate_behaviours(engine, data, limit=limit, on_skipped=bad.append)
    assert bad == []
    one = write(tmp_path / "one.jsonl", ["not an object"])
    with pytest.raises(EvaluationError, match=r"sa première ligne n'est pas utilisable \(ligne 1 : un objet"):
        evaluate(engine, one, "sentiment", on_skipped=bad.append)


def test_bad_rows_at_the_start_of_a_good_file_are_said_in_order_once_a_good_row_shows(
    engine: Engine, tmp_path: Path
) -> None:
    data = tmp_path / "turns.jsonl"
    lines = ["nope", json.dumps({"agent": 5}), json.dumps(TURN), "again"]
    data.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    bad: list[BadRow] = []
    result = evaluate_behaviours(engine, data, on_skipped=bad.append)
    assert result.rows == 1
    assert [row.line for row in bad] == [1, 2, 4]


@pytest.mark.parametrize("task", ["sentiment", "behaviour", "arc"])
def test_a_parquet_file_is_refused_once_as_not_json_lines(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, task: str
) -> None:
    """It was read as JSONL line by line: each line of binary refused as not UTF-8."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    data = tmp_path / "some.parquet"
    pq.write_table(pa.table({"text": ["Merci"] * 50, "sentiment": ["positive"] * 50}), data)
    bad: list[BadRow] = []
    score = {
        "sentiment": lambda: evaluate(engine, data, "sentiment", on_skipped=bad.append),
        "behaviour": lambda: evaluate_behaviours(engine, data, on_skipped=bad.append),
        "arc": lambda: evaluate_arcs(engine, data, on_skipped=bad.append),
    }[task]
    with pytest.raises(EvaluationError) as caught:
        score()
    assert str(caught.value) == (
        "[E020] some.parquet is not a JSON Lines file (text, one JSON object a line): it is a Parquet file"
    )
    assert bad == []


def test_the_arc_limit_counts_the_conversations_without_a_label_as_the_other_tasks_do(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--limit 5 on a file of 4,326 rows without `labels.arc` read them all: the first N rows of every
    task count those left out for want of a label (``evaluate``'s rule)."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    unlabelled = {key: value for key, value in CONVERSATION.items() if key != "labels"}
    data = write(tmp_path / "c.jsonl", [unlabelled] * 3 + [CONVERSATION] * 4)
    result = evaluate_arcs(engine, data, limit=5, on_skipped=lambda bad: None)
    assert (result.scores.count, result.unlabelled, result.skipped) == (2, 3, 0)
    only_unlabelled = write(tmp_path / "u.jsonl", [unlabelled] * 10 + [CONVERSATION])
    with pytest.raises(EvaluationError, match="no row labelled for the arc task"):
        evaluate_arcs(engine, only_unlabelled, limit=5, on_skipped=lambda bad: None)


def test_the_behaviour_limit_takes_the_first_turns_of_the_language(engine: Engine, tmp_path: Path) -> None:
    english = {**TURN, "lang": "en", "agent": "I'm sorry."}
    data = write(tmp_path / "turns.jsonl", [english, TURN, english, TURN, TURN])
    result = evaluate_behaviours(engine, data, lang="fr", limit=2, on_skipped=lambda bad: None)
    assert result.rows == 2
