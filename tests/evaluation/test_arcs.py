"""``ressenti evaluate --task arc``: the trajectories' arcs against labelled conversations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ressenti.analysis.api import default_engine
from ressenti.analysis.engine import Engine
from ressenti.corpora import BadRow, BadRowError
from ressenti.errors import EvaluationError
from ressenti.evaluation.arcs import arc_of, evaluate_arcs

ANGRY = "C'est inadmissible, trois semaines sans colis, je suis furieux !!!"
CALM_AGENT = "Je comprends votre colère, je suis désolé. Je vous renvoie le colis aujourd'hui en express."
DEFENSIVE = "Ce n'est pas de notre faute, voyez ça avec le transporteur."


def conversation(ident: str, arc: str | None, *texts: str, lang: str = "fr") -> dict[str, Any]:
    """Customer and agent turns in turn, starting with the customer."""
    turns = [{"speaker": "customer" if i % 2 == 0 else "agent", "text": text} for i, text in enumerate(texts)]
    record: dict[str, Any] = {"id": ident, "channel": "chat", "lang": lang, "turns": turns}
    if arc is not None:
        record["labels"] = {"arc": arc}
    return record


RECOVERED = conversation("c-1", "recovered", ANGRY, CALM_AGENT, "Super, merci beaucoup, c'est parfait !")
DETERIORATED = conversation(
    "c-2",
    "deteriorated",
    "Bonjour, où en est ma commande ?",
    DEFENSIVE,
    "Vous vous moquez de moi, je résilie !!!",
)
STABLE = conversation(
    "c-3", "stable_neutral", "Bonjour, quels sont vos horaires ?", "De 9 h à 18 h.", "Merci."
)
ENGLISH = conversation(
    "c-4",
    "recovered",
    "This is outrageous, no parcel for 3 weeks!!!",
    "I'm so sorry, I'm sending a new one today by express.",
    "Brilliant, thank you so much!",
    lang="en",
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


def write(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_each_labelled_conversation_is_scored_by_its_arc(engine: Engine, tmp_path: Path) -> None:
    result = evaluate_arcs(engine, write(tmp_path / "c.jsonl", [RECOVERED, DETERIORATED, STABLE]))
    assert result.task == "arc"
    assert result.scores.count == 3
    assert result.scores.accuracy == 1.0  # a stable_* label is read as "neither"
    assert result.scores.labels == ("recovered", "deteriorated", "neither")
    assert result.skipped == 0


def test_unlabelled_conversations_are_left_out_and_bad_ones_said_with_their_line(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    rows: list[object] = [
        conversation("u", None, ANGRY),
        [1, 2],
        conversation("odd", "fine", ANGRY),
        {"id": "empty", "labels": {"arc": "recovered"}, "turns": []},
        RECOVERED,
    ]
    bad: list[BadRow] = []
    result = evaluate_arcs(engine, write(tmp_path / "c.jsonl", rows), on_skipped=bad.append)
    assert result.scores.count == 1
    assert (result.skipped, result.unlabelled) == (3, 1)  # bad ones apart from those without a label
    assert [(row.line, row.reason) for row in bad] == [
        (2, "a JSON object is expected"),
        (
            3,
            "unknown value 'fine' for `labels.arc` (expected: recovered, deteriorated, neither, "
            "stable_negative, stable_neutral, stable_positive)",
        ),
        (4, "no `turns` field, or an empty one"),
    ]
    with pytest.raises(BadRowError) as caught:
        evaluate_arcs(engine, write(tmp_path / "c.jsonl", rows))
    assert caught.value.bad.line == 2


def test_language_and_limit_choose_the_conversations(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "c.jsonl", [RECOVERED, ENGLISH, DETERIORATED, STABLE])
    assert evaluate_arcs(engine, path, lang="en").scores.count == 1
    assert evaluate_arcs(engine, path, lang="fr").scores.count == 3
    assert evaluate_arcs(engine, path, lang="fr", limit=2).scores.count == 2
    with pytest.raises(EvaluationError):
        evaluate_arcs(engine, write(tmp_path / "none.jsonl", [conversation("u", None, ANGRY)]))


def test_the_escalation_turn_is_compared_with_the_label_where_there_is_one(
    engine: Engine, tmp_path: Path
) -> None:
    calm_then_hot = conversation(
        "c-5",
        "deteriorated",
        "Bonjour, où en est ma commande ?",
        DEFENSIVE,
        "Vous vous moquez de moi, je résilie !!!",
    )
    found = evaluate_arcs(engine, write(tmp_path / "c.jsonl", [calm_then_hot]))
    assert found.escalation_dict() == {"labelled": 0, "same": 0, "labelled_with_a_turn": 0, "same_turn": 0}
    rows = [
        {**calm_then_hot, "labels": {"arc": "deteriorated", "escalation_turn": 2}},  # the threat, turn 2
        {**calm_then_hot, "id": "c-6", "labels": {"arc": "deteriorated", "escalation_turn": 0}},
        {**STABLE, "labels": {"arc": "stable_neutral", "escalation_turn": None}},  # none, and none found
    ]
    found = evaluate_arcs(engine, write(tmp_path / "c.jsonl", rows))
    assert found.escalation_dict() == {"labelled": 3, "same": 2, "labelled_with_a_turn": 2, "same_turn": 1}


def test_labels_that_are_not_an_object_are_a_bad_row_not_an_arc(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first version read `"labels": "recovered"` as the arc itself."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    bad: list[BadRow] = []
    odd = {**RECOVERED, "labels": "recovered"}
    evaluate_arcs(engine, write(tmp_path / "c.jsonl", [odd, RECOVERED]), on_skipped=bad.append)
    assert [(row.line, row.reason) for row in bad] == [(1, "the `labels` field must be an object")]


def test_an_escalation_label_that_is_not_a_turn_is_a_bad_row(engine: Engine, tmp_path: Path) -> None:
    bad: list[BadRow] = []
    odd = {**STABLE, "labels": {"arc": "stable_neutral", "escalation_turn": "two"}}
    evaluate_arcs(engine, write(tmp_path / "c.jsonl", [odd, RECOVERED]), on_skipped=bad.append)
    assert [row.line for row in bad] == [1]
    assert "labels.escalation_turn" in bad[0].reason


@pytest.mark.parametrize(
    ("trajectory", "arc"),
    [
        ({"recovered": True, "deteriorated": False}, "recovered"),
        ({"recovered": False, "deteriorated": True}, "deteriorated"),
        ({"recovered": False, "deteriorated": False}, "neither"),
    ],
)
def test_the_arc_of_a_report(trajectory: dict[str, bool], arc: str) -> None:
    assert arc_of(trajectory) == arc
